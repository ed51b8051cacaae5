"""The stream's desired subscriptions and their per-connection server state.

A subscription is described declaratively (one channel + a set of market tickers, or all
markets). The stream keeps that description across reconnects and maps it to whatever ``sid``
the current connection gave it, so callers hold a stable ``key`` and never redo subscriptions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kalshiflow.kalshi.stream_protocol import SNAPSHOT_CHANNELS
from kalshiflow.kalshi.stream_seq import SeqTracker


class SubscriptionState(StrEnum):
    PENDING = "pending"  # no sid on the current connection (yet)
    ACTIVE = "active"
    RESYNCING = "resyncing"  # waiting for fresh snapshots; stale messages are discarded
    OVERFLOWED = "overflowed"  # the consumer fell behind; messages dropped until it catches up


@dataclass(frozen=True, slots=True)
class SubscriptionInfo:
    """Immutable view of one subscription. ``market_tickers`` None means all markets."""

    key: int
    channel: str
    market_tickers: frozenset[str] | None
    sid: int | None
    state: SubscriptionState


@dataclass(eq=False, slots=True)
class ManagedSubscription:
    """Mutable state of one subscription, owned by the stream's event loop."""

    key: int
    channel: str
    desired_tickers: set[str] | None
    params: Mapping[str, object]
    sid: int | None = None
    server_tickers: set[str] | None = None
    state: SubscriptionState = SubscriptionState.PENDING
    tracker: SeqTracker = field(default_factory=SeqTracker)
    # Markets whose fresh snapshot is still awaited after a resync; their other messages are
    # stale and discarded. ``needs_anchor``: the seq tracker restarts at the next snapshot.
    awaiting_snapshot: set[str] = field(default_factory=set)
    needs_anchor: bool = False
    # A resync in progress wakes on this when the sub is whole again or a new gap restarts it.
    resync_wake: asyncio.Event = field(default_factory=asyncio.Event)
    resync_generation: int = 0
    removed: bool = False
    # Each change to the desired state bumps ``version``; callers wait until it is applied.
    version: int = 1
    applied_version: int = 0
    waiters: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def snapshot_channel(self) -> bool:
        return self.channel in SNAPSHOT_CHANNELS

    def info(self) -> SubscriptionInfo:
        tickers = None if self.desired_tickers is None else frozenset(self.desired_tickers)
        return SubscriptionInfo(self.key, self.channel, tickers, self.sid, self.state)

    def wait_version(self, version: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.applied_version >= version:
            future.set_result(None)
        else:
            self.waiters.append((version, future))
        return future

    def resolve_waiters(self, upto: int) -> None:
        self._settle(upto, None)

    def fail_waiters(self, upto: int, exc: BaseException) -> None:
        self._settle(upto, exc)

    def _settle(self, upto: int, exc: BaseException | None) -> None:
        keep: list[tuple[int, asyncio.Future[None]]] = []
        for version, future in self.waiters:
            if version > upto:
                keep.append((version, future))
            elif not future.done():
                if exc is None:
                    future.set_result(None)
                else:
                    future.set_exception(exc)
        self.waiters = keep

    def forget_connection(self) -> None:
        """The connection is gone: its sid, seq and server-side market set with it."""
        self.sid = None
        self.server_tickers = None
        self.state = SubscriptionState.PENDING
        self.tracker.reset()
        self.awaiting_snapshot.clear()
        self.needs_anchor = False


class SubscriptionRegistry:
    """Subscriptions by stable key and by the current connection's sid."""

    def __init__(self) -> None:
        self._by_key: dict[int, ManagedSubscription] = {}
        self._by_sid: dict[int, ManagedSubscription] = {}
        self._next_key = 1

    def create(
        self, channel: str, tickers: Iterable[str] | None, params: Mapping[str, object]
    ) -> ManagedSubscription:
        sub = ManagedSubscription(
            key=self._next_key,
            channel=channel,
            desired_tickers=None if tickers is None else set(tickers),
            params=dict(params),
        )
        self._next_key += 1
        self._by_key[sub.key] = sub
        return sub

    def get(self, key: int) -> ManagedSubscription:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(
                f"no subscription with key {key}; use a key returned by subscribe()"
            ) from None

    def by_sid(self, sid: int) -> ManagedSubscription | None:
        return self._by_sid.get(sid)

    def bind(self, sub: ManagedSubscription, sid: int) -> None:
        sub.sid = sid
        self._by_sid[sid] = sub

    def unbind(self, sub: ManagedSubscription) -> None:
        """Stop routing the sub's sid (its later messages are discarded)."""
        if sub.sid is not None and self._by_sid.get(sub.sid) is sub:
            del self._by_sid[sub.sid]

    def remove(self, sub: ManagedSubscription) -> None:
        sub.removed = True
        self.unbind(sub)
        self._by_key.pop(sub.key, None)

    def forget_connection(self) -> None:
        self._by_sid.clear()
        for sub in self._by_key.values():
            sub.forget_connection()

    def __iter__(self) -> Iterator[ManagedSubscription]:
        return iter(list(self._by_key.values()))

    def __len__(self) -> int:
        return len(self._by_key)

    def infos(self) -> tuple[SubscriptionInfo, ...]:
        return tuple(sub.info() for sub in self._by_key.values())
