"""HTTP API for signing in and out: expiring API tokens (django-rest-knox), login lockout (django-axes)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.views import LoginView, LogoutAllView, LogoutView
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from accounts.auth import TokenAuthentication
from core.errors import TooManyAttempts, ValidationFailed


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


def _lockout() -> TooManyAttempts:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return TooManyAttempts(
        "Too many failed logins for this user name or from this address; try again later.",
        retry_after_seconds=seconds,
        details={"retry_after_seconds": seconds},
    )


class TokenApi(LoginView):
    """POST /api/v1/auth/token/ {username, password} → {token, expiry}: a new token for this client."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                     "expiry": serializers.DateTimeField()}),
            400: OpenApiResponse(description="Wrong user name or password."),
            429: OpenApiResponse(description="Too many failed logins for this user name or client: too_many_attempts."),
        },
        description="Send the token as `Authorization: Token <token>`. It expires at `expiry` "
        "(PLEDGEFLOW_TOKEN_TTL_HOURS after login) and dies earlier at logout or a password change.",
    )
    def post(self, request, format=None):
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # django-axes reads the client's address from the request and marks it when locked out;
        # the check runs before the password is hashed, so a locked-out guess costs nothing.
        user = authenticate(request=request, **payload.validated_data)
        if getattr(request, "axes_locked_out", False):
            raise _lockout()
        if user is None or not user.is_active:
            raise ValidationFailed("Unable to log in with the given user name and password.", code="invalid_credentials")
        request.user = user
        return super().post(request, format=format)


class LogoutApi(LogoutView):
    """POST /api/v1/auth/logout/: revoke the token this request was made with."""

    authentication_classes = (TokenAuthentication,)  # knox's view names knox's class; ours reads the role too

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


class LogoutAllApi(LogoutAllView):
    """POST /api/v1/auth/logout-all/: revoke every token of this user, wherever it was issued."""

    authentication_classes = (TokenAuthentication,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)
