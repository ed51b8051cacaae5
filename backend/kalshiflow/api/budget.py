"""A per-request cap on exchange reads.

Some fields read Kalshi over REST for each market they appear on (`recentTrades`,
`demoOrderbook`, `orderbook` of a market not watched live). Inside `markets(first: 500)`
one request would fan out into hundreds of exchange calls and spend the rate limit the
recorder and the trader need. So each request may make a bounded number of them, and the
field past the cap answers with an error that says how to ask instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

MAX_EXCHANGE_READS: Final = 20


class ExchangeReadBudgetError(ValueError):
    """Too many exchange reads in one request."""


@dataclass
class ExchangeReadBudget:
    limit: int = MAX_EXCHANGE_READS
    used: int = 0

    def take(self, what: str) -> None:
        if self.used >= self.limit:
            raise ExchangeReadBudgetError(
                f"{what}: one request may read the exchange at most {self.limit} times "
                "(recentTrades, demoOrderbook, and orderbook of markets not watched live); "
                "ask for these fields on fewer markets per request"
            )
        self.used += 1
