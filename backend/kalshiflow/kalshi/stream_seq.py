"""Per-subscription sequence checking.

Kalshi numbers the messages of each subscription id (``sid``) with ``seq`` = 1, 2, 3, ... shared
by all markets of that subscription. A missing or repeated number means the client's view of
the book can no longer be trusted, so the caller must resync that subscription.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SeqStatus(Enum):
    FIRST = "first"  # no anchor yet: this message becomes the anchor
    OK = "ok"  # exactly the next number
    GAP = "gap"  # numbers were skipped
    STALE = "stale"  # repeated or older number (out of order)


@dataclass(slots=True)
class SeqTracker:
    last: int | None = None

    def check(self, seq: int) -> SeqStatus:
        """Classify ``seq``; only FIRST and OK advance the tracker."""
        if self.last is None:
            self.last = seq
            return SeqStatus.FIRST
        if seq == self.last + 1:
            self.last = seq
            return SeqStatus.OK
        return SeqStatus.GAP if seq > self.last + 1 else SeqStatus.STALE

    def expected(self) -> int | None:
        return None if self.last is None else self.last + 1

    def advance_if_next(self, seq: int) -> None:
        """Accept ``seq`` only if it is the next number.

        Command replies (``ok``/``unsubscribed``) may carry the sid's seq; whether that number is
        part of the data sequence is not documented, so it is consumed when it fits and ignored
        otherwise. Either reading of the protocol then stays gap-free.
        """
        if self.last is not None and seq == self.last + 1:
            self.last = seq

    def reset(self, anchor: int | None = None) -> None:
        self.last = anchor
