"""`TradingStore`: the trading tables (orders, fills, settlements, snapshots) and a restore.

Writes on the order path must not wait for the database, except one: a new order's row is
written *before* the order is sent (`insert_pending`, awaited), so that after a crash the
reconciler knows every client order id that may have reached the exchange and resolves it
instead of sending it again. Everything else is queued (`submit_*`) and written in order by
one background task; `flush()` waits for the queue to drain. Losing queued writes in a
crash is harmless: restart reloads what was written and the reconciler rebuilds the rest
from the exchange (fills are backfilled from REST, orders re-read).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from kalshiflow.kalshi.fixedpoint import Count, Money, Price
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.tables import (
    Fill as FillRow,
)
from kalshiflow.persistence.tables import (
    PortfolioSnapshot as PortfolioRow,
)
from kalshiflow.persistence.tables import (
    PositionSnapshot as PositionRow,
)
from kalshiflow.persistence.tables import (
    TradeOrder,
    TradeSettlement,
)
from kalshiflow.trading.events import (
    FillReceived,
    OrderSource,
    OrderStatus,
    PortfolioChanged,
)
from kalshiflow.trading.ledger import OrderRecord, ShadowFill
from kalshiflow.trading.order_tracker import TrackedOrder
from kalshiflow.trading.positions import SettlementEffect

log = logging.getLogger(__name__)

Write = Callable[[], Awaitable[None]]


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class StoredFill:
    trade_id: str
    order_id: str
    client_order_id: str
    ticker: str
    side: str
    yes_price: Price
    count: Count
    fee: Money
    executed_ms: int


@dataclass(frozen=True, slots=True)
class StoredSettlement:
    ticker: str
    settlement_value: Price
    fee: Money
    settled_ms: int


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restart reads back, oldest first."""

    orders: tuple[TrackedOrder, ...]
    fills: tuple[StoredFill, ...]
    settlements: tuple[StoredSettlement, ...]
    ledger: tuple[OrderRecord, ...] = ()


def _ledger_records(
    rows: Sequence[TradeOrder], fills: Sequence[StoredFill]
) -> tuple[OrderRecord, ...]:
    """The second ledger of each recorded order; its demo side is rebuilt from the stored
    fills (the source of truth), not from the row's running totals."""
    by_key: dict[str, list[StoredFill]] = {}
    for f in fills:
        by_key.setdefault(f.client_order_id or f.order_id, []).append(f)
    records = []
    for o in rows:
        own = by_key.get(o.client_order_id) or (by_key.get(o.order_id) if o.order_id else None)
        own = own or []
        mid = o.production_mid
        records.append(
            OrderRecord(
                order_key=o.client_order_id,
                ticker=o.ticker,
                side="bid" if o.side == "bid" else "ask",
                yes_price=Price(o.yes_price),
                count=Count(o.count),
                decided_at_ms=_ms(o.decided_at),
                production_bid=None if o.production_bid is None else Price(o.production_bid),
                production_ask=None if o.production_ask is None else Price(o.production_ask),
                production_mid=None if mid is None else Fraction(mid),
                shadow=ShadowFill(Count(o.shadow_count or 0), Money(o.shadow_notional or 0), ()),
                actual_count=Count(sum(f.count for f in own)),
                actual_notional=Money(sum(f.yes_price * f.count for f in own)),
                actual_fees=Money(sum(f.fee for f in own)),
            )
        )
    return tuple(records)


def _order_values(order: TrackedOrder) -> dict[str, object]:
    return {
        "client_order_id": order.client_order_id,
        "order_id": order.order_id,
        "ticker": order.ticker,
        "side": order.side,
        "yes_price": order.yes_price,
        "count": order.count,
        "filled": order.filled,
        "remaining": order.remaining,
        "status": order.status.value,
        "source": order.source.value,
        "rejection_rule": order.rejection_rule,
        "rejection_reason": order.rejection_reason,
        "decided_at": _at(order.created_ms),
        "updated_at": _at(order.updated_ms),
    }


