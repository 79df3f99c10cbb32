"""Reads of alerts, scoped to who may see them. The alerts API starts here."""
from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import APPLICANT, BANK_APPROVER, BANK_OFFICER, role_of
from financing.selectors import applications_visible_to
from monitoring.models import Alert

# The bank's credit staff watch their pledges, and the enterprise sees what threatens its own
# patents (it is the one that pays the fees). Appraisers and registrars have no part in it.
ROLES_THAT_SEE_ALERTS = (BANK_OFFICER, BANK_APPROVER, APPLICANT)


def alerts_visible_to(user) -> QuerySet[Alert]:
    if not getattr(user, "is_authenticated", False):
        return Alert.objects.none()
    if not user.is_superuser and role_of(user) not in ROLES_THAT_SEE_ALERTS:
        return Alert.objects.none()
    return Alert.objects.filter(application__in=applications_visible_to(user).values("id"))


def alerts_for_listing(user) -> QuerySet[Alert]:
    return alerts_visible_to(user).select_related("application", "patent")
