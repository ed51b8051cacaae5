"""Queries over real HTTP against `kalshiflow up` in sandbox mode (local exchange)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.api.client import data, post
from tests.api.conftest import SharedApp

PRICE = r"^\d\.\d{4}$"


def q(shared: SharedApp, query: str, **variables: Any) -> dict[str, Any]:
    return data(shared.app, query, shared.token, **variables)


def test_markets_paginate_with_cursors_without_gaps_or_repeats(shared_app: SharedApp) -> None:
    # Close times do not move while paging (volumes do: the local exchange keeps trading).
    query = """query($after: String) {
      markets(first: 7, sort: CLOSE_TIME, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ticker closeTime } }
      }
    }"""
    seen: list[str] = []
    times: list[str] = []
    after = None
    total = None
    for _ in range(100):
        page = q(shared_app, query, after=after)["markets"]
        total = page["totalCount"]
        seen += [e["node"]["ticker"] for e in page["edges"]]
        times += [e["node"]["closeTime"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]
    assert total is not None
    assert total > 7
    assert len(seen) == total
    assert len(set(seen)) == total
    assert times == sorted(times)


def test_markets_by_volume_are_ordered_within_a_page(shared_app: SharedApp) -> None:
    page = q(shared_app, "{ markets(first: 30, sort: VOLUME) { nodes { volume } } }")
    volumes = [Decimal(n["volume"]) for n in page["markets"]["nodes"]]
    assert volumes == sorted(volumes, reverse=True)


def test_markets_filter_and_sort(shared_app: SharedApp) -> None:
    everything = q(
        shared_app,
        "{ markets(first: 500) { nodes { ticker eventTicker seriesTicker title closeTime } } }",
    )
    nodes = everything["markets"]["nodes"]
    event = nodes[0]["eventTicker"]
    by_event = q(
        shared_app,
        "query($e: String) { markets(first: 500, filter: {eventTicker: $e}) "
        "{ totalCount nodes { eventTicker } } }",
        e=event,
    )["markets"]
    assert by_event["totalCount"] == sum(1 for n in nodes if n["eventTicker"] == event)
    assert {n["eventTicker"] for n in by_event["nodes"]} == {event}
    series = nodes[0]["seriesTicker"]
    by_series = q(
        shared_app,
        "query($s: String) { markets(first: 500, filter: {seriesTicker: $s}) "
        "{ nodes { seriesTicker } } }",
        s=series,
    )["markets"]["nodes"]
    assert by_series
    assert {n["seriesTicker"] for n in by_series} == {series}
    word = nodes[0]["title"].split()[-1].upper()
    found = q(
        shared_app,
        "query($w: String) { markets(first: 500, filter: {search: $w}) "
        "{ nodes { title ticker } } }",
        w=word,
    )["markets"]["nodes"]
    assert found
    assert all(word.lower() in (n["title"] + n["ticker"]).lower() for n in found)
    closing = q(shared_app, "{ markets(first: 500, sort: CLOSE_TIME) { nodes { closeTime } } }")
    times = [n["closeTime"] for n in closing["markets"]["nodes"] if n["closeTime"]]
    assert times == sorted(times)
    none = q(shared_app, '{ markets(filter: {status: "no-such-status"}) { totalCount } }')
    assert none["markets"]["totalCount"] == 0


def test_bad_cursor_and_page_size_are_errors_naming_the_argument(shared_app: SharedApp) -> None:
    body = post(
        shared_app.app, '{ markets(after: "nope") { totalCount } }', token=shared_app.token
    ).json()
    assert "after" in body["errors"][0]["message"]
    body = post(
        shared_app.app, "{ markets(first: 501) { totalCount } }", token=shared_app.token
    ).json()
    assert "first must be between 0 and 500" in body["errors"][0]["message"]


def test_market_book_is_one_yes_no_ladder_with_exact_strings(shared_app: SharedApp) -> None:
    ticker = q(shared_app, "{ markets(first: 1) { nodes { ticker } } }")["markets"]["nodes"][0][
        "ticker"
    ]
    market = q(
        shared_app,
        """query($t: String!) { market(ticker: $t) {
            ticker
            priceRanges { start end step }
            orderbook(depth: 100) { ticker environment source yesBids { price size }
              yesAsks { price size } noBids { price size } noAsks { price size }
              bestYesBid bestYesAsk spread }
            demoOrderbook(depth: 100) { environment yesBids { price size } noBids { price size } }
            recentTrades(limit: 5) { ticker count yesPrice noPrice takerSide }
            stats { volume openInterest lastPrice }
        } }""",
        t=ticker,
    )["market"]
    # The local exchange lists on Kalshi's whole-cent grid.
    assert market["priceRanges"] == [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}]
    book = market["orderbook"]
    assert book["ticker"] == ticker
    one = Decimal("1")
    # YES asks are the NO bids complemented, level for level.
    assert [(one - Decimal(a["price"]), a["size"]) for a in book["yesAsks"]] == [
        (Decimal(b["price"]), b["size"]) for b in book["noBids"]
    ]
    assert [(one - Decimal(a["price"]), a["size"]) for a in book["noAsks"]] == [
        (Decimal(b["price"]), b["size"]) for b in book["yesBids"]
    ]
    bids = [Decimal(b["price"]) for b in book["yesBids"]]
    assert bids == sorted(bids, reverse=True)
    asks = [Decimal(a["price"]) for a in book["yesAsks"]]
    assert asks == sorted(asks)
    for level in book["yesBids"] + book["yesAsks"]:
        assert len(level["price"].split(".")[1]) == 4
        assert len(level["size"].split(".")[1]) == 2
    if bids and asks:
        assert Decimal(book["spread"]) == asks[0] - bids[0]
    assert market["demoOrderbook"]["environment"] == "demo"
    for trade in market["recentTrades"]:
        assert trade["ticker"] == ticker
        assert Decimal(trade["yesPrice"]) + Decimal(trade["noPrice"]) == one
    assert market["stats"]["volume"].endswith(tuple("0123456789"))


def test_unknown_market_is_null(shared_app: SharedApp) -> None:
    assert q(shared_app, '{ market(ticker: "NO-SUCH-MARKET") { ticker } }')["market"] is None


def test_depth_out_of_range_is_an_error(shared_app: SharedApp) -> None:
    ticker = q(shared_app, "{ markets(first: 1) { nodes { ticker } } }")["markets"]["nodes"][0][
        "ticker"
    ]
    query = "query($t: String!) { market(ticker: $t) { orderbook(depth: 0) { ticker } } }"
    body = post(shared_app.app, query, {"t": ticker}, token=shared_app.token).json()
    assert "depth must be between 1 and 100" in body["errors"][0]["message"]


def test_events_list_their_markets(shared_app: SharedApp) -> None:
    events = q(shared_app, "{ events(first: 5) { eventTicker seriesTicker marketTickers } }")[
        "events"
    ]
    assert events
    for e in events:
        assert e["eventTicker"].startswith(e["seriesTicker"])
        assert all(t.startswith(e["eventTicker"]) for t in e["marketTickers"])


def test_system_names_environments_and_key_ids_but_never_keys(shared_app: SharedApp) -> None:
    system = q(
        shared_app,
        "{ system { status mode traderState data { environment restUrl wsUrl keyId } "
        "trading { environment restUrl wsUrl keyId } components { name state } } }",
    )["system"]
    assert system["mode"] == "sandbox"
    assert system["trading"]["environment"] == "demo"
    assert system["data"]["restUrl"].startswith("http://127.0.0.1:")
    assert system["trading"]["keyId"]
    assert system["data"]["keyId"] != system["trading"]["keyId"]
    names = {c["name"] for c in system["components"]}
    assert {"database", "kalshi_clients"} <= names
    key_files = list((shared_app.workdir / "data").rglob("*.pem"))
    assert key_files, "the local exchange's key files should exist"
    raw = post(
        shared_app.app, "{ system { data { keyId } trading { keyId } } }", token=shared_app.token
    ).text
    for key_file in key_files:
        body = key_file.read_text()
        secret_line = next(line for line in body.splitlines() if line and "-----" not in line)
        assert secret_line not in raw


def test_system_reports_both_exchange_connections(shared_app: SharedApp) -> None:
    fields = (
        "connection { state connected lastMessageAgeS reconnects gaps resyncs messagesReceived }"
    )
    system = q(shared_app, f"{{ system {{ data {{ {fields} }} trading {{ {fields} }} }} }}")[
        "system"
    ]
    for side in ("data", "trading"):
        conn = system[side]["connection"]
        assert conn is not None, side
        assert (conn["state"], conn["connected"]) == ("connected", True)
        assert conn["lastMessageAgeS"] is not None
        assert conn["lastMessageAgeS"] < 30  # Kalshi (and the sim) ping every 10 s
        assert conn["gaps"] >= 0
        assert conn["reconnects"] >= 0
    assert system["data"]["connection"]["messagesReceived"] > 0


def test_risk_limits_are_exact_strings_from_settings(shared_app: SharedApp) -> None:
    limits = q(
        shared_app,
        "{ riskLimits { maxContractsPerMarket maxTotalExposure maxDailyLoss minCashReserve "
        "maxOpenOrders maxOrdersPerSecond noNewPositionsBeforeCloseMinutes killSwitchEngaged } }",
    )["riskLimits"]
    assert limits["maxContractsPerMarket"] == "100.00"
    assert limits["maxTotalExposure"] == "500.000000"
    assert limits["maxDailyLoss"] == "100.000000"
    assert limits["minCashReserve"] == "50.000000"
    assert limits["maxOpenOrders"] == 50
    assert limits["noNewPositionsBeforeCloseMinutes"] == 10
    assert limits["killSwitchEngaged"] is False


def test_recording_sessions_list(shared_app: SharedApp) -> None:
    sessions = q(shared_app, "{ recordingSessions(limit: 5) { id status environment } }")
    assert isinstance(sessions["recordingSessions"], list)
    for s in sessions["recordingSessions"]:
        assert s["status"] in ("active", "closed", "crashed")


def test_one_request_cannot_fan_out_into_hundreds_of_exchange_reads(shared_app: SharedApp) -> None:
    query = "{ markets(first: 30) { nodes { ticker recentTrades(limit: 1) { tradeId } } } }"
    body = post(shared_app.app, query, token=shared_app.token).json()
    (error,) = body["errors"]
    assert "at most 20 times" in error["message"]
    assert error["path"] == ["markets", "nodes", 20, "recentTrades"], "the 21st read is refused"
    ok = "{ markets(first: 20) { nodes { ticker recentTrades(limit: 1) { tradeId } } } }"
    assert "errors" not in post(shared_app.app, ok, token=shared_app.token).json()
