"""Default settings; instance/config.py and POINTS_* environment variables override them."""
from datetime import timedelta

TIMEZONE = "Asia/Shanghai"

# Babel: Chinese first, English complete.
BABEL_DEFAULT_LOCALE = "zh"
BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
LANGUAGES = ["zh", "en"]

SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False}

SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# Secure is also set automatically for any request that arrived over HTTPS.
SESSION_COOKIE_SECURE = False
PERMANENT_SESSION_LIFETIME = timedelta(days=30)

WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

# Flask-Limiter; the storage moves to Redis when REDIS_URL is set.
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
LOGIN_LIMIT_PER_PHONE = "5 per 5 minutes"
LOGIN_LIMIT_PER_ADDRESS = "30 per 5 minutes"

REGISTRATION_OPEN = True

# werkzeug's scrypt (N=32768, r=8, p=1); the test suite uses a cheaper N to stay fast.
PASSWORD_HASH_METHOD = "scrypt"

# The ledger: awards above this many points wait for a second admin.
FOUR_EYES_THRESHOLD = 50

API_TOKEN_LIFETIME = timedelta(days=30)

# flask-smorest / OpenAPI
API_TITLE = "Civic Points API"
API_VERSION = "v1"
OPENAPI_VERSION = "3.0.3"
OPENAPI_URL_PREFIX = "/api/v1"
OPENAPI_JSON_PATH = "openapi.json"
