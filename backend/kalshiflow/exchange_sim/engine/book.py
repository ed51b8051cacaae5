"""One market's resting orders: price levels with FIFO queues, kept by YES price.

Hot path: every level keeps its aggregate count, so a book change costs O(1) plus a bisect
when a level appears or disappears; nothing copies the book. Canceled or filled orders are
removed from their queue lazily (a queue entry is live only while ``_live`` maps the order
to that entry's sequence number), which keeps cancels O(1) even deep in a queue.

Kalshi shows bids only: resting BIDs are YES bids at their YES price; resting ASKs (sell
YES at ``p``) are NO bids at ``1 - p``. ``orderbook()`` and ``side_level()`` translate.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Iterator

from kalshiflow.exchange_sim.engine.types import BookLevelSide, BookSide, Order
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Price


class Level:
    __slots__ = ("queue", "total")

    def __init__(self) -> None:
        self.total = 0
        self.queue: deque[tuple[int, Order]] = deque()


def side_level(side: BookSide, yes_price: Price) -> tuple[BookLevelSide, Price]:
    """The bids-only level a resting order of ``side`` at ``yes_price`` shows on."""
    if side is BookSide.BID:
        return "yes", yes_price
    return "no", Price(ONE_DOLLAR - yes_price)


class OrderBook:
    def __init__(self, ticker: str) -> None:
        self.ticker = ticker
        self._levels: dict[BookSide, dict[Price, Level]] = {BookSide.BID: {}, BookSide.ASK: {}}
        self._prices: dict[BookSide, list[Price]] = {BookSide.BID: [], BookSide.ASK: []}
        self._live: dict[str, int] = {}
        self._seq = 0

    # --- mutation (the caller keeps Order.remaining_count in step) ------------------------

    def add(self, order: Order) -> None:
        """Queue ``order`` at the back of its level with its current remaining count."""
        levels = self._levels[order.side]
        level = levels.get(order.price)
        if level is None:
            level = levels[order.price] = Level()
            bisect.insort(self._prices[order.side], order.price)
        self._seq += 1
        self._live[order.order_id] = self._seq
        level.queue.append((self._seq, order))
        level.total += order.remaining_count

    def reduce(self, order: Order, amount: int) -> None:
        """Take ``amount`` contracts of ``order`` off its level (fill or decrease)."""
        levels = self._levels[order.side]
        level = levels[order.price]
        level.total -= amount
        if level.total == 0:
            del levels[order.price]
            prices = self._prices[order.side]
            del prices[bisect.bisect_left(prices, order.price)]

    def discard(self, order: Order) -> None:
        """Forget a fully reduced order (its queue entry dies lazily)."""
        del self._live[order.order_id]

    def remove(self, order: Order) -> None:
        """Take all of ``order``'s remaining contracts off the book (cancel)."""
        self.reduce(order, order.remaining_count)
        self.discard(order)

    # --- reads -----------------------------------------------------------------------------

    def contains(self, order_id: str) -> bool:
        return order_id in self._live

    def best(self, side: BookSide) -> Price | None:
        """Best resting price of ``side`` (highest bid, lowest ask), in YES terms."""
        prices = self._prices[side]
        if not prices:
            return None
        return prices[-1] if side is BookSide.BID else prices[0]

    def crosses(self, side: BookSide, limit: Price) -> bool:
        """Would an order of ``side`` at ``limit`` execute against the resting book now?"""
        opposite = self.best(_opposite(side))
        if opposite is None:
            return False
        return opposite <= limit if side is BookSide.BID else opposite >= limit

    def makers(self, taker_side: BookSide, limit: Price) -> Iterator[Order]:
        """Resting orders a taker would meet, in price-time priority.

        Re-reads the book front each step, so the caller may fill, discard or cancel the
        yielded order before asking for the next one.
        """
        maker_side = _opposite(taker_side)
        levels = self._levels[maker_side]
        while True:
            best = self.best(maker_side)
            if best is None or (best > limit if taker_side is BookSide.BID else best < limit):
                return
            queue = levels[best].queue
            while self._live.get(queue[0][1].order_id) != queue[0][0]:
                queue.popleft()
            yield queue[0][1]

    def fillable(
        self, taker_side: BookSide, limit: Price, account_id: str, stop_at_own: bool
    ) -> int:
        """Contracts a taker could fill now; own orders stop it or are skipped (STP)."""
        total = 0
        maker_side = _opposite(taker_side)
        prices = self._prices[maker_side]
        ordered = prices if taker_side is BookSide.BID else reversed(prices)
        for price in ordered:
            if price > limit if taker_side is BookSide.BID else price < limit:
                break
            for seq, order in self._levels[maker_side][price].queue:
                if self._live.get(order.order_id) != seq:
                    continue
                if order.account_id == account_id:
                    if stop_at_own:
                        return total
                    continue
                total += order.remaining_count
        return total

    def queue_position(self, order: Order) -> Count:
        """Contracts resting ahead of ``order`` at its price."""
        seq_of = self._live.get(order.order_id)
        level = self._levels[order.side].get(order.price)
        if seq_of is None or level is None:
            return Count(0)
        ahead = 0
        for seq, other in level.queue:
            if seq == seq_of:
                break
            if self._live.get(other.order_id) == seq:
                ahead += other.remaining_count
        return Count(ahead)

    def level_total(self, side: BookSide, price: Price) -> Count:
        level = self._levels[side].get(price)
        return Count(level.total if level else 0)

    def orderbook(
        self, depth: int = 0
    ) -> tuple[list[tuple[Price, Count]], list[tuple[Price, Count]]]:
        """(YES bids, NO bids in NO prices), each ascending with the best level last."""
        bids = self._levels[BookSide.BID]
        asks = self._levels[BookSide.ASK]
        yes = [(p, Count(bids[p].total)) for p in self._prices[BookSide.BID]]
        no = [
            (Price(ONE_DOLLAR - p), Count(asks[p].total))
            for p in reversed(self._prices[BookSide.ASK])
        ]
        if depth > 0:
            yes, no = yes[-depth:], no[-depth:]
        return yes, no

    def resting_orders(self) -> list[Order]:
        """Every live order, bids then asks, each in priority order."""
        out: list[Order] = []
        for side in (BookSide.BID, BookSide.ASK):
            for level in self._levels[side].values():
                out.extend(o for seq, o in level.queue if self._live.get(o.order_id) == seq)
        return out


def _opposite(side: BookSide) -> BookSide:
    return BookSide.ASK if side is BookSide.BID else BookSide.BID
