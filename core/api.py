"""API plumbing shared by every app: the one error shape, pagination."""
from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, first_error_message


def error_body(code: str, message: str, details: Any = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details if details is not None else {}}}


logger = logging.getLogger("pledgeflow.api")

# Long enough for a database failover or restart, short enough that a client retrying is not left waiting.
RETRY_AFTER_SECONDS = 30


def infrastructure_error(exc: BaseException | None) -> tuple[int, dict, dict[str, str]]:
    """Status, body and headers for a failure that is not the caller's request being refused:
    a body over the upload limit, the database out of reach, or a bug. Says nothing of the internals."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, error_body("request_too_large", f"The request body is larger than {limit} bytes.",
                               {"max_bytes": limit}), {}
    if isinstance(exc, (OperationalError, InterfaceError)):
        return (503, error_body("service_unavailable", "The service is briefly unavailable; try again shortly."),
                {"Retry-After": str(RETRY_AFTER_SECONDS)})
    return 500, error_body("server_error", "Internal server error."), {}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Render every error as {"error": {"code", "message", "details"}}. What is left unhandled
    (a bug) goes on to Django, which logs it and answers through core.error_views.server_error."""
    if isinstance(exc, (RequestDataTooBig, OperationalError, InterfaceError)):
        if not isinstance(exc, RequestDataTooBig):
            logger.error("Database unavailable: %s", exc, exc_info=exc)
        status_code, body, headers = infrastructure_error(exc)
        return Response(body, status=status_code, headers=headers)
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code,
                        headers=getattr(exc, "headers", None))
    if isinstance(exc, (TransitionNotAllowed, ConcurrentTransition)):
        code = "concurrent_transition" if isinstance(exc, ConcurrentTransition) else "transition_not_allowed"
        return Response(error_body(code, str(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=getattr(exc, "message_dict", None) or exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", first_error_message(exc.detail), exc.detail)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(str(code), str(detail))
    return response


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
