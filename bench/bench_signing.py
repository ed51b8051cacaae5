"""Cost of the client's per-request CPU work: RSA-PSS signing and wire-model parsing.

Every signed REST call and WebSocket upgrade pays one signature; every orderbook snapshot
fetched over REST pays one Orderbook.from_wire. Prints JSON (see bench/README conventions).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import rsa

from kalshiflow.kalshi.auth import KalshiAuth, verify_signature
from kalshiflow.kalshi.fixedpoint import format_count, format_price
from kalshiflow.kalshi.models import Market, Orderbook


def _per_second(fn: Callable[[], object], seconds: float = 0.5) -> tuple[float, float]:
    """(operations per second, microseconds per operation) over ~``seconds``."""
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        fn()
        n += 1
    elapsed = time.perf_counter() - start
    return n / elapsed, elapsed / n * 1e6


def run() -> dict[str, object]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    auth = KalshiAuth("bench-key", key)
    headers = auth.headers("GET", "/trade-api/v2/portfolio/orders")
    message = f"{headers['KALSHI-ACCESS-TIMESTAMP']}GET/trade-api/v2/portfolio/orders"
    public = key.public_key()

    sign_ops, sign_us = _per_second(lambda: auth.headers("GET", "/trade-api/v2/portfolio/orders"))
    verify_ops, verify_us = _per_second(
        lambda: verify_signature(public, message, headers["KALSHI-ACCESS-SIGNATURE"])
    )

    book_wire = {
        "orderbook_fp": {
            "yes_dollars": [[format_price(p * 100), format_count(1000 + p)] for p in range(1, 51)],
            "no_dollars": [[format_price(p * 100), format_count(2000 + p)] for p in range(1, 51)],
        }
    }
    book_ops, book_us = _per_second(lambda: Orderbook.from_wire(book_wire, "T"))
    market_wire = {
        "ticker": "KXBTC-26JUN11-B100",
        "event_ticker": "KXBTC-26JUN11",
        "status": "active",
        "yes_bid_dollars": "0.4700",
        "yes_ask_dollars": "0.5200",
        "no_bid_dollars": "0.4800",
        "no_ask_dollars": "0.5300",
        "last_price_dollars": "0.5000",
        "volume_fp": "1234.00",
        "open_interest_fp": "10.00",
        "close_time": "2026-06-11T20:00:00Z",
        "price_ranges": [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}],
    }
    market_ops, market_us = _per_second(lambda: Market.from_wire(market_wire))
    return {
        "sign_headers_per_s": round(sign_ops),
        "sign_headers_us": round(sign_us, 1),
        "verify_per_s": round(verify_ops),
        "verify_us": round(verify_us, 1),
        "orderbook_100_levels_parse_per_s": round(book_ops),
        "orderbook_100_levels_parse_us": round(book_us, 1),
        "market_parse_per_s": round(market_ops),
        "market_parse_us": round(market_us, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run()))
