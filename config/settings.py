"""Settings for finsam: one module, every deployment choice read from the environment.

See `.env.example` and the README for each variable.
"""

import datetime
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
    "finsam.accounts.apps.AdminConfig",  # django.contrib.admin with finsam's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "simple_history",
    "finsam.core",
    "finsam.reference",
    "finsam.associations",
    "finsam.accounts",
    "finsam.initiatives",
    "finsam.staff",
    "finsam.participants",
    "finsam.progression",
    "finsam.audit",
    "finsam.finance",
    "finsam.socioeconomics",
    "finsam.documents",
    "finsam.statistics",
    "finsam.followup",
    "finsam.reports",
    "finsam.questionnaires",
    "finsam.indicators",
    "finsam.applications",
    "finsam.preparation",
    "finsam.board",
    "finsam.catalogue",
    "finsam.api",
    "finsam.demo",
    "finsam.jobs",
    "django_tasks_db",
]
if django.VERSION < (6, 0):  # pragma: no cover - Django 5.2 LTS: the tasks framework's backport
    INSTALLED_APPS.append("django_tasks")

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
    "finsam.staff.access.AccessMiddleware",
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
        # SQLite has one writer at a time. A transaction that has read and then writes cannot wait
        # for the lock (another writer may have changed what it read): SQLite answers "database
        # is locked" at once. IMMEDIATE takes the write lock when the transaction begins, where
        # SQLite does wait for it, up to `timeout` seconds. Requests that only read opt out of
        # the request's transaction (`transaction.non_atomic_requests`) and take no lock.
        transaction_mode="IMMEDIATE",
        timeout=20,
        # WAL: readers don't block the writer, and a commit doesn't wait for a full disk flush.
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
else:
    # Persistent connections (issue 9): opening a PostgreSQL connection per request cost more
    # than the request's own queries. Each gunicorn worker thread keeps one connection for up
    # to DB_CONN_MAX_AGE seconds, checked before reuse. Off in development, where runserver
    # starts a thread per request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0 if DEBUG else 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# --- Authentication: one login (allauth), two factors, throttling, API tokens ---------------
# One password backend only (allauth's, which also answers for the admin): right, wrong and
# unknown e-mail each run the password hasher exactly once. The second backend grants the operator
# role its admin permissions and authenticates nobody.
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "finsam.accounts.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail login, no self sign-up through allauth (staff are invited by the secretariat;
# applicants register on /applications/register/<association>/ and must verify their address:
# finsam.accounts.adapters.ApplicantEmailVerificationStage).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "finsam.accounts.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 1  # the address the invitation was sent to
# A password reset never logs in: the user logs in afterwards, with the second factor.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "finsam"
MFA_FORMS = {"activate_totp": "finsam.accounts.forms.ActivateTOTPForm"}

# Login through the organisations' own identity providers (OpenID Connect, SAML 2). Each provider
# is a SocialApp in the database tied to associations by `accounts.IdentityProvider`; a provider
# login is only accepted for a known user or a pending invitation
# (finsam/accounts/identity_providers.py).
SOCIALACCOUNT_ADAPTER = "finsam.accounts.social.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matching by e-mail is finsam's own, stricter rule
SOCIALACCOUNT_LOGIN_ON_GET = False  # the login buttons POST (CSRF-protected)
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    # Keeps the assertion's AuthnContextClassRef, which tells whether it counts as second factor.
    "saml": {"provider_class": "finsam.accounts.social.SAMLProvider"},
}

# Throttling, counted in the default cache (shared by every process). Failed logins (and wrong
# two-factor codes) per account first: an account that is locked spends none of its address's
# budget, so one user's mistakes never lock another account out. The per-address limit is there
# against guessing across many accounts and is generous, since an office behind one NAT shares an
# address. Behind a reverse proxy set TRUSTED_PROXY_COUNT (X-Forwarded-For) or
# TRUSTED_CLIENT_IP_HEADER so that the client's address is counted, not the proxy's.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="5/15m/key,100/15m/ip"),
    "login": env.str("LOGIN_RATE_LIMIT", default="60/m/ip"),
    # Applicants' own registration (finsam.applications.registration).
    "signup": env.str("SIGNUP_RATE_LIMIT", default="10/h/ip"),
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default=None)

# API tokens (django-rest-knox): hashed at rest, shown once, expiring.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model name)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=env.int("API_TOKEN_DAYS", default=90)),
    "AUTH_HEADER_PREFIX": "Token",
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "finsam.api.authentication.TokenAuthentication",
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
    "DESCRIPTION": "Associations, initiatives and enrolments. Token authentication "
    "(`Authorization: Token <key>`; keys expire); the permissions are those of the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two choice sets are named "kind" (a member's kind, a statistics scope's kind).
    "ENUM_NAME_OVERRIDES": {
        "ScopeKindEnum": "finsam.statistics.scopes.KINDS",
        "GrantStatusEnum": ["running", "finished"],
        "InitiativeStatusEnum": "finsam.initiatives.models.Status",
    },
}
# --- end of authentication -------------------------------------------------------------------

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

