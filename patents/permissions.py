"""Who may write the patent register: registrars and administrators (the rule itself: patents.services)."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from patents.services import may_write_register


class RegisterWritableByRegistrar(BasePermission):
    message = "only registrars and administrators may change the patent register"

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return may_write_register(request.user)
