"""`TradingComponent`: the trading core wired together and kept in step with the exchange.

Built from plain dependencies; the ones that exist only after earlier components started
(the client pair, the database, the shared production books, the trading key for the
private WebSocket) are zero-argument providers read in `start()`.

Start is recovery: restore orders, fills and settlements from the database, open the
private feed (fills, orders, positions of the trading account), then reconcile with the
exchange; only when that passed does the trader state go starting → calibrating → trading
(the actor may not trade before). If it fails the trader is ``recovering`` and a background
loop retries. While running: every feed gap (reconnect, resync) triggers a reconciliation
(once the channels are live again), and so does a timer; portfolio snapshots are taken on
every fill and on an interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from kalshiflow.config import Settings
from kalshiflow.events import EventBus
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.errors import KalshiClientError
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, FixedPointError, parse_count
from kalshiflow.kalshi.hybrid import HybridClientPair
from kalshiflow.kalshi.models import Fill, Order
from kalshiflow.kalshi.stream import HeaderSigner, StreamConfig
from kalshiflow.kalshi.trading_client import KalshiTradingClient
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence.database import Database
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import OrderSource
from kalshiflow.trading.fill_processor import BookedFill, FillProcessor
from kalshiflow.trading.ledger import TwoLedgers
from kalshiflow.trading.order_manager import OrderManager
from kalshiflow.trading.order_tracker import OrderTracker, sync_cash_hold
from kalshiflow.trading.portfolio import Portfolio
from kalshiflow.trading.positions import PositionTracker, SettlementEffect
from kalshiflow.trading.private_feed import PrivateFeed
from kalshiflow.trading.reconciler import Reconciler, ReconciliationReport
from kalshiflow.trading.risk import RiskManager
from kalshiflow.trading.state_machine import TraderState, TraderStateMachine
from kalshiflow.trading.store import TradingStore
from kalshiflow.trading.types import BookSide, Clock, Mark

log = logging.getLogger(__name__)


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class TradingComponent:
    name = "trading"

    def __init__(
        self,
        settings: Settings,
        clients: Callable[[], HybridClientPair],
        database: Callable[[], Database],
        bus: EventBus,
        trading_auth: Callable[[], HeaderSigner],
        books: Callable[[], SharedOrderbookState | None] = lambda: None,
        *,
        clock: Clock = wall_clock_ms,
        reconcile_interval_s: float = 30.0,
        snapshot_interval_s: float = 10.0,
        feed_subscribe_timeout_s: float = 10.0,
        stream_config: Callable[[str], StreamConfig] | None = None,
    ) -> None:
        self._settings = settings
        self._clients = clients
        self._database = database
        self.bus = bus
        self._auth = trading_auth
        self._books = books
        self._clock = clock
        self._reconcile_interval_s = reconcile_interval_s
        self._snapshot_interval_s = snapshot_interval_s
        self._feed_timeout_s = feed_subscribe_timeout_s
        self._stream_config = stream_config
        self._tasks: list[asyncio.Task[None]] = []
        self._gap_task: asyncio.Task[None] | None = None
        self._gap_again = False
        self._state_detail = "not started"
        self._component_state = ComponentState.STOPPED
        self._demo_marks: dict[str, Fraction] = {}
        self._parts: TradingParts | None = None

    # --- parts (valid after start) ----------------------------------------------------

    @property
    def parts(self) -> TradingParts:
        if self._parts is None:
            raise RuntimeError("the trading component is not started")
        return self._parts

    @property
    def order_manager(self) -> OrderManager:
        return self.parts.orders

    @property
    def portfolio(self) -> Portfolio:
        return self.parts.portfolio

    @property
    def trader(self) -> TraderStateMachine:
        return self.parts.state

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        self._component_state = ComponentState.STARTING
        pair = self._clients()
        if pair.trading_ws_url is None:
            raise RuntimeError(
                "the trading WebSocket URL is unknown: set KALSHI_TRADING_WS_URL (or run in "
                "sandbox mode) so fills and order updates can be followed"
            )
        parts = TradingParts(self, pair.trading, self._database(), self._books())
        self._parts = parts
        parts.store.start()
        history = await parts.restore()
        parts.state.calibrate("reconciling with the exchange at start")
        config = (
            self._stream_config(pair.trading_ws_url)
            if self._stream_config is not None
            else StreamConfig(url=pair.trading_ws_url, backoff_base=0.2, backoff_max=5.0)
        )
        parts.feed = PrivateFeed(
            pair.trading_ws_url,
            self._auth(),
            on_fill=self._on_ws_fill,
            on_order=self._on_ws_order,
            on_gap=self._on_gap,
            on_position=self._on_ws_position,
            config=config,
        )
        try:
            if not await parts.feed.start(self._feed_timeout_s):
                log.warning("trading: private feed not subscribed yet; reconciling anyway")
            await self._reconcile_and_trade("start", history=history)
        except (KalshiClientError, OSError, TimeoutError) as err:
            self._recovering(f"start reconciliation failed: {type(err).__name__}: {err}")
        self._tasks = [
            asyncio.create_task(self._every(self._reconcile_interval_s, self._periodic),
                                name="trading-reconcile"),
            asyncio.create_task(self._every(self._snapshot_interval_s, self._snapshot),
                                name="trading-snapshots"),
        ]  # fmt: skip

    async def stop(self) -> None:
        tasks = [*self._tasks, *([self._gap_task] if self._gap_task else [])]
        self._tasks, self._gap_task = [], None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        parts = self._parts
        if parts is not None:
            if parts.feed is not None:
                await parts.feed.stop()
            await parts.store.stop()
            if parts.state.state is not TraderState.STOPPED:
                parts.state.stop("trading component stopped")
        self._component_state = ComponentState.STOPPED
        self._state_detail = "stopped"

    def abandon(self) -> None:
        """Stop every task at once, flushing and closing nothing (what a crash leaves
        behind: unwritten rows are lost, resting orders stay on the exchange). Tests only."""
        for task in [*self._tasks, *([self._gap_task] if self._gap_task else [])]:
            task.cancel()
        self._tasks, self._gap_task = [], None
        if self._parts is not None:
            self._parts.store.abandon()
            if self._parts.feed is not None:
                feed, self._parts.feed = self._parts.feed, None
                asyncio.get_running_loop().create_task(feed.stop())
        self._component_state = ComponentState.FAILED
        self._state_detail = "abandoned"

    def health(self) -> ComponentHealth:
        parts = self._parts
        if parts is None or self._component_state in (
            ComponentState.STOPPED,
            ComponentState.FAILED,
        ):
            return ComponentHealth(self.name, self._component_state, self._state_detail)
        state = parts.state.state
        problems = []
        if parts.feed is not None and not parts.feed.active:
            problems.append("private feed not live (reconnecting); fills come by REST backfill")
        if parts.store.failed_writes:
            problems.append(f"{parts.store.failed_writes} database writes failed")
        if parts.risk.engaged:
            problems.append(f"kill switch engaged ({parts.risk.kill_switch_reason})")
        report = parts.reconciler.last_report
        detail = f"trader {state}"
        if report is not None:
            detail += f"; last reconciliation: {len(report.discrepancies)} discrepancies"
        if problems:
            detail += "; " + "; ".join(problems)
        if state is TraderState.TRADING and not problems:
            component = ComponentState.RUNNING
        elif state in (TraderState.STARTING, TraderState.CALIBRATING):
            component = ComponentState.STARTING
        else:
            component = ComponentState.DEGRADED
        return ComponentHealth(self.name, component, detail)

    # --- reconciliation ---------------------------------------------------------------

    async def reconcile(self, reason: str) -> ReconciliationReport:
        """One reconciliation pass now (also what the API's "sync" button calls)."""
        report = await self.parts.reconciler.reconcile(reason)
        self.parts.publish_portfolio("reconciliation")
        return report

    async def _reconcile_and_trade(self, reason: str, *, history: bool = False) -> None:
        parts = self.parts
        report = await parts.reconciler.reconcile(reason, history=history)
        if not report.settled:
            raise TimeoutError("fills kept arriving during reconciliation; retrying")
        parts.risk.start_day()
        parts.publish_portfolio("reconciliation")
        if parts.state.state is TraderState.CALIBRATING:
            parts.state.start_trading("reconciled with the exchange")
        self._component_state = ComponentState.RUNNING
        self._state_detail = f"trader {parts.state.state}"

    def _recovering(self, why: str) -> None:
        log.warning("trading: %s", why)
        parts = self.parts
        if parts.state.can_transition(TraderState.RECOVERING):
            parts.state.fail(why)
        self._component_state = ComponentState.DEGRADED
        self._state_detail = why

    async def _periodic(self) -> None:
        parts = self.parts
        if parts.state.state is TraderState.RECOVERING:
            parts.state.calibrate("retrying reconciliation")
            try:
                await self._reconcile_and_trade("recovery")
            except (KalshiClientError, OSError, TimeoutError) as err:
                self._recovering(f"reconciliation failed: {type(err).__name__}: {err}")
            return
        try:
            await self.reconcile("periodic")
        except (KalshiClientError, OSError, TimeoutError) as err:
            log.warning("periodic reconciliation failed: %s", err)

    def _on_gap(self, reason: str) -> None:
        if self._gap_task is not None and not self._gap_task.done():
            self._gap_again = True
            return
        self._gap_task = asyncio.create_task(self._reconcile_gap(reason), name="trading-gap")

    async def _reconcile_gap(self, reason: str) -> None:
        parts = self.parts
        while True:
            self._gap_again = False
            if parts.feed is not None:
                await parts.feed.wait_active()
            try:
                await self.reconcile(f"private feed gap ({reason})")
            except (KalshiClientError, OSError, TimeoutError) as err:
                log.warning("reconciliation after a feed gap failed: %s", err)
            if not self._gap_again:
                return

    # --- live feed --------------------------------------------------------------------

    def _on_ws_fill(self, fill: Fill) -> None:
        self.parts.fills.apply(fill, "ws")

    def _on_ws_order(self, order: Order) -> None:
        parts = self.parts
        updated = parts.tracker.apply_exchange_order(
            order, self._clock(), source=OrderSource.RECONCILIATION
        )
        if updated is not None:
            sync_cash_hold(parts.cash, updated)
            parts.orders.emit(updated)

    def _on_ws_position(self, msg: dict[str, Any]) -> None:
        """The exchange's position after each change: a disagreement that no fill explains
        (settlement, a trade elsewhere on the account) is resolved by reconciling."""
        ticker = msg.get("market_ticker")
        if not isinstance(ticker, str):
            return
        try:
            position = parse_count(msg.get("position_fp", msg.get("position")))
        except FixedPointError:
            return
        if position != self.parts.positions.position(ticker):
            self._on_gap(f"position of {ticker} differs from the exchange's")

    # --- snapshots --------------------------------------------------------------------

    async def refresh_demo_marks(self) -> None:
        """Read the demo mid of every open position (the trading environment's own book,
        which the orders actually meet) for the second unrealized P&L."""
        parts = self.parts
        for ticker in parts.positions.open_tickers():
            with contextlib.suppress(KalshiClientError, OSError, TimeoutError):
                market = await parts.client.get_market(ticker)
                bid, ask = market.yes_bid, market.yes_ask
                # Kalshi reports an empty side as 0 (bid) / 1 (ask): no mid then.
                if bid and ask and ask < ONE_DOLLAR:
                    self._demo_marks[ticker] = Fraction(bid + ask, 2)
                else:
                    self._demo_marks.pop(ticker, None)

    async def _snapshot(self) -> None:
        await self.refresh_demo_marks()
        self.parts.publish_portfolio("interval")

    def demo_mark(self, ticker: str) -> Mark | None:
        return self._demo_marks.get(ticker)

    async def _every(self, interval_s: float, action: Callable[[], Any]) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                await action()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("trading background step failed")


class TradingParts:
    """Every part of one running trading core, built once per start."""

    def __init__(
        self,
        owner: TradingComponent,
        client: KalshiTradingClient,
        database: Database,
        books: SharedOrderbookState | None,
    ) -> None:
        clock = owner._clock
        self.owner = owner
        self.client = client
        self.books = books
        self.bus = owner.bus
        self.store = TradingStore(database)
        self.positions = PositionTracker()
        self.cash = CashManager(self.positions)
        self.tracker = OrderTracker()
        self.ledgers = TwoLedgers()
        self.state = TraderStateMachine(clock, on_change=self._publish)
        self.risk = RiskManager(
            owner._settings.risk, self.positions, self.cash, clock, self.production_mark
        )
        self.portfolio = Portfolio(
            self.positions, self.cash, clock, self.production_mark, owner.demo_mark
        )
        self.orders = OrderManager(
            client, self.tracker, self.risk, self.cash, self.ledgers, self.state, clock,
            books=books, store=self.store, publish=self.bus.publish,
        )  # fmt: skip
        self.fills = FillProcessor(
            self.positions, self.cash, self.tracker, self.ledgers, clock, self._on_fill
        )
        self.reconciler = Reconciler(
            client, self.tracker, self.positions, self.cash, self.fills, clock,
            on_order=self.orders.emit, on_discrepancy=self._publish,
            on_settlement=self._on_settlement, busy=lambda: self.orders.busy,
        )  # fmt: skip
        self.feed: PrivateFeed | None = None

    def _publish(self, event: object) -> None:
        self.bus.publish(event)

    def production_mark(self, ticker: str) -> Mark | None:
        if self.books is None:
            return None
        book = self.books.get(ticker)
        return None if book is None else book.mid

    def publish_portfolio(self, reason: str) -> None:
        view = self.portfolio.view(reason)
        self.bus.publish(view)
        self.store.submit_snapshot(view)

    def _on_fill(self, booked: BookedFill) -> None:
        self.store.submit_fill(booked.event)
        self.bus.publish(booked.event)
        if booked.order is not None:
            self.orders.emit(booked.order)
        self.publish_portfolio("fill")

    def _on_settlement(self, effect: SettlementEffect, fee: Any, at_ms: int) -> None:
        self.store.submit_settlement(effect, fee, at_ms)

    async def restore(self) -> bool:
        """Load what the database holds; True when it holds nothing (first start: the
        account's existing history is adopted rather than replayed)."""
        restored = await self.store.restore()
        for order in restored.orders:
            self.tracker.restore(order)
        for record in restored.ledger:
            self.ledgers.restore(record)
        for f in restored.fills:
            side: BookSide = "bid" if f.side == "bid" else "ask"
            self.fills.replay(f.ticker, side, f.yes_price, f.count, f.fee)
        newest = max((f.executed_ms for f in restored.fills), default=None)
        if newest is None and restored.orders:
            newest = min(o.created_ms for o in restored.orders)
        self.fills.mark_seen((f.trade_id for f in restored.fills), newest)
        for s in restored.settlements:
            self.positions.settle(s.ticker, s.settlement_value, s.fee)
        self.reconciler.mark_settled([s.ticker for s in restored.settlements])
        # Holds for orders that were resting when we stopped; reconciliation corrects them.
        for order in self.tracker.resting_orders():
            sync_cash_hold(self.cash, order)
        return not restored.orders and not restored.fills
