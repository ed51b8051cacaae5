"""Request signing for Kalshi's trade-api v2 (RSA-PSS over ``timestamp + METHOD + path``).

The same three headers sign REST calls and the WebSocket upgrade. The private key is held
only inside ``KalshiAuth``; it never reaches ``repr``/``str``, logs or exception messages,
because a leaked key lets anyone trade the account.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = [
    "ACCESS_KEY_HEADER",
    "ACCESS_SIGNATURE_HEADER",
    "ACCESS_TIMESTAMP_HEADER",
    "KalshiAuth",
    "KeyLoadError",
    "load_private_key",
    "signing_message",
    "verify_signature",
]

ACCESS_KEY_HEADER: Final = "KALSHI-ACCESS-KEY"
ACCESS_TIMESTAMP_HEADER: Final = "KALSHI-ACCESS-TIMESTAMP"
ACCESS_SIGNATURE_HEADER: Final = "KALSHI-ACCESS-SIGNATURE"

# Kalshi requires PSS with a salt as long as the SHA-256 digest; PKCS#1 v1.5 gets a 401.
_SALT_LENGTH: Final = 32
_EXPECTED_FORMATS: Final = (
    "a PEM RSA private key ('-----BEGIN RSA PRIVATE KEY-----' PKCS#1 or "
    "'-----BEGIN PRIVATE KEY-----' PKCS#8), optionally with literal '\\n' escapes, "
    "or the bare base64 body of one"
)
_PEM_ARMOUR = re.compile(r"-----(BEGIN|END) [A-Z ]+-----")


class KeyLoadError(ValueError):
    """The private key could not be loaded. The message never contains key material."""


def _pss() -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=_SALT_LENGTH)


def signing_message(timestamp_ms: int | str, method: str, path: str) -> str:
    """The exact string Kalshi signs: ``"1703123456789GET/trade-api/v2/portfolio/orders"``.

    ``path`` is the URL path from the root (including ``/trade-api/v2``); any ``?query`` is
    dropped because Kalshi signs the path only.
    """
    return f"{timestamp_ms}{method.upper()}{path.split('?', 1)[0]}"


def _normalise_pem_text(text: str) -> str:
    # Env vars and .env files often hold the PEM on one line with literal "\n" escapes.
    text = text.strip().strip('"').strip("'").strip()
    return text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\r\n", "\n")


def _load_der(der: bytes) -> rsa.RSAPrivateKey:
    # A bare body is usually PKCS#1 (Kalshi's download) but may be PKCS#8 (converted keys).
    try:
        key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyLoadError(
            "private key: the base64 body is not a DER RSA private key; "
            f"expected {_EXPECTED_FORMATS}"
        ) from None
    return _require_rsa(key)


def _require_rsa(key: object) -> rsa.RSAPrivateKey:
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyLoadError(
            f"private key: got a {type(key).__name__}, but Kalshi needs an RSA key; "
            f"expected {_EXPECTED_FORMATS}"
        )
    return key


def load_private_key(content: str | bytes) -> rsa.RSAPrivateKey:
    """Load an unencrypted RSA private key from PEM (PKCS#1 or PKCS#8) or a bare base64 body."""
    if isinstance(content, bytes):
        try:
            content = content.decode("ascii")
        except UnicodeDecodeError:
            raise KeyLoadError(
                f"private key: content is not ASCII text; expected {_EXPECTED_FORMATS}"
            ) from None
    text = _normalise_pem_text(content)
    if not text:
        raise KeyLoadError(f"private key: content is empty; expected {_EXPECTED_FORMATS}")
    if "-----BEGIN" in text:
        if "ENCRYPTED" in text:
            raise KeyLoadError(
                "private key: the PEM is password-encrypted; Kalshi keys are used unencrypted, "
                f"expected {_EXPECTED_FORMATS}"
            )
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            # A one-line PEM whose newlines were replaced by spaces: rebuild it from the body.
            body = "".join(_PEM_ARMOUR.sub("", text).split())
            return _load_der(_b64decode(body))
        return _require_rsa(key)
    return _load_der(_b64decode("".join(text.split())))


def _b64decode(body: str) -> bytes:
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise KeyLoadError(
            "private key: the content is neither PEM nor valid base64; "
            f"expected {_EXPECTED_FORMATS}"
        ) from None


def verify_signature(public_key: rsa.RSAPublicKey, message: str, signature_b64: str) -> bool:
    """True if ``signature_b64`` is a valid Kalshi signature of ``message``.

    Used by tests and by the local exchange, which verifies signatures as Kalshi does.
    """
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        public_key.verify(signature, message.encode("utf-8"), _pss(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class KalshiAuth:
    """Holds one API key (id + RSA private key) and produces signed request headers."""

    __slots__ = ("_clock_ms", "_key", "key_id")

    def __init__(
        self,
        key_id: str,
        private_key: rsa.RSAPrivateKey,
        *,
        clock_ms: Callable[[], int] = _now_ms,
    ) -> None:
        if not key_id or not key_id.strip():
            raise KeyLoadError("key id: empty; set the Kalshi API key id (a UUID)")
        self.key_id = key_id.strip()
        self._key = private_key
        self._clock_ms = clock_ms

    @classmethod
    def from_key_content(
        cls, key_id: str, content: str | bytes, *, clock_ms: Callable[[], int] = _now_ms
    ) -> KalshiAuth:
        """Build from key text (PEM, escaped PEM or bare base64), e.g. from an env var."""
        return cls(key_id, load_private_key(content), clock_ms=clock_ms)

    @classmethod
    def from_key_file(
        cls, key_id: str, path: str | Path, *, clock_ms: Callable[[], int] = _now_ms
    ) -> KalshiAuth:
        """Build from a key file. Errors name the path, never the content."""
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise KeyLoadError(
                f"private key file {str(path)!r} is not readable "
                f"({exc.strerror or type(exc).__name__})"
            ) from None
        try:
            return cls(key_id, load_private_key(content), clock_ms=clock_ms)
        except KeyLoadError as exc:
            raise KeyLoadError(f"private key file {str(path)!r}: {exc}") from None

    def public_key(self) -> rsa.RSAPublicKey:
        return self._key.public_key()

    def sign(self, message: str) -> str:
        """Base64 RSA-PSS/SHA-256 signature of ``message``."""
        signature = self._key.sign(message.encode("utf-8"), _pss(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def headers(self, method: str, path: str) -> dict[str, str]:
        """The three KALSHI-ACCESS-* headers for ``method path`` signed now."""
        timestamp = str(self._clock_ms())
        return {
            ACCESS_KEY_HEADER: self.key_id,
            ACCESS_TIMESTAMP_HEADER: timestamp,
            ACCESS_SIGNATURE_HEADER: self.sign(signing_message(timestamp, method, path)),
        }

    def __repr__(self) -> str:
        return f"KalshiAuth(key_id={self.key_id!r}, private_key=<redacted>)"

    __str__ = __repr__

    def __getstate__(self) -> None:
        # Pickling would copy the key into wherever the pickle goes; refuse.
        raise TypeError("KalshiAuth holds a private key and cannot be pickled")
