"""The in-process event bus: typed immutable events, one bounded queue per subscriber.

Publishers (the orderbook client, later the trading services) call ``publish()`` from the
event loop; it is synchronous and never waits. Each subscriber owns a bounded queue and reads
it with ``async for``. A slow subscriber can therefore never hold up the feed: when its queue
is full it loses events according to its own policy, and the losses are counted on it:

* ``"drop_oldest"``: the oldest queued event makes room for the new one (for streams where
  every event matters a little and the newest matters most, e.g. fills shown in a log).
* ``"conflate"``: events are keyed (by default per event type and market ticker) and a new
  event replaces the queued one with the same key in place, so a subscriber that only needs
  the latest book per market never falls behind by more than one event per market. Only when
  more distinct keys are waiting than the bound allows is the oldest key dropped.

The bus is generic over event types: any class works; the market-data events below are the
ones this module owns. Other domains define their events next to their services.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar, overload

if TYPE_CHECKING:  # only for annotations: marketdata imports this module
    from kalshiflow.marketdata.catalog import MarketInfo
    from kalshiflow.marketdata.orderbook import OrderbookSnapshot

E = TypeVar("E")
Policy = Literal["conflate", "drop_oldest"]
KeyFunc = Callable[[Any], Hashable]

DEFAULT_MAXSIZE: Final = 1024


# --- market-data events -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderbookUpdated:
    """A book changed and the recorder accepted the change (so training data and the actor
    see exactly the same stream). ``seq`` is Kalshi's per-subscription sequence number;
    ``received_ns`` is ``time.time_ns()`` when the frame was handled."""

    ticker: str
    seq: int
    kind: Literal["snapshot", "delta"]
    book: OrderbookSnapshot
    received_ns: int
    exchange_ts_ms: int | None


@dataclass(frozen=True, slots=True)
class TradeReceived:
    """A public trade. Prices in ``Price`` units, ``count`` in ``Count`` units; ``taker_side``
    is the outcome the taker bought ("yes" | "no")."""

    ticker: str
    trade_id: str
    yes_price: int
    no_price: int
    count: int
    taker_side: str
    exchange_ts_ms: int | None
    received_ns: int


@dataclass(frozen=True, slots=True)
class TickerUpdated:
    """Kalshi's ticker channel: last price, top of book and cumulative volume of a market."""

    ticker: str
    last_price: int | None
    yes_bid: int | None
    yes_ask: int | None
    volume: int | None
    open_interest: int | None
    exchange_ts_ms: int | None
    received_ns: int


@dataclass(frozen=True, slots=True)
class MarketsChanged:
    """The set of watched markets changed. ``added`` carries the metadata of new markets;
    ``tickers`` is the whole set afterwards."""

    added: tuple[MarketInfo, ...]
    removed: tuple[str, ...]
    tickers: tuple[str, ...]
    reason: str


FeedState = Literal["connected", "reconnected", "disconnected", "resync", "subscription_error"]


@dataclass(frozen=True, slots=True)
class FeedHealthChanged:
    """The market-data feed lost or regained messages. On "disconnected", "reconnected" and
    "resync" the books of ``tickers`` (empty: all) are invalid until fresh snapshots arrive."""

    state: FeedState
    reason: str
    tickers: tuple[str, ...]
    received_ns: int


def default_key(event: object) -> Hashable:
    """Conflation key: the event type plus its market ticker, if it has one."""
    return (type(event), getattr(event, "ticker", None))


# --- subscriptions ----------------------------------------------------------------------


class BusClosedError(RuntimeError):
    """The subscription (or the whole bus) was closed."""


