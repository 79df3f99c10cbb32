"""Reads of stage documents, scoped to what the user may see: visibility follows the application's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from accounts.roles import IP_OFFICE, REGISTRAR, role_of
from core.errors import NotVisible
from documents.models import Document
from financing.selectors import applications_visible_to

# Registrars see filed registrations, not credit internals (DOMAIN.md §1): of the paperwork, only
# what is filed with them or what they issue.
REGISTRAR_KINDS = frozenset(
    {
        "pledge_contract",
        "registration_application",
        "us_recordation_cover_sheet",
        "registration_notice",
        "refusal_notice",
        "us_notice_of_recordation",
        "us_notice_of_non_recordation",
        "change_notice",
        "cancellation_notice",
        "us_release_cover_sheet",
    }
)


def _sees_registrar_kinds_only(user) -> bool:
    return role_of(user) == REGISTRAR and not getattr(user, "is_superuser", False)


# A local IP office reads the claim dossiers of its region's loans, nothing else of them.
OFFICE_KINDS = frozenset({"claim_dossier"})


def documents_visible_to(user) -> QuerySet[Document]:
    if role_of(user) == IP_OFFICE and user.ip_office_id:
        return Document.objects.filter(
            kind__in=OFFICE_KINDS, application__enterprise__region=user.ip_office.region
        ).select_related("application")
    documents = Document.objects.filter(application__in=applications_visible_to(user)).select_related("application")
    if _sees_registrar_kinds_only(user):
        documents = documents.filter(kind__in=REGISTRAR_KINDS)
    return documents


def document_get_visible(*, user, pk) -> Document:
    """The document if `user` may see its application (and, for a registrar, its kind); 404 otherwise."""
    try:
        return documents_visible_to(user).get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such document", code="not_found") from None


def documents_of(*, application, user) -> list[Document]:
    """The documents of an application the user already sees, from its prefetched `documents` if any."""
    documents = sorted(application.documents.all(), key=lambda d: d.pk)
    if _sees_registrar_kinds_only(user):
        documents = [d for d in documents if d.kind in REGISTRAR_KINDS]
    return documents


def document_by_hash_or_id(key: str) -> Document:
    """For the public verify page: the ready document with this SHA-256, or with this public id."""
    documents = Document.objects.filter(status=Document.Status.READY).select_related("application")
    key = (key or "").strip().lower()
    if len(key) == 64 and all(ch in "0123456789abcdef" for ch in key):
        document = documents.filter(sha256=key).order_by("id").first()
    else:
        try:
            document = documents.filter(public_id=key).first()
        except (ValueError, ValidationError):  # not a UUID either
            document = None
    if document is None:
        raise NotVisible("no document of pledgeflow has this hash or id", code="not_found", details={"key": key[:100]})
    return document
