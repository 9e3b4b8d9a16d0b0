"""Two failed-login limits on top of django-axes: per login name from one address, and per address across names.

django-axes compares the largest count over its parameter sets with a single limit; here each set has its own:
LOGIN_FAILURE_LIMIT for one user name from one address (a forgotten password) and LOGIN_ADDRESS_FAILURE_LIMIT for
one address over all user names (one guess on each of many logins — password spraying).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class LoginLimitsHandler(AxesDatabaseHandler):
    def failure_counts(self, request, credentials=None) -> tuple[int, int]:
        """(failures of this user name from this address, failures from this address) within the cool-off."""
        per_name, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return per_name, per_address

    def get_failures(self, request, credentials=None) -> int:
        # Reported on the scale of LOGIN_FAILURE_LIMIT (axes' own limit): reaching either limit reads as locked.
        per_name, per_address = self.failure_counts(request, credentials)
        limit = settings.LOGIN_FAILURE_LIMIT
        if per_name >= limit or per_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return limit
        return per_name


def lockout_response(request, original_response=None, credentials=None):
    """The lock-out page: how long it lasts and whom to ask (never a command)."""
    from django.shortcuts import render

    minutes = round(settings.AXES_COOLOFF_TIME * 60) if settings.AXES_COOLOFF_TIME else None
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)


def client_address(request) -> str | None:
    """The visitor's address: REMOTE_ADDR, or behind LOGIN_PROXY_COUNT reverse proxies the address the nearest
    proxy appended to X-Forwarded-For (entries further left are whatever the visitor claimed, and are ignored)."""
    proxies = getattr(settings, "LOGIN_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def attempted_username(request, credentials=None) -> str:
    """The user name a failed login is recorded under, cut to the log's column (255): a longer one is no login's
    name, and storing it whole would fail on PostgreSQL."""
    name = (credentials or {}).get("username") if credentials else None
    if name is None:
        name = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return str(name)[:255]
