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
# A registration says whether a phone number is taken: limited so it cannot be used to list them.
REGISTER_LIMIT_PER_ADDRESS = "10 per hour"
VERIFY_LIMIT_PER_ADDRESS = "60 per minute"  # /verify/<code>: anyone may check a record, nobody may try them all

REGISTRATION_OPEN = True

# werkzeug's scrypt (N=32768, r=8, p=1); the test suite uses a cheaper N to stay fast.
PASSWORD_HASH_METHOD = "scrypt"

# The ledger: awards above this many points wait for a second admin.
FOUR_EYES_THRESHOLD = 50

# Clearing at year end (POINTS_EXPIRY_POLICY): "none" keeps points for ever; "year_end" expires the
# points still available at 31 December; "year_end_next" expires the points earned in a year at the
# end of the following year (spending uses the oldest points first). Held points never expire.
EXPIRY_POLICY = "none"

API_TOKEN_LIFETIME = timedelta(days=30)

# Bringing residents in (flask --app points import residents, /admin/import): the largest file
# accepted, the most residents one file may hold (a file with more is refused as a whole), and the
# largest opening balance (期初积分) a row may carry.
IMPORT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_MAX_ROWS = 100_000
IMPORT_MAX_OPENING_POINTS = 100_000
# A file of at most IMPORT_INLINE_BYTES is imported while the page waits; a larger one in the
# background, by a thread of the web process (points/imports/jobs.py). A batch still marked as running
# whose heartbeat is older than IMPORT_STALE_AFTER seconds lost its worker (the app restarted) and is
# taken up again by whoever reads it next. On SQLite the heartbeat cannot be written while the
# import's transaction holds the write lock, so this must exceed the longest import.
IMPORT_INLINE_BYTES = 64 * 1024
IMPORT_STALE_AFTER = 120
# An export of more rows than EXPORT_INLINE_ROWS is written in the background, its file kept in the
# database for EXPORT_KEEP_DAYS days; a background export silent for EXPORT_STALE_AFTER seconds lost its
# worker and is taken up again.
EXPORT_INLINE_ROWS = 20_000
EXPORT_KEEP_DAYS = 7
EXPORT_STALE_AFTER = 60

# One-time codes (8 digits) that an office issues: an activation code lets a resident without a
# password (imported, or registered at the office) set one; a reset code replaces a forgotten one.
# A code works once, until it expires; after ONE_TIME_CODE_TRIES wrong tries it is void.
ACTIVATION_CODE_LIFETIME = timedelta(days=14)  # time for a printed slip to reach the resident
RESET_CODE_LIFETIME = timedelta(days=3)  # the resident asked for it, so it is used soon
ONE_TIME_CODE_TRIES = 5

# Family helpers (points/accounts/helpers.py): an invitation not accepted within HELPER_INVITATION_DAYS
# lapses; an accepted grant lasts HELPER_GRANT_DAYS, then the resident invites again to renew it.
HELPER_INVITATION_DAYS = 14
HELPER_GRANT_DAYS = 180
# An invitation says whether a phone number has an account: limited per account so it cannot list them.
HELPER_INVITE_LIMIT = "10 per hour"

# flask-smorest / OpenAPI
API_TITLE = "Civic Points API"
API_VERSION = "v1"
OPENAPI_VERSION = "3.0.3"
OPENAPI_URL_PREFIX = "/api/v1"
OPENAPI_JSON_PATH = "openapi.json"

# Earning (issue 3): claims, their photos, and the public board.
CLAIM_MAX_AGE_DAYS = 30  # a claim is for an action done at most this many days ago
CLAIM_MAX_PHOTOS = 5
CLAIM_PHOTO_MAX_BYTES = 8 * 1024 * 1024  # per photo, as uploaded (the browser shrinks them first)
CLAIM_PHOTO_MAX_PIXELS = 40_000_000  # larger images (and decompression bombs) are refused unread
CLAIM_PHOTO_LONG_SIDE = 1600  # photos are stored re-encoded at most this many pixels wide or high
# Every request body; room for the photos of one claim. Larger requests get a 413.
MAX_CONTENT_LENGTH = CLAIM_MAX_PHOTOS * CLAIM_PHOTO_MAX_BYTES + 1024 * 1024
BOARD_PUBLIC = False  # True: the points board (masked names only) can be read without signing in

# Redeeming. Booking opens at midnight (scheme time) this many days before the session's
# day, so "7 days ahead" means whole days, and closes when the session starts.
BOOKING_OPENS_DAYS = 7
CANCEL_DEADLINE_HOURS = 2  # a booking can be cancelled until this long before the start, inclusive
CHECKIN_OPENS_MINUTES = 30  # check-in is open from this long before the start until the end
MAX_ACTIVE_BOOKINGS = 3  # upcoming bookings a resident may hold at once
# Missing NO_SHOW_STRIKES sessions whose end lies within NO_SHOW_WINDOW_DAYS pauses booking until
# NO_SHOW_SUSPENSION_DAYS after the latest one.
NO_SHOW_STRIKES = 3
NO_SHOW_WINDOW_DAYS = 30
NO_SHOW_SUSPENSION_DAYS = 14

# Households (一户一卡): the most points one member may pass to others of the household in a month.
HOUSEHOLD_PASS_MONTHLY_LIMIT = 200

# The venue door (/scan): a photo of a code, read on the server when the live camera cannot be used.
SCAN_PHOTO_MAX_BYTES = 20 * 1024 * 1024  # a 48 MP phone photo fits
SCAN_PHOTO_MAX_PIXELS = 64_000_000  # larger images (and decompression bombs) are refused unread
