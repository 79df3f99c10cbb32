"""Routes for /api/v1/register/: the public pledge register."""
from django.urls import path

from registration.apis import PublicRegisterView

urlpatterns = [path("", PublicRegisterView.as_view(), name="public-register")]
