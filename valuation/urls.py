"""Routes under /api/v1/valuation/."""
from django.urls import path

from valuation.apis import QuoteApi

urlpatterns = [
    path("quote/", QuoteApi.as_view(), name="valuation-quote"),
]
