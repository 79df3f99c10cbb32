"""Valuations of an application's pledged patents, kept as versions: a new one supersedes, never overwrites."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class Valuation(models.Model):
    """One signed valuation of an application's whole pledge: the portfolio totals and its loan cap.

    Version 1, 2, ... per application; at most one is current (not superseded).
    Only `superseded_at` ever changes after creation.
    """

    application = models.ForeignKey(
        "financing.PledgeApplication", on_delete=models.PROTECT, related_name="valuations"
    )
    version = models.PositiveSmallIntegerField()
    appraiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    valuation_date = models.DateField()
    valid_until = models.DateField(help_text="The last day the valuation may be relied on")
    currency = models.CharField(max_length=3)
    total_value = models.DecimalField(max_digits=18, decimal_places=2)
    loan_cap = models.DecimalField(max_digits=18, decimal_places=2, help_text="Σ value × LTV over the patents")
    policy = models.JSONField(default=dict, help_text="The lending policy applied, as it stood at valuation")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="valuation_version_once"),
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(superseded_at__isnull=True),
                name="one_current_valuation_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"valuation v{self.version} of application {self.application_id}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class PatentValuation(models.Model):
    """What one pledged patent is worth in one valuation, with the appraiser's inputs and the workings.

    `inputs` is the appraiser's entry as given (Decimals as strings);
    `workings` is the full computation as the quote endpoint renders it
    (cash-flow table, comparables, quality breakdown, LTV adjustments).
    """

    valuation = models.ForeignKey(Valuation, on_delete=models.PROTECT, related_name="patent_valuations")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="valuations")
    inputs = models.JSONField()
    expiry_date = models.DateField()
    remaining_term_years = models.DecimalField(max_digits=8, decimal_places=4)
    income_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    cost_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    market_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=2)
    quality_score = models.DecimalField(max_digits=5, decimal_places=2)
    high_value = models.BooleanField(default=False)
    high_value_categories = models.JSONField(default=list, blank=True)
    ltv = models.DecimalField(max_digits=5, decimal_places=4)
    max_loan = models.DecimalField(max_digits=18, decimal_places=2)
    workings = models.JSONField(default=dict)

    class Meta:
        ordering = ["valuation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["valuation", "patent"], name="patent_valued_once_per_valuation"),
        ]

    def __str__(self) -> str:
        return f"{self.patent_id} in {self.valuation}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("a patent valuation is never changed; value again to supersede it")
        super().save(*args, **kwargs)
