"""Organisations (enterprises that pledge, banks that lend) and the users who act for them."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Organisation(models.Model):
    """What every party on a document has: a legal name, its Chinese form, an address."""

    name = models.CharField(max_length=200, unique=True)
    name_zh = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(Organisation):
    """A pledgor: a company that owns patents and borrows against them."""

    credit_code = models.CharField(max_length=32, blank=True, help_text="Unified social credit code or EIN")


class Bank(Organisation):
    """A pledgee: the lender."""


class AppraisalFirm(Organisation):
    """A licensed appraisal firm whose appraisers value patents for a bank (DOMAIN.md §1)."""

    licence_number = models.CharField(max_length=64, blank=True)


class User(AbstractUser):
    """A person; the role is a Django group, the organisation one of these links."""

    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    bank = models.ForeignKey(Bank, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    # An appraiser works for a bank (which decides what they see) and signs for their firm.
    appraisal_firm = models.ForeignKey(
        AppraisalFirm, null=True, blank=True, on_delete=models.PROTECT, related_name="appraisers"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(enterprise__isnull=False) & models.Q(bank__isnull=False)),
                name="user_belongs_to_one_organisation",
            )
        ]
