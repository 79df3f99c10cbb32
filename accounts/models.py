"""Organisations (enterprises that pledge, banks that lend) and the users who act for them."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Enterprise(models.Model):
    """A pledgor: a company that owns patents and borrows against them."""

    name = models.CharField(max_length=200, unique=True)
    name_zh = models.CharField(max_length=200, blank=True)
    credit_code = models.CharField(max_length=32, blank=True, help_text="Unified social credit code or EIN")
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Bank(models.Model):
    """A pledgee: the lender."""

    name = models.CharField(max_length=200, unique=True)
    name_zh = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AppraisalFirm(models.Model):
    """A licensed appraisal firm whose appraisers value patents for a bank (DOMAIN.md §1)."""

    name = models.CharField(max_length=200, unique=True)
    name_zh = models.CharField(max_length=200, blank=True)
    licence_number = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
