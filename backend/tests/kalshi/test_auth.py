"""KalshiAuth: key formats, the exact signed message, verifiable signatures, no key leaks."""

from __future__ import annotations

import base64
import logging
import pickle
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from kalshiflow.kalshi.auth import (
    ACCESS_KEY_HEADER,
    ACCESS_SIGNATURE_HEADER,
    ACCESS_TIMESTAMP_HEADER,
    KalshiAuth,
    KeyLoadError,
    load_private_key,
    signing_message,
    verify_signature,
)

KEY_ID = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey, fmt: serialization.PrivateFormat) -> str:
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()


def _body(pem: str) -> str:
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


def _same_key(a: rsa.RSAPrivateKey, b: rsa.RSAPrivateKey) -> bool:
    return a.private_numbers() == b.private_numbers()


def _secret_fragments(key: rsa.RSAPrivateKey) -> list[str]:
    pkcs1 = _body(_pem(key, serialization.PrivateFormat.TraditionalOpenSSL))
    pkcs8 = _body(_pem(key, serialization.PrivateFormat.PKCS8))
    # Any 24-char window of the body would identify key material.
    return [pkcs1[100:124], pkcs1[-60:-36], pkcs8[100:124], str(key.private_numbers().d)[:24]]


def test_signing_message_is_timestamp_method_path_without_query() -> None:
    assert (
        signing_message(1703123456789, "get", "/trade-api/v2/portfolio/orders?limit=5")
        == "1703123456789GET/trade-api/v2/portfolio/orders"
    )
    assert signing_message("1", "DELETE", "/a/b") == "1DELETE/a/b"


@pytest.mark.parametrize(
    "variant",
    [
        "pkcs1",
        "pkcs8",
        "pkcs1_escaped",
        "pkcs8_escaped",
        "pkcs1_body",
        "pkcs8_body",
        "crlf",
        "quoted",
    ],
)
def test_loads_every_key_format(key: rsa.RSAPrivateKey, variant: str) -> None:
    pkcs1 = _pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
    pkcs8 = _pem(key, serialization.PrivateFormat.PKCS8)
    assert pkcs1.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert pkcs8.startswith("-----BEGIN PRIVATE KEY-----")
    content = {
        "pkcs1": pkcs1,
        "pkcs8": pkcs8,
        "pkcs1_escaped": pkcs1.replace("\n", "\\n"),  # env var with literal \n
        "pkcs8_escaped": pkcs8.strip().replace("\n", "\\n"),
        "pkcs1_body": _body(pkcs1),
        "pkcs8_body": "\n".join(pkcs8.splitlines()[1:-1]),
        "crlf": pkcs1.replace("\n", "\r\n"),
        "quoted": '"' + pkcs8.replace("\n", "\\n") + '"',
    }[variant]
    assert _same_key(load_private_key(content), key)
    assert _same_key(load_private_key(content.encode()), key)


def test_one_line_pem_with_spaces_loads(key: rsa.RSAPrivateKey) -> None:
    pem = _pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
    assert _same_key(load_private_key(pem.replace("\n", " ")), key)


def test_from_key_file_reads_pem(tmp_path: Path, key: rsa.RSAPrivateKey) -> None:
    path = tmp_path / "kalshi.pem"
    path.write_text(_pem(key, serialization.PrivateFormat.TraditionalOpenSSL))
    auth = KalshiAuth.from_key_file(KEY_ID, path)
    assert auth.key_id == KEY_ID
    assert _same_key(auth._key, key)


def test_headers_sign_exact_message_verifiable_with_public_key(key: rsa.RSAPrivateKey) -> None:
    auth = KalshiAuth(KEY_ID, key, clock_ms=lambda: 1703123456789)
    headers = auth.headers("GET", "/trade-api/v2/portfolio/orders?limit=5")
    assert headers[ACCESS_KEY_HEADER] == KEY_ID
    assert headers[ACCESS_TIMESTAMP_HEADER] == "1703123456789"
    signature = headers[ACCESS_SIGNATURE_HEADER]
    message = "1703123456789GET/trade-api/v2/portfolio/orders"
    assert verify_signature(key.public_key(), message, signature)
    # Verify independently of our helper: PSS, MGF1-SHA256, salt 32, SHA-256.
    key.public_key().verify(
        base64.b64decode(signature),
        message.encode(),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )
    # The query string and a different method/timestamp are not what was signed.
    assert not verify_signature(key.public_key(), message + "?limit=5", signature)
    assert not verify_signature(key.public_key(), message.replace("GET", "POST"), signature)
    assert not verify_signature(key.public_key(), "1703123456788" + message[13:], signature)


