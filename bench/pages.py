"""Signing in through the login form, as a browser does, for the scenarios that load pages."""
import functools
import http.cookiejar
import re
import urllib.parse
import urllib.request

from bench.seed.people import ADMINS, PASSWORD


@functools.cache
def admin_cookie(base):
    """The Cookie header of an admin signed in at `base` (the first seeded admin)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"phone": f"139{ADMINS[0]:08d}", "password": PASSWORD, "csrf_token": token})
    opener.open(f"{base}/login", body.encode(), timeout=30)
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies:
        raise SystemExit(f"the bench's admin could not sign in at {base}/login")
    return cookies
