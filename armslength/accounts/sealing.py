"""Second-factor secrets at rest: TOTP keys sealed, recovery codes hashed.

Both use `TWO_FACTOR_KEY` from the environment (settings refuse to start in
production without it), so a copy of the database alone neither reveals an
authenticator's key nor lets anyone try recovery codes offline: the key lives
with the running processes, not in the data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

SEALED_PREFIX = "v1:"
#: what a hashed recovery code starts with (a plain one is `hex-hex`, 13 characters)
DIGEST_PREFIX = "h"
_PURPOSE_TOTP = b"armslength totp key"
_PURPOSE_CODES = b"armslength recovery code"


class UnsealError(ValueError):
    """A sealed key could not be opened (a different TWO_FACTOR_KEY, or tampering)."""


def _key(purpose: bytes) -> bytes:
    material = settings.TWO_FACTOR_KEY.encode()
    return hmac.new(material, purpose, hashlib.sha256).digest()


def is_sealed(text: str) -> bool:
    return text.startswith(SEALED_PREFIX)


def seal(raw: bytes) -> str:
    """AES-GCM with a fresh nonce; fits TOTPDevice.key (80 characters) for a 20-byte key."""
    nonce = os.urandom(12)
    box = AESGCM(_key(_PURPOSE_TOTP)).encrypt(nonce, raw, _PURPOSE_TOTP)
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + box).decode().rstrip("=")


def unseal(text: str) -> bytes:
    if not is_sealed(text):
        raise UnsealError("not a sealed key")
    body = text[len(SEALED_PREFIX) :]
    blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    try:
        return AESGCM(_key(_PURPOSE_TOTP)).decrypt(blob[:12], blob[12:], _PURPOSE_TOTP)
    except InvalidTag as exc:
        raise UnsealError("the key does not open this secret") from exc


def code_digest(code: str) -> str:
    """A recovery code as stored: keyed hash, 16 characters (StaticToken.token's width)."""
    normal = code.strip().replace(" ", "").lower()
    mac = hmac.new(_key(_PURPOSE_CODES), normal.encode(), hashlib.sha256).digest()
    return DIGEST_PREFIX + base64.urlsafe_b64encode(mac).decode()[:15]
