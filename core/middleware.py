"""Keeps /api/ answers JSON when an error page is made outside the API's own views."""
from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.api import error_body
from core.error_views import is_api_request, json_error

CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed",
         413: "request_too_large", 500: "server_error", 503: "service_unavailable"}


class ApiErrorShapeMiddleware:
    """The last net under /api/: an error response that is not JSON (Django's debug pages while
    DEBUG is on, a CSRF refusal, a plain-Django 405) becomes the one error shape with the same status.
    Nothing of the original page is passed on: it may hold internals."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_request(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status_code = response.status_code
            code = CODES.get(status_code, "error")
            replacement = json_error(status_code, error_body(code, f"{response.reason_phrase}."))
            for header in ("Allow", "Retry-After"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
