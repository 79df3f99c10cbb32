"""The roles of DOMAIN.md §1, held as Django groups, and how to read a user's role."""
from __future__ import annotations

APPLICANT = "applicant"
APPRAISER = "appraiser"
BANK_OFFICER = "bank_officer"
BANK_APPROVER = "bank_approver"
REGISTRAR = "registrar"
IP_OFFICE = "ip_office"

ROLES = (APPLICANT, APPRAISER, BANK_OFFICER, BANK_APPROVER, REGISTRAR, IP_OFFICE)
BANK_ROLES = (APPRAISER, BANK_OFFICER, BANK_APPROVER)

_CACHE_ATTR = "_pledgeflow_role"


def _one_role(names) -> str | None:
    names = [name for name in names if name in ROLES]
    # A person holds one role; should an admin give two, none is safer than a guess.
    return names[0] if len(names) == 1 else None


def role_from_names(names) -> str | None:
    """The role a user holding the groups `names` has (None for none, or for two)."""
    return _one_role(names)


def remember_role(user, role: str | None) -> None:
    """Record `user`'s role read along with the user (accounts.auth), so role_of needs no query of its own."""
    setattr(user, _CACHE_ATTR, role)


def role_of(user) -> str | None:
    """The user's role, or None; read once per user object (one query, then cached)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, _one_role(user.groups.values_list("name", flat=True)))
    return getattr(user, _CACHE_ATTR)