def test_signatures_are_randomised_pss(key: rsa.RSAPrivateKey) -> None:
    auth = KalshiAuth(KEY_ID, key, clock_ms=lambda: 5)
    assert auth.sign("x") != auth.sign("x")  # PSS salt makes each signature unique


def test_pkcs1v15_signature_is_rejected(key: rsa.RSAPrivateKey) -> None:
    bad = key.sign(b"1GET/p", padding.PKCS1v15(), hashes.SHA256())
    assert not verify_signature(key.public_key(), "1GET/p", base64.b64encode(bad).decode())
    assert not verify_signature(key.public_key(), "1GET/p", "not base64!!")


def test_timestamp_uses_milliseconds(key: rsa.RSAPrivateKey) -> None:
    import time

    before = time.time() * 1000
    ts = int(KalshiAuth(KEY_ID, key).headers("GET", "/x")[ACCESS_TIMESTAMP_HEADER])
    assert before - 1000 <= ts <= time.time() * 1000 + 1000


def test_key_never_in_repr_str_or_pickle(key: rsa.RSAPrivateKey) -> None:
    auth = KalshiAuth(KEY_ID, key)
    for text in (repr(auth), str(auth), f"{auth}"):
        assert KEY_ID in text
        assert "redacted" in text
        for fragment in _secret_fragments(key):
            assert fragment not in text
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(auth)


def test_key_not_logged(key: rsa.RSAPrivateKey, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    auth = KalshiAuth.from_key_content(KEY_ID, _pem(key, serialization.PrivateFormat.PKCS8))
    logging.getLogger("test").info("auth is %s / %r", auth, auth)
    for fragment in _secret_fragments(key):
        assert fragment not in caplog.text


@pytest.mark.parametrize(
    ("mangle", "expect"),
    [
        (lambda pem: pem[:400] + "@@@" + pem[403:], "expected a PEM RSA private key"),
        (lambda pem: _body(pem)[:-30], "expected a PEM RSA private key"),
        (lambda pem: "", "empty"),
        (lambda pem: "not a key: at all!", "neither PEM nor valid base64"),
    ],
)
def test_bad_key_errors_name_format_without_material(
    key: rsa.RSAPrivateKey, mangle: object, expect: str
) -> None:
    pem = _pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
    with pytest.raises(KeyLoadError, match=expect) as info:
        load_private_key(mangle(pem))  # type: ignore[operator]
    message = str(info.value)
    for fragment in _secret_fragments(key):
        assert fragment not in message
    assert info.value.__cause__ is None  # no chained exception carrying the content


def test_non_rsa_key_rejected() -> None:
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(KeyLoadError, match="needs an RSA key"):
        load_private_key(ec_pem)


def test_encrypted_key_rejected_with_hint(key: rsa.RSAPrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw"),
    ).decode()
    with pytest.raises(KeyLoadError, match="password-encrypted"):
        load_private_key(pem)


def test_unreadable_file_names_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(KeyLoadError, match=r"nope\.pem.*not readable"):
        KalshiAuth.from_key_file(KEY_ID, missing)


def test_bad_file_content_names_path_not_content(tmp_path: Path, key: rsa.RSAPrivateKey) -> None:
    path = tmp_path / "broken.pem"
    pem = _pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
    path.write_text(pem[:500])
    with pytest.raises(KeyLoadError, match=r"broken\.pem") as info:
        KalshiAuth.from_key_file(KEY_ID, path)
    for fragment in _secret_fragments(key):
        assert fragment not in str(info.value)


def test_empty_key_id_rejected(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(KeyLoadError, match="key id"):
        KalshiAuth("  ", key)
