"""Snapshot + deltas rebuild exactly the engine's ``orderbook()`` after random activity, and
every subscription's ``seq`` runs 1, 2, 3, ... without gaps."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kalshiflow.exchange_sim.engine import BookSide, Exchange, ExchangeError, OrderStatus
from kalshiflow.exchange_sim.engine import TimeInForce as Tif
from kalshiflow.kalshi.fixedpoint import Count, Price
from tests.exchange_sim.server.test_ws_support import (
    ACCOUNTS,
    TICKERS,
    Book,
    WsClient,
    order,
    run_sim,
)


def _random_step(ex: Exchange, rng: random.Random) -> None:
    account = rng.choice(ACCOUNTS)
    ticker = rng.choice(TICKERS)
    roll = rng.random()
    resting = list(ex.orders(account, status=OrderStatus.RESTING))
    try:
        if roll < 0.55 or not resting:
            side = rng.choice((BookSide.BID, BookSide.ASK))
            center = 50 + rng.randint(-6, 6)
            price = f"0.{center + (-2 if side is BookSide.BID else 2):02d}00"
            tif = Tif.IOC if rng.random() < 0.15 else Tif.GTC
            count = f"{rng.randint(1, 500) / 100:.2f}"
            order(ex, account, ticker, side, price, count, tif=tif)
        elif roll < 0.8:
            ex.cancel_order(account, rng.choice(resting).order_id)
        elif roll < 0.9:
            target = rng.choice(resting)
            if target.remaining_count > 1:
                ex.decrease_order(account, target.order_id, reduce_by=Count(1))
        else:
            target = rng.choice(resting)
            new_price = Price(min(9900, max(100, target.price + rng.choice((-100, 100)))))
            ex.amend_order(account, target.order_id, new_price, Count(target.fill_count + 100))
    except ExchangeError:
        pass  # e.g. insufficient balance or an order that just finished: activity goes on


async def _collect(client: WsClient) -> list[dict[str, Any]]:
    """Everything queued before a list_subscriptions marker (same per-connection queue)."""
    marker = await client.send("list_subscriptions")
    _, before = await client.recv_until(lambda m: m.get("id") == marker, timeout=20)
    return before


def _check_seq(messages: list[dict[str, Any]]) -> None:
    by_sid: dict[int, list[int]] = {}
    for m in messages:
        if m["type"] in ("orderbook_snapshot", "orderbook_delta"):
            by_sid.setdefault(m["sid"], []).append(m["seq"])
    for seqs in by_sid.values():
        assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_snapshot_plus_deltas_reproduce_engine_book(seed: int) -> None:
    rng = random.Random(seed)
    async with run_sim() as sim:
        ex = sim.exchange
        early = await sim.connect("alice")
        await early.subscribe(["orderbook_delta"], market_tickers=list(TICKERS))
        for _ in range(150):
            _random_step(ex, rng)
        # A late subscriber's snapshot carries the book as it is now, a second one is added
        # to part of the markets and grows via add_markets in the middle of the activity.
        late = await sim.connect("bob")
        await late.subscribe(["orderbook_delta"], market_tickers=list(TICKERS))
        partial = await sim.connect("carol")
        await partial.subscribe(["orderbook_delta"], market_ticker=TICKERS[0])
        for _ in range(150):
            _random_step(ex, rng)
        await partial.send(
            "update_subscription",
            {"sid": 1, "action": "add_markets", "market_tickers": list(TICKERS[1:])},
        )
        for _ in range(150):
            _random_step(ex, rng)
        await early.send("update_subscription", {"sid": 1, "action": "get_snapshot"})
        for _ in range(100):
            _random_step(ex, rng)

        for client in (early, late, partial):
            messages = await _collect(client)
            _check_seq(messages)
            book = Book()
            deltas = 0
            for m in messages:
                if m["type"] in ("orderbook_snapshot", "orderbook_delta"):
                    book.apply(m)
                    deltas += m["type"] == "orderbook_delta"
            assert deltas > 100
            for ticker in TICKERS:
                assert book.levels(ticker) == ex.orderbook(ticker), ticker
