"""Language for the pages only: the API's messages stay in the one language its clients parse."""
from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from core.error_views import is_api_request


class PageLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (cookie, then Accept-Language) for pages; English under /api/."""

    def process_request(self, request):
        if is_api_request(request):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if is_api_request(request):
            return response
        return super().process_response(request, response)
