"""Orders, the kill switch, risk limits and trading reads over real HTTP and WebSocket, on a
real trading core on the local exchange (see tests/api/trading_app.py)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from kalshiflow.kalshi.fixedpoint import parse_count, parse_price
from kalshiflow.kalshi.hybrid import HybridClientPair
from kalshiflow.persistence.database import Database
from tests.api.client import adata, open_ws, recv, subscribe
from tests.api.trading_app import ServedApi, serve_api
from tests.trading.test_order_manager_env import Counterparty, Rig, eventually

ORDER_FIELDS = (
    "clientOrderId orderId ticker side yesPrice count filled remaining status source "
    "rejectionRule rejectionReason"
)
PLACE = (
    "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { "
    f"order {{ {ORDER_FIELDS} }} userErrors {{ field code message rule }} }} }}"
)


@pytest.fixture
async def api(
    rig: Rig, pair: HybridClientPair, database: Database, tmp_path: Path
) -> AsyncIterator[ServedApi]:
    async with serve_api(rig, pair, database, tmp_path) as served:
        yield served


async def place(api: ServedApi, **fields: Any) -> dict[str, Any]:
    result = await adata(api.app, PLACE, api.token, input=fields)
    payload: dict[str, Any] = result["placeOrder"]
    return payload


def order_input(ticker: str, **overrides: Any) -> dict[str, Any]:
    base = {"ticker": ticker, "outcome": "YES", "action": "BUY", "price": "0.3000", "count": "2.00"}
    return base | overrides


async def test_place_order_rests_on_demo_and_is_idempotent_by_client_order_id(
    api: ServedApi, rig: Rig
) -> None:
    ticker = rig.tickers[0]
    first = await place(api, **order_input(ticker, clientOrderId="api-test-1"))
    assert first["userErrors"] == []
    order = first["order"]
    assert order["status"] == "resting"
    assert order["side"] == "bid"
    assert order["yesPrice"] == "0.3000"
    assert order["count"] == "2.00"
    assert order["source"] == "manual"
    again = await place(api, **order_input(ticker, clientOrderId="api-test-1"))
    assert again["order"]["orderId"] == order["orderId"]
    assert len(rig.exchange.resting()) == 1, "the second placeOrder must not send a second order"
    listed = await adata(api.app, f"{{ orders {{ {ORDER_FIELDS} }} }}", api.token)
    assert [o["clientOrderId"] for o in listed["orders"]] == ["api-test-1"]
    one = await adata(
        api.app,
        'query { order(id: "api-test-1") { ticker status realismGap { shadowCount } } }',
        api.token,
    )
    assert one["order"]["ticker"] == ticker
    assert one["order"]["realismGap"] is not None


async def test_buy_no_is_an_ask_at_the_complement(api: ServedApi, rig: Rig) -> None:
    result = await place(api, **order_input(rig.tickers[0], outcome="NO", price="0.7000"))
    assert result["userErrors"] == []
    assert result["order"]["side"] == "ask"
    assert result["order"]["yesPrice"] == "0.3000"


async def test_bad_input_comes_back_as_user_errors_naming_each_field(
    api: ServedApi, rig: Rig
) -> None:
    result = await place(api, **order_input(rig.tickers[0], price="0.3050", count="0.50"))
    assert result["order"] is None
    by_field = {e["field"]: e for e in result["userErrors"]}
    assert by_field["price"]["code"] == "PRICE_OFF_GRID"
    assert "tick grid" in by_field["price"]["message"]
    assert by_field["count"]["code"] == "INVALID_COUNT"
    unknown = await place(api, **order_input("NO-SUCH-MARKET"))
    assert unknown["userErrors"][0]["field"] == "ticker"
    assert unknown["userErrors"][0]["code"] == "UNKNOWN_MARKET"
    zero = await place(api, **order_input(rig.tickers[0], price="1.0000"))
    assert zero["userErrors"][0]["code"] == "INVALID_PRICE"
    assert rig.exchange.resting() == []


async def test_risk_rejection_names_the_rule(api: ServedApi, rig: Rig) -> None:
    result = await place(api, **order_input(rig.tickers[0], count="5000.00"))
    error = result["userErrors"][0]
    assert error["code"] == "RISK_REJECTED"
    assert error["rule"]
    assert result["order"]["status"] == "rejected"
    assert result["order"]["rejectionRule"] == error["rule"]


async def test_amend_cancel_and_cancel_all(api: ServedApi, rig: Rig) -> None:
    ticker = rig.tickers[0]
    placed = (await place(api, **order_input(ticker, clientOrderId="amend-me")))["order"]
    amend = (
        "mutation($input: AmendOrderInput!) { amendOrder(input: $input) { "
        "order { yesPrice count status } userErrors { field code message } } }"
    )
    amended = await adata(
        api.app, amend, api.token, input={"id": "amend-me", "price": "0.3100", "count": "3.00"}
    )
    assert amended["amendOrder"]["userErrors"] == []
    assert amended["amendOrder"]["order"]["yesPrice"] == "0.3100"
    assert amended["amendOrder"]["order"]["count"] == "3.00"
    cancel = (
        "mutation($id: String!) { cancelOrder(id: $id) { order { status } userErrors { code } } }"
    )
    canceled = await adata(api.app, cancel, api.token, id=placed["orderId"])
    assert canceled["cancelOrder"]["order"]["status"] == "canceled"
    missing = await adata(api.app, cancel, api.token, id="nope")
    assert missing["cancelOrder"]["userErrors"][0]["code"] == "UNKNOWN_ORDER"
    await place(api, **order_input(ticker))
    await place(api, **order_input(rig.tickers[1]))
    everything = await adata(
        api.app, "mutation { cancelAllOrders { canceled userErrors { code } } }", api.token
    )
    assert everything["cancelAllOrders"]["canceled"] == 2
    assert rig.exchange.resting() == []


async def test_kill_switch_cancels_and_refuses_until_released(api: ServedApi, rig: Rig) -> None:
    await place(api, **order_input(rig.tickers[0]))
    engaged = await adata(
        api.app,
        'mutation { engageKillSwitch(reason: "test") { engaged reason canceled } }',
        api.token,
    )
    assert engaged["engageKillSwitch"] == {"engaged": True, "reason": "test", "canceled": 1}
    refused = await place(api, **order_input(rig.tickers[0]))
    assert refused["userErrors"][0]["code"] == "RISK_REJECTED"
    limits = await adata(api.app, "{ riskLimits { killSwitchEngaged enforced } }", api.token)
    assert limits["riskLimits"] == {"killSwitchEngaged": True, "enforced": True}
    released = await adata(
        api.app, 'mutation { releaseKillSwitch(reason: "ok") { engaged } }', api.token
    )
    assert released["releaseKillSwitch"]["engaged"] is False
    assert (await place(api, **order_input(rig.tickers[0])))["userErrors"] == []


async def test_update_risk_limits(api: ServedApi) -> None:
    update = (
        "mutation($input: RiskLimitsInput!) { updateRiskLimits(input: $input) { "
        "limits { maxOpenOrders maxDailyLoss } userErrors { field code message } } }"
    )
    ok = await adata(
        api.app, update, api.token, input={"maxOpenOrders": 7, "maxDailyLossDollars": "12.5"}
    )
    assert ok["updateRiskLimits"]["userErrors"] == []
    assert ok["updateRiskLimits"]["limits"] == {"maxOpenOrders": 7, "maxDailyLoss": "12.500000"}
    bad = await adata(api.app, update, api.token, input={"maxOpenOrders": 0})
    error = bad["updateRiskLimits"]["userErrors"][0]
    assert error["code"] == "INVALID_LIMITS"
    assert error["field"] == "maxOpenOrders"
    assert bad["updateRiskLimits"]["limits"]["maxOpenOrders"] == 7


async def test_order_updates_subscription_receives_the_placed_order(
    api: ServedApi, rig: Rig
) -> None:
    ws = await open_ws(api.app, {"token": api.token})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "o", "subscription { orderUpdates { clientOrderId status yesPrice } }")
        await asyncio.sleep(0.2)  # the subscription is registered once its first read waits
        await place(api, **order_input(rig.tickers[0], clientOrderId="streamed"))
        statuses = []
        while "resting" not in statuses:
            message = await recv(ws, timeout=10)
            assert message["type"] == "next", message
            update = message["payload"]["data"]["orderUpdates"]
            assert update["clientOrderId"] == "streamed"
            assert update["yesPrice"] == "0.3000"
            statuses.append(update["status"])
        await ws.send(json.dumps({"id": "o", "type": "complete"}))
    finally:
        await ws.close()


async def test_orders_with_fills_cost_one_fill_query(
    api: ServedApi, rig: Rig, counterparty: Counterparty
) -> None:
    for i, ticker in enumerate(rig.tickers[:3]):
        await place(api, **order_input(ticker, clientOrderId=f"fill-{i}", price="0.4000"))
        # The counterparty sells YES into our bid: a fill for us.
        await counterparty.order(ticker, "ask", parse_price("0.4000"), parse_count("2.00"))
    parts = rig.parts
    await eventually(
        lambda: all(parts.tracker.require(f"fill-{i}").filled == 200 for i in range(3)),
        what="all three orders filled",
    )
    await parts.store.flush()
    api.loaders.clear()
    result = await adata(
        api.app,
        "{ orders { clientOrderId filled fills { tradeId count yesPrice fee } realismGap { "
        "actualCount gap } } fills(first: 10) { tradeId clientOrderId } portfolio { balance "
        "positions { ticker position } } }",
        api.token,
    )
    orders = {o["clientOrderId"]: o for o in result["orders"]}
    for i in range(3):
        fills = orders[f"fill-{i}"]["fills"]
        assert [f["count"] for f in fills] == ["2.00"]
        assert fills[0]["yesPrice"] == "0.4000"
    assert len(api.loaders) == 1
    assert api.loaders[0].queries == [3], "fills of every order must load in one query"
    assert len(result["fills"]) == 3
    positions = {p["ticker"]: p["position"] for p in result["portfolio"]["positions"]}
    assert all(positions[t] == "2.00" for t in rig.tickers[:3])


async def test_every_api_md_example_runs_with_trading_running(api: ServedApi, rig: Rig) -> None:
    """API.md's examples again, now with a trading core behind the mutations."""
    import httpx

    from tests.api.test_api_docs import examples, variables_for

    async with httpx.AsyncClient(timeout=15) as client:
        for query in examples():
            resp = await client.post(
                api.app.graphql_url,
                json={"query": query, "variables": variables_for(query, rig.tickers[0])},
                headers={"Authorization": f"Bearer {api.token}"},
            )
            body = resp.json()
            assert resp.status_code == 200, (query, body)
            assert "errors" not in body, (query, body)
            for payload in body["data"].values():
                if isinstance(payload, dict) and payload.get("userErrors"):
                    codes = {e["code"] for e in payload["userErrors"]}
                    # The Orders example amends an order it just canceled, on purpose.
                    assert codes <= {"NOT_CHANGEABLE", "UNAVAILABLE"}, (query, payload)


