"""Market-data REST endpoints of the local exchange, over real sockets, unsigned."""

from __future__ import annotations

from dataclasses import replace

import aiohttp
import pytest

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from tests.fixtures.sim import KalshiTestClient, add_account_client, v2_order


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    # No participants: the books and tape hold exactly what the test put there.
    return replace(sim_config, with_participants=False)


@pytest.fixture
def public(sim: SimHandle, http_session: aiohttp.ClientSession) -> KalshiTestClient:
    return KalshiTestClient(http_session, sim.demo.rest_url)


async def test_exchange_status(public: KalshiTestClient) -> None:
    status, body = await public.get("/exchange/status")
    assert status == 200
    assert body["exchange_active"] is True
    assert body["trading_active"] is True


async def test_markets_pagination_walks_every_market_once(public: KalshiTestClient) -> None:
    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        params = {"limit": "7"} | ({"cursor": cursor} if cursor else {})
        status, body = await public.get("/markets", params=params)
        assert status == 200
        assert len(body["markets"]) <= 7
        seen += [m["ticker"] for m in body["markets"]]
        pages += 1
        cursor = body["cursor"]
        if not cursor:
            break
    assert pages == 3
    assert len(seen) == 20
    assert len(set(seen)) == 20


async def test_markets_limit_over_max_is_bare_400(public: KalshiTestClient) -> None:
    status, body = await public.get("/markets", params={"limit": "1001"})
    assert status == 400
    assert set(body) == {"msg"}
    assert body["msg"].startswith("Parameter validation failed")
    status, body = await public.get("/markets", params={"limit": "1000"})
    assert status == 200


async def test_markets_garbage_cursor_is_200(public: KalshiTestClient) -> None:
    status, body = await public.get("/markets", params={"cursor": "!!garbage!!", "limit": "5"})
    assert status == 200
    assert len(body["markets"]) == 5


async def test_markets_status_filter_uses_query_vocabulary(public: KalshiTestClient) -> None:
    status, body = await public.get("/markets", params={"status": "open", "limit": "100"})
    assert status == 200
    assert len(body["markets"]) == 20
    assert {m["status"] for m in body["markets"]} == {"active"}
    _, body = await public.get("/markets", params={"status": "settled"})
    assert body["markets"] == []
    status, body = await public.get("/markets", params={"status": "active"})
    assert status == 400
    assert "msg" in body


async def test_markets_filters(public: KalshiTestClient, sim: SimHandle) -> None:
    markets = sim.demo.context.exchange.markets()
    first = markets[0]
    siblings = [m.ticker for m in markets if m.event_ticker == first.event_ticker]
    _, body = await public.get("/markets", params={"event_ticker": first.event_ticker})
    assert [m["ticker"] for m in body["markets"]] == siblings
    assert len(siblings) > 1
    _, body = await public.get("/markets", params={"series_ticker": first.series_ticker})
    assert body["markets"]
    assert all(m["ticker"].startswith(first.series_ticker) for m in body["markets"])
    wanted = f"{markets[1].ticker},{markets[3].ticker}"
    _, body = await public.get("/markets", params={"tickers": wanted})
    assert sorted(m["ticker"] for m in body["markets"]) == sorted(wanted.split(","))
    _, body = await public.get("/markets", params={"max_close_ts": "0"})
    assert body["markets"] == []
    _, body = await public.get("/markets", params={"mve_filter": "only"})
    assert body["markets"] == []
    _, body = await public.get("/markets", params={"mve_filter": "exclude", "limit": "3"})
    assert len(body["markets"]) == 3


