"""Order writes: Kalshi's V2 endpoints under ``/portfolio/events/orders`` and the legacy V1
writes under ``/portfolio/orders``, which answer 410 as Kalshi has since June 2026.

V2 requests carry the YES price and count as strings; a JSON number there fails in Kalshi's
decoder with the flat ``bad_request`` shape, which clients must handle, so the simulator
reproduces it.
"""

from __future__ import annotations

from typing import Final, TypeVar

from aiohttp import web

from kalshiflow.exchange_sim.engine.types import (
    BookSide,
    ExchangeError,
    OrderRequest,
    PlaceResult,
    SelfTradePrevention,
    TimeInForce,
)
from kalshiflow.exchange_sim.server import errors
from kalshiflow.exchange_sim.server.context import account_id, sim_context
from kalshiflow.exchange_sim.server.rest_common import (
    field,
    invalid_parameter,
    json_body,
    required,
)
from kalshiflow.kalshi.fixedpoint import (
    ONE_DOLLAR,
    Count,
    FixedPointError,
    Price,
    format_count,
    format_price,
    parse_count,
    parse_price,
)

MAX_BATCH: Final = 20
CREATE: Final = "CreateOrderV2Request"
AMEND: Final = "AmendOrderV2Request"
DECREASE: Final = "DecreaseOrderV2Request"
BATCH_CREATE: Final = "BatchCreateOrdersV2Request"
BATCH_CANCEL: Final = "BatchCancelOrdersV2Request"

JsonObject = dict[str, object]


# --- request parsing --------------------------------------------------------------------


E = TypeVar("E", BookSide, TimeInForce, SelfTradePrevention)


def _enum_field(body: JsonObject, name: str, enum: type[E], struct: str) -> E:
    raw = required(body, name, str, struct)
    try:
        return enum(raw)
    except ValueError:
        allowed = " ".join(member.value for member in enum)
        raise invalid_parameter(name, f"must be one of [{allowed}], got {raw!r}") from None


def _price(raw: str) -> Price:
    try:
        price = parse_price(raw)
    except FixedPointError as exc:
        raise errors.nested(400, "invalid_price", "invalid price", str(exc)) from None
    if not 0 < price < 10_000:
        raise errors.nested(400, "invalid_price", "invalid price", f"price {raw} not in (0, 1)")
    return price


def _count(raw: str, name: str = "count") -> Count:
    try:
        count = parse_count(raw)
    except FixedPointError as exc:
        raise errors.nested(400, "invalid_order_size", "invalid order size", str(exc)) from None
    if count <= 0:
        raise errors.nested(
            400, "invalid_order_size", "invalid order size", f"{name} must be positive, got {raw}"
        )
    return count


def parse_create(body: JsonObject, account: str) -> OrderRequest:
    ticker = required(body, "ticker", str, CREATE)
    side = _enum_field(body, "side", BookSide, CREATE)
    count_raw = required(body, "count", str, CREATE)
    price_raw = required(body, "price", str, CREATE)
    tif = _enum_field(body, "time_in_force", TimeInForce, CREATE)
    stp = _enum_field(body, "self_trade_prevention_type", SelfTradePrevention, CREATE)
    client_order_id = field(body, "client_order_id", str, CREATE)
    expiration = field(body, "expiration_time", int, CREATE)
    post_only = field(body, "post_only", bool, CREATE) or False
    reduce_only = field(body, "reduce_only", bool, CREATE) or False
    # Accepted for compatibility; the simulator has one subaccount and one shard.
    field(body, "cancel_order_on_pause", bool, CREATE)
    field(body, "order_group_id", str, CREATE)
    field(body, "subaccount", int, CREATE)
    field(body, "exchange_index", int, CREATE)
    if not ticker:
        raise invalid_parameter("ticker", "must not be empty")
    if expiration is not None and tif is not TimeInForce.GTC:
        raise invalid_parameter("expiration_time", "only good_till_canceled orders can expire")
    return OrderRequest(
        account_id=account,
        ticker=ticker,
        side=side,
        price=_price(price_raw),
        count=_count(count_raw),
        time_in_force=tif,
        self_trade_prevention=stp,
        client_order_id=client_order_id or None,
        post_only=post_only,
        reduce_only=reduce_only,
        expiration_ts=expiration,
    )


# --- response bodies --------------------------------------------------------------------


