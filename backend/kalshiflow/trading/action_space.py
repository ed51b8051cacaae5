"""The five policy actions turned into limit orders priced from the production book.

==========  =================================  ===========================================
action      join (passive)                     cross (aggressive)
==========  =================================  ===========================================
BUY_YES     bid at the best YES bid            bid at the best YES ask
BUY_NO      buy NO at the best NO bid          buy NO at the best NO ask
SELL_YES    offer YES at the best YES ask      sell YES into the best YES bid
SELL_NO     offer NO at the best NO ask        sell NO into the best NO bid
HOLD        no order                           no order
==========  =================================  ===========================================

Prices are found in the traded outcome's own terms (a NO price for NO actions), then put on
the tick grid in the direction that never pays more than the book shows for a passive order
(buys round down, sells round up), then expressed as a V2 YES-book order (see
`types.book_order`).

``max_cross_ticks`` bounds how aggressive a crossing order may be: a buy pays at most that
many ticks above the best bid of what it buys, a sell accepts at least that many ticks below
the best offer. When the spread is wider, the order is placed at that bound, inside the
spread, instead of crossing it (thin books must not turn a policy's "buy" into paying any
price). ``max_cross_ticks=0`` makes "cross" the same as "join".

Sells only reduce: SELL_YES needs a YES position, SELL_NO a NO position, and the count is
capped at the position not already covered by resting reducing orders. Buys always use the
configured contract size; position limits are the RiskManager's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from kalshiflow.config import ActorSettings
from kalshiflow.kalshi.fixedpoint import CENT, ONE_DOLLAR, Count, Price, count_from_contracts
from kalshiflow.trading.types import (
    Action,
    BookView,
    OrderIntent,
    Outcome,
    best_ask,
    best_bid,
    book_order,
)

Pricing: TypeAlias = Literal["join", "cross"]


@dataclass(frozen=True, slots=True)
class NoOrder:
    """The action produced no order, and why (HOLD, nothing to sell, empty book side)."""

    ticker: str
    action: Action
    reason: str


_TRADES: dict[Action, tuple[Outcome, bool]] = {
    Action.BUY_YES: ("yes", True),
    Action.SELL_YES: ("yes", False),
    Action.BUY_NO: ("no", True),
    Action.SELL_NO: ("no", False),
}


class LimitOrderActionSpace:
    """Maps (action, book, position) to an `OrderIntent` or a `NoOrder`. Pure and stateless."""

    def __init__(
        self,
        contract_size: Count,
        *,
        pricing: Pricing = "join",
        max_cross_ticks: int = 2,
        tick: Price = CENT,
    ) -> None:
        if contract_size <= 0:
            raise ValueError(f"contract_size must be positive Count units, got {contract_size}")
        if pricing not in ("join", "cross"):
            raise ValueError(f"pricing must be 'join' or 'cross', got {pricing!r}")
        if max_cross_ticks < 0:
            raise ValueError(f"max_cross_ticks must be >= 0, got {max_cross_ticks}")
        if tick <= 0 or ONE_DOLLAR % tick:
            raise ValueError(f"tick {tick} must be positive and divide {ONE_DOLLAR} Price units")
        self.contract_size = contract_size
        self.pricing: Pricing = pricing
        self.max_cross_ticks = max_cross_ticks
        self.tick = tick

    @classmethod
    def from_settings(
        cls,
        actor: ActorSettings,
        *,
        pricing: Pricing = "join",
        max_cross_ticks: int = 2,
        tick: Price = CENT,
    ) -> LimitOrderActionSpace:
        """Size from RL_ACTOR_CONTRACT_SIZE (whole contracts)."""
        return cls(
            count_from_contracts(actor.contract_size),
            pricing=pricing,
            max_cross_ticks=max_cross_ticks,
            tick=tick,
        )

    def to_order(
        self,
        action: Action | int,
        ticker: str,
        book: BookView,
        position: Count,
        pending_reduce: int = 0,
    ) -> OrderIntent | NoOrder:
        """The order for ``action`` on ``ticker`` priced from the production ``book``.

        ``position`` is the signed position (+YES/−NO, Count units); ``pending_reduce`` the
        contracts already resting in orders that reduce it (they are not sold twice).
        """
        act = Action(action)  # ValueError for an integer outside 0..4
        if act is Action.HOLD:
            return NoOrder(ticker, act, "hold")
        outcome, buy = _TRADES[act]
        if buy:
            count = self.contract_size
        else:
            held = position if outcome == "yes" else -position
            if held <= 0:
                return NoOrder(ticker, act, f"no {outcome.upper()} position to sell")
            count = Count(min(self.contract_size, held - pending_reduce))
            if count <= 0:
                return NoOrder(
                    ticker, act, f"{outcome.upper()} position already covered by resting sells"
                )
        price = self._price(book, outcome, buy)
        if isinstance(price, str):
            return NoOrder(ticker, act, price)
        side, yes_price = book_order(outcome, buy, price)
        return OrderIntent(
            ticker=ticker,
            side=side,
            yes_price=yes_price,
            count=count,
            action=act,
            reduce_only=not buy,
            reason=f"{act.name} {self.pricing} at {outcome.upper()} {price}",
        )

    def _price(self, book: BookView, outcome: Outcome, buy: bool) -> Price | str:
        """The limit in ``outcome``'s own price, or why there is none."""
        bid, ask = best_bid(book, outcome), best_ask(book, outcome)
        name = outcome.upper()
        reach = self.max_cross_ticks * self.tick
        if buy:
            if self.pricing == "join" or self.max_cross_ticks == 0:
                if bid is None:
                    return f"no {name} bid to join"
                return self._clamp(self._down(bid))
            if ask is None:
                return f"no {name} offer to cross"
            price = self._up(ask)
            if bid is not None:
                price = min(price, self._down(bid + reach))
            return self._clamp(price)
        if self.pricing == "join" or self.max_cross_ticks == 0:
            if ask is None:
                return f"no {name} offer to join"
            return self._clamp(self._up(ask))
        if bid is None:
            return f"no {name} bid to sell into"
        price = self._down(bid)
        if ask is not None:
            price = max(price, self._up(ask - reach))
        return self._clamp(price)

    def _down(self, price: int) -> int:
        return price - price % self.tick

    def _up(self, price: int) -> int:
        return -(-price // self.tick) * self.tick

    def _clamp(self, price: int) -> Price:
        return Price(min(max(price, self.tick), ONE_DOLLAR - self.tick))
