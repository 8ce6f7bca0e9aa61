"""Settings for finsam: one module, every deployment choice read from the environment.

See `.env.example` and the README for each variable.
"""

from pathlib import Path

import django
import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("FINSAM_TESTING", default=False)

# --- Keys -----------------------------------------------------------------------------------
# Development defaults are only accepted when DEBUG or TESTING is on; production must set them.
_dev = DEBUG or TESTING
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if _dev else environ.Env.NOTSET)
# Old secret keys still accepted (signatures, and decrypting personal data until `rotate_keys`).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# Key material for the encrypted personal data fields (personal identity number, name).
# A list allows rotation: the first key encrypts, all keys decrypt.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEY", default=["dev-only-field-key"] if _dev else environ.Env.NOTSET
)
SALT_KEY = FIELD_ENCRYPTION_KEYS  # read by encrypted_fields
# Key for the keyed hash (HMAC) used to find a participant by personal identity number, and the
# key it replaces while `manage.py rotate_keys` recomputes the hashes.
LOOKUP_HASH_KEY = env.str(
    "LOOKUP_HASH_KEY", default=FIELD_ENCRYPTION_KEYS[0] if _dev else environ.Env.NOTSET
)
LOOKUP_HASH_KEY_PREVIOUS = env.str("LOOKUP_HASH_KEY_PREVIOUS", default="")
# Keys that are public (the development defaults above, the placeholders of .env.example):
# outside development the site refuses to start with one of them.
_PUBLIC_KEY_PREFIXES = ("dev-only-", "change-me")
if not _dev:
    _public = [
        name
        for name, values, required in [
            ("SECRET_KEY", [SECRET_KEY], True),
            ("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEYS, True),
            ("LOOKUP_HASH_KEY", [LOOKUP_HASH_KEY], True),
            ("SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS, False),
            (
                "LOOKUP_HASH_KEY_PREVIOUS",
                [LOOKUP_HASH_KEY_PREVIOUS] * bool(LOOKUP_HASH_KEY_PREVIOUS),
                False,
            ),
        ]
        if (required and not values)
        or any(not v.strip() or v.startswith(_PUBLIC_KEY_PREFIXES) for v in values)
    ]
    if _public:
        raise ImproperlyConfigured(
            f"{', '.join(_public)}: empty, a development default or the example value of "
            ".env.example. Set random keys of your own (README, Keys), or DEBUG=1 for development."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "simple_history",
    "finsam.core",
    "finsam.reference",
    "finsam.associations",
    "finsam.accounts",
    "finsam.initiatives",
    "finsam.participants",
    "finsam.audit",
    "finsam.finance",
    "finsam.statistics",
    "finsam.reports",
    "finsam.api",
    "finsam.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "finsam.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "finsam.core.middleware.SwedishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "finsam.core.middleware.AccessMiddleware",
    "finsam.accounts.middleware.RequireTwoFactorMiddleware",
]

if not _dev:  # in development runserver serves the static files itself
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "finsam" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "finsam.core.context_processors.access",
            ],
        },
    }
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        # WAL: readers don't block the writer, and a commit doesn't wait for a full disk flush.
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail login, no self sign-up (users are invited by the secretariat),
# failed logins throttled per address and per IP.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "finsam.accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/15m/key",
    "login": "30/m/ip",
}
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 1  # the address the invitation was sent to
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "finsam"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "finsam API",
    "DESCRIPTION": "Associations, initiatives and enrolments. Token authentication; "
    "the permissions are those of the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "finsam" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "finsam" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if _dev
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

_email_backend = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if _dev
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email = {
    "host": env.str("EMAIL_HOST", default="localhost"),
    "port": env.int("EMAIL_PORT", default=25),
    "username": env.str("EMAIL_HOST_USER", default=""),
    "password": env.str("EMAIL_HOST_PASSWORD", default=""),
    "use_tls": env.bool("EMAIL_USE_TLS", default=False),
}
if django.VERSION >= (6, 1):
    _smtp = _email_backend.endswith("smtp.EmailBackend")
    MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email if _smtp else {}}}
else:  # Django 5.2 LTS on Python 3.11
    EMAIL_BACKEND = _email_backend
    EMAIL_HOST, EMAIL_PORT = _email["host"], _email["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email["username"], _email["password"]
    EMAIL_USE_TLS = _email["use_tls"]
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="finsam <noreply@finsam.local>")

# --- Security ---------------------------------------------------------------------------------
# Sessions end with the browser and after an idle hour; no personal data in URLs.
SESSION_COOKIE_AGE = 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not _dev:
    # HTTPS only. Behind a proxy that forwards X-Forwarded-Proto; a proxy that redirects to HTTPS
    # and sets HSTS itself lets the site leave that to it (SECURE_SSL_REDIRECT=0,
    # SECURE_HSTS_SECONDS=0).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the proxy's or orchestrator's plain-HTTP probe
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is the choice of whoever owns the registrable domain (often a municipality's
        # or a region's), not of one application on it.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Content-Security-Policy: scripts and style sheets from this site only, no inline script, no
# eval (htmx runs with allowEval off, see base.html). Style attributes are allowed: the charts
# (matplotlib SVG, inline in the page) are drawn with them, and they cannot run code. The one
# <style> element matplotlib writes is allowed by its hash (test_headers checks it).
SECURE_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-elem": ["'self'", "'sha256-2Iqu4MW0P4n79bqVmTDfLWhO8TS7MxwRJn7HVNDr7EQ='"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # data: Bootstrap's icons, the two-factor QR code
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
}
if django.VERSION < (6, 0):  # Django 5.2 LTS (Python 3.11) has no built-in CSP
    MIDDLEWARE.remove("django.middleware.csp.ContentSecurityPolicyMiddleware")
# Permissions-Policy: none of the browser's powerful features is used.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# Participants: how long identities are kept after exit before they are pseudonymised
# (finance-law-privacy.md §4.5), and the smallest count shown in tables that leave an association.
IDENTITY_RETENTION_MONTHS = env.int("IDENTITY_RETENTION_MONTHS", default=24)
SMALL_CELL_LIMIT = env.int("SMALL_CELL_LIMIT", default=5)

# Caches. "default" is per process (rate limits, the statistics pages' charts); "documents" keeps
# what compiled reports are made of, by content (charts, typeset chapters), on disk so that every
# server process shares it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "documents": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.str("DOCUMENT_CACHE_DIR", default=str(BASE_DIR / "var" / "documents")),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
if TESTING:
    CACHES["documents"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "documents",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# Processes laying out a compiled PDF's parts (finsam/reports/documents/pdf.py); None: by load.
COMPILED_REPORT_PARTS = env.int("COMPILED_REPORT_PARTS", default=None)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint's font subsetting (fontTools) and layout progress log every step at INFO.
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
    # Request logs carry URLs only; URLs never carry personal data (UUIDs and pseudonyms only).
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/15m/key"}
