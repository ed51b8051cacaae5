"""Typed exceptions for Kalshi API failures and for payloads we cannot read.

Kalshi answers errors in three JSON shapes (nested ``{"error": {...}}``, flat
``{"code", "message", "details"}`` and bare ``{"msg": ...}``) plus ``{"error": "too many
requests"}`` on 429. ``error_from_response`` turns any of them into one exception class per
decision the caller has to make (retry, re-sign, resolve a duplicate, fix the price, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "DeprecatedEndpointError",
    "ErrorBody",
    "InsufficientBalanceError",
    "InvalidOrderError",
    "InvalidPriceError",
    "KalshiApiError",
    "KalshiClientError",
    "KalshiTransportError",
    "MarketUnavailableError",
    "NotFoundError",
    "OrderAlreadyExistsError",
    "PermissionDeniedError",
    "ProductionNotConfirmedError",
    "RateLimitedError",
    "ServerError",
    "WireFormatError",
    "error_from_response",
    "parse_error_body",
]


class KalshiClientError(Exception):
    """Base of every error raised by ``kalshiflow.kalshi``."""


class WireFormatError(KalshiClientError, ValueError):
    """A payload from the server does not have the shape we expect; names the field."""

    def __init__(self, model: str, field: str, problem: str) -> None:
        self.model = model
        self.field = field
        self.problem = problem
        super().__init__(f"{model}.{field}: {problem}")


class KalshiTransportError(KalshiClientError):
    """No usable HTTP answer (connection refused, timeout) after all retries."""


class ProductionNotConfirmedError(KalshiClientError):
    """Production trading was requested without the operator's explicit confirmation."""


class MarketUnavailableError(KalshiClientError):
    """The market cannot take orders on the trading environment (missing or not open)."""

    def __init__(self, ticker: str, environment: str, reason: str) -> None:
        self.ticker = ticker
        self.environment = environment
        self.reason = reason
        super().__init__(f"market {ticker!r} on {environment}: {reason}")


@dataclass(frozen=True, slots=True)
class ErrorBody:
    code: str
    message: str
    details: str
    service: str


class KalshiApiError(KalshiClientError):
    """An HTTP error answer from the Kalshi API."""

    def __init__(
        self,
        http_status: int,
        code: str,
        message: str,
        details: str = "",
        *,
        service: str = "",
        method: str = "",
        path: str = "",
    ) -> None:
        self.http_status = http_status
        self.code = code
        self.message = message
        self.details = details
        self.service = service
        self.method = method
        self.path = path
        where = f" on {method} {path}" if method else ""
        extra = f" ({details})" if details else ""
        super().__init__(f"HTTP {http_status} {code}{where}: {message}{extra}")

    @property
    def retryable(self) -> bool:
        return False


class BadRequestError(KalshiApiError):
    """400: the request is wrong; retrying the same request cannot help."""


class InvalidOrderError(BadRequestError):
    """400 ``invalid_order`` and the order-shape codes (e.g. post-only would cross)."""


class InvalidPriceError(BadRequestError):
    """400 ``invalid_price``: off the market's tick grid or out of range."""


class InsufficientBalanceError(BadRequestError):
    """400 ``insufficient_balance`` / ``available_balance_too_low``."""


class AuthenticationError(KalshiApiError):
    """401: wrong key id, bad signature or a clock outside the accepted window."""


class PermissionDeniedError(KalshiApiError):
    """403: the key lacks the scope (read/write) for this call."""


class NotFoundError(KalshiApiError):
    """404: unknown resource, or cancel of an order that is already canceled/executed."""


class OrderAlreadyExistsError(KalshiApiError):
    """409 ``order_already_exists``: the client_order_id was used before (permanently)."""


class DeprecatedEndpointError(KalshiApiError):
    """410: a legacy endpoint that Kalshi has switched off (e.g. V1 order writes)."""


class RateLimitedError(KalshiApiError):
    """429: the token bucket is empty; back off and retry."""

    @property
    def retryable(self) -> bool:
        return True


class ServerError(KalshiApiError):
    """5xx: the exchange failed; reads may be retried, writes must be reconciled first."""

    @property
    def retryable(self) -> bool:
        return True


_BY_CODE: dict[str, type[KalshiApiError]] = {
    "invalid_price": InvalidPriceError,
    "insufficient_balance": InsufficientBalanceError,
    "available_balance_too_low": InsufficientBalanceError,
    "invalid_order": InvalidOrderError,
    "invalid_order_size": InvalidOrderError,
    "order_side_mismatch": InvalidOrderError,
    "order_ticker_mismatch": InvalidOrderError,
    "order_already_exists": OrderAlreadyExistsError,
    "deprecated_v1_order_endpoint": DeprecatedEndpointError,
}

_BY_STATUS: dict[int, type[KalshiApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: OrderAlreadyExistsError,
    410: DeprecatedEndpointError,
    429: RateLimitedError,
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def parse_error_body(http_status: int, body: Any) -> ErrorBody:
    """Read any of Kalshi's error shapes; unknown shapes still give a useful message."""
    if isinstance(body, Mapping):
        inner = body.get("error")
        if isinstance(inner, Mapping):  # nested: {"error": {code, message, details, service}}
            return ErrorBody(
                code=_text(inner.get("code")) or _default_code(http_status),
                message=_text(inner.get("message")) or _text(inner.get("code")),
                details=_text(inner.get("details")),
                service=_text(inner.get("service")),
            )
        if isinstance(inner, str):  # 429: {"error": "too many requests"}
            code = "too_many_requests" if http_status == 429 else _default_code(http_status)
            return ErrorBody(code=code, message=inner, details="", service="")
        if "code" in body or "message" in body:  # flat: {code, message, details}
            return ErrorBody(
                code=_text(body.get("code")) or _default_code(http_status),
                message=_text(body.get("message")) or _text(body.get("code")),
                details=_text(body.get("details")),
                service=_text(body.get("service")),
            )
        if "msg" in body:  # bare: {"msg": "Parameter validation failed ..."}
            return ErrorBody(
                code=_default_code(http_status), message=_text(body["msg"]), details="", service=""
            )
    text = _text(body).strip()[:500]
    return ErrorBody(
        code=_default_code(http_status),
        message=text or f"HTTP {http_status}",
        details="",
        service="",
    )


def _default_code(http_status: int) -> str:
    return {
        400: "bad_request",
        401: "authentication_error",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        410: "gone",
        429: "too_many_requests",
    }.get(http_status, "internal_server_error" if http_status >= 500 else f"http_{http_status}")


def error_from_response(
    http_status: int, body: Any, *, method: str = "", path: str = ""
) -> KalshiApiError:
    """Build the typed exception for an error answer (``body`` = decoded JSON or raw text)."""
    parsed = parse_error_body(http_status, body)
    cls: type[KalshiApiError]
    if http_status >= 500:
        cls = ServerError
    elif http_status == 429:
        cls = RateLimitedError
    else:
        cls = _BY_CODE.get(parsed.code) or _BY_STATUS.get(http_status, KalshiApiError)
    return cls(
        http_status,
        parsed.code,
        parsed.message,
        parsed.details,
        service=parsed.service,
        method=method,
        path=path,
    )
