"""API token authentication: django-rest-knox's check, with the token, its user and the user's role in one query.

knox's TokenAuthentication reads the token with its user (one query), then, on every request, all the
user's other tokens to delete the expired ones (a second), and the role (pledgeflow's, a third: the
user's groups). Here the role comes with the token as two correlated subqueries, and only the token
in hand is checked for expiry; the expired ones are deleted once a day by
`accounts.tasks.tokens_clear_expired` instead of on every request. The digest comparison, expiry,
auto-refresh and inactive-user checks are knox's own (its methods, called as knox calls them).
"""
from __future__ import annotations

import binascii
from hmac import compare_digest

from django.contrib.auth.models import Group
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from accounts.roles import ROLES, remember_role
from core.compiled import CompiledQuery


def _tokens_with_users_and_roles(shape, key: str):
    roles = Group.objects.filter(user=OuterRef("user_id"), name__in=ROLES)
    return (
        get_token_model().objects.select_related("user")
        .annotate(first_role=Subquery(roles.order_by("name").values("name")[:1]),
                  last_role=Subquery(roles.order_by("-name").values("name")[:1]))
        .filter(token_key=key)
    )


# Compiled once per process (core.compiled): compiling the annotated query cost more than running it.
_tokens_with_user_and_role = CompiledQuery(_tokens_with_users_and_roles)


class TokenAuthentication(knox_auth.TokenAuthentication):
    def authenticate_credentials(self, token):
        msg = _("Invalid token.")
        token = token.decode("utf-8")
        for auth_token in _tokens_with_user_and_role(None, token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                user, auth_token = self.validate_user(auth_token)
                # One role, or none when the user holds none or (by an admin's mistake) two: as role_of reads it.
                remember_role(user, auth_token.first_role if auth_token.first_role == auth_token.last_role else None)
                return user, auth_token
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token) -> bool:
        """Only the token in hand: an expired one is deleted and refused (the rest go once a day)."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI description of this authentication: knox's own (`Authorization: Token <token>`)."""

    target_class = "accounts.auth.TokenAuthentication"