async def test_market_shape_and_404(public: KalshiTestClient, sim: SimHandle) -> None:
    linear = [m for m in sim.demo.context.exchange.markets() if len(m.price_ranges) == 1]
    ticker = next(m.ticker for m in linear if m.price_ranges[0][2] == 100)
    status, body = await public.get(f"/markets/{ticker}")
    assert status == 200
    market = body["market"]
    assert market["ticker"] == ticker
    assert market["status"] == "active"
    assert market["price_level_structure"] == "linear_cent"
    assert market["price_ranges"] == [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}]
    assert market["volume_fp"] == "0.00"
    assert "yes_bid" not in market  # integer cent fields are gone from the current shape
    status, body = await public.get("/markets/NOPE-NOPE")
    assert status == 404
    assert body["error"]["code"] == "not_found"


async def test_orderbook_sides_ascending_best_last(
    public: KalshiTestClient,
    sim: SimHandle,
    http_session: aiohttp.ClientSession,
    sim_config: SimConfig,
) -> None:
    ticker = sim.demo.context.exchange.markets()[0].ticker
    mm = add_account_client(http_session, sim.demo, sim_config.data_dir, "mm")
    for side, price, count in [
        ("bid", "0.4500", "3"),
        ("bid", "0.4700", "2"),
        ("ask", "0.5200", "4"),
        ("ask", "0.5500", "1"),
    ]:
        status, _ = await mm.post(
            "/portfolio/events/orders", json=v2_order(ticker, side, price, count)
        )
        assert status == 201
    status, body = await public.get(f"/markets/{ticker}/orderbook")
    assert status == 200
    # YES bids ascending; NO bids are the asks in NO prices (1 - 0.55, 1 - 0.52), ascending.
    assert body == {
        "orderbook_fp": {
            "yes_dollars": [["0.4500", "3.00"], ["0.4700", "2.00"]],
            "no_dollars": [["0.4500", "1.00"], ["0.4800", "4.00"]],
        }
    }
    _, body = await public.get(f"/markets/{ticker}/orderbook", params={"depth": "1"})
    assert body["orderbook_fp"]["yes_dollars"] == [["0.4700", "2.00"]]
    assert body["orderbook_fp"]["no_dollars"] == [["0.4800", "4.00"]]
    status, body = await public.get(f"/markets/{ticker}/orderbook", params={"depth": "101"})
    assert status == 400
    assert "msg" in body
    # The market object quotes the top of book.
    _, body = await public.get(f"/markets/{ticker}")
    market = body["market"]
    assert market["yes_bid_dollars"] == "0.4700"
    assert market["yes_ask_dollars"] == "0.5200"
    assert market["yes_bid_size_fp"] == "2.00"
    assert market["yes_ask_size_fp"] == "4.00"
    assert market["no_bid_dollars"] == "0.4800"


async def test_empty_orderbook_side_absent(public: KalshiTestClient, sim: SimHandle) -> None:
    ticker = sim.demo.context.exchange.markets()[1].ticker
    status, body = await public.get(f"/markets/{ticker}/orderbook")
    assert status == 200
    assert body == {"orderbook_fp": {}}


async def test_batch_orderbooks(public: KalshiTestClient, sim: SimHandle) -> None:
    tickers = [m.ticker for m in sim.demo.context.exchange.markets()[:3]]
    status, body = await public.get("/markets/orderbooks", params={"tickers": ",".join(tickers)})
    assert status == 200
    assert [b["ticker"] for b in body["orderbooks"]] == tickers
    assert body["orderbooks"][0]["orderbook_fp"] == {"yes_dollars": [], "no_dollars": []}
    too_many = ",".join(f"T{i}" for i in range(101))
    status, body = await public.get("/markets/orderbooks", params={"tickers": too_many})
    assert status == 400
    status, _ = await public.get("/markets/orderbooks")
    assert status == 400