async def test_orderbook_subscription_delivers_bus_updates(api: ServedApi, rig: Rig) -> None:
    from kalshiflow.events import OrderbookUpdated

    ticker = rig.tickers[0]
    ws = await open_ws(api.app, {"token": api.token})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        query = (
            "subscription($t: String!) { orderbook(ticker: $t, depth: 2) "
            "{ seq source bestYesBid } }"
        )
        await subscribe(ws, "b", query, {"t": ticker})
        first = await recv(ws)
        assert first["payload"]["data"]["orderbook"]["source"] == "LIVE"
        book = rig.books.book(ticker)
        assert book is not None
        book.apply_snapshot([(parse_price("0.4500"), 100)], [(parse_price("0.5000"), 100)], 42,
                            time.time_ns())  # fmt: skip
        rig.component.bus.publish(
            OrderbookUpdated(ticker, 42, "snapshot", book.snapshot(), time.time_ns(), None)
        )
        update = (await recv(ws))["payload"]["data"]["orderbook"]
        assert update == {"seq": 42, "source": "LIVE", "bestYesBid": "0.4500"}
    finally:
        await ws.close()


async def test_fill_and_portfolio_subscriptions_receive_a_fill(
    api: ServedApi, rig: Rig, counterparty: Counterparty
) -> None:
    ticker = rig.tickers[0]
    ws = await open_ws(api.app, {"token": api.token})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "f", "subscription { fills { clientOrderId count yesPrice via } }")
        await subscribe(ws, "p", "subscription { portfolio { positions { ticker position } } }")
        await asyncio.sleep(0.2)
        await place(api, **order_input(ticker, clientOrderId="filled", price="0.4000"))
        await counterparty.order(ticker, "ask", parse_price("0.4000"), parse_count("2.00"))
        got: dict[str, Any] = {}
        while len(got) < 2:
            message = await recv(ws, timeout=10)
            assert message["type"] == "next", message
            got.setdefault(message["id"], message["payload"]["data"])
        assert got["f"]["fills"] == {
            "clientOrderId": "filled",
            "count": "2.00",
            "yesPrice": "0.4000",
            "via": "ws",
        }
        positions = {p["ticker"]: p["position"] for p in got["p"]["portfolio"]["positions"]}
        assert positions[ticker] == "2.00"
    finally:
        await ws.close()