def _ledger_values(record: OrderRecord) -> dict[str, object]:
    gap = record.realism_gap
    mid = record.production_mid
    return {
        "production_bid": record.production_bid,
        "production_ask": record.production_ask,
        "production_mid": None if mid is None else Decimal(mid.numerator) / mid.denominator,
        "shadow_count": record.shadow.count,
        "shadow_notional": record.shadow.notional,
        "actual_notional": record.actual_notional,
        "actual_fees": record.actual_fees,
        "realism_gap": None if gap is None else math.floor(gap),
    }


class TradingStore:
    def __init__(self, database: Database, *, max_queue: int = 100_000) -> None:
        self._db = database
        self._queue: asyncio.Queue[Write] = asyncio.Queue(max_queue)
        self._task: asyncio.Task[None] | None = None
        self.failed_writes = 0
        self.last_error: str | None = None

    # --- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="trading-store-writer")

    async def flush(self) -> None:
        """Wait until every queued write is done."""
        await self._queue.join()

    async def stop(self) -> None:
        if self._task is None:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await self.flush()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    def abandon(self) -> None:
        """Drop the writer without flushing (what a crash does; for tests)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    @property
    def backlog(self) -> int:
        return self._queue.qsize()

    async def _run(self) -> None:
        while True:
            write = await self._queue.get()
            try:
                await write()
            except Exception as err:  # one bad row must not stop the writer
                self.failed_writes += 1
                self.last_error = f"{type(err).__name__}: {err}"
                log.exception("trading store write failed")
            finally:
                self._queue.task_done()

    def _submit(self, write: Write) -> None:
        try:
            self._queue.put_nowait(write)
        except asyncio.QueueFull:
            self.failed_writes += 1
            self.last_error = "write queue full: the database is too slow or down"

    # --- orders -----------------------------------------------------------------------

    async def insert_pending(self, order: TrackedOrder, record: OrderRecord | None) -> None:
        """Durably record an order about to be sent (awaited on the order path)."""
        values = _order_values(order)
        if record is not None:
            values |= _ledger_values(record)
        async with self._db.session() as session:
            await session.execute(insert(TradeOrder).values(**values))
            await session.commit()

    def submit_order(self, order: TrackedOrder, record: OrderRecord | None = None) -> None:
        values = _order_values(order)
        if record is not None:
            values |= _ledger_values(record)

        async def write() -> None:
            stmt = insert(TradeOrder).values(**values)
            update = {k: stmt.excluded[k] for k in values if k != "client_order_id"}
            stmt = stmt.on_conflict_do_update(index_elements=["client_order_id"], set_=update)
            async with self._db.session() as session:
                await session.execute(stmt)
                await session.commit()

        self._submit(write)

    # --- fills and settlements --------------------------------------------------------

    def submit_fill(self, fill: FillReceived) -> None:
        values = {
            "trade_id": fill.trade_id,
            "order_id": fill.order_id,
            "client_order_id": fill.client_order_id,
            "ticker": fill.ticker,
            "side": fill.side,
            "yes_price": fill.yes_price,
            "count": fill.count,
            "fee": fill.fee,
            "is_taker": fill.is_taker,
            "via": fill.via,
            "executed_at": _at(fill.at_ms),
        }

        async def write() -> None:
            stmt = insert(FillRow).values(**values).on_conflict_do_nothing()
            async with self._db.session() as session:
                await session.execute(stmt)
                await session.commit()

        self._submit(write)

    def submit_settlement(self, effect: SettlementEffect, fee: Money, at_ms: int) -> None:
        values = {
            "ticker": effect.ticker,
            "settlement_value": effect.settlement_value,
            "position": effect.position,
            "payout": effect.payout,
            "fee": fee,
            "settled_at": _at(at_ms),
        }

        async def write() -> None:
            stmt = insert(TradeSettlement).values(**values).on_conflict_do_nothing()
            async with self._db.session() as session:
                await session.execute(stmt)
                await session.commit()

        self._submit(write)

    # --- snapshots --------------------------------------------------------------------

    def submit_snapshot(self, portfolio: PortfolioChanged) -> None:
        at = _at(portfolio.at_ms)
        row = {
            "taken_at": at,
            "balance": portfolio.balance,
            "cash": portfolio.cash,
            "reserved": portfolio.reserved,
            "available": portfolio.available,
            "value": portfolio.value,
            "realized": portfolio.realized,
            "unrealized_production": portfolio.unrealized_production,
            "unrealized_demo": portfolio.unrealized_demo,
            "fees_paid": portfolio.fees_paid,
            "reason": portfolio.reason[:32],
        }
        positions = [
            {
                "taken_at": at,
                "ticker": p.ticker,
                "position": p.position,
                "cost": p.cost,
                "realized": p.realized,
                "fees_paid": p.fees_paid,
                "unrealized_production": p.unrealized_production,
                "unrealized_demo": p.unrealized_demo,
            }
            for p in portfolio.positions
        ]

        async def write() -> None:
            async with self._db.session() as session:
                await session.execute(insert(PortfolioRow).values(**row))
                if positions:
                    await session.execute(insert(PositionRow), positions)
                await session.commit()

        self._submit(write)

    # --- restore ----------------------------------------------------------------------

    async def restore(self) -> Restored:
        async with self._db.session() as session:
            orders = (await session.execute(select(TradeOrder).order_by(TradeOrder.id))).scalars()
            tracked = tuple(
                TrackedOrder(
                    client_order_id=o.client_order_id,
                    order_id=o.order_id,
                    ticker=o.ticker,
                    side="bid" if o.side == "bid" else "ask",
                    yes_price=Price(o.yes_price),
                    count=Count(o.count),
                    filled=Count(o.filled),
                    remaining=Count(o.remaining),
                    status=OrderStatus(o.status),
                    source=OrderSource(o.source),
                    created_ms=_ms(o.decided_at),
                    updated_ms=_ms(o.updated_at),
                    rejection_rule=o.rejection_rule,
                    rejection_reason=o.rejection_reason,
                )
                for o in orders
            )
            ledger_rows = tuple(
                (
                    await session.execute(
                        select(TradeOrder)
                        .where(TradeOrder.shadow_count.is_not(None))
                        .order_by(TradeOrder.id)
                    )
                ).scalars()
            )
            fills = (await session.execute(select(FillRow).order_by(FillRow.id))).scalars()
            stored = tuple(
                StoredFill(
                    f.trade_id,
                    f.order_id,
                    f.client_order_id,
                    f.ticker,
                    f.side,
                    Price(f.yes_price),
                    Count(f.count),
                    Money(f.fee),
                    _ms(f.executed_at),
                )
                for f in fills
            )
            rows = (
                await session.execute(select(TradeSettlement).order_by(TradeSettlement.settled_at))
            ).scalars()
            settlements = tuple(
                StoredSettlement(
                    s.ticker, Price(s.settlement_value), Money(s.fee), _ms(s.settled_at)
                )
                for s in rows
            )
        # Fill counts per order follow from the fills themselves (fills_seen).
        seen: dict[str, int] = {}
        for f in stored:
            seen[f.order_id] = seen.get(f.order_id, 0) + f.count
        tracked = tuple(
            o if o.order_id is None or o.order_id not in seen
            else _with_seen(o, Count(seen[o.order_id]))
            for o in tracked
        )  # fmt: skip
        return Restored(tracked, stored, settlements, _ledger_records(ledger_rows, stored))

    # --- reads for tests and the API ----------------------------------------------------

    async def count_rows(self, table: str) -> int:
        model = {
            "trade_order": TradeOrder,
            "fill": FillRow,
            "portfolio_snapshot": PortfolioRow,
            "position_snapshot": PositionRow,
            "trade_settlement": TradeSettlement,
        }[table]
        async with self._db.session() as session:
            return int(
                (await session.execute(select(func.count()).select_from(model))).scalar_one()
            )

    async def orders(self) -> Sequence[TradeOrder]:
        async with self._db.session() as session:
            return (
                (await session.execute(select(TradeOrder).order_by(TradeOrder.id))).scalars().all()
            )


def _with_seen(order: TrackedOrder, seen: Count) -> TrackedOrder:
    return dataclasses.replace(order, fills_seen=seen)