async def test_trades_newest_first_paginated(
    public: KalshiTestClient,
    sim: SimHandle,
    http_session: aiohttp.ClientSession,
    sim_config: SimConfig,
) -> None:
    ticker = sim.demo.context.exchange.markets()[2].ticker
    maker = add_account_client(http_session, sim.demo, sim_config.data_dir, "maker")
    taker = add_account_client(http_session, sim.demo, sim_config.data_dir, "taker")
    for price in ("0.4000", "0.4100", "0.4200"):
        await maker.post("/portfolio/events/orders", json=v2_order(ticker, "bid", price, "1"))
        status, body = await taker.post(
            "/portfolio/events/orders",
            json=v2_order(ticker, "ask", price, "1", time_in_force="immediate_or_cancel"),
        )
        assert status == 201
        assert body["fill_count"] == "1.00"
    status, body = await public.get("/markets/trades", params={"ticker": ticker, "limit": "2"})
    assert status == 200
    assert [t["yes_price_dollars"] for t in body["trades"]] == ["0.4200", "0.4100"]
    trade = body["trades"][0]
    assert trade["count_fp"] == "1.00"
    assert trade["no_price_dollars"] == "0.5800"
    assert trade["taker_book_side"] == "ask"
    assert trade["taker_outcome_side"] == "no"
    assert trade["is_block_trade"] is False
    assert body["cursor"]
    _, body = await public.get(
        "/markets/trades", params={"ticker": ticker, "limit": "2", "cursor": body["cursor"]}
    )
    assert [t["yes_price_dollars"] for t in body["trades"]] == ["0.4000"]
    assert body["cursor"] == ""
    status, _ = await public.get("/markets/trades", params={"limit": "1001"})
    assert status == 400


async def test_events_and_event(public: KalshiTestClient, sim: SimHandle) -> None:
    per_event: dict[str, int] = {}
    for market in sim.demo.context.exchange.markets():
        per_event[market.event_ticker] = per_event.get(market.event_ticker, 0) + 1
    status, body = await public.get("/events", params={"limit": "2"})
    assert status == 200
    assert len(body["events"]) == 2
    assert "markets" not in body["events"][0]
    assert body["cursor"]
    _, body = await public.get("/events", params={"with_nested_markets": "true"})
    assert {e["event_ticker"]: len(e["markets"]) for e in body["events"]} == per_event
    status, _ = await public.get("/events", params={"limit": "201"})
    assert status == 400
    event_ticker = body["events"][0]["event_ticker"]
    status, body = await public.get(
        f"/events/{event_ticker}", params={"with_nested_markets": "true"}
    )
    assert status == 200
    assert body["event"]["event_ticker"] == event_ticker
    assert len(body["markets"]) == per_event[event_ticker]
    assert len(body["event"]["markets"]) == per_event[event_ticker]
    status, body = await public.get("/events/NOPE")
    assert status == 404
    assert body["error"]["code"] == "not_found"


async def test_series(public: KalshiTestClient, sim: SimHandle) -> None:
    series_ticker = sim.demo.context.exchange.markets()[0].series_ticker
    status, body = await public.get(f"/series/{series_ticker}")
    assert status == 200
    assert body["series"]["ticker"] == series_ticker
    status, _ = await public.get("/series/NOPE")
    assert status == 404
    status, body = await public.get("/series")
    assert status == 200
    assert series_ticker in {s["ticker"] for s in body["series"]}
    category = next(s["category"] for s in body["series"] if s["ticker"] == series_ticker)
    _, body = await public.get("/series", params={"category": category})
    assert {s["category"] for s in body["series"]} == {category}


async def test_unknown_route_answers_kalshi_json(public: KalshiTestClient) -> None:
    status, body = await public.get("/no/such/endpoint")
    assert status == 404
    assert body["error"]["code"] == "not_found"
    status, body = await public.request("PUT", "/markets")
    assert status == 405
    assert body["error"]["message"] == "method not allowed"


async def test_markets_comma_separated_event_tickers(
    public: KalshiTestClient, sim: SimHandle
) -> None:
    events = list(dict.fromkeys(m.event_ticker for m in sim.demo.context.exchange.markets()))
    wanted = events[:2]
    _, body = await public.get("/markets", params={"event_ticker": ",".join(wanted)})
    assert {m["event_ticker"] for m in body["markets"]} == set(wanted)
