"""The project's routes with the documents API mounted, for tests that run before config/urls.py includes it."""
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/documents/", include("documents.urls")), *project_urlpatterns]
