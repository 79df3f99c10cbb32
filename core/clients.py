"""Who is calling: the client's address, by one rule for login lockouts and request throttles alike."""
from __future__ import annotations

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str | None:
    """The caller's IP address.

    REMOTE_ADDR, unless settings.PLEDGEFLOW_TRUSTED_PROXY_COUNT (DRF's NUM_PROXIES) says that many
    proxies in front append to X-Forwarded-For: then the address the outermost of them saw. A client
    can write anything into that header, so it is never read when no proxy is trusted. DRF's own rule,
    so that django-axes (AXES_CLIENT_IP_CALLABLE) and the anonymous throttles count the same client.
    """
    return BaseThrottle().get_ident(request) or None
