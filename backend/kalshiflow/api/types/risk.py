"""Risk limits as the RiskManager enforces them (or as configured, before trading starts)."""

from __future__ import annotations

import strawberry

from kalshiflow.api.scalars import Contracts, Money, contracts, money
from kalshiflow.trading.risk import RiskLimits as DomainLimits


@strawberry.type
class RiskLimits:
    max_contracts_per_market: Contracts
    max_total_exposure: Money
    max_open_orders: int
    max_orders_per_second: int
    max_daily_loss: Money
    min_cash_reserve: Money
    no_new_positions_before_close_minutes: int
    max_book_age_ms: int
    kill_switch_engaged: bool
    kill_switch_reason: str | None
    enforced: bool = strawberry.field(
        description="True when a running RiskManager enforces these; false: configured only."
    )

    @classmethod
    def of(cls, limits: DomainLimits, *, engaged: bool, reason: str, enforced: bool) -> RiskLimits:
        return cls(
            max_contracts_per_market=contracts(limits.max_contracts_per_market),
            max_total_exposure=money(limits.max_total_exposure),
            max_open_orders=limits.max_open_orders,
            max_orders_per_second=limits.max_orders_per_second,
            max_daily_loss=money(limits.max_daily_loss),
            min_cash_reserve=money(limits.min_cash_reserve),
            no_new_positions_before_close_minutes=limits.close_window_ms // 60_000,
            max_book_age_ms=limits.max_book_age_ms,
            kill_switch_engaged=engaged,
            kill_switch_reason=reason or None,
            enforced=enforced,
        )
