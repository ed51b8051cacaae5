"""One open connection of a ``KalshiStream``: commands awaiting replies and its worker tasks.

Everything here dies with the connection: pending commands fail with ``ConnectionLost`` and
worker tasks are cancelled, so nothing from an old connection acts on a new one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from websockets.exceptions import ConnectionClosed

from kalshiflow.kalshi.stream_connection import TrackedConnection
from kalshiflow.kalshi.stream_protocol import Message, encode_command, error_from_reply

log = logging.getLogger(__name__)

TASK_PREFIX = "kalshi-stream"

ReplyHook = Callable[[Message], None]


class ConnectionLost(Exception):
    """The connection a command was sent on is gone; a reconnect restores desired state."""


class Session:
    def __init__(
        self, ws: TrackedConnection, command_timeout: float, next_id: Callable[[], int]
    ) -> None:
        self.ws = ws
        self.opened_at = time.monotonic()
        self.alive = True
        self.abort_reason: str | None = None
        self._command_timeout = command_timeout
        self._next_id = next_id
        self._pending: dict[int, tuple[str, asyncio.Future[Message], ReplyHook | None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        if not self.alive:
            coro.close()
            return
        task = asyncio.create_task(coro, name=f"{TASK_PREFIX}:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("Kalshi stream task %s failed", task.get_name(), exc_info=exc)

    async def command(
        self,
        cmd: str,
        params: Mapping[str, object] | None = None,
        on_reply: ReplyHook | None = None,
    ) -> Message:
        """Send a command and return its reply; Kalshi's ``error`` replies raise KalshiWsError.

        ``on_reply`` runs inside the reader, before any later frame is processed: binding a new
        sid there means the subscription's first data message cannot arrive unroutable.
        """
        if not self.alive:
            raise ConnectionLost
        cmd_id = self._next_id()
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._pending[cmd_id] = (cmd, future, on_reply)
        try:
            try:
                await self.ws.send(encode_command(cmd_id, cmd, params), text=True)
            except ConnectionClosed:
                raise ConnectionLost from None
            async with asyncio.timeout(self._command_timeout):
                return await future
        finally:
            self._pending.pop(cmd_id, None)

    def resolve(self, reply: Message) -> bool:
        """Hand a reply to its command; False if no command with that id is waiting."""
        cmd_id = reply.get("id")
        entry = self._pending.get(cmd_id) if isinstance(cmd_id, int) else None
        if entry is None:
            return False
        cmd, future, on_reply = entry
        if future.done():
            return True
        if reply.get("type") == "error":
            future.set_exception(error_from_reply(reply, cmd))
            return True
        if on_reply is not None:
            try:
                on_reply(reply)
            except Exception as exc:  # a malformed reply fails its command, not the reader
                future.set_exception(exc)
                return True
        future.set_result(reply)
        return True

    def abort(self, reason: str) -> None:
        """Drop the connection at once (no closing handshake with a peer that may be dead)."""
        if self.abort_reason is None:
            self.abort_reason = reason
        self.ws.transport.abort()

    async def end(self) -> None:
        self.alive = False
        for _cmd, future, _hook in self._pending.values():
            if not future.done():
                future.set_exception(ConnectionLost())
                # Its awaiter may be a worker task cancelled just below, which never reads the
                # result; mark it seen so asyncio does not log "exception never retrieved".
                future.exception()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
