"""Synthetic recorded streams for unit tests: a random-walk market with snapshots, deltas
and public trades, as the recorder would have stored them (exact units)."""

from __future__ import annotations

import random

from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord

START_NS = 1_700_000_000_000_000_000


def random_walk_records(
    tickers: tuple[str, ...] = ("MKT-A", "MKT-B"), updates: int = 400, seed: int = 1
) -> list[Record]:
    """Per market: a snapshot around a mid, then deltas that move levels and trades.

    Prices in Price units on the cent grid; sizes in Count units (whole contracts)."""
    rng = random.Random(seed)
    records: list[Record] = []
    books: dict[str, tuple[dict[int, int], dict[int, int]]] = {}
    seq = 0
    now = START_NS
    for t in tickers:
        mid = rng.randrange(30, 70) * 100
        yes = {mid - 100 * k: rng.randrange(1, 50) * 100 for k in range(1, 6)}
        no = {10_000 - mid - 100 * k: rng.randrange(1, 50) * 100 for k in range(1, 6)}
        books[t] = (yes, no)
        seq += 1
        now += 1_000_000
        records.append(
            SnapshotRecord(1, t, seq, None, now, tuple(sorted(yes.items())),
                           tuple(sorted(no.items())))
        )  # fmt: skip
    for _ in range(updates):
        t = rng.choice(tickers)
        yes, no = books[t]
        now += rng.randrange(1, 400) * 1_000_000
        seq += 1
        if rng.random() < 0.1:
            side = rng.choice(("yes", "no"))
            ladder = yes if side == "yes" else no
            price = max(ladder)
            records.append(
                TradeRecord(1, f"tr-{seq}", t, price if side == "yes" else 10_000 - price,
                            rng.randrange(1, 5) * 100, "no" if side == "yes" else "yes", None)
            )  # fmt: skip
            continue
        side = rng.choice(("yes", "no"))
        ladder, other = (yes, no) if side == "yes" else (no, yes)
        best_other = max(other) if other else 0
        top = 10_000 - best_other - 100  # highest price that does not cross
        price = rng.randrange(max(100, top - 800), max(200, top + 100), 100)
        price = min(price, top)
        if price <= 0:
            continue
        size = ladder.get(price, 0)
        delta = rng.randrange(1, 30) * 100
        if size and rng.random() < 0.5:
            delta = -min(size, delta)
        ladder[price] = size + delta
        if ladder[price] == 0:
            del ladder[price]
        records.append(DeltaRecord(1, t, seq, None, now, side, price, delta))  # type: ignore[arg-type]
    return records
