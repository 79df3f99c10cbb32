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

    @classmethod
    def from_details(cls, details: Any) -> "ValidationFailed":
        """From field errors shaped as a serializer's: the message names the first offending field."""
        return cls(first_error_message(details), details=details)


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


class TooManyAttempts(DomainError):
    """Too many failed logins from this client or for this user name: 429 until the cool-off ends."""

    status_code = 429
    default_code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_seconds: int, **kwargs):
        super().__init__(message, **kwargs)
        self.headers = {"Retry-After": str(retry_after_seconds)}


def first_error_message(detail: Any, path: str = "") -> str:
    """A one-line summary naming the first offending field, e.g. "patents.0.number: ..."."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{path}.{key}" if path else str(key)
            if key == "non_field_errors":
                name = path
            return first_error_message(value, name)
    if isinstance(detail, list) and detail:
        first = detail[0]
        if isinstance(first, (dict, list)):
            index = next((i for i, item in enumerate(detail) if item), 0)
            return first_error_message(detail[index], f"{path}.{index}" if path else str(index))
        return f"{path}: {first}" if path else str(first)
    return f"{path}: {detail}" if path else str(detail)
