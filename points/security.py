"""The security baseline: headers, cookies, sign-in limits, safe redirects."""
import re
from urllib.parse import urljoin, urlsplit

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface

# Browsers keep to HTTPS for a year once they see this over HTTPS (they ignore it over plain HTTP, so
# it is sent on HTTPS answers only; behind a proxy, ProxyFix reads X-Forwarded-Proto to know).
HSTS = "max-age=31536000; includeSubDomains"
CSP = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return super().get_cookie_secure(app) or request.is_secure


def login_limit_per_phone():
    return current_app.config["LOGIN_LIMIT_PER_PHONE"]


def login_limit_per_address():
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def register_limit_per_address():
    return current_app.config["REGISTER_LIMIT_PER_ADDRESS"]


def login_phone_key():
    """Sign-in attempts are also counted per phone number, from a form or a JSON body."""
    body = request.get_json(silent=True) if request.is_json else request.form
    phone = body.get("phone") if isinstance(body, dict) or body is request.form else None
    return f"phone:{str(phone or '').strip()}"


PLAIN_PATH = re.compile(r"/(?!/)[\x21-\x7e]*")


def is_safe_next(target):
    """Only a plain path on this site: printable ASCII (no line breaks to split a header), no scheme,
    no other host, no protocol-relative '//' trick."""
    if not target or not PLAIN_PATH.fullmatch(target) or "\\" in target:
        return False
    parts = urlsplit(urljoin(request.host_url, target))
    return parts.scheme in ("http", "https") and parts.netloc == request.host


def init_app(app):
    app.session_interface = SessionInterface()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
