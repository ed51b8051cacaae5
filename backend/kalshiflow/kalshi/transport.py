"""One signed, rate-limited, retrying HTTP connection to a trade-api v2 base URL.

Owns exactly one ``aiohttp.ClientSession`` (created on first use, closed by ``aclose``).
Retries are opt-in per call: reads and idempotent writes retry 429/5xx/timeouts with
exponential backoff and full jitter; non-idempotent writes retry only 429 (Kalshi rejects
a throttled request before processing it), and order creation layers its own
look-up-before-retry logic on top (see ``rest.py``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import aiohttp

from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.errors import (
    KalshiApiError,
    KalshiTransportError,
    RateLimitedError,
    ServerError,
    error_from_response,
)
from kalshiflow.kalshi.ratelimit import DEFAULT_COST, BucketKind, RateLimiter

__all__ = ["HttpTransport", "RetryPolicy", "is_ambiguous_failure"]

log = logging.getLogger(__name__)

Retry = Literal["all", "throttle", "none"]
ParamValue = str | int | bool | Sequence[str] | None

_SIGNED_ROOTS: Final = ("/portfolio", "/account")


class RetryPolicy:
    """Exponential backoff with full jitter: sleep U(0, min(cap, base * 2**attempt))."""

    __slots__ = ("base_s", "cap_s", "max_attempts", "rng")

    def __init__(
        self,
        max_attempts: int = 5,
        base_s: float = 0.1,
        cap_s: float = 5.0,
        rng: random.Random | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
        self.max_attempts = max_attempts
        self.base_s = base_s
        self.cap_s = cap_s
        self.rng = rng or random.Random()

    def delay(self, attempt: int) -> float:
        return self.rng.uniform(0.0, min(self.cap_s, self.base_s * (2**attempt)))


def is_ambiguous_failure(exc: BaseException) -> bool:
    """The request may or may not have been applied (timeout, dropped connection, 5xx)."""
    return isinstance(exc, ServerError | KalshiTransportError)


def _encode_params(params: Mapping[str, ParamValue] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, int | str):
            out[key] = str(value)
        else:
            out[key] = ",".join(value)
    return out


class HttpTransport:
    __slots__ = (
        "_auth",
        "_base_url",
        "_closed",
        "_limiter",
        "_path_prefix",
        "_session",
        "_sleep_fn",
        "_timeout_s",
        "retry",
    )

    def __init__(
        self,
        base_url: str,
        auth: KalshiAuth | None,
        *,
        limiter: RateLimiter | None,
        timeout_s: float,
        retry: RetryPolicy,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"Kalshi REST base URL must be http(s)://host[:port]/trade-api/v2, got {base_url!r}"
            )
        self._base_url = base_url.rstrip("/")
        # Kalshi signs the full URL path, so the /trade-api/v2 prefix comes from the URL.
        self._path_prefix = parts.path.rstrip("/")
        self._auth = auth
        self._limiter = limiter
        self._timeout_s = timeout_s
        self.retry = retry
        self._sleep_fn = sleep
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def auth(self) -> KalshiAuth | None:
        return self._auth

    @property
    def limiter(self) -> RateLimiter | None:
        return self._limiter

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            # A late request must not silently open a new session nobody will close.
            raise KalshiTransportError(f"the client for {self._base_url} is closed")
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout_s),
                headers={"Accept": "application/json"},
                raise_for_status=False,
            )
        return self._session

    async def sleep(self, seconds: float) -> None:
        """Backoff sleep (injectable so tests need not wait in real time)."""
        await self._sleep_fn(seconds)

    async def aclose(self) -> None:
        self._closed = True
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _headers(self, method: str, path: str, *, signed: bool | None) -> dict[str, str]:
        must_sign = signed if signed is not None else path.startswith(_SIGNED_ROOTS)
        if not must_sign:
            return {}
        if self._auth is None:
            raise KalshiTransportError(
                f"{method} {path} needs a signed request but this client has no API key; "
                "configure the Kalshi key id and private key"
            )
        return self._auth.headers(method, self._path_prefix + path)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, ParamValue] | None = None,
        body: Any = None,
        signed: bool | None = None,
        bucket: BucketKind = "read",
        cost: float = DEFAULT_COST,
        retry: Retry = "all",
    ) -> Any:
        """Send ``method path`` (path relative to the base URL) and return the decoded JSON.

        Raises a ``KalshiApiError`` subclass for error answers and ``KalshiTransportError``
        when no answer arrived, once the retry budget for ``retry`` is spent.
        """
        attempts = self.retry.max_attempts if retry != "none" else 1
        last: KalshiApiError | KalshiTransportError | None = None
        for attempt in range(attempts):
            if attempt:
                await self.sleep(self.retry.delay(attempt - 1))
            try:
                return await self._send_once(
                    method, path, params=params, body=body, signed=signed, bucket=bucket, cost=cost
                )
            except RateLimitedError as exc:
                last = exc
                if self._limiter is not None:
                    self._limiter.bucket(bucket).drain()
            except (ServerError, KalshiTransportError) as exc:
                last = exc
                if retry != "all":
                    raise
            log.info("retrying %s %s after %s (attempt %d)", method, path, last, attempt + 1)
        assert last is not None
        raise last

    async def _send_once(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, ParamValue] | None,
        body: Any,
        signed: bool | None,
        bucket: BucketKind,
        cost: float,
    ) -> Any:
        if self._limiter is not None:
            await self._limiter.acquire(bucket, cost)
        # Signed per attempt: the timestamp must be fresh (Kalshi rejects stale ones).
        headers = self._headers(method, path, signed=signed)
        data: bytes | None = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        url = self._base_url + path
        try:
            async with self._get_session().request(
                method, url, params=_encode_params(params), data=data, headers=headers
            ) as resp:
                raw = await resp.read()
                status = resp.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            kind = "timed out" if isinstance(exc, TimeoutError) else f"failed: {exc!r}"
            raise KalshiTransportError(f"{method} {url} {kind}") from exc
        decoded = _decode(raw)
        if status >= 400:
            raise error_from_response(status, decoded, method=method, path=path)
        return decoded


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")
