"""Replay: a recorded session read back rebuilds the books the live feed had."""

from __future__ import annotations

import random

from sqlalchemy.engine import URL

from kalshiflow.marketdata.orderbook import OrderbookState
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.recording import RecordingSessions
from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord
from kalshiflow.persistence.replay import BookReplayer, load_session, read_session, rebuild_books
from kalshiflow.persistence.write_queue import WriteQueue, WriteQueueConfig

TICKERS = ("KX-A", "KX-B", "KX-C")


def random_stream(
    session_id: int, seed: int, n: int
) -> tuple[list[Record], dict[str, OrderbookState]]:
    """A plausible feed (snapshots, deltas that never go negative, trades, mid-stream resync
    snapshots) and the live books it produced, applied as the feed applies them."""
    rng = random.Random(seed)
    live = {t: OrderbookState(t) for t in TICKERS}
    records: list[Record] = []
    ns = 1_781_000_000_000_000_000

    def ladder() -> tuple[tuple[int, int], ...]:
        prices = sorted(rng.sample(range(1, 10_000), 8), reverse=True)
        return tuple((p, rng.randint(1, 10**6)) for p in prices)

    for seq in range(1, n + 1):
        ns += rng.randint(1, 10**6)
        ticker = TICKERS[seq % 3] if seq <= 3 else rng.choice(TICKERS)
        book = live[ticker]
        roll = rng.random()
        record: Record
        if seq <= 3 or roll < 0.01:  # the initial snapshots, then the odd resync
            record = SnapshotRecord(session_id, ticker, seq, ns // 10**6, ns, ladder(), ladder())
            book.apply_snapshot(record.yes_levels, record.no_levels, seq)
        elif roll < 0.06:
            record = TradeRecord(
                session_id, f"t-{seed}-{seq}", ticker, rng.randint(1, 9999),
                rng.randint(1, 10**4), rng.choice(["yes", "no"]), ns // 10**6,
            )  # fmt: skip
        else:
            is_yes = rng.random() < 0.5
            price = rng.randint(1, 9999)
            resting = book.size_at("yes" if is_yes else "no", price)
            delta = rng.randint(-resting, 10**5) or 1
            record = DeltaRecord(
                session_id, ticker, seq, ns // 10**6, ns, "yes" if is_yes else "no", price, delta
            )
            book.apply_delta(is_yes, price, delta, seq)
        records.append(record)
    return records, live


async def test_replay_rebuilds_the_live_books(database_url: URL) -> None:
    db = Database(database_url)
    try:
        sid = await RecordingSessions(db).open("ws://127.0.0.1:1/ws", TICKERS)
    finally:
        await db.dispose()
    records, live = random_stream(sid, seed=7, n=3_000)
    queue = WriteQueue(database_url, WriteQueueConfig(batch_size=97))  # runs split across batches
    await queue.start()
    for r in records:
        assert queue.submit(r)
    await queue.stop()

    replayed = await load_session(database_url, sid)
    assert replayed == records
    result = rebuild_books(replayed)
    assert result.rejected_deltas == 0
    assert result.snapshots() == {t: b.snapshot() for t, b in live.items()}
    for t, book in result.books.items():
        assert book.snapshot().yes_bids == live[t].snapshot().yes_bids
        assert book.snapshot().no_bids == live[t].snapshot().no_bids

    # One market alone, streamed: the same book for that market.
    only_b = [r async for r in read_session(database_url, sid, tickers=["KX-B"])]
    assert {r.market_ticker for r in only_b} == {"KX-B"}
    assert rebuild_books(only_b).snapshots() == {"KX-B": live["KX-B"].snapshot()}


def test_the_replayer_reports_deltas_it_cannot_apply() -> None:
    replayer = BookReplayer()
    # A delta before any snapshot is a gap in the recording, not a book change.
    assert replayer.apply(DeltaRecord(1, "A", 1, None, 1, "yes", 100, 5)) is not None
    assert replayer.result.rejected_deltas == 1
    replayer.apply(SnapshotRecord(1, "A", 2, None, 2, ((100, 5),), ()))
    replayer.apply(DeltaRecord(1, "A", 3, None, 3, "yes", 100, -6))  # below zero
    assert replayer.result.rejected_deltas == 2
    assert replayer.apply(TradeRecord(1, "x", "A", 100, 1, "yes", None)) is None
    book = replayer.result.books["A"].snapshot()
    assert book.yes_bids == ((100, 5),)
