"""Routes for /api/v1/documents/."""

from django.urls import path

from documents import apis

urlpatterns = [
    path("verify/", apis.DocumentVerifyUploadApi.as_view(), name="document-verify-upload"),
    path("verify/<str:key>/", apis.DocumentVerifyApi.as_view(), name="document-verify"),
    path("<int:pk>/", apis.DocumentDetailApi.as_view(), name="document-detail"),
    path("<int:pk>/download/", apis.DocumentDownloadApi.as_view(), name="document-download"),
    path("<int:pk>/retry/", apis.DocumentRetryApi.as_view(), name="document-retry"),
]