# Uploaded files (the applications' attachments) are kept on disk under MEDIA_ROOT and never
# served from it: a download goes through the view that checks who may read the application.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
if TESTING:
    MEDIA_ROOT = str(BASE_DIR / "var" / "test-media")

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
# The address of this installation, for links in e-mails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
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
# (SVG, inline in the page) are drawn with them, and they cannot run code. The one <style>
# element matplotlib writes into the SUS comparison chart is allowed by its hash (checked in
# statistics/tests/test_sus.py); the statistics charts carry none (core/tests/test_headers.py).
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
# The access log is kept at least five years (finance-law-privacy.md §4.6), then purged by the
# same daily `apply_retention`.
AUDIT_RETENTION_MONTHS = env.int("AUDIT_RETENTION_MONTHS", default=60)
SMALL_CELL_LIMIT = env.int("SMALL_CELL_LIMIT", default=5)
# How long a server process keeps the code lists (finsam.reference.codes) before reading again.
CODE_LISTS_CACHE_SECONDS = env.int("CODE_LISTS_CACHE_SECONDS", default=60)

# Caches. "default" is shared by every server process: the login throttling counts there. It is a
# database table (`manage.py createcachetable`, run by `make migrate`) unless REDIS_URL is set.
# "charts" keeps the statistics pages' charts per process. "documents" keeps what compiled reports
# are made of, by content (their charts), on disk so that every process shares it.
_redis_url = env.str("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
    if _redis_url
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "finsam_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    "charts": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "charts"},
    "documents": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.str("DOCUMENT_CACHE_DIR", default=str(BASE_DIR / "var" / "documents")),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
# Statistics: computed tables ("statistics") under the version of the data they count, and those
# versions ("statistics_versions", small and written by every registration: a folder of their own
# so that writing one never lists the tables'), shared by every process (finsam.core.data_version).
_statistics_dir = Path(
    env.str("STATISTICS_CACHE_DIR", default=str(BASE_DIR / "var" / "statistics"))
)
# (A page's tables take some 10–100 kB on disk: at most 2 000 of them are kept.)
for _alias, _folder, _entries in (
    ("statistics", "tables", 2000),
    ("statistics_versions", "versions", 5000),
):
    CACHES[_alias] = (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": _alias,
        }
        if _redis_url
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_statistics_dir / _folder),
            "OPTIONS": {"MAX_ENTRIES": _entries},
        }
    )
    # Tests keep them per process (a benchmark's servers share the folder it names).
    if TESTING and not env.str("STATISTICS_CACHE_DIR", default=""):
        CACHES[_alias] = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": _alias,
        }
if TESTING:
    CACHES["documents"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "documents",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# Background jobs (finsam/jobs): long work (compiled reports, large imports) runs as a task of
# Django's tasks framework, queued in the database and run by `manage.py db_worker`, which
# `make run` starts beside the web server and production runs as its own service (README).
# Tests run each task at once, in the test. The jobs cache carries a running job's progress to
# the status page (shared by the web server and the worker: on disk).
_tasks = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
TASKS = {
    "default": {
        "BACKEND": f"{_tasks}.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
    }
}
CACHES["jobs"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": env.str("JOB_PROGRESS_DIR", default=str(BASE_DIR / "var" / "jobs")),
}
if TESTING:
    CACHES["jobs"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jobs",
    }
# How long a finished job and its result (a compiled report) are kept for download.
JOB_RESULT_RETENTION_HOURS = env.int("JOB_RESULT_RETENTION_HOURS", default=24)
# Imports of more rows than this run as a background job (about 30 ms a row).
IMPORT_IN_BACKGROUND_ROWS = env.int("IMPORT_IN_BACKGROUND_ROWS", default=500)

# Uploads. The participant import is the only file upload: at most IMPORT_MAX_FILE_SIZE bytes of a
# file are kept (in memory); the rest of a larger one is read and dropped, and the page says the
# file is too large (finsam/participants/import_guard.py). The proxy's body-size limit must be a
# little above it (README: nginx `client_max_body_size 6m`).
IMPORT_MAX_FILE_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["finsam.participants.import_guard.BoundedUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the request body besides files (Django's default)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # Django's default
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# The engine of every PDF (finsam/documents): "typst" (tagged PDF/UA-1 and PDF/A-2a, compiled in
# process) or "weasyprint" (HTML and print CSS, tagged PDF/UA-1), kept to compare with.
PDF_ENGINE = env.str("PDF_ENGINE", default="typst")

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
    # An undefined variable in a project template fails the test (finsam/core/undefined.py).
    from finsam.core.undefined import UndefinedVariable

    TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = UndefinedVariable()
