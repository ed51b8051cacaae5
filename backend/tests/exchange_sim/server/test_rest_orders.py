"""V2 order writes, legacy V1 refusals and the portfolio reads, over real sockets."""

from __future__ import annotations

from dataclasses import replace

import aiohttp
import pytest

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from tests.fixtures.sim import KalshiTestClient, add_account_client, v2_order

ORDERS = "/portfolio/events/orders"


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    return replace(sim_config, with_participants=False)


@pytest.fixture
def trader(sim: SimHandle, http_session: aiohttp.ClientSession) -> KalshiTestClient:
    return KalshiTestClient.for_env(http_session, sim.demo)


@pytest.fixture
def counterparty(
    sim: SimHandle, http_session: aiohttp.ClientSession, sim_config: SimConfig
) -> KalshiTestClient:
    return add_account_client(http_session, sim.demo, sim_config.data_dir, "counterparty")


@pytest.fixture
def ticker(sim: SimHandle) -> str:
    return sim.demo.context.exchange.markets()[0].ticker


async def test_create_resting_order_then_read_it(trader: KalshiTestClient, ticker: str) -> None:
    status, body = await trader.post(
        ORDERS, json=v2_order(ticker, "bid", "0.4500", "2", client_order_id="c-1")
    )
    assert status == 201
    assert body["fill_count"] == "0.00"
    assert body["remaining_count"] == "2.00"
    assert body["client_order_id"] == "c-1"
    assert isinstance(body["ts_ms"], int)
    assert "average_fill_price" not in body
    order_id = body["order_id"]

    status, body = await trader.get(f"/portfolio/orders/{order_id}")
    assert status == 200
    order = body["order"]
    assert order["status"] == "resting"
    assert order["book_side"] == "bid"
    assert order["outcome_side"] == "yes"
    assert order["side"] == "yes"
    assert order["action"] == "buy"
    assert order["yes_price_dollars"] == "0.4500"
    assert order["no_price_dollars"] == "0.5500"
    assert order["initial_count_fp"] == "2.00"
    assert order["remaining_count_fp"] == "2.00"

    status, body = await trader.get("/portfolio/orders", params={"status": "resting"})
    assert status == 200
    assert [o["order_id"] for o in body["orders"]] == [order_id]
    _, body = await trader.get("/portfolio/orders", params={"status": "executed"})
    assert body["orders"] == []
    status, body = await trader.get("/portfolio/orders", params={"status": "pending"})
    assert status == 400

    # 0.90 of cash is held by the resting order.
    _, body = await trader.get("/portfolio/balance")
    assert body["balance_dollars"] == "9999.100000"
    assert body["balance"] == 999910


async def test_count_and_price_must_be_strings(trader: KalshiTestClient, ticker: str) -> None:
    for field, value in (("count", 1), ("price", 0.45)):
        bad = v2_order(ticker, "bid", "0.4500", "1") | {field: value}
        status, body = await trader.post(ORDERS, json=bad)
        assert status == 400
        assert body["code"] == "bad_request"
        assert body["message"] == "bad request"
        assert f"CreateOrderV2Request.{field} of type string" in body["details"]
    status, body = await trader.post(ORDERS, data="{not json")
    assert status == 400
    assert body["code"] == "bad_request"


async def test_missing_and_invalid_fields(trader: KalshiTestClient, ticker: str) -> None:
    body = v2_order(ticker, "bid", "0.4500", "1")
    del body["time_in_force"]
    status, answer = await trader.post(ORDERS, json=body)
    assert status == 400
    assert answer["error"]["code"] == "invalid_parameters"
    status, answer = await trader.post(ORDERS, json=v2_order(ticker, "buy", "0.4500", "1"))
    assert status == 400
    assert "side" in answer["error"]["details"]


async def test_off_grid_price_is_invalid_price(trader: KalshiTestClient, ticker: str) -> None:
    status, body = await trader.post(ORDERS, json=v2_order(ticker, "bid", "0.4550", "1"))
    assert status == 400
    assert body["error"]["code"] == "invalid_price"
    status, body = await trader.post(ORDERS, json=v2_order(ticker, "bid", "1.2000", "1"))
    assert status == 400
    assert body["error"]["code"] == "invalid_price"


