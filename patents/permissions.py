"""Who may write the patent register: registrars and administrators."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import REGISTRAR, role_of


class RegisterWritableByRegistrar(BasePermission):
    message = "only registrars and administrators may change the patent register"

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user.is_superuser or role_of(request.user) == REGISTRAR)