class Subscription(Generic[E]):
    """One subscriber's bounded queue. Iterate it with ``async for``; ``close()`` ends it."""

    def __init__(
        self,
        bus: EventBus,
        types: tuple[type[Any], ...],
        policy: Policy,
        maxsize: int,
        key: KeyFunc,
        name: str,
    ) -> None:
        if policy not in ("conflate", "drop_oldest"):
            raise ValueError(f"policy must be 'conflate' or 'drop_oldest', got {policy!r}")
        if maxsize < 1:
            raise ValueError(f"maxsize must be >= 1 event, got {maxsize}")
        self.name = name
        self.types = types
        self.policy: Policy = policy
        self.maxsize = maxsize
        self.delivered = 0  # events handed to the subscriber
        self.dropped = 0  # events lost because the queue was full
        self.conflated = 0  # events replaced by a newer one with the same key
        self._bus = bus
        self._key = key
        self._fifo: deque[E] = deque()
        self._latest: OrderedDict[Hashable, E] = OrderedDict()
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def __len__(self) -> int:
        return len(self._latest) if self.policy == "conflate" else len(self._fifo)

    def _offer(self, event: E) -> None:
        if self.policy == "conflate":
            latest = self._latest
            key = self._key(event)
            if key in latest:
                latest[key] = event  # keeps its place in line: the newest value, no starvation
                self.conflated += 1
            else:
                if len(latest) >= self.maxsize:
                    latest.popitem(last=False)
                    self.dropped += 1
                latest[key] = event
        else:
            fifo = self._fifo
            if len(fifo) >= self.maxsize:
                fifo.popleft()
                self.dropped += 1
            fifo.append(event)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def get_nowait(self) -> E | None:
        """The next event, or None when the queue is empty."""
        if self.policy == "conflate":
            if not self._latest:
                return None
            event = self._latest.popitem(last=False)[1]
        else:
            if not self._fifo:
                return None
            event = self._fifo.popleft()
        self.delivered += 1
        return event

    async def get(self) -> E:
        """Wait for the next event; raises BusClosedError once closed (queued events first)."""
        while True:
            event = self.get_nowait()
            if event is not None:
                return event
            if self._closed:
                raise BusClosedError(f"subscription {self.name!r} is closed")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None

    def __aiter__(self) -> AsyncIterator[E]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[E]:
        while True:
            try:
                yield await self.get()
            except BusClosedError:
                return

    def close(self) -> None:
        """Stop receiving; a waiting ``async for`` ends after the queued events."""
        if self._closed:
            return
        self._closed = True
        self._bus._remove(self)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def stats(self) -> SubscriptionStats:
        return SubscriptionStats(
            name=self.name,
            policy=self.policy,
            maxsize=self.maxsize,
            queued=len(self),
            delivered=self.delivered,
            dropped=self.dropped,
            conflated=self.conflated,
        )


@dataclass(frozen=True, slots=True)
class SubscriptionStats:
    name: str
    policy: Policy
    maxsize: int
    queued: int
    delivered: int
    dropped: int
    conflated: int


# --- the bus ----------------------------------------------------------------------------


class EventBus:
    """Fan-out of events to subscribers by event type (a subscription to a base class, or to
    no type at all, receives subclasses / everything)."""

    def __init__(self) -> None:
        self._subs: list[Subscription[Any]] = []
        # type -> matching subscriptions; rebuilt lazily after (un)subscribing, so publish()
        # is one dict lookup plus one call per interested subscriber.
        self._routes: dict[type[Any], tuple[Subscription[Any], ...]] = {}
        self.published = 0
        # Bumped on every (un)subscribe: a hot publisher can cache has_subscribers() and
        # re-ask only when this changed.
        self.generation = 0

    @overload
    def subscribe(
        self,
        *,
        policy: Policy = ...,
        maxsize: int = ...,
        key: KeyFunc | None = ...,
        name: str = ...,
    ) -> Subscription[Any]: ...

    @overload
    def subscribe(
        self,
        *types: type[E],
        policy: Policy = ...,
        maxsize: int = ...,
        key: KeyFunc | None = ...,
        name: str = ...,
    ) -> Subscription[E]: ...

    def subscribe(
        self,
        *types: type[Any],
        policy: Policy = "drop_oldest",
        maxsize: int = DEFAULT_MAXSIZE,
        key: KeyFunc | None = None,
        name: str = "",
    ) -> Subscription[Any]:
        """A new subscription to ``types`` (none: every event).

        ``key`` (conflate only) maps an event to its conflation key; the default is the event
        type plus its ``ticker`` attribute, i.e. the latest event per market wins.
        """
        sub: Subscription[Any] = Subscription(
            self, tuple(types), policy, maxsize, key or default_key, name or f"sub{len(self._subs)}"
        )
        self._subs.append(sub)
        self._routes.clear()
        self.generation += 1
        return sub

    def _remove(self, sub: Subscription[Any]) -> None:
        if sub in self._subs:
            self._subs.remove(sub)
            self._routes.clear()
            self.generation += 1

    def _route(self, event_type: type[Any]) -> tuple[Subscription[Any], ...]:
        routed = self._routes.get(event_type)
        if routed is None:
            routed = tuple(s for s in self._subs if not s.types or issubclass(event_type, s.types))
            self._routes[event_type] = routed
        return routed

    def has_subscribers(self, event_type: type[Any]) -> bool:
        """Lets a publisher skip building an expensive event nobody would receive."""
        return bool(self._route(event_type))

    def publish(self, event: object) -> int:
        """Offer ``event`` to every interested subscriber; never blocks. Returns how many."""
        self.published += 1
        subs = self._route(type(event))
        for sub in subs:
            sub._offer(event)
        return len(subs)

    def stats(self) -> list[SubscriptionStats]:
        return [s.stats() for s in self._subs]

    def close(self) -> None:
        """Close every subscription (their ``async for`` loops end)."""
        for sub in list(self._subs):
            sub.close()


__all__ = [
    "DEFAULT_MAXSIZE",
    "BusClosedError",
    "EventBus",
    "FeedHealthChanged",
    "FeedState",
    "MarketsChanged",
    "OrderbookUpdated",
    "Policy",
    "Subscription",
    "SubscriptionStats",
    "TickerUpdated",
    "TradeReceived",
    "default_key",
]
