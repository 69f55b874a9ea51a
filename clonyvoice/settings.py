"""Django settings for ClonyVoice.

Everything a deployment changes comes from the environment: CLONYVOICE_DATA_DIR, DATABASE_URL,
REDIS_URL, BROKER_URL, CLONYVOICE_ALLOWED_HOSTS, CLONYVOICE_SECRET_KEY, CLONYVOICE_DEBUG.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from clonyvoice import __version__
from clonyvoice.env import data_dir, embedded_redis_url, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()
VERSION = __version__


def _secret_key() -> str:
    # A local install has no operator to set a secret, so one is made on first start and kept.
    if key := env_str("CLONYVOICE_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("CLONYVOICE_DEBUG")
ALLOWED_HOSTS = env_list("CLONYVOICE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CLONYVOICE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_dramatiq",
    "clonyvoice",
    "voices",
    "synthesis",
    "cloning",
    "timeline",
    "systemstats",
    "frontend",
]

MIDDLEWARE = [
    "clonyvoice.middleware.ApiErrorMiddleware",
    "clonyvoice.uploads.UploadLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "clonyvoice.urls"
ASGI_APPLICATION = "clonyvoice.asgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite in the data dir unless DATABASE_URL points elsewhere -------------------------
if database_url := env_str("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "clonyvoice.sqlite3",
            # Opening SQLite and setting its pragmas costs more than a key lookup: keep it open.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait on the busy
                # timeout instead of failing with "database is locked" on lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, channel layer and rate-limit cache share one server ---------------------------
EMBEDDED_REDIS = not env_str("REDIS_URL")
REDIS_URL = env_str("REDIS_URL") or embedded_redis_url(DATA_DIR)

CACHES = {
    "default": {
        "BACKEND": "clonyvoice.redis_shared.SharedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "clonyvoice",
    }
}
RATELIMIT_USE_CACHE = "default"

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # The layer blocks on Redis for up to 5 s per receive; the read timeout must outlast that.
        "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}], "prefix": "clonyvoice:asgi"},
    }
}

# The job queue is on that Redis unless BROKER_URL names a RabbitMQ server (amqp://...).
BROKER_URL = env_str("BROKER_URL")
if BROKER_URL.startswith(("amqp://", "amqps://")):
    # RabbitMQ hands a dead worker's unacknowledged messages back as soon as its connection drops.
    _broker = {"BROKER": "dramatiq.brokers.rabbitmq.RabbitmqBroker", "OPTIONS": {"url": BROKER_URL}}
elif BROKER_URL:
    raise ImproperlyConfigured("BROKER_URL must be an amqp:// or amqps:// URL (leave it unset to use Redis).")
else:
    # A killed worker's unacknowledged messages go back on the queue once it has missed heartbeats
    # for 20 s; the check runs on ~1% of broker commands (idle consumers poll ~10 times a second).
    _broker = {
        "BROKER": "dramatiq.brokers.redis.RedisBroker",
        "OPTIONS": {
            "url": REDIS_URL,
            "namespace": "clonyvoice:dramatiq",
            "heartbeat_timeout": 20_000,
            "maintenance_chance": 10_000,
        },
    }
DRAMATIQ_BROKER = {
    **_broker,
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        "dramatiq.middleware.CurrentMessage",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
        "clonyvoice.workers.WorkerHeartbeat",
    ],
}
DRAMATIQ_AUTODISCOVER_MODULES = ["tasks"]

# --- Auth, API ----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clonyvoice.authentication.ApiKeyAuthentication",
        "clonyvoice.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "clonyvoice.permissions.HasScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["clonyvoice.throttling.ScopeRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "clonyvoice.parsers.SafeJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "clonyvoice.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ClonyVoice API",
    "DESCRIPTION": "Local REST API of ClonyVoice. Every request carries an API key in X-API-Key.",
    "VERSION": __version__,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "APPEND_COMPONENTS": {"securitySchemes": {"ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}},
    "SECURITY": [{"ApiKeyAuth": []}],
    # The contract itself is public: it tells a newcomer what a key would let them do.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# Failed authentication attempts allowed per client address and minute.
CLONYVOICE_AUTH_FAILURE_RATE = env_str("CLONYVOICE_AUTH_FAILURE_RATE", "30/m")

# --- Files ---------------------------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
# Speech, cloning and Whisper models installed by `manage.py models pull` (or copied in by hand).
MODELS_DIR = DATA_DIR / "models"
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
# Static files are served from the apps and the built frontend directly; nothing to collect.
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
WHITENOISE_USE_FINDERS = True
WHITENOISE_INDEX_FILE = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["clonyvoice.uploads.LimitedUploadHandler"]
# The one upload cap: the middleware, the upload handler and the services all read it (clonyvoice.uploads).
CLONYVOICE_MAX_UPLOAD_BYTES = env_int("CLONYVOICE_MAX_UPLOAD_MB", 512, minimum=1) * 1024 * 1024

# --- .clonyvoice import: limits checked on the bytes actually read --------------------------------
CLONYVOICE_IMPORT_MAX_BYTES = env_int("CLONYVOICE_IMPORT_MAX_BYTES", 4 * 1024**3)
CLONYVOICE_IMPORT_MAX_ENTRIES = env_int("CLONYVOICE_IMPORT_MAX_ENTRIES", 2000)
CLONYVOICE_IMPORT_MAX_RATIO = env_int("CLONYVOICE_IMPORT_MAX_RATIO", 100)

# --- Audio from a video URL ----------------------------------------------------------------------
# Sites yt-dlp knows only: its generic extractor fetches whatever a URL points at.
CLONYVOICE_DOWNLOAD_ALLOW_GENERIC = env_bool("CLONYVOICE_DOWNLOAD_ALLOW_GENERIC")
# Host names (as written in the URL) exempt from the private-address refusal, e.g. a LAN media server.
CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS = env_list("CLONYVOICE_DOWNLOAD_ALLOWED_HOSTS", [])
CLONYVOICE_DOWNLOAD_MAX_BYTES = env_int("CLONYVOICE_DOWNLOAD_MAX_BYTES", 1024**3)
CLONYVOICE_DOWNLOAD_MAX_SECONDS = env_int("CLONYVOICE_DOWNLOAD_MAX_SECONDS", 3 * 60 * 60)
CLONYVOICE_DOWNLOAD_SOCKET_TIMEOUT = env_int("CLONYVOICE_DOWNLOAD_SOCKET_TIMEOUT", 20)

# --- Speech and transcription models ------------------------------------------------------------
# A Pocket TTS folder to use instead of MODELS_DIR/pocket-tts or the hub cache (custom installs, tests).
POCKET_TTS_MODEL = env_str("CLONYVOICE_POCKET_TTS_MODEL") or None
# Whisper model used when a request names none (empty: the best installed one).
CLONYVOICE_WHISPER_MODEL = env_str("CLONYVOICE_WHISPER_MODEL")
CLONYVOICE_WHISPER_DEVICE = env_choice("CLONYVOICE_WHISPER_DEVICE", "auto", ("auto", "cpu", "cuda"))
# Empty: float16 on CUDA, int8 on the CPU.
CLONYVOICE_WHISPER_COMPUTE_TYPE = env_str("CLONYVOICE_WHISPER_COMPUTE_TYPE")
# 0: min(4, CPU count).
CLONYVOICE_WHISPER_THREADS = env_int("CLONYVOICE_WHISPER_THREADS", 0, minimum=0)
# A cap on the search of a Kokoro clone, in seconds (0: the quality's own budget, about a minute for "fast").
CLONYVOICE_CLONE_MAX_SECONDS = env_int("CLONYVOICE_CLONE_MAX_SECONDS", 0, minimum=0)
# The longest audio a transcription job accepts, in seconds.
CLONYVOICE_TRANSCRIBE_MAX_SECONDS = env_int("CLONYVOICE_TRANSCRIBE_MAX_SECONDS", 4 * 60 * 60, minimum=1)
# Folders holding apertium's modes (language pairs); empty: Debian's usual places.
CLONYVOICE_APERTIUM_MODE_DIRS = env_list("CLONYVOICE_APERTIUM_MODE_DIRS", [])
# The password of the owner account made on first start (empty: a random one, printed once).
CLONYVOICE_OWNER_PASSWORD = env_str("CLONYVOICE_OWNER_PASSWORD")

# --- i18n ----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Workers -------------------------------------------------------------------------------------
CLONYVOICE_CPU_THREADS = env_int("CLONYVOICE_CPU_THREADS", 4)
CLONYVOICE_WORKER_HEARTBEAT_SECONDS = 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CLONYVOICE_LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
