"""Django settings, read from the environment (see README "Configuration").

SQLite under var/ is the zero-set-up default; DATABASE_URL selects PostgreSQL
for a shared deployment. DEBUG is off unless asked for, and a production
process without a real SECRET_KEY refuses to start.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from armslength.env import ConfigError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("ARMSLENGTH_VAR_DIR", str(BASE_DIR / "var")))
# The SQLite file and collected assets live here; make sure it exists.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ConfigError("SECRET_KEY must be set when DEBUG is off (see README, Configuration)")
# Seals authenticator (TOTP) keys and hashes recovery codes (accounts/sealing.py). Kept
# apart from SECRET_KEY so the two can be rotated and held separately; changing it
# means everyone enrols again.
_DEV_TWO_FACTOR_KEY = "dev-only-two-factor-key-do-not-use-in-production-fedcba98765"
TWO_FACTOR_KEY = env_str("TWO_FACTOR_KEY", _DEV_TWO_FACTOR_KEY if DEBUG else "")
if not TWO_FACTOR_KEY:
    raise ConfigError(
        "TWO_FACTOR_KEY must be set when DEBUG is off: it encrypts the two-factor secrets "
        "(see README, Configuration)"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "armslength.core",
    "armslength.accounts",
    "armslength.register",
    "armslength.declarations",
    "armslength.compliance",
    "armslength.visits",
    "armslength.screening",
    "armslength.reports",
    "armslength.spreadsheets",
    "armslength.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # before anything reads a body: one over MAX_REQUEST_BYTES is refused unread
    "armslength.core.middleware.BoundedBody",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "armslength.core.middleware.SlidingSession",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "armslength.core.middleware.RejectNulCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # an account's chosen language wins over the browser's (LocaleMiddleware above)
    "armslength.core.language.AccountLanguage",
    # Every view needs a signed-in user unless it says otherwise (login page).
    # (the API authenticates its own requests by token: see core/middleware.py)
    "armslength.core.middleware.LoginRequiredMiddleware",
    "armslength.core.middleware.SecondFactorRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # last, as django-axes asks: refuses sign-in after repeated failures
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "armslength.urls"
WSGI_APPLICATION = "armslength.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "armslength.core.context.navigation",
                "armslength.core.context.sign_in_options",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'armslength.sqlite3'}"),
        # keep a connection per worker for a minute (opening one per request costs more
        # than most pages); health checks replace one the server has closed
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one request writes; IMMEDIATE makes a
    # writing transaction take the lock up front instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failures and locks out first
    # Django's, refusing leavers from their leaving date (accounts/backends.py)
    "armslength.accounts.backends.ModelBackend",
]
# Failed sign-ins: after AXES_FAILURE_LIMIT for one username from one address, that
# pair waits AXES_COOLOFF_MINUTES; every failure is recorded (axes' access log).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_BEHIND_REVERSE_PROXY = env_bool("BEHIND_TLS_PROXY", False)
OTP_TOTP_ISSUER = "armslength"
# Optional sign-in through the body's directory (OpenID Connect): on when a client
# id is set. See accounts/oidc.py for what it may and may not do.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation's account")
LOGIN_REDIRECT_URL_FAILURE = "/login/?oidc=failed"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("armslength.accounts.oidc.OIDCBackend")
# The policy pack in force until the NPM adopts a policy version of its own:
# "uk-npm" (UK guidance and APT) or "generic" (APT guidance only). See docs/adopting.md.
POLICY_PACK = env_str("ARMSLENGTH_POLICY_PACK", "uk-npm")
if POLICY_PACK not in ("uk-npm", "generic"):
    raise ConfigError("ARMSLENGTH_POLICY_PACK must be uk-npm or generic")
# Keep the last screening of the register per process while nothing changed (see
# screening/services.py); the tests switch it off, as their rolled-back data
# can repeat log entry numbers.
SCREENING_CACHE = env_bool("SCREENING_CACHE", True)
# People who left more than this many years ago are anonymised by `armslength anonymise`.
PERSON_RETENTION_YEARS = env_int("PERSON_RETENTION_YEARS", 6)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The installation's language (before anyone chose one and when the browser asks
# for none we speak); each account may choose its own (accounts.User.language).
LANGUAGE_CODE = env_str("ARMSLENGTH_LANGUAGE", "en-gb")
# Names in their own language, as a chooser shows them (not translated on purpose).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg"), ("fr", "Français")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ConfigError("ARMSLENGTH_LANGUAGE must be one of en-gb, cy, fr")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["armslength.formats"]  # one date format everywhere: "30 Jan 2023"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# Uploaded files (recruitment criteria) are never served from a public path:
# a view checks the reader's access and sends them as attachments.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/files/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# the largest request body any page takes: a 20 MB spreadsheet and its form (issue 12)
MAX_REQUEST_BYTES = 21 * 1024 * 1024
# a spreadsheet larger than this is read by the background worker, with progress, not in
# the request (issue 12, finding 6)
UPLOAD_QUEUE_BYTES = 1024 * 1024

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Assets are served by WhiteNoise straight from the installed apps, so no
# collectstatic step is needed and nothing is ever fetched from a CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions end after this long without a request (sliding: core.middleware.SlidingSession
# renews an active one at most once a minute).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: scripts, styles, fonts and images from this site only;
# no inline script anywhere (htmx and every script are files), no framing, forms
# post only here. The API docs page alone allows inline styles (Swagger UI's).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "armslength@localhost")
# The address people reach the app at, for links in emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Background work (planner runs) goes through Django's task framework with a
# database queue: `armslength db_worker` runs the worker (`make run` starts one).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# The REST API (armslength/api): token or session auth, the web's access rules,
# one error shape, a request budget per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "armslength.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "armslength.api.permissions.RecordAccess",
    ],
    "DEFAULT_PAGINATION_CLASS": "armslength.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["armslength.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_RATE", "600/minute")},
    "EXCEPTION_HANDLER": "armslength.api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # bounded in size and nesting (api/parsers.py); forms as the web app sends them
    "DEFAULT_PARSER_CLASSES": [
        "armslength.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "armslength API",
    "DESCRIPTION": (
        "The register, declarations, visits and teams of an NPM, with the conflict engine's "
        "verdicts, findings and the annual report. Authenticate with a personal token "
        "(`Authorization: Bearer al_...`), created under My API tokens. Every endpoint "
        "applies the same access rules as the web app."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # the document and its pages need a signed-in user (or a token) in production
    # (issue 12, finding 9); open in development for a quick look
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if DEBUG
        else "rest_framework.permissions.IsAuthenticated"
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "armslength.api.schema.add_error_responses",
    ],
}
# Throttle counters live in the cache; give gunicorn workers a shared one in
# production (CACHE_BACKEND=db, then `armslength createcachetable`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if env_str("CACHE_BACKEND") == "db"
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "armslength_cache",
    }
}

DJANGO_TABLES2_TEMPLATE = "tables/table.html"
DJANGO_TABLES2_PAGE_RANGE = 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
