"""Domain errors: services raise these, one DRF handler renders them as {"error": {...}}."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details if details is not None else {}


class ValidationFailed(DomainError):
    """Bad input: 400, nothing changed."""

    status_code = 400
    default_code = "invalid"


class PermissionRefused(DomainError):
    """The caller's role or identity may not do this: 403."""

    status_code = 403
    default_code = "permission_denied"


class NotVisible(DomainError):
    """The object does not exist for this caller: 404 (never reveal others' data)."""

    status_code = 404
    default_code = "not_found"


class Conflict(DomainError):
    """Not allowed in the current state, lost a race, or failed a business check: 409."""

    status_code = 409
    default_code = "conflict"
