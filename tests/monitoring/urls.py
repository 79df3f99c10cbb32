"""The project's routes plus the alerts API, for tests run before config/urls.py includes it."""
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/alerts/", include("monitoring.urls")),
    *project_urlpatterns,
]
