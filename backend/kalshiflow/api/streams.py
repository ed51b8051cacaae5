"""From the event bus to a GraphQL subscription, without ever slowing the bus.

Each subscription owns a bounded bus queue (``EventBus.subscribe``). The bus only ever
appends to it; the subscription's generator drains it at the speed its WebSocket accepts.
A client that cannot keep up is handled by the stream's policy:

* ``conflate`` (books, tickers): only the newest event per market waits, so a slow client
  sees fewer, fresher updates and never falls behind.
* ``drop_oldest`` with ``strict`` (fills, order updates): every event matters, so a client
  that lost any is disconnected from that subscription with a reason (an error naming how
  many events it missed) and should refetch with the matching query and resubscribe.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any, Final, TypeVar

from kalshiflow.events import EventBus, Policy, Subscription

E = TypeVar("E")
T = TypeVar("T")

# Per subscription; conflated streams hold at most one event per market.
QUEUE_SIZE: Final = 256


class SlowConsumerError(Exception):
    """The subscriber lost events it cannot do without; GraphQL reports the message."""


def relay(
    bus: EventBus,
    types: tuple[type[E], ...],
    convert: Callable[[E], T | None],
    *,
    policy: Policy,
    name: str,
    strict: bool = False,
    key: Callable[[Any], Any] | None = None,
) -> AsyncGenerator[T, None]:
    """Subscribe to ``types`` now and stream ``convert(event)`` (None: skip the event)."""
    sub: Subscription[E] = bus.subscribe(
        *types, policy=policy, maxsize=QUEUE_SIZE, key=key, name=name
    )
    return drain(sub, convert, strict=strict)


async def drain(
    sub: Subscription[E],
    convert: Callable[[E], T | None],
    *,
    strict: bool = False,
) -> AsyncGenerator[T, None]:
    """Yield ``convert(event)`` for each event of ``sub`` and close it at the end."""
    try:
        async for event in sub:
            if strict and sub.dropped:
                raise SlowConsumerError(
                    f"{sub.name}: this client fell behind and {sub.dropped} events were "
                    "dropped; refetch with the matching query and subscribe again"
                )
            value = convert(event)
            if value is None:
                continue
            yield value
    finally:
        sub.close()
