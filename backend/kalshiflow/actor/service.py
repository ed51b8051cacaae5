"""`ActorService`: accepted book updates -> observation -> action -> order -> record.

Flow per market:

* Every `OrderbookUpdated` on the bus (the recorder accepted it) updates the observation
  history and the market selection at once, in receive order, so temporal features are the
  ones training computes from the recording.
* Steps are coalesced: a market has at most one step in flight, and the update it acts on
  is the latest one when the step starts (older pending updates are superseded). Steps of a
  market are at least ``throttle_ms`` apart.
* A step builds the observation, asks the selector, turns the action into a limit order
  (`LimitOrderActionSpace`), hands it to the `OrderSink` (the OrderManager: risk checks,
  placement), then records the step in `actor_action` and publishes `ActorActionTaken`.
* After its step, the market's actor orders older than the time-to-live are cancelled
  (`OrderExpiry`, when given), as the training simulator does.
* A market whose steps fail ``breaker_errors`` times in a row (exceptions, or the sink
  reporting an error) is left alone for ``breaker_cooldown_s``: one broken market must not
  spam the exchange or the log while the others keep trading.

`pause()` stops new steps (history keeps updating, so resuming acts on fresh features);
`resume()` continues. Selectors can be swapped at run time with `set_selector`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from kalshiflow.actor.action_log import ActionLog
from kalshiflow.actor.adapter import LiveObservationAdapter
from kalshiflow.actor.events import ActorActionTaken, ActorStateChanged
from kalshiflow.actor.expiry import OrderExpiry
from kalshiflow.actor.market_selection import MarketSelection
from kalshiflow.actor.orders import OrderOutcome, OrderSink, OutcomeStatus, describe_outcome
from kalshiflow.actor.selectors import ActionSelector
from kalshiflow.events import EventBus, OrderbookUpdated, Subscription
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.trading.action_space import LimitOrderActionSpace
from kalshiflow.trading.events import OrderSource
from kalshiflow.trading.types import Action, OrderIntent

log = logging.getLogger(__name__)

LATENCY_SAMPLES: Final = 2_048
SOURCE: Final = OrderSource.ACTOR


@dataclass(slots=True)
class _Breaker:
    errors: int = 0
    open_until: float = 0.0  # monotonic seconds
    trips: int = 0


@dataclass(slots=True)
class ActorStats:
    updates: int = 0
    steps: int = 0
    orders: int = 0
    rejected: int = 0
    errors: int = 0
    superseded: int = 0  # pending updates replaced by a newer one before their step
    step_latency_us: deque[int] = field(default_factory=lambda: deque(maxlen=LATENCY_SAMPLES))
    decision_latency_us: deque[int] = field(default_factory=lambda: deque(maxlen=LATENCY_SAMPLES))


def percentile(values: Any, q: float) -> int | None:
    data = sorted(values)
    if not data:
        return None
    return int(data[min(len(data) - 1, int(q * len(data)))])


class ActorService:
    name = "actor"

    def __init__(
        self,
        bus: EventBus,
        adapter: LiveObservationAdapter,
        selector: ActionSelector,
        action_space: LimitOrderActionSpace,
        sink: OrderSink,
        markets: MarketSelection,
        *,
        action_log: ActionLog | None = None,
        expiry: OrderExpiry | None = None,
        throttle_ms: int = 250,
        breaker_errors: int = 3,
        breaker_cooldown_s: float = 30.0,
        queue_size: int = 50_000,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self.bus = bus
        self.adapter = adapter
        self.selector = selector
        self.action_space = action_space
        self.sink = sink
        self.markets = markets
        self.action_log = action_log
        self.expiry = expiry
        self.throttle_s = throttle_ms / 1000.0
        self.breaker_errors = breaker_errors
        self.breaker_cooldown_s = breaker_cooldown_s
        self.stats = ActorStats()
        self._queue_size = queue_size
        self._clock_ns = clock_ns
        self._sub: Subscription[OrderbookUpdated] | None = None
        self._task: asyncio.Task[None] | None = None
        self._pending: dict[str, OrderbookUpdated] = {}
        self._inflight: dict[str, asyncio.Task[None]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._last_step: dict[str, float] = {}
        self._breakers: dict[str, _Breaker] = {}
        self._paused = False
        self._running = False

    # --- life cycle ---------------------------------------------------------------------

    async def start(self) -> None:
        if self._running:
            return
        if self.action_log is not None:
            await self.action_log.start()
        # drop_oldest, not conflate: the history needs every update; coalescing of steps
        # happens here, per market, after the history saw the update.
        self._sub = self.bus.subscribe(
            OrderbookUpdated, policy="drop_oldest", maxsize=self._queue_size, name="actor"
        )
        self._running = True
        self._task = asyncio.create_task(self._consume(), name="actor-consume")
        self.bus.publish(ActorStateChanged("running", "started"))
        log.info("actor started: selector %s (%s), markets %s", self.selector.name,
                 self.selector.version, self.markets.mode)  # fmt: skip

    async def stop(self) -> None:
        self._running = False
        if self._sub is not None:
            self._sub.close()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        inflight = list(self._inflight.values())
        if inflight:
            await asyncio.gather(*inflight, return_exceptions=True)
        if self.action_log is not None:
            await self.action_log.stop()
        self.bus.publish(ActorStateChanged("stopped", "stopped"))

    def pause(self, reason: str = "paused") -> None:
        if not self._paused:
            self._paused = True
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
            self._pending.clear()
            self.bus.publish(ActorStateChanged("paused", reason))

    def resume(self, reason: str = "resumed") -> None:
        if self._paused:
            self._paused = False
            self.bus.publish(ActorStateChanged("running", reason))

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def running(self) -> bool:
        return self._running

    def set_selector(self, selector: ActionSelector) -> None:
        self.selector = selector
        self.bus.publish(ActorStateChanged("running", f"selector {selector.version}"))

    def configure(
        self,
        *,
        throttle_ms: int | None = None,
        action_space: LimitOrderActionSpace | None = None,
        markets: MarketSelection | None = None,
    ) -> None:
        """Change how the actor trades while it runs (validated by the caller). A new market
        selection starts its activity window afresh."""
        changed: list[str] = []
        if throttle_ms is not None:
            self.throttle_s = throttle_ms / 1000.0
            changed.append(f"throttle {throttle_ms} ms")
        if action_space is not None:
            self.action_space = action_space
            changed.append(f"size {action_space.contract_size / 100:g} contracts")
        if markets is not None:
            self.markets = markets
            changed.append(f"markets {markets.mode}")
        if changed:
            state = "paused" if self._paused else "running"
            self.bus.publish(ActorStateChanged(state, "configured: " + ", ".join(changed)))

    def open_breakers(self) -> tuple[str, ...]:
        now = time.monotonic()
        return tuple(sorted(t for t, b in self._breakers.items() if b.open_until > now))

    # --- updates ------------------------------------------------------------------------

    async def _consume(self) -> None:
        assert self._sub is not None
        async for event in self._sub:
            try:
                self.on_update(event)
            except Exception:  # a bad update must not end the actor
                log.exception("actor could not take update %s seq %s", event.ticker, event.seq)

    def on_update(self, event: OrderbookUpdated) -> None:
        """Account for one accepted update and schedule a step for its market."""
        self.stats.updates += 1
        self.adapter.observe(event)
        self.markets.note_update(event.ticker, event.book, event.received_ns)
        if not self._running or self._paused or not self.markets.is_selected(event.ticker):
            return
        if event.ticker in self._pending:
            self.stats.superseded += 1
        self._pending[event.ticker] = event
        self._schedule(event.ticker)

    def _schedule(self, ticker: str) -> None:
        if ticker in self._inflight or ticker in self._timers or self._paused:
            return
        now = time.monotonic()
        breaker = self._breakers.get(ticker)
        wait = 0.0
        if breaker is not None and breaker.open_until > now:
            wait = breaker.open_until - now
        last = self._last_step.get(ticker)
        if last is not None:
            wait = max(wait, last + self.throttle_s - now)
        if wait > 0:
            loop = asyncio.get_running_loop()
            self._timers[ticker] = loop.call_later(wait, self._fire, ticker)
        else:
            self._fire(ticker)

    def _fire(self, ticker: str) -> None:
        self._timers.pop(ticker, None)
        event = self._pending.pop(ticker, None)
        if event is None or self._paused or not self._running:
            return
        self._last_step[ticker] = time.monotonic()
        self._inflight[ticker] = asyncio.create_task(self._run_step(event), name=f"actor-{ticker}")

    async def _run_step(self, event: OrderbookUpdated) -> None:
        ticker = event.ticker
        try:
            ok = await self.step(event)
        except Exception as err:
            log.exception("actor step on %s failed", ticker)
            self.stats.errors += 1
            ok = False
            self._record_failure(event, err)
        finally:
            self._inflight.pop(ticker, None)
        self._breaker_result(ticker, ok)
        if ticker in self._pending and self._running:
            self._schedule(ticker)

    def _breaker_result(self, ticker: str, ok: bool) -> None:
        breaker = self._breakers.setdefault(ticker, _Breaker())
        if ok:
            breaker.errors = 0
            return
        breaker.errors += 1
        if breaker.errors >= self.breaker_errors:
            breaker.errors = 0
            breaker.trips += 1
            breaker.open_until = time.monotonic() + self.breaker_cooldown_s
            reason = (f"{ticker}: {self.breaker_errors} failed steps in a row; "
                      f"pausing this market for {self.breaker_cooldown_s:g} s")  # fmt: skip
            log.warning("actor circuit breaker open: %s", reason)
            self.bus.publish(ActorStateChanged("breaker_open", reason, ticker))

    # --- one step -------------------------------------------------------------------------

    async def step(self, event: OrderbookUpdated) -> bool:
        """Act on ``event``'s market; True unless the order ended in an error."""
        ticker, book = event.ticker, event.book
        observation = self.adapter.observation_for(event)
        selector = self.selector
        t0 = time.perf_counter_ns()
        action = Action(await selector.select(observation))
        decision_us = (time.perf_counter_ns() - t0) // 1000
        portfolio = self.adapter.portfolio
        position = portfolio.portfolio_state(ticker).position
        reducing_side = "ask" if position > 0 else "bid"
        pending_reduce = sum(
            o.remaining for o in portfolio.resting_orders(ticker) if o.side == reducing_side
        )
        result = self.action_space.to_order(action, ticker, book, position, pending_reduce)
        outcome: OrderOutcome
        intent: OrderIntent | None = None
        if isinstance(result, OrderIntent):
            intent = result
            outcome = describe_outcome(await self.sink.place(intent, SOURCE))
            self.stats.orders += 1
            if outcome.status == "rejected":
                self.stats.rejected += 1
            elif outcome.status == "error":
                self.stats.errors += 1
        else:
            status: OutcomeStatus = "hold" if action is Action.HOLD else "no_order"
            outcome = OrderOutcome(status, result.reason)
        now_ns = self._clock_ns()
        step_us = max(0, (now_ns - event.received_ns) // 1000)
        self.stats.steps += 1
        self.stats.decision_latency_us.append(decision_us)
        self.stats.step_latency_us.append(step_us)
        taken = ActorActionTaken(
            ticker=ticker,
            action=int(action),
            action_name=action.name,
            selector=selector.name,
            model_version=selector.version,
            outcome=outcome.status,
            detail=outcome.detail if outcome.rule is None else f"{outcome.rule}: {outcome.detail}",
            decision_latency_us=decision_us,
            step_latency_us=step_us,
            received_ns=event.received_ns,
            acted_ns=now_ns,
            book_seq=event.seq,
            order_side=intent.side if intent else None,
            order_yes_price=intent.yes_price if intent else None,
            order_count=intent.count if intent else None,
            client_order_id=outcome.client_order_id,
            order_id=outcome.order_id,
        )
        self.bus.publish(taken)
        if self.action_log is not None:
            self.action_log.submit(taken, observation)
        if self.expiry is not None:  # after the order: its latency is not the cancels'
            await self.expiry.expire(ticker, now_ns // 1_000_000)
        return outcome.status != "error"

    def _record_failure(self, event: OrderbookUpdated, err: BaseException) -> None:
        now_ns = self._clock_ns()
        taken = ActorActionTaken(
            ticker=event.ticker,
            action=int(Action.HOLD),
            action_name="HOLD",
            selector=self.selector.name,
            model_version=self.selector.version,
            outcome="error",
            detail=f"{type(err).__name__}: {err}"[:500],
            decision_latency_us=0,
            step_latency_us=max(0, (now_ns - event.received_ns) // 1000),
            received_ns=event.received_ns,
            acted_ns=now_ns,
            book_seq=event.seq,
        )
        self.bus.publish(taken)
        if self.action_log is not None:  # no observation: the step failed before or after it
            self.action_log.submit(taken, np.zeros(0, dtype=np.float32))

    # --- health -------------------------------------------------------------------------

    def health(self) -> ComponentHealth:
        if not self._running:
            return ComponentHealth(self.name, ComponentState.STOPPED, "not running")
        s = self.stats
        p50 = percentile(s.step_latency_us, 0.5)
        selector = f"{self.selector.name} {self.selector.version}"
        detail = (f"{'paused' if self._paused else 'trading'} with {selector}; "
                  f"{s.steps} steps, {s.orders} orders ({s.rejected} rejected, {s.errors} "
                  f"errors), update-to-order p50 {p50} us")  # fmt: skip
        breakers = self.open_breakers()
        problems = []
        if breakers:
            problems.append(f"circuit breaker open for {', '.join(breakers)}")
        if self.action_log is not None and self.action_log.last_error:
            problems.append(f"decision log not written: {self.action_log.last_error}")
        if self._sub is not None and self._sub.dropped:
            problems.append(f"{self._sub.dropped} updates dropped (actor too slow)")
        if problems:
            return ComponentHealth(
                self.name, ComponentState.DEGRADED, "; ".join([detail, *problems])
            )
        return ComponentHealth(self.name, ComponentState.RUNNING, detail)


__all__ = ["ActorService", "ActorStats", "percentile"]