async def test_insufficient_balance(trader: KalshiTestClient, ticker: str) -> None:
    # $10,000 of cash cannot hold 100,000 contracts at 0.50.
    status, body = await trader.post(ORDERS, json=v2_order(ticker, "bid", "0.5000", "100000"))
    assert status == 400
    assert body["error"]["code"] == "insufficient_balance"


async def test_post_only_cross_rejected(
    trader: KalshiTestClient, counterparty: KalshiTestClient, ticker: str
) -> None:
    status, _ = await counterparty.post(ORDERS, json=v2_order(ticker, "ask", "0.5000", "1"))
    assert status == 201
    status, body = await trader.post(
        ORDERS, json=v2_order(ticker, "bid", "0.5000", "1", post_only=True)
    )
    assert status == 400
    assert body["error"]["code"] == "invalid_order"
    assert body["error"]["details"] == "post only cross"


async def test_reused_client_order_id_is_409_even_after_cancel(
    trader: KalshiTestClient, ticker: str
) -> None:
    body = v2_order(ticker, "bid", "0.3000", "1", client_order_id="dup")
    status, first = await trader.post(ORDERS, json=body)
    assert status == 201
    status, _ = await trader.delete(f"{ORDERS}/{first['order_id']}")
    assert status == 200
    status, answer = await trader.post(ORDERS, json=body)
    assert status == 409
    assert answer["error"]["code"] == "order_already_exists"


async def test_cancel_then_cancel_again_is_404(trader: KalshiTestClient, ticker: str) -> None:
    _, created = await trader.post(ORDERS, json=v2_order(ticker, "bid", "0.3000", "3"))
    order_id = created["order_id"]
    status, body = await trader.delete(f"{ORDERS}/{order_id}")
    assert status == 200
    assert body["order_id"] == order_id
    assert body["reduced_by"] == "3.00"
    assert isinstance(body["ts_ms"], int)
    status, body = await trader.delete(f"{ORDERS}/{order_id}")
    assert status == 404
    assert body["error"]["code"] == "not_found"
    _, body = await trader.get(f"/portfolio/orders/{order_id}")
    assert body["order"]["status"] == "canceled"


async def test_immediate_fill_reports_average_price_and_fee(
    trader: KalshiTestClient, counterparty: KalshiTestClient, ticker: str
) -> None:
    await counterparty.post(ORDERS, json=v2_order(ticker, "ask", "0.5200", "1"))
    status, body = await trader.post(
        ORDERS,
        json=v2_order(ticker, "bid", "0.5500", "1", time_in_force="immediate_or_cancel"),
    )
    assert status == 201
    assert body["fill_count"] == "1.00"
    assert body["remaining_count"] == "0.00"
    assert body["average_fill_price"] == "0.5200"  # executes at the resting price
    assert body["average_fee_paid"] == "0.0175"  # observed on Kalshi for 1 @ 0.52

    _, fills = await trader.get("/portfolio/fills")
    assert len(fills["fills"]) == 1
    fill = fills["fills"][0]
    assert fill["is_taker"] is True
    assert fill["yes_price_dollars"] == "0.5200"
    assert fill["count_fp"] == "1.00"
    assert fill["fee_cost"] == "0.017500"
    assert fill["book_side"] == "bid"

    _, positions = await trader.get("/portfolio/positions")
    (position,) = positions["market_positions"]
    assert position["ticker"] == ticker
    assert position["position_fp"] == "1.00"
    assert position["market_exposure_dollars"] == "0.520000"
    assert position["total_traded_dollars"] == "0.520000"
    (event_position,) = positions["event_positions"]
    assert event_position["event_ticker"] == ticker.rsplit("-", 1)[0]

    _, counter_positions = await counterparty.get("/portfolio/positions")
    (counter_position,) = counter_positions["market_positions"]
    assert counter_position["position_fp"] == "-1.00"
    assert counter_position["total_traded_dollars"] == "0.480000"  # it bought NO at 0.48


