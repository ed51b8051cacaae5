"""The realism gap summarised per market or per day: how far demo fills were from what the
production book would have given at decision time."""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

import strawberry
from strawberry.types import Info

from kalshiflow.api.context import Context
from kalshiflow.api.scalars import Contracts, Money, contracts, money
from kalshiflow.trading.ledger import GapSummary, summarise_by_day, summarise_by_market


@strawberry.enum
class RealismGrouping(StrEnum):
    MARKET = "market"
    DAY = "day"


@strawberry.type(description="The two ledgers of a group of orders (one market or one day).")
class RealismSummary:
    key: str = strawberry.field(description="The market ticker, or the UTC day YYYY-MM-DD.")
    orders: int
    ordered: Contracts
    actual_filled: Contracts = strawberry.field(description="Filled on demo.")
    shadow_filled: Contracts = strawberry.field(
        description="What production's book would have filled at decision time."
    )
    compared_orders: int = strawberry.field(description="Orders filled on both ledgers.")
    gap: Money = strawberry.field(description="Sum of per-order gaps (actual - shadow).")
    adverse_gap: Money = strawberry.field(description="Positive: demo filled worse for us.")
    fill_ratio_gap: str = strawberry.field(
        description="(actual filled - shadow filled) / ordered, as an exact decimal string."
    )

    @classmethod
    def of(cls, s: GapSummary) -> RealismSummary:
        return cls(
            key=s.key,
            orders=s.orders,
            ordered=contracts(s.ordered),
            actual_filled=contracts(s.actual_filled),
            shadow_filled=contracts(s.shadow_filled),
            compared_orders=s.compared_orders,
            gap=money(round(s.realism_gap)),
            adverse_gap=money(round(s.adverse_gap)),
            fill_ratio_gap=_ratio(s.fill_ratio_gap),
        )


def _ratio(value: Fraction) -> str:
    # Six decimals, rounded half-even on the exact fraction: no float on the way.
    scaled = round(value * 1_000_000)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 1_000_000)
    return f"{sign}{whole}.{frac:06d}"


def resolve_realism_summary(
    info: Info[Context, None], by: RealismGrouping = RealismGrouping.MARKET
) -> list[RealismSummary]:
    """Per market or per UTC day, over every order in the ledgers (restored at start)."""
    ledgers = info.context.services.ledgers()
    if ledgers is None:
        return []
    records = ledgers.records()
    groups = (
        summarise_by_market(records) if by is RealismGrouping.MARKET else summarise_by_day(records)
    )
    return [RealismSummary.of(groups[k]) for k in sorted(groups)]
