"""The project's routes plus the registration routes, for tests run before config/urls.py includes them."""
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/register/", include("registration.urls.public")),
    path("api/v1/registration/", include("registration.urls.desk")),
    *project_urlpatterns,
]
