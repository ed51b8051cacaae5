"""The API token: where it comes from, and how a request or a WebSocket proves it has it.

Every GraphQL operation needs the token, because the API can place orders and engage the
kill switch. It is `KALSHIFLOW_API_TOKEN` when set; otherwise one is generated at the first
start and kept in `<KALSHIFLOW_DATA_DIR>/api_token` (mode 0600) so bookmarks and scripts
keep working across restarts. `kalshiflow up` prints it inside the dashboard URL the way
Jupyter does; the dashboard reads it from the URL once and stores it.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from pydantic import SecretStr

log = logging.getLogger(__name__)

TOKEN_FILE: Final = "api_token"  # noqa: S105 - a file name, not a secret
# token_urlsafe's alphabet (A-Z a-z 0-9 - _) needs no escaping in a URL or a header.
_TOKEN_BYTES: Final = 32


class TokenFileError(RuntimeError):
    """The token file exists but cannot be used; the message says how to fix it."""


def resolve_token(configured: SecretStr | None, data_dir: Path) -> str:
    """The configured token, or the one kept in ``data_dir`` (created on first use)."""
    if configured is not None:
        value = configured.get_secret_value().strip()
        if value:
            return value
    return load_or_create_token(data_dir / TOKEN_FILE)


def load_or_create_token(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once cannot both write a different token.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_existing(path)
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    log.info("generated a new API token in %s", path)
    return token


def _read_existing(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        # Someone widened it (or a copy tool did): the token is as good as a password.
        path.chmod(0o600)
        log.warning("%s was readable by others (mode %o); set it to 0600", path, mode)
    token = path.read_text().strip()
    if not token:
        raise TokenFileError(
            f"{path} is empty: delete it to generate a new API token, or set KALSHIFLOW_API_TOKEN"
        )
    return token


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so response timing does not reveal a prefix."""
    if not given:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def bearer(header_value: str | None) -> str | None:
    """``"Bearer abc"`` -> ``"abc"``; anything else -> None."""
    if not header_value:
        return None
    scheme, _, value = header_value.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def connection_init_token(payload: Mapping[str, object] | None) -> str | None:
    """The token of a graphql-transport-ws ``connection_init`` payload:
    ``{"Authorization": "Bearer <token>"}`` (any case) or ``{"token": "<token>"}``."""
    if not payload:
        return None
    for key, value in payload.items():
        if not isinstance(value, str):
            continue
        if key.lower() == "authorization":
            return bearer(value)
        if key == "token":
            return value.strip() or None
    return None


def dashboard_url(base_url: str, token: str) -> str:
    """The URL `kalshiflow up` prints: the dashboard, carrying the token once."""
    return f"{base_url}?token={token}"


__all__ = [
    "TOKEN_FILE",
    "TokenFileError",
    "bearer",
    "connection_init_token",
    "dashboard_url",
    "load_or_create_token",
    "resolve_token",
    "token_matches",
]
