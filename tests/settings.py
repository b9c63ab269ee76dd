"""Test settings: production defaults (DEBUG off) with a throwaway key and plain HTTP."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-9f8e7d6c5b4a3210fedcba9876543210")
os.environ.setdefault("TWO_FACTOR_KEY", "test-only-two-factor-key-0123456789abcdef0123")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from armslength.settings import *  # noqa: F403

ALLOWED_HOSTS = ["*"]
# Hashing passwords slowly is a production virtue and a test-suite vice.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Background tasks run at once, inside the request, so tests see their result.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# SQLite tests use a file, as production does, not shared-cache memory: its locking
# (WAL, IMMEDIATE transactions) is what keeps two concurrent bookings apart.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # one file per test run, so two runs side by side do not share it
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-suite-{os.getpid()}.sqlite3")  # noqa: F405
    }
# Rolled-back test data can repeat audit-log numbers, which key the screening cache.
SCREENING_CACHE = False
