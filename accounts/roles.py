"""The roles of DOMAIN.md §1, held as Django groups, and how to read a user's role."""
from __future__ import annotations

APPLICANT = "applicant"
APPRAISER = "appraiser"
BANK_OFFICER = "bank_officer"
BANK_APPROVER = "bank_approver"
REGISTRAR = "registrar"

ROLES = (APPLICANT, APPRAISER, BANK_OFFICER, BANK_APPROVER, REGISTRAR)
BANK_ROLES = (APPRAISER, BANK_OFFICER, BANK_APPROVER)

_CACHE_ATTR = "_pledgeflow_role"


def _one_role(names) -> str | None:
    names = [name for name in names if name in ROLES]
    # A person holds one role; should an admin give two, none is safer than a guess.
    return names[0] if len(names) == 1 else None


def role_of(user) -> str | None:
    """The user's role, or None; read once per user object (one query, then cached)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, _one_role(user.groups.values_list("name", flat=True)))
    return getattr(user, _CACHE_ATTR)


def with_roles(queryset, user_field: str):
    """`queryset` annotated with the role names of the user at `user_field`, for `remember_role`: the
    role read in the query that loads the user (token authentication) rather than in one of its own."""
    from django.contrib.auth.models import Group
    from django.db.models import Count, Min, OuterRef, Subquery

    held = Group.objects.filter(user=OuterRef(user_field), name__in=ROLES).order_by().values("user")
    return queryset.annotate(
        _role_count=Subquery(held.annotate(n=Count("pk")).values("n")),
        _role_name=Subquery(held.annotate(first=Min("name")).values("first")),
    )


def remember_role(user, *, count: int | None, name: str | None) -> None:
    """Cache on `user` the role `with_roles` read, by the same rule as `role_of`."""
    setattr(user, _CACHE_ATTR, _one_role([name] if count == 1 else []))
