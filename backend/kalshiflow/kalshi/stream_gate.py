"""Which data messages of a subscription may reach the consumer.

A pure decision per message (no I/O): the seq check, and during a resync the discarding of
stale messages until a fresh snapshot per market has arrived. The stream acts on the verdict
(counting, starting a resync, delivering).
"""

from __future__ import annotations

from enum import Enum

from kalshiflow.kalshi.stream_protocol import Message, market_ticker_of
from kalshiflow.kalshi.stream_seq import SeqStatus
from kalshiflow.kalshi.stream_subscriptions import ManagedSubscription, SubscriptionState


class Admission(Enum):
    DELIVER = "deliver"
    DISCARD = "discard"  # stale (before the fresh snapshot of its market): skip it
    GAP = "gap"  # seq gap/out of order on a snapshot channel: skip it and resync
    GAP_DELIVER = "gap_deliver"  # gap on a channel without snapshots: announce, then deliver


def admit(sub: ManagedSubscription, msg: Message) -> tuple[Admission, str]:
    """Judge one data message of ``sub`` and update its seq/resync bookkeeping.

    Returns the verdict and, for gaps, a description for logs and the RESYNC event.
    """
    seq = msg.get("seq")
    is_snapshot = msg.get("type") == "orderbook_snapshot"
    verdict = Admission.DELIVER
    detail = ""
    if isinstance(seq, int) and not isinstance(seq, bool):
        if sub.needs_anchor:
            # Resyncing: everything before the first fresh snapshot is stale.
            if not is_snapshot:
                return Admission.DISCARD, ""
            sub.tracker.reset(seq)
            sub.needs_anchor = False
        else:
            expected = sub.tracker.expected()
            status = sub.tracker.check(seq)
            if status in (SeqStatus.GAP, SeqStatus.STALE):
                what = "gap" if status is SeqStatus.GAP else "out-of-order message"
                detail = f"seq {what} on sid {sub.sid}: expected {expected}, got {seq}"
                if sub.snapshot_channel:
                    return Admission.GAP, detail
                sub.tracker.reset(seq)  # nothing to resync from: re-anchor and go on
                verdict = Admission.GAP_DELIVER
    if sub.awaiting_snapshot:
        ticker = market_ticker_of(msg)
        if is_snapshot and ticker is not None:
            sub.awaiting_snapshot.discard(ticker)
        elif ticker in sub.awaiting_snapshot:
            return Admission.DISCARD, ""
    if (
        sub.state is SubscriptionState.RESYNCING
        and not sub.needs_anchor
        and not sub.awaiting_snapshot
    ):
        sub.state = SubscriptionState.ACTIVE
        sub.resync_wake.set()
    return verdict, detail
