"""The patent register the registrar checks filings against."""
from __future__ import annotations

import datetime as dt

from django.db import models

from patents.facts import PatentFacts


class Patent(models.Model):
    class Jurisdiction(models.TextChoices):
        CN = "CN", "China"
        US = "US", "United States"

    class Kind(models.TextChoices):
        INVENTION = "invention", "Invention (US: utility patent)"
        UTILITY_MODEL = "utility_model", "Utility model"
        DESIGN = "design", "Design"

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "In force"
        LAPSED = "lapsed", "Lapsed"
        EXPIRED = "expired", "Expired"
        INVALIDATED = "invalidated", "Invalidated"

    class Award(models.TextChoices):
        NONE = "", "None"
        NATIONAL_SCIENCE_TECHNOLOGY = "national_science_technology_award", "National science and technology award"
        NATIONAL_PATENT = "national_patent_award", "National patent award"

    number = models.CharField(max_length=32, unique=True, help_text="Normalised, e.g. ZL202110921116.9")
    jurisdiction = models.CharField(max_length=2, choices=Jurisdiction.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=300)
    filing_date = models.DateField()
    grant_date = models.DateField(null=True, blank=True)
    owners = models.ManyToManyField("accounts.Enterprise", related_name="patents", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    annual_fee_paid_until = models.DateField(null=True, blank=True)
    ownership_frozen = models.BooleanField(default=False, help_text="Ownership dispute or court preservation order")
    invalidation_pending = models.BooleanField(default=False)
    same_day_twin = models.BooleanField(default=False, help_text="Utility model with a same-day invention twin")
    foreign_family = models.BooleanField(default=False, help_text="Has a granted family member abroad")
    strategic_industry = models.BooleanField(default=False)
    award = models.CharField(max_length=40, choices=Award.choices, blank=True, default="")
    term_adjustment_days = models.PositiveIntegerField(default=0, help_text="US patent term adjustment or CN term compensation (Patent Law art. 42), in days")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def facts(self) -> PatentFacts:
        """What the register says of this patent, as the plain values every other app reads."""
        return PatentFacts.of(self)

    @property
    def expiry_date(self) -> dt.date:
        return self.facts.expiry_date
