"""Django's error views (handler400/403/404/500): the one JSON error shape under /api/, the portal's pages elsewhere.

Elsewhere Django's defaults render templates/400.html, 403.html, 404.html and 500.html."""
from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from core.api import error_body, infrastructure_error

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status_code: int, body: dict, headers: dict[str, str] | None = None) -> JsonResponse:
    response = JsonResponse(body, status=status_code)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Django answers RequestDataTooBig (a SuspiciousOperation) with a 400; for the API it is a 413.
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(*infrastructure_error(exception))
    return json_error(400, error_body("bad_request", "The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return json_error(403, error_body("permission_denied", "You may not do this."))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return json_error(404, error_body("not_found", f"No API endpoint at {request.path}."))


def server_error(request: HttpRequest) -> HttpResponse:
    if not is_api_request(request):
        return defaults.server_error(request)
    # Django calls this inside its except block, so the exception being handled is still at hand.
    exception = sys.exc_info()[1]
    if isinstance(exception, (OperationalError, InterfaceError)):
        return json_error(*infrastructure_error(exception))
    return json_error(*infrastructure_error(None))
