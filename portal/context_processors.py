"""What every page's header shows: the signed-in person's organisation."""
from __future__ import annotations

from django.utils.translation import get_language, gettext as _

from accounts.roles import REGISTRAR, role_of


def organisation_name(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    for organisation in (user.enterprise, user.appraisal_firm, user.bank, user.ip_office):
        if organisation is not None:
            chinese = (get_language() or "").startswith("zh")
            return (organisation.name_zh or organisation.name) if chinese else organisation.name
    if role_of(user) == REGISTRAR:
        return _("Patent office")
    return _("Administration") if user.is_superuser else ""


def organisation(request) -> dict:
    user = getattr(request, "user", None)
    return {"organisation_name": organisation_name(user), "role": role_of(user)}
