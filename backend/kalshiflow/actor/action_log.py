"""The `actor_action` table: every actor step, written in batches off the hot path.

`ActionLog.submit(step)` never waits: steps go into a bounded queue and a writer task
inserts them in batches (one INSERT ... VALUES per batch). When the database is slow or
down and the queue is full, the oldest unwritten step is dropped and counted, because the
actor must keep trading; the loss shows in health. `ActorActionRepository` reads the log
back (the dashboard's decision log, the offline-RL dataset).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import insert, select

from kalshiflow.actor.events import ActorActionTaken
from kalshiflow.actor.features import FEATURE_VERSION, Observation
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.tables import ActorAction

log = logging.getLogger(__name__)

DEFAULT_MAX_QUEUED: Final = 10_000
BATCH: Final = 500


def action_row(event: ActorActionTaken, observation: Observation) -> dict[str, Any]:
    return {
        "acted_at": datetime.fromtimestamp(event.acted_ns / 1e9, UTC),
        "received_at_ns": event.received_ns,
        "market_ticker": event.ticker,
        "book_seq": event.book_seq,
        "feature_version": FEATURE_VERSION,
        "observation": [float(x) for x in observation],
        "action": event.action,
        "selector": event.selector[:32],
        "model_version": event.model_version[:128],
        "decision_latency_us": event.decision_latency_us,
        "step_latency_us": event.step_latency_us,
        "order_client_id": event.client_order_id,
        "order_id": event.order_id,
        "order_side": event.order_side,
        "order_yes_price": event.order_yes_price,
        "order_count": event.order_count,
        "outcome": event.outcome,
        "outcome_detail": event.detail,
    }


class ActionLog:
    def __init__(
        self, database: Database, *, max_queued: int = DEFAULT_MAX_QUEUED, flush_s: float = 0.2
    ) -> None:
        self._db = database
        self._queue: deque[dict[str, Any]] = deque()
        self._max = max_queued
        self._flush_s = flush_s
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.written = 0
        self.dropped = 0
        self.last_error: str | None = None

    def submit(self, event: ActorActionTaken, observation: Observation) -> None:
        if len(self._queue) >= self._max:
            self._queue.popleft()
            self.dropped += 1
        self._queue.append(action_row(event, observation))
        if len(self._queue) >= BATCH:
            self._wake.set()

    @property
    def queued(self) -> int:
        return len(self._queue)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="actor-action-log")

    async def stop(self, timeout_s: float = 5.0) -> None:
        """Write what is queued, then stop. The writer is asked to finish rather than
        cancelled: a batch cancelled mid-INSERT could be lost or written twice."""
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(task, timeout_s)
            except (TimeoutError, asyncio.CancelledError):
                log.warning("actor action log: %d steps not written at stop", self.queued)
            self._stopping = False

    async def flush(self) -> None:
        """Write everything queued now (raises if the database refuses)."""
        while self._queue:
            batch = [self._queue.popleft() for _ in range(min(BATCH, len(self._queue)))]
            try:
                async with self._db.session() as s, s.begin():
                    await s.execute(insert(ActorAction), batch)
            except Exception:
                self._queue.extendleft(reversed(batch))  # retried on the next flush
                raise
            self.written += len(batch)
            self.last_error = None

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._flush_s)
            self._wake.clear()
            try:
                await self.flush()
            except Exception as err:
                self.last_error = f"{type(err).__name__}: {err}"
                log.warning("actor action log cannot write (%s); %d queued", err, self.queued)
                if self._stopping:
                    return
                await asyncio.sleep(1.0)
                continue
            if self._stopping:
                return


class ActorActionRepository:
    """Reads of the decision log."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def recent(self, limit: int = 100, ticker: str | None = None) -> Sequence[ActorAction]:
        """Newest first."""
        query = select(ActorAction).order_by(ActorAction.id.desc()).limit(limit)
        if ticker is not None:
            query = query.where(ActorAction.market_ticker == ticker)
        async with self._db.session() as s:
            return list(await s.scalars(query))


__all__ = ["ActionLog", "ActorActionRepository", "action_row"]
