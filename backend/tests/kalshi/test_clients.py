"""Client construction rules that need no exchange: environments, read-only data client,
production confirmation, health without secrets."""

from __future__ import annotations

import inspect
import logging

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.environment import detect_environment
from kalshiflow.kalshi.errors import ProductionNotConfirmedError
from kalshiflow.kalshi.hybrid import build_client_pair
from kalshiflow.kalshi.rest import KalshiRestClient
from kalshiflow.kalshi.trading_client import KalshiTradingClient

PROD = "https://external-api.kalshi.com/trade-api/v2"
DEMO = "https://external-api.demo.kalshi.co/trade-api/v2"
LOCAL = "http://127.0.0.1:8200/trade-api/v2"


@pytest.fixture(scope="module")
def auth() -> KalshiAuth:
    return KalshiAuth("key-123", rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.mark.parametrize(
    ("url", "env"),
    [
        (PROD, "production"),
        ("https://api.elections.kalshi.com/trade-api/v2", "production"),
        ("wss://external-api-ws.kalshi.com/trade-api/ws/v2", "production"),
        (DEMO, "demo"),
        ("https://demo-api.kalshi.co/trade-api/v2", "demo"),
        ("wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2", "demo"),
        (LOCAL, "simulated"),
        ("http://localhost:1/trade-api/v2", "simulated"),
        ("https://kalshi.com.evil.example/trade-api/v2", "simulated"),
        ("https://notkalshi.com/trade-api/v2", "simulated"),
    ],
)
def test_detect_environment(url: str, env: str) -> None:
    assert detect_environment(url) == env


def test_data_client_has_no_write_method() -> None:
    public = {name for name in dir(KalshiDataClient) if not name.startswith("_")}
    reads = {
        "get_exchange_status",
        "get_markets",
        "iter_markets",
        "get_market",
        "get_orderbook",
        "get_orderbooks",
        "get_events",
        "iter_events",
        "get_event",
        "get_series",
        "get_trades",
        "iter_trades",
    }
    identity = {"base_url", "key_id", "environment", "aclose"}
    assert public == reads | identity
    assert not hasattr(KalshiDataClient, "create_order")
    assert not hasattr(KalshiDataClient, "cancel_order")
    # Nothing public hands out the wrapped REST client (which could write).
    client = KalshiDataClient(KalshiRestClient(PROD))
    for name in public:
        value = inspect.getattr_static(client, name)
        assert not isinstance(value, KalshiRestClient), name
    with pytest.raises(AttributeError):
        client.rest = KalshiRestClient(PROD)  # type: ignore[attr-defined]


def test_production_trading_refused_without_confirmation(auth: KalshiAuth) -> None:
    with pytest.raises(ProductionNotConfirmedError, match="KALSHI_PRODUCTION_CONFIRMED=true"):
        KalshiTradingClient(KalshiRestClient(PROD, auth), environment="production")
    with pytest.raises(ProductionNotConfirmedError):
        build_client_pair(
            data_rest_url=PROD,
            trading_rest_url=PROD,
            data_auth=auth,
            trading_auth=auth,
            trading_environment="production",
        )


def test_production_trading_confirmed_logs_loud_warning(
    auth: KalshiAuth, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    client = KalshiTradingClient(
        KalshiRestClient(PROD, auth), environment="production", production_confirmed=True
    )
    assert client.environment == "production"
    assert any(
        r.levelno == logging.WARNING and "PRODUCTION TRADING IS ON" in r.getMessage()
        for r in caplog.records
    )


def test_demo_trading_is_quiet(auth: KalshiAuth, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    KalshiTradingClient(KalshiRestClient(DEMO, auth), environment="demo")
    assert "PRODUCTION" not in caplog.text


def test_environment_must_match_a_real_kalshi_url(auth: KalshiAuth) -> None:
    with pytest.raises(ValueError, match="is Kalshi production"):
        KalshiTradingClient(KalshiRestClient(PROD, auth), environment="demo")
    with pytest.raises(ValueError, match="demo' or 'production"):
        KalshiTradingClient(KalshiRestClient(DEMO, auth), environment="live")  # type: ignore[arg-type]


def test_health_describes_without_keys(auth: KalshiAuth) -> None:
    pair = build_client_pair(
        data_rest_url=PROD,
        trading_rest_url=DEMO,
        data_auth=auth,
        trading_auth=auth,
        data_ws_url="wss://external-api-ws.kalshi.com/trade-api/ws/v2",
    )
    health = pair.health()
    assert health["data"] == {
        "environment": "production",
        "rest_url": PROD,
        "ws_url": "wss://external-api-ws.kalshi.com/trade-api/ws/v2",
        "key_id": "key-123",
    }
    trading = health["trading"]
    assert isinstance(trading, dict)
    assert trading["environment"] == "demo"
    assert trading["production_confirmed"] is False
    assert "PRIVATE" not in repr(health)
    assert "PRIVATE" not in repr(pair)
    # Separate limiters: data reads never starve order placement.
    assert pair.data._rest.limiter is not pair.trading._rest.limiter


def test_rest_client_rejects_bad_url() -> None:
    with pytest.raises(ValueError, match="http"):
        KalshiRestClient("127.0.0.1:8200/trade-api/v2")
