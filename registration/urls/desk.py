"""Routes for /api/v1/registration/: the registrar's desk and the lender's UCC-1 record."""
from django.urls import path

from registration.apis import DeskFilingDetail, DeskFilingList, DeskFilingPrecheck, UccFilingCreate

urlpatterns = [
    path("filings/", DeskFilingList.as_view(), name="desk-filings"),
    path("filings/<int:pk>/", DeskFilingDetail.as_view(), name="desk-filing"),
    path("filings/<int:pk>/precheck/", DeskFilingPrecheck.as_view(), name="desk-filing-precheck"),
    path("filings/<int:pk>/ucc1/", UccFilingCreate.as_view(), name="filing-ucc1"),
]
