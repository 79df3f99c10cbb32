"""Top-level routes: the API under /api/v1/, its schema and docs, the admin, health."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.health import healthz

api_v1 = [
    path("auth/", include("accounts.urls")),
    path("", include("patents.urls")),
    path("", include("financing.urls")),
    path("valuation/", include("valuation.urls")),
    path("documents/", include("documents.urls")),
    path("register/", include("registration.urls.public")),
    path("registration/", include("registration.urls.desk")),
    path("alerts/", include("monitoring.urls")),
    path("", include("programmes.urls")),
    path("webhooks/", include("events.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
]

# Under /api/ these answer in the one JSON error shape; elsewhere the portal's pages (templates/404.html, ...).
handler400 = "core.error_views.bad_request"
handler404 = "core.error_views.page_not_found"
handler403 = "core.error_views.permission_denied"
handler500 = "core.error_views.server_error"
