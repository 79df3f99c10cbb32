"""Token authentication that reads the user's role in the query that loads the user."""
from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.roles import remember_role, with_roles


class RoleTokenAuthentication(TokenAuthentication):
    """DRF's token authentication plus the role (accounts.roles), so a request that checks a role
    pays one query for both: a transition's budget is eight (issue 11)."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = with_roles(model.objects.select_related("user"), "user_id").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        remember_role(token.user, count=token._role_count, name=token._role_name)
        return token.user, token
