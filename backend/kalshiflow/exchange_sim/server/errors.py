"""Kalshi's error bodies, in the three shapes its servers actually answer with.

* nested (most 4xx/5xx): ``{"error": {"code", "message", "details"?, "service"?}}``
* flat (request body that fails to decode): ``{"code", "message", "details"}``
* bare (query parameter validation): ``{"msg": "Parameter validation failed ..."}``

Handlers raise :class:`ApiError`; the app's middleware turns it into the response, so a
handler never builds an error response by hand.
"""

from __future__ import annotations

from typing import Final

from aiohttp import web

from kalshiflow.exchange_sim.engine.types import ExchangeError

TOO_MANY_REQUESTS_BODY: Final[dict[str, object]] = {"error": "too many requests"}


class ApiError(Exception):
    """An error response: ``status`` with the exact JSON ``body`` Kalshi would send."""

    def __init__(self, status: int, body: dict[str, object]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body

    def response(self) -> web.Response:
        return web.json_response(self.body, status=self.status)


def nested(
    status: int, code: str, message: str, details: str | None = None, service: str | None = None
) -> ApiError:
    error: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    if service is not None:
        error["service"] = service
    return ApiError(status, {"error": error})


def flat_bad_request(details: str) -> ApiError:
    """A request body Kalshi's JSON decoder refused (wrong JSON type, malformed JSON)."""
    return ApiError(400, {"code": "bad_request", "message": "bad request", "details": details})


def bare_validation(operation: str, problem: str) -> ApiError:
    """A query parameter that failed validation (e.g. ``limit`` over the maximum)."""
    return ApiError(400, {"msg": f"Parameter validation failed for {operation}: {problem}"})


def too_many_requests() -> ApiError:
    return ApiError(429, dict(TOO_MANY_REQUESTS_BODY))


def not_found(what: str = "not found") -> ApiError:
    return nested(404, "not_found", what)


def from_exchange_error(error: ExchangeError) -> ApiError:
    # No "service" field: Kalshi dropped it from error bodies on 2026-08-06.
    return nested(error.http_status, error.code, error.message, error.details)


def deprecated_v1() -> ApiError:
    """Legacy ``/portfolio/orders`` writes, disabled by Kalshi in June 2026."""
    return nested(
        410,
        "deprecated_v1_order_endpoint",
        "this order endpoint is deprecated; use /portfolio/events/orders",
    )


_STATUS_CODES: Final = {
    500: ("internal_server_error", "internal server error"),
    502: ("bad_gateway", "bad gateway"),
    503: ("service_unavailable", "service unavailable"),
    504: ("gateway_timeout", "gateway timeout"),
}


def for_status(status: int) -> ApiError:
    """The body of an injected failure with this status."""
    if status == 429:
        return too_many_requests()
    code, message = _STATUS_CODES.get(status, ("error", "error"))
    return nested(status, code, message)
