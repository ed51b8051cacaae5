"""Orderbook delta applies per second on one core: ``OrderbookState.apply_delta`` alone
(target >= 1,000,000/s).

The deltas are a pre-generated random walk over 100 markets (each market starts from a
20-level snapshot per side; sizes move up and down, levels appear and vanish; every delta is
valid, so nothing is rejected). Only the apply loop is timed, best of three passes (the books
are reset to their snapshots between passes). Baseline measured in the same run: the same
loop doing a bare ``dict`` update per delta, the floor any Python book pays. Also reported:
apply plus an immutable snapshot after every delta (a reader reading after each update), and
cached re-reads of an unchanged book.

Times are CPU seconds of this process (``time.process_time``): "per second on one core"
without counting other load on a shared machine.
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

N_MARKETS = 100
N_DELTAS = 500_000
REPEATS = 3
N_SNAPSHOT = 100_000

Delta = tuple[Any, bool, int, int, int]
Ladder = dict[int, int]


def _workload(seed: int = 7) -> tuple[list[Any], list[tuple[Ladder, Ladder]], list[Delta]]:
    from kalshiflow.marketdata.orderbook import OrderbookState

    rng = random.Random(seed)
    books: list[Any] = []
    initial: list[tuple[Ladder, Ladder]] = []
    live: list[dict[bool, Ladder]] = []
    for m in range(N_MARKETS):
        yes = {p * 100: rng.randint(1, 50) * 100 for p in range(30, 50)}
        no = {p * 100: rng.randint(1, 50) * 100 for p in range(30, 50)}
        books.append(OrderbookState(f"MKT-{m:03d}"))
        initial.append((yes, no))
        live.append({True: dict(yes), False: dict(no)})
    deltas: list[Delta] = []
    for seq in range(1, N_DELTAS + 1):
        m = rng.randrange(N_MARKETS)
        is_yes = rng.random() < 0.5
        price = rng.randint(25, 55) * 100
        level = live[m][is_yes]
        current = level.get(price, 0)
        if current and rng.random() < 0.5:
            delta = -min(current, rng.randint(1, 20) * 100)
        else:
            delta = rng.randint(1, 20) * 100
        if current + delta:
            level[price] = current + delta
        else:
            level.pop(price, None)
        deltas.append((books[m], is_yes, price, delta, seq))
    return books, initial, deltas


def _reset(books: list[Any], initial: list[tuple[Ladder, Ladder]]) -> None:
    for book, (yes, no) in zip(books, initial, strict=True):
        book.apply_snapshot(list(yes.items()), list(no.items()), seq=0)


def _time_apply(deltas: list[Delta]) -> tuple[float, int]:
    from kalshiflow.marketdata.orderbook import APPLIED

    rejected = 0
    started = time.process_time()
    for book, is_yes, price, delta, seq in deltas:
        if book.apply_delta(is_yes, price, delta, seq, seq, seq) != APPLIED:
            rejected += 1
    return time.process_time() - started, rejected


def _time_dict_baseline(deltas: list[Delta]) -> float:
    sides: dict[int, dict[bool, Ladder]] = {}
    plain = [
        (sides.setdefault(id(book), {True: {}, False: {}}), is_yes, price, delta)
        for book, is_yes, price, delta, _ in deltas
    ]
    started = time.process_time()
    for side, is_yes, price, delta in plain:
        level = side[is_yes]
        level[price] = level.get(price, 0) + delta
    return time.process_time() - started


def run() -> dict[str, object]:
    books, initial, deltas = _workload()
    timings = []
    rejected = 0
    for _ in range(REPEATS):
        _reset(books, initial)
        elapsed, rejected = _time_apply(deltas)
        timings.append(elapsed)
    best = min(timings)
    baseline = min(_time_dict_baseline(deltas) for _ in range(REPEATS))

    _reset(books, initial)
    sample = deltas[:N_SNAPSHOT]
    started = time.process_time()
    for book, is_yes, price, delta, seq in sample:
        book.apply_delta(is_yes, price, delta, seq)
        book.snapshot()
    with_snapshot = time.process_time() - started

    book = books[0]
    started = time.process_time()
    for _ in range(N_SNAPSHOT):
        book.snapshot()
    cached = time.process_time() - started
    return {
        "deltas": N_DELTAS,
        "markets": N_MARKETS,
        "rejected": rejected,
        "apply_per_s": round(N_DELTAS / best),
        "apply_ns_per_delta": round(best / N_DELTAS * 1e9, 1),
        "baseline_dict_update_per_s": round(N_DELTAS / baseline),
        "apply_plus_snapshot_per_s": round(N_SNAPSHOT / with_snapshot),
        "cached_snapshot_reads_per_s": round(N_SNAPSHOT / cached),
        "target_apply_per_s": 1_000_000,
    }


if __name__ == "__main__":
    print(json.dumps(run()))