def _fill_summary(result: PlaceResult) -> JsonObject:
    order = result.order
    body: JsonObject = {
        "order_id": order.order_id,
        "fill_count": format_count(order.fill_count),
        "remaining_count": format_count(order.remaining_count),
        "ts_ms": order.last_update_ts_ms,
    }
    if order.client_order_id:
        body["client_order_id"] = order.client_order_id
    if result.average_fill_price is not None:
        body["average_fill_price"] = format_price(result.average_fill_price)
    if result.average_fee_paid is not None:
        body["average_fee_paid"] = format_price(result.average_fee_paid)
    return body


def _item_error(exc: errors.ApiError | ExchangeError) -> JsonObject:
    if isinstance(exc, ExchangeError):
        exc = errors.from_exchange_error(exc)
    inner = exc.body.get("error", exc.body)
    return dict(inner) if isinstance(inner, dict) else {"code": "error", "message": str(inner)}


# --- V2 handlers --------------------------------------------------------------------------


async def create_order(request: web.Request) -> web.Response:
    body = await json_body(request, CREATE)
    req = parse_create(body, account_id(request))
    result = sim_context(request).exchange.place_order(req)
    return web.json_response(_fill_summary(result), status=201)


async def cancel_order(request: web.Request) -> web.Response:
    order, reduced_by = sim_context(request).exchange.cancel_order(
        account_id(request), request.match_info["order_id"]
    )
    return web.json_response(
        {
            "order_id": order.order_id,
            "client_order_id": order.client_order_id or "",
            "reduced_by": format_count(reduced_by),
            "ts_ms": order.last_update_ts_ms,
        }
    )


