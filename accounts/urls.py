"""Routes under /api/v1/auth/."""
from django.urls import path

from accounts.apis import LogoutAllApi, LogoutApi, TokenApi

urlpatterns = [
    path("token/", TokenApi.as_view(), name="auth-token"),
    path("logout/", LogoutApi.as_view(), name="auth-logout"),
    path("logout-all/", LogoutAllApi.as_view(), name="auth-logout-all"),
]
