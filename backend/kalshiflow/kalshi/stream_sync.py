"""Keeping Kalshi's view of each subscription equal to the stream's desired state.

Per connection: subscribe, add/delete markets, unsubscribe (``reconcile``), and recovery of a
subscription whose messages were lost (``enter_resync``: ``get_snapshot``, falling back to
unsubscribe + subscribe). Every coroutine here holds the subscription's lock, so commands for
one subscription never interleave, and ends quietly when its connection is gone: the next
connection restores the desired state from scratch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable

from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.kalshi.stream_events import StreamEvent, StreamEventKind
from kalshiflow.kalshi.stream_protocol import (
    KalshiWsError,
    Message,
    ProtocolError,
    WsErrorCode,
    subscribe_params,
    subscribed_sid,
    update_params,
)
from kalshiflow.kalshi.stream_session import ConnectionLost, Session
from kalshiflow.kalshi.stream_subscriptions import (
    ManagedSubscription,
    SubscriptionRegistry,
    SubscriptionState,
)

log = logging.getLogger(__name__)

ALL_VERSIONS = sys.maxsize


class SubscriptionSync:
    """Applies desired subscription state and recovers subscriptions, one connection at a time."""

    def __init__(
        self,
        registry: SubscriptionRegistry,
        config: StreamConfig,
        emit: Callable[[StreamEvent], None],
    ) -> None:
        self._registry = registry
        self._config = config
        self._emit = emit

    def enter_resync(self, session: Session, sub: ManagedSubscription) -> None:
        """Recover ``sub`` on ``session``: its messages are discarded (see stream_gate) until a
        fresh snapshot of each of its markets arrived, which a background task asks for."""
        sub.state = SubscriptionState.RESYNCING
        sub.resync_generation += 1
        sub.resync_wake.set()  # a resync already waiting for snapshots asks again
        sub.needs_anchor = True
        sub.awaiting_snapshot = set(sub.server_tickers or ())
        session.spawn(self._resync(session, sub), f"resync:{sub.key}")

    def notify_resync(self, sub: ManagedSubscription, reason: str) -> None:
        """Tell the consumer to drop what it derived from ``sub``'s markets."""
        log.warning(
            "Kalshi stream resyncing subscription %d (%s): %s", sub.key, sub.channel, reason
        )
        tickers = sub.server_tickers if sub.server_tickers is not None else sub.desired_tickers
        self._emit(
            StreamEvent(
                StreamEventKind.RESYNC,
                sub_key=sub.key,
                channel=sub.channel,
                market_tickers=frozenset(tickers or ()),
                reason=reason,
            )
        )

    async def _resync(self, session: Session, sub: ManagedSubscription) -> None:
        async with sub.lock:
            if self._config.resync_method == "get_snapshot":
                try:
                    done = await self._resync_by_snapshot(session, sub)
                except KalshiWsError as exc:
                    log.warning("get_snapshot refused (%s); resubscribing instead", exc)
                    done = False
                except ConnectionLost:
                    return
                if done:
                    return
            if session.alive and not sub.removed and sub.state is SubscriptionState.RESYNCING:
                await self._resubscribe(session, sub)

    async def _resync_by_snapshot(self, session: Session, sub: ManagedSubscription) -> bool:
        """Ask for snapshots until the subscription is whole again; False: resubscribe instead.

        Until every snapshot is in, the subscription's messages are discarded, so the wait is
        bounded: a server that acknowledges get_snapshot but never sends the snapshots must not
        mute it forever. A new gap during the wait asks again at once (the snapshots already
        received before it no longer count).
        """
        while sub.state is SubscriptionState.RESYNCING:
            if not session.alive or sub.removed or sub.sid is None:
                return True  # a reconnect or the unsubscribe supersedes this resync
            generation = sub.resync_generation
            sub.resync_wake.clear()
            try:
                await session.command(
                    "update_subscription",
                    update_params(sub.sid, "get_snapshot", sub.server_tickers or ()),
                )
                async with asyncio.timeout(self._config.command_timeout):
                    while (
                        sub.state is SubscriptionState.RESYNCING
                        and sub.resync_generation == generation
                    ):
                        await sub.resync_wake.wait()
                        sub.resync_wake.clear()
            except TimeoutError:
                log.warning(
                    "Kalshi stream: no fresh snapshots for subscription %d within %gs "
                    "of get_snapshot; resubscribing",
                    sub.key,
                    self._config.command_timeout,
                )
                return False
        return True

    async def restart(self, session: Session, sub: ManagedSubscription) -> None:
        async with sub.lock:
            if session.alive and not sub.removed:
                await self._resubscribe(session, sub)

    async def _resubscribe(self, session: Session, sub: ManagedSubscription) -> None:
        """Replace the sub's sid by a fresh one (new snapshots, new seq). Caller holds the lock."""
        self._registry.unbind(sub)
        old_sid, sub.sid = sub.sid, None
        sub.server_tickers = None
        sub.needs_anchor = False
        sub.awaiting_snapshot.clear()
        if old_sid is not None:
            await self.drop_sid(session, old_sid)
        try:
            await self._subscribe_now(session, sub)
        except KalshiWsError as exc:
            self._reject(sub, sub.version, exc)
        except ConnectionLost:
            return
        except (TimeoutError, ProtocolError) as exc:
            session.abort(f"resubscribe failed: {exc or type(exc).__name__}")

    async def drop_sid(self, session: Session, sid: int) -> None:
        # Errors are fine here: an unknown sid (code 7) is exactly the state we want.
        with contextlib.suppress(KalshiWsError, ConnectionLost, TimeoutError):
            await session.command("unsubscribe", {"sids": [sid]})

    async def reconcile(self, session: Session, sub: ManagedSubscription) -> None:
        """Bring the server's view of ``sub`` to its desired state on this connection."""
        async with sub.lock:
            while session.alive:
                if sub.removed:
                    sid, sub.sid = sub.sid, None
                    if sid is not None:
                        await self.drop_sid(session, sid)
                    return
                target = sub.version
                if sub.sid is not None and sub.applied_version >= target:
                    sub.resolve_waiters(target)
                    return
                try:
                    if sub.sid is None:
                        await self._subscribe_now(session, sub)
                    else:
                        await self._update_markets(session, sub)
                except KalshiWsError as exc:
                    self._reject(sub, target, exc)
                    continue
                except ConnectionLost:
                    return
                except (TimeoutError, ProtocolError) as exc:
                    session.abort(f"{sub.channel} subscription got no usable reply: {exc!r}")
                    return
                if not sub.removed:
                    sub.applied_version = target
                    sub.resolve_waiters(target)

    async def _subscribe_now(self, session: Session, sub: ManagedSubscription) -> None:
        tickers = None if sub.desired_tickers is None else set(sub.desired_tickers)

        def bind(reply: Message) -> None:
            sid = subscribed_sid(reply)
            other = self._registry.by_sid(sid)
            if other is not None and other is not sub:
                # Kalshi made re-subscribing idempotent: an identical subscription answers
                # with the existing sid. Two local owners of one server sid would undo each
                # other's updates and unsubscribes, so the duplicate is refused.
                raise KalshiWsError(
                    WsErrorCode.ALREADY_SUBSCRIBED,
                    f"same channel and markets as subscription {other.key}; reuse that one",
                    command="subscribe",
                )
            if sub.removed:
                sub.sid = sid  # not routed; _reconcile unsubscribes it
                return
            self._registry.bind(sub, sid)
            sub.server_tickers = tickers
            sub.state = SubscriptionState.ACTIVE
            sub.resync_wake.set()
            sub.tracker.reset()
            sub.needs_anchor = False
            sub.awaiting_snapshot.clear()

        await session.command(
            "subscribe", subscribe_params(sub.channel, tickers, sub.params), on_reply=bind
        )

    async def _update_markets(self, session: Session, sub: ManagedSubscription) -> None:
        assert sub.sid is not None
        desired = sub.desired_tickers or set()
        server = sub.server_tickers or set()
        add, delete = desired - server, server - desired
        if add:
            await session.command("update_subscription", update_params(sub.sid, "add_markets", add))
            sub.server_tickers = server = server | add
        if delete:
            await session.command(
                "update_subscription", update_params(sub.sid, "delete_markets", delete)
            )
            sub.server_tickers = server - delete

    def _reject(self, sub: ManagedSubscription, target: int, exc: KalshiWsError) -> None:
        if sub.sid is None:
            restoring = sub.applied_version > 0
            gone = exc.market_ticker
            if (
                restoring
                and exc.code == WsErrorCode.MARKET_NOT_FOUND
                and gone is not None
                and sub.desired_tickers is not None
                and gone in sub.desired_tickers
                and len(sub.desired_tickers) > 1
            ):
                # A market vanished (settled, delisted) while we were disconnected. Losing the
                # whole subscription for it would blind the other markets: restore without it.
                sub.desired_tickers.discard(gone)
                log.error("Kalshi stream: %s; subscription %d continues without it", exc, sub.key)
                self._subscription_error(sub, frozenset({gone}), str(exc))
                return
            # The subscription itself was refused: it leaves the desired set.
            self._registry.remove(sub)
            sub.fail_waiters(ALL_VERSIONS, exc)
            if restoring:
                log.error("Kalshi refused to restore subscription %d: %s", sub.key, exc)
                self._subscription_error(sub, frozenset(sub.desired_tickers or ()), str(exc))
            return
        # A market change was refused: desired falls back to what the server has.
        sub.desired_tickers = None if sub.server_tickers is None else set(sub.server_tickers)
        sub.applied_version = target
        sub.fail_waiters(target, exc)

    def _subscription_error(
        self, sub: ManagedSubscription, tickers: frozenset[str], reason: str
    ) -> None:
        self._emit(
            StreamEvent(
                StreamEventKind.SUBSCRIPTION_ERROR,
                sub_key=sub.key,
                channel=sub.channel,
                market_tickers=tickers,
                reason=reason,
            )
        )
