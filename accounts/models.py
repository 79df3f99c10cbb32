"""Organisations (enterprises that pledge, banks that lend, local IP offices) and the users who act for them."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models

# A 6-digit administrative division code (GB/T 2260), e.g. 330100 for Hangzhou.
region_code = RegexValidator(r"^\d{6}$", "a region is a 6-digit administrative division code")


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
    region = models.CharField(
        max_length=6, blank=True, db_index=True, validators=[region_code],
        help_text="Where it is registered: the local IP office of this region runs its programmes",
    )


class Bank(Organisation):
    """A pledgee: the lender."""

    region = models.CharField(
        max_length=6, blank=True, db_index=True, validators=[region_code],
        help_text="Where the lending branch is: it reads the programmes of this region",
    )


class IpOffice(Organisation):
    """A local IP office (DOMAIN.md §7): runs its region's programmes and reads its region's statistics."""

    region = models.CharField(max_length=6, unique=True, validators=[region_code])


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
    ip_office = models.ForeignKey(IpOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="users")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(enterprise__isnull=False) & models.Q(bank__isnull=False)),
                name="user_belongs_to_one_organisation",
            )
        ]
