"""The project's routes plus valuation's, for tests that run before config/urls.py includes them."""
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/valuation/", include("valuation.urls")), *project_urlpatterns]
