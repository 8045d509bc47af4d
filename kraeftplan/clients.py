"""Who a request comes from, as far as the portal can tell (for limits, never for identity)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address (AXES_CLIENT_IP_CALLABLE, the reset throttle's and the feedback
    form's).

    Without trusted proxies, REMOTE_ADDR; X-Forwarded-For is then the client's own word and is
    ignored. Behind TRUSTED_PROXY_COUNT proxies that each append the address they received the
    request from, the client's address is that many entries from the right: whatever a client
    writes in the header itself stands further left and is not read."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote
