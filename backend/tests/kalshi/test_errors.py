"""Kalshi's error shapes become typed exceptions carrying status, code, message, details."""

from __future__ import annotations

import pytest

from kalshiflow.kalshi.errors import (
    AuthenticationError,
    BadRequestError,
    DeprecatedEndpointError,
    InsufficientBalanceError,
    InvalidOrderError,
    InvalidPriceError,
    KalshiApiError,
    NotFoundError,
    OrderAlreadyExistsError,
    RateLimitedError,
    ServerError,
    error_from_response,
)


def test_nested_shape() -> None:
    body = {
        "error": {
            "code": "insufficient_balance",
            "message": "insufficient balance",
            "service": "exchange",
        }
    }
    exc = error_from_response(400, body, method="POST", path="/portfolio/events/orders")
    assert type(exc) is InsufficientBalanceError
    assert isinstance(exc, BadRequestError)
    assert (exc.http_status, exc.code, exc.message, exc.details, exc.service) == (
        400,
        "insufficient_balance",
        "insufficient balance",
        "",
        "exchange",
    )
    assert "POST /portfolio/events/orders" in str(exc)
    assert not exc.retryable


def test_nested_auth_error_keeps_details() -> None:
    body = {
        "error": {
            "code": "authentication_error",
            "message": "authentication_error",
            "details": "INCORRECT_API_KEY_SIGNATURE",
        }
    }
    exc = error_from_response(401, body)
    assert type(exc) is AuthenticationError
    assert exc.details == "INCORRECT_API_KEY_SIGNATURE"
    assert "INCORRECT_API_KEY_SIGNATURE" in str(exc)


def test_flat_shape() -> None:
    body = {
        "code": "bad_request",
        "message": "bad request",
        "details": "json: cannot unmarshal number into Go struct field "
        "CreateOrderV2Request.count of type string",
    }
    exc = error_from_response(400, body)
    assert type(exc) is BadRequestError
    assert exc.code == "bad_request"
    assert exc.details.startswith("json: cannot unmarshal")


def test_bare_msg_shape() -> None:
    exc = error_from_response(400, {"msg": "Parameter validation failed for GetMarkets: x"})
    assert type(exc) is BadRequestError
    assert exc.code == "bad_request"
    assert exc.message == "Parameter validation failed for GetMarkets: x"


def test_429_shape() -> None:
    exc = error_from_response(429, {"error": "too many requests"})
    assert type(exc) is RateLimitedError
    assert exc.code == "too_many_requests"
    assert exc.message == "too many requests"
    assert exc.retryable


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "invalid_price", InvalidPriceError),
        (400, "invalid_order", InvalidOrderError),
        (400, "invalid_order_size", InvalidOrderError),
        (400, "available_balance_too_low", InsufficientBalanceError),
        (404, "not_found", NotFoundError),
        (409, "order_already_exists", OrderAlreadyExistsError),
        (410, "deprecated_v1_order_endpoint", DeprecatedEndpointError),
        (500, "internal_server_error", ServerError),
        (503, "service_unavailable", ServerError),
        (418, "teapot", KalshiApiError),
    ],
)
def test_codes_and_statuses_map_to_classes(
    status: int, code: str, cls: type[KalshiApiError]
) -> None:
    exc = error_from_response(status, {"error": {"code": code, "message": code}})
    assert type(exc) is cls
    assert exc.http_status == status


def test_non_json_body_is_kept_as_message() -> None:
    exc = error_from_response(502, "<html>Bad Gateway</html>")
    assert type(exc) is ServerError
    assert "Bad Gateway" in exc.message
    empty = error_from_response(503, None)
    assert empty.message == "HTTP 503"
