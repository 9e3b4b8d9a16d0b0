"""Security headers on every response: a Content-Security-Policy that allows only this site's own files.

Every asset is served by the app itself (no CDN), so scripts come from 'self' only and templates carry no inline
script or on*= handler (behaviour is declared with data attributes, see static/zhibu/behaviour.js). Inline style
attributes are still allowed: htmx adds its indicator style and a few templates size elements inline.
"""

from django.conf import settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY))
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