async def test_amend_and_decrease(trader: KalshiTestClient, ticker: str) -> None:
    _, created = await trader.post(
        ORDERS, json=v2_order(ticker, "bid", "0.3000", "5", client_order_id="amend-me")
    )
    order_id = created["order_id"]
    status, body = await trader.post(
        f"{ORDERS}/{order_id}/amend",
        json={"ticker": ticker, "side": "bid", "price": "0.3100", "count": "4"},
    )
    assert status == 200, body
    assert body["remaining_count"] == "4.00"
    _, order = await trader.get(f"/portfolio/orders/{order_id}")
    assert order["order"]["yes_price_dollars"] == "0.3100"

    status, body = await trader.post(
        f"{ORDERS}/{order_id}/amend",
        json={"ticker": "OTHER", "side": "bid", "price": "0.3100", "count": "4"},
    )
    assert status == 400
    assert body["error"]["code"] == "order_ticker_mismatch"

    status, body = await trader.post(f"{ORDERS}/{order_id}/decrease", json={"reduce_by": "1"})
    assert status == 200
    assert body["remaining_count"] == "3.00"
    status, body = await trader.post(f"{ORDERS}/{order_id}/decrease", json={"reduce_to": "1"})
    assert status == 200
    assert body["remaining_count"] == "1.00"
    status, body = await trader.post(
        f"{ORDERS}/{order_id}/decrease", json={"reduce_to": "1", "reduce_by": "1"}
    )
    assert status == 400


async def test_batched_create_and_cancel(trader: KalshiTestClient, ticker: str) -> None:
    orders = [
        v2_order(ticker, "bid", "0.2000", "1", client_order_id="b-1"),
        v2_order(ticker, "bid", "0.2055", "1", client_order_id="b-2"),  # off grid
        v2_order(ticker, "ask", "0.9000", "2", client_order_id="b-3"),
    ]
    status, body = await trader.post(f"{ORDERS}/batched", json={"orders": orders})
    assert status == 201
    first, second, third = body["orders"]
    assert first["client_order_id"] == "b-1"
    assert first["remaining_count"] == "1.00"
    assert second["error"]["code"] == "invalid_price"
    assert third["remaining_count"] == "2.00"

    cancel = {"orders": [{"order_id": first["order_id"]}, {"order_id": "nope"}]}
    status, body = await trader.delete(f"{ORDERS}/batched", json=cancel)
    assert status == 200
    done, missing = body["orders"]
    assert done["reduced_by"] == "1.00"
    assert missing["error"]["code"] == "not_found"

    status, body = await trader.post(f"{ORDERS}/batched", json={"orders": orders * 7})
    assert status == 400  # more than 20


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/portfolio/orders"),
        ("DELETE", "/portfolio/orders/abc"),
        ("POST", "/portfolio/orders/abc/amend"),
        ("POST", "/portfolio/orders/abc/decrease"),
        ("POST", "/portfolio/orders/batched"),
        ("DELETE", "/portfolio/orders/batched"),
    ],
)
async def test_legacy_v1_writes_are_gone(trader: KalshiTestClient, method: str, path: str) -> None:
    status, body = await trader.request(method, path, json={})
    assert status == 410
    assert body["error"]["code"] == "deprecated_v1_order_endpoint"


async def test_settlement_pays_winners(
    trader: KalshiTestClient,
    counterparty: KalshiTestClient,
    ticker: str,
    sim: SimHandle,
    http_session: aiohttp.ClientSession,
) -> None:
    await counterparty.post(ORDERS, json=v2_order(ticker, "ask", "0.4000", "2"))
    await trader.post(
        ORDERS, json=v2_order(ticker, "bid", "0.4000", "2", time_in_force="fill_or_kill")
    )
    admin = sim.demo.admin_url
    for step, body in (("close", None), ("determine", {"result": "yes"}), ("settle", None)):
        async with http_session.post(f"{admin}/markets/{ticker}/{step}", json=body) as resp:
            assert resp.status == 200, await resp.text()
    status, body = await trader.get("/portfolio/settlements")
    assert status == 200
    (settlement,) = body["settlements"]
    assert settlement["ticker"] == ticker
    assert settlement["market_result"] == "yes"
    assert settlement["yes_count_fp"] == "2.00"
    assert settlement["revenue"] == 200
    assert settlement["value"] == 100
    _, market = await trader.get(f"/markets/{ticker}")
    assert market["market"]["status"] == "finalized"
    assert market["market"]["result"] == "yes"