async def test_market_missing_on_demo_or_closed_is_a_user_error(api: ServedApi, rig: Rig) -> None:
    from kalshiflow.exchange_sim.engine.types import MarketSpec

    production = rig.sim.production.context.exchange
    existing = production.market(rig.tickers[0])
    now_s = int(time.time())
    # Listed on production (where the data comes from) but not on demo (where orders go).
    production.add_market(
        MarketSpec(ticker="KXONLYPROD-26NOV22-X", event_ticker=existing.event_ticker,
                   title="production only", open_time=now_s - 1, close_time=now_s + 3600)
    )  # fmt: skip
    missing = await place(api, **order_input("KXONLYPROD-26NOV22-X"))
    assert missing["order"] is None
    error = missing["userErrors"][0]
    assert (error["field"], error["code"]) == ("ticker", "NOT_ON_TRADING_ENVIRONMENT")
    assert "demo" in error["message"]
    # Listed on demo but closed there.
    rig.sim.demo.context.exchange.close_market(rig.tickers[1])
    closed = await place(api, **order_input(rig.tickers[1]))
    assert [(e["field"], e["code"]) for e in closed["userErrors"]] == [("ticker", "MARKET_CLOSED")]
    assert rig.exchange.resting() == []


async def test_realism_summary_per_market_and_day(
    api: ServedApi, rig: Rig, counterparty: Counterparty
) -> None:
    ticker = rig.tickers[2]
    # Production would have sold 2 YES at 0.38; demo fills our 0.40 bid at 0.40.
    rig.fresh(ticker, bid="0.36", ask="0.38")
    placed = await place(api, **order_input(ticker, clientOrderId="gap", price="0.4000"))
    assert placed["userErrors"] == []
    await counterparty.order(ticker, "ask", parse_price("0.4000"), parse_count("2.00"))
    fields = (
        "key orders ordered actualFilled shadowFilled comparedOrders gap adverseGap fillRatioGap"
    )
    query = (
        f"{{ m: realismSummary(by: MARKET) {{ {fields} }} "
        "d: realismSummary(by: DAY) { key orders } }"
    )

    async def summary() -> dict[str, Any]:
        return await adata(api.app, query, api.token)

    deadline = time.monotonic() + 10
    while True:
        result = await summary()
        row = next((r for r in result["m"] if r["key"] == ticker), None)
        if row is not None and row["actualFilled"] == "2.00":
            break
        assert time.monotonic() < deadline, result
        await asyncio.sleep(0.1)
    assert row == {
        "key": ticker, "orders": 1, "ordered": "2.00", "actualFilled": "2.00",
        "shadowFilled": "2.00", "comparedOrders": 1, "gap": "0.040000",
        "adverseGap": "0.040000", "fillRatioGap": "0.000000",
    }  # fmt: skip
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert [d["key"] for d in result["d"]] == [today]