async def amend_order(request: web.Request) -> web.Response:
    body = await json_body(request, AMEND)
    ticker = required(body, "ticker", str, AMEND)
    side = _enum_field(body, "side", BookSide, AMEND)
    price_raw = required(body, "price", str, AMEND)
    count_raw = required(body, "count", str, AMEND)
    exchange = sim_context(request).exchange
    account = account_id(request)
    order_id = request.match_info["order_id"]
    current = exchange.order(account, order_id)
    if ticker != current.ticker:
        raise errors.nested(400, "order_ticker_mismatch", "order ticker mismatch")
    if side is not current.side:
        raise errors.nested(400, "order_side_mismatch", "order side mismatch")
    before, after = exchange.amend_order(account, order_id, _price(price_raw), _count(count_raw))
    answer: JsonObject = {
        "order_id": after.order_id,
        "client_order_id": after.client_order_id or "",
        "remaining_count": format_count(after.remaining_count),
        "fill_count": format_count(after.fill_count),
        "ts_ms": after.last_update_ts_ms,
    }
    newly_filled = after.fill_count - before.fill_count
    if newly_filled > 0:
        cost = (after.taker_fill_cost + after.maker_fill_cost) - (
            before.taker_fill_cost + before.maker_fill_cost
        )
        fees = (after.taker_fees + after.maker_fees) - (before.taker_fees + before.maker_fees)
        # Money / Count is a per-contract Price; an ask pays the NO price, 1 - YES price.
        paid = (cost + newly_filled // 2) // newly_filled
        yes_price = paid if after.side is BookSide.BID else ONE_DOLLAR - paid
        answer["average_fill_price"] = format_price(yes_price)
        answer["average_fee_paid"] = format_price(-(-fees // newly_filled))
    return web.json_response(answer)


async def decrease_order(request: web.Request) -> web.Response:
    body = await json_body(request, DECREASE)
    reduce_by = field(body, "reduce_by", str, DECREASE)
    reduce_to = field(body, "reduce_to", str, DECREASE)
    if (reduce_by is None) == (reduce_to is None):
        raise invalid_parameter("reduce_by", "give exactly one of reduce_by and reduce_to")
    by = _count(reduce_by, "reduce_by") if reduce_by is not None else None
    to: Count | None = None
    if reduce_to is not None:
        try:
            to = parse_count(reduce_to)
        except FixedPointError as exc:
            raise invalid_parameter("reduce_to", str(exc)) from None
        if to < 0:
            raise invalid_parameter("reduce_to", f"must not be negative, got {reduce_to}")
    order = sim_context(request).exchange.decrease_order(
        account_id(request), request.match_info["order_id"], reduce_by=by, reduce_to=to
    )
    return web.json_response(
        {
            "order_id": order.order_id,
            "client_order_id": order.client_order_id or "",
            "remaining_count": format_count(order.remaining_count),
            "ts_ms": order.last_update_ts_ms,
        }
    )


def _batch_items(body: JsonObject, struct: str) -> list[object]:
    items = required(body, "orders", list, struct)
    if not 1 <= len(items) <= MAX_BATCH:
        raise invalid_parameter(
            "orders", f"a batch holds 1 to {MAX_BATCH} orders, got {len(items)}"
        )
    return items


async def batch_create(request: web.Request) -> web.Response:
    body = await json_body(request, BATCH_CREATE)
    exchange = sim_context(request).exchange
    account = account_id(request)
    answers: list[JsonObject] = []
    for item in _batch_items(body, BATCH_CREATE):
        if not isinstance(item, dict):
            raise errors.flat_bad_request(
                f"json: cannot unmarshal {type(item).__name__} into Go struct field "
                f"{BATCH_CREATE}.orders of type {CREATE}"
            )
        client_order_id = item.get("client_order_id")
        try:
            result = exchange.place_order(parse_create(item, account))
        except (errors.ApiError, ExchangeError) as exc:
            answers.append(
                {
                    "order_id": "",
                    "client_order_id": client_order_id
                    if isinstance(client_order_id, str)
                    else None,
                    "fill_count": None,
                    "remaining_count": None,
                    "ts_ms": None,
                    "error": _item_error(exc),
                }
            )
            continue
        answers.append(_fill_summary(result))
    return web.json_response({"orders": answers}, status=201)


async def batch_cancel(request: web.Request) -> web.Response:
    body = await json_body(request, BATCH_CANCEL)
    exchange = sim_context(request).exchange
    account = account_id(request)
    # V2 sends {"orders": [{"order_id": ...}]}; the legacy body {"ids": [...]} is accepted too.
    ids: list[str] = []
    if "ids" in body and "orders" not in body:
        raw_ids = field(body, "ids", list, BATCH_CANCEL) or []
        ids = [str(i) for i in raw_ids]
        if not 1 <= len(ids) <= MAX_BATCH:
            raise invalid_parameter("ids", f"a batch holds 1 to {MAX_BATCH} ids, got {len(ids)}")
    else:
        for item in _batch_items(body, BATCH_CANCEL):
            order_id = item.get("order_id") if isinstance(item, dict) else None
            if not isinstance(order_id, str):
                raise invalid_parameter("orders", "every item needs an order_id string")
            ids.append(order_id)
    answers: list[JsonObject] = []
    for order_id in ids:
        try:
            order, reduced_by = exchange.cancel_order(account, order_id)
        except ExchangeError as exc:
            answers.append(
                {
                    "order_id": order_id,
                    "client_order_id": None,
                    "reduced_by": None,
                    "ts_ms": None,
                    "error": _item_error(exc),
                }
            )
            continue
        answers.append(
            {
                "order_id": order.order_id,
                "client_order_id": order.client_order_id or "",
                "reduced_by": format_count(reduced_by),
                "ts_ms": order.last_update_ts_ms,
            }
        )
    return web.json_response({"orders": answers})


# --- legacy V1 writes ---------------------------------------------------------------------


async def deprecated_v1(request: web.Request) -> web.Response:
    raise errors.deprecated_v1()


def register(app: web.Application, prefix: str) -> None:
    v2 = f"{prefix}/portfolio/events/orders"
    app.router.add_post(v2, create_order)
    # "batched" before "{order_id}" so it is never read as an order id.
    app.router.add_post(f"{v2}/batched", batch_create)
    app.router.add_delete(f"{v2}/batched", batch_cancel)
    app.router.add_delete(f"{v2}/{{order_id}}", cancel_order)
    app.router.add_post(f"{v2}/{{order_id}}/amend", amend_order)
    app.router.add_post(f"{v2}/{{order_id}}/decrease", decrease_order)

    v1 = f"{prefix}/portfolio/orders"
    app.router.add_post(v1, deprecated_v1)
    app.router.add_post(f"{v1}/batched", deprecated_v1)
    app.router.add_delete(f"{v1}/batched", deprecated_v1)
    app.router.add_delete(f"{v1}/{{order_id}}", deprecated_v1)
    app.router.add_post(f"{v1}/{{order_id}}/amend", deprecated_v1)
    app.router.add_post(f"{v1}/{{order_id}}/decrease", deprecated_v1)
