"""Unit tests of Kalshi signature verification (``server/auth.py``) with real RSA keys."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kalshiflow.exchange_sim.server.auth import AuthError, KeyRegistry, authenticate

PATH = "/trade-api/v2/portfolio/balance"
NOW = 1_781_159_489_957


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def registry(key: rsa.RSAPrivateKey) -> KeyRegistry:
    reg = KeyRegistry()
    reg.add("key-1", key.public_key(), "acct-1")
    return reg


def sign(key: rsa.RSAPrivateKey, message: str, salt: int = 32) -> str:
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt)
    return base64.b64encode(key.sign(message.encode(), pss, hashes.SHA256())).decode()


def headers(key_id: str, ts: int, sig: str) -> dict[str, str]:
    return {
        "KALSHI-ACCESS-KEY": key_id,
        "KALSHI-ACCESS-TIMESTAMP": str(ts),
        "KALSHI-ACCESS-SIGNATURE": sig,
    }


def test_valid_signature_returns_account(key: rsa.RSAPrivateKey, registry: KeyRegistry) -> None:
    sig = sign(key, f"{NOW}GET{PATH}")
    assert authenticate(registry, headers("key-1", NOW, sig), "GET", PATH, NOW) == "acct-1"


def test_query_is_not_signed(key: rsa.RSAPrivateKey, registry: KeyRegistry) -> None:
    sig = sign(key, f"{NOW}GET{PATH}")
    assert authenticate(registry, headers("key-1", NOW, sig), "GET", PATH + "?limit=5", NOW)


def test_max_length_salt_accepted(key: rsa.RSAPrivateKey, registry: KeyRegistry) -> None:
    sig = sign(key, f"{NOW}GET{PATH}", salt=padding.PSS.MAX_LENGTH)  # type: ignore[arg-type]
    assert authenticate(registry, headers("key-1", NOW, sig), "GET", PATH, NOW) == "acct-1"


def test_lowercase_header_names(key: rsa.RSAPrivateKey, registry: KeyRegistry) -> None:
    sig = sign(key, f"{NOW}GET{PATH}")
    lower = {k.lower(): v for k, v in headers("key-1", NOW, sig).items()}
    assert authenticate(registry, lower, "GET", PATH, NOW) == "acct-1"


@pytest.mark.parametrize(
    "message",
    [
        f"{NOW}GET{PATH}?limit=5",  # query signed
        f"{NOW}GET/portfolio/balance",  # prefix dropped
        f"{NOW // 1000}GET{PATH}",  # seconds, not ms
        f"{NOW}POST{PATH}",  # wrong method
    ],
)
def test_classic_signing_bugs_rejected(
    key: rsa.RSAPrivateKey, registry: KeyRegistry, message: str
) -> None:
    with pytest.raises(AuthError) as err:
        authenticate(registry, headers("key-1", NOW, sign(key, message)), "GET", PATH, NOW)
    assert err.value.status == 401
    assert err.value.body == {
        "error": {
            "code": "authentication_error",
            "message": "authentication_error",
            "details": "INCORRECT_API_KEY_SIGNATURE",
        }
    }


def test_pkcs1v15_padding_rejected(key: rsa.RSAPrivateKey, registry: KeyRegistry) -> None:
    raw = key.sign(f"{NOW}GET{PATH}".encode(), padding.PKCS1v15(), hashes.SHA256())
    sig = base64.b64encode(raw).decode()
    with pytest.raises(AuthError) as err:
        authenticate(registry, headers("key-1", NOW, sig), "GET", PATH, NOW)
    assert err.value.code == "authentication_error"


def test_unknown_key(key: rsa.RSAPrivateKey, registry: KeyRegistry) -> None:
    sig = sign(key, f"{NOW}GET{PATH}")
    with pytest.raises(AuthError) as err:
        authenticate(registry, headers("nope", NOW, sig), "GET", PATH, NOW)
    assert err.value.body["error"] == {
        "code": "authentication_error",
        "message": "authentication_error",
        "details": "NOT_FOUND",
    }


@pytest.mark.parametrize("missing", ["KALSHI-ACCESS-KEY", "KALSHI-ACCESS-SIGNATURE"])
def test_missing_header(key: rsa.RSAPrivateKey, registry: KeyRegistry, missing: str) -> None:
    hdrs = headers("key-1", NOW, sign(key, f"{NOW}GET{PATH}"))
    del hdrs[missing]
    with pytest.raises(AuthError) as err:
        authenticate(registry, hdrs, "GET", PATH, NOW)
    assert err.value.body == {
        "error": {
            "code": "signature_is_missing_from_headers",
            "message": "signature is missing from headers",
        }
    }


@pytest.mark.parametrize(
    ("skew", "ok"), [(4_999, True), (-5_000, True), (5_001, False), (-30_000, False)]
)
def test_timestamp_window(
    key: rsa.RSAPrivateKey, registry: KeyRegistry, skew: int, ok: bool
) -> None:
    ts = NOW + skew
    hdrs = headers("key-1", ts, sign(key, f"{ts}GET{PATH}"))
    if ok:
        assert authenticate(registry, hdrs, "GET", PATH, NOW) == "acct-1"
        return
    with pytest.raises(AuthError) as err:
        authenticate(registry, hdrs, "GET", PATH, NOW)
    assert err.value.body == {
        "error": {"code": "header_timestamp_expired", "message": "header timestamp expired"}
    }


def test_window_is_configurable(key: rsa.RSAPrivateKey) -> None:
    reg = KeyRegistry(timestamp_window_ms=60_000)
    reg.add("k", key.public_key(), "a")
    ts = NOW - 30_000
    assert authenticate(reg, headers("k", ts, sign(key, f"{ts}GET{PATH}")), "GET", PATH, NOW)
