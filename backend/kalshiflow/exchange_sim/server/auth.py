"""Kalshi request-signature verification for the simulated exchange.

Kalshi signs ``timestamp_ms + METHOD + path`` (path from the root, including
``/trade-api/v2``, without the query) with RSA-PSS / SHA-256 / MGF1-SHA-256 and a 32-byte salt.
The simulator verifies exactly that, so a client that works here works against Kalshi and a
client with a classic signing bug (query signed, prefix dropped, seconds instead of ms,
PKCS#1 v1.5 padding) fails here the same way it would there.

The verification is a plain function so the REST middleware and the WebSocket upgrade handler
share it: :func:`authenticate` returns the account id or raises :class:`AuthError` carrying the
HTTP status and the exact Kalshi error body.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY_HEADER: Final = "KALSHI-ACCESS-KEY"
TIMESTAMP_HEADER: Final = "KALSHI-ACCESS-TIMESTAMP"
SIGNATURE_HEADER: Final = "KALSHI-ACCESS-SIGNATURE"

# Observed on Kalshi: +-5 s accepted, -30 s rejected. Undocumented, hence configurable.
DEFAULT_TIMESTAMP_WINDOW_MS: Final = 5_000

_PSS_SALT_32: Final = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
# Some clients sign with PSS.MAX_LENGTH; verifying with AUTO recovers any salt length.
_PSS_SALT_AUTO: Final = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)


class AuthError(Exception):
    """A rejected signature: ``status`` and ``body`` are what Kalshi answers."""

    def __init__(self, status: int, body: dict[str, object]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body

    @property
    def code(self) -> str:
        error = self.body.get("error")
        if isinstance(error, dict):
            return str(error.get("code", ""))
        return ""


def _missing_headers() -> AuthError:
    return AuthError(
        401,
        {
            "error": {
                "code": "signature_is_missing_from_headers",
                "message": "signature is missing from headers",
            }
        },
    )


def _authentication_error(details: str) -> AuthError:
    return AuthError(
        401,
        {
            "error": {
                "code": "authentication_error",
                "message": "authentication_error",
                "details": details,
            }
        },
    )


def _timestamp_expired() -> AuthError:
    return AuthError(
        401,
        {"error": {"code": "header_timestamp_expired", "message": "header timestamp expired"}},
    )


@dataclass(frozen=True, slots=True)
class RegisteredKey:
    key_id: str
    public_key: rsa.RSAPublicKey
    account_id: str


class KeyRegistry:
    """Maps API key ids to (public key, account id) for one environment.

    Thread-safe because ``kalshiflow sim keys add`` style callers may register keys from a
    different thread than the event loop that verifies them.
    """

    def __init__(self, timestamp_window_ms: int = DEFAULT_TIMESTAMP_WINDOW_MS) -> None:
        self.timestamp_window_ms = timestamp_window_ms
        self._keys: dict[str, RegisteredKey] = {}
        self._lock = threading.Lock()

    def add(self, key_id: str, public_key: rsa.RSAPublicKey, account_id: str) -> RegisteredKey:
        entry = RegisteredKey(key_id, public_key, account_id)
        with self._lock:
            self._keys[key_id] = entry
        return entry

    def add_pem(self, key_id: str, public_key_pem: bytes, account_id: str) -> RegisteredKey:
        return self.add(key_id, load_public_key_pem(public_key_pem), account_id)

    def remove(self, key_id: str) -> None:
        with self._lock:
            self._keys.pop(key_id, None)

    def get(self, key_id: str) -> RegisteredKey | None:
        with self._lock:
            return self._keys.get(key_id)

    def key_ids(self) -> list[str]:
        with self._lock:
            return list(self._keys)

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys)


def load_public_key_pem(pem: bytes) -> rsa.RSAPublicKey:
    """Load an RSA public key from PEM (SubjectPublicKeyInfo or PKCS#1)."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("Kalshi API keys are RSA keys; the given PEM holds another key type")
    return key


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    # Plain dicts are case-sensitive; HTTP header names are not.
    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None


def _verify(public_key: rsa.RSAPublicKey, signature: bytes, message: bytes) -> bool:
    for pss in (_PSS_SALT_32, _PSS_SALT_AUTO):
        try:
            public_key.verify(signature, message, pss, hashes.SHA256())
        except InvalidSignature:
            continue
        return True
    return False


def has_signature_headers(headers: Mapping[str, str]) -> bool:
    """True if any Kalshi auth header is present (used to decide whether to verify)."""
    return any(
        _header(headers, name) is not None
        for name in (KEY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER)
    )


def authenticate(
    registry: KeyRegistry, headers: Mapping[str, str], method: str, path: str, now_ms: int
) -> str:
    """Verify a Kalshi-signed request and return the account id of its key.

    ``path`` is the request path as sent (a query string, if included, is ignored, exactly
    as Kalshi ignores it). Raises :class:`AuthError` with Kalshi's status and body.
    """
    key_id = _header(headers, KEY_HEADER)
    timestamp = _header(headers, TIMESTAMP_HEADER)
    signature_b64 = _header(headers, SIGNATURE_HEADER)
    if not key_id or not timestamp or not signature_b64:
        raise _missing_headers()
    entry = registry.get(key_id)
    if entry is None:
        raise _authentication_error("NOT_FOUND")
    try:
        timestamp_ms = int(timestamp)
    except ValueError:
        raise _authentication_error("INCORRECT_API_KEY_SIGNATURE") from None
    if abs(now_ms - timestamp_ms) > registry.timestamp_window_ms:
        raise _timestamp_expired()
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        raise _authentication_error("INCORRECT_API_KEY_SIGNATURE") from None
    message = f"{timestamp}{method.upper()}{path.split('?', 1)[0]}".encode()
    if not _verify(entry.public_key, signature, message):
        raise _authentication_error("INCORRECT_API_KEY_SIGNATURE")
    return entry.account_id
