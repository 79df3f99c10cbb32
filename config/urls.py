"""Top-level routes: the API under /api/v1/, its schema and docs, the admin, health."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from core.health import healthz

# Every operation documents the error shape it may answer with (core.openapi); the enum hook is
# drf-spectacular's default, kept.
SCHEMA_SETTINGS = {
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.document_error_responses",
    ],
}

api_v1 = [
    path("auth/token/", obtain_auth_token, name="auth-token"),
    path("", include("patents.urls")),
    path("", include("financing.urls")),
    path("valuation/", include("valuation.urls")),
    path("documents/", include("documents.urls")),
    path("register/", include("registration.urls.public")),
    path("registration/", include("registration.urls.desk")),
    path("alerts/", include("monitoring.urls")),
    path("schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

# Under /api/ these answer in the one JSON error shape; elsewhere they are Django's own pages.
handler400 = "core.error_views.bad_request"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"
