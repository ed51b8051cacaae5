"""Actor controls behind `startActor` and `configureActor`: validation that names the field,
then the change on the running ActorService (or its component)."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from kalshiflow.actor.loading import load_registered
from kalshiflow.actor.market_selection import MarketSelection
from kalshiflow.actor.rl_model import ModelLoadError
from kalshiflow.actor.selectors import (
    ActionSelector,
    BaselineSelector,
    HardcodedSelector,
    HoldSelector,
)
from kalshiflow.api.services import Services
from kalshiflow.api.types.orders import UserError, UserErrorCode
from kalshiflow.kalshi.fixedpoint import count_from_contracts
from kalshiflow.trading.action_space import LimitOrderActionSpace

MAX_THROTTLE_MS = 60_000
MAX_CONTRACT_SIZE = 10_000


@strawberry.enum(description="Which policy decides the actor's actions.")
class ActorSelectorChoice(StrEnum):
    HARDCODED = "hardcoded"
    BASELINE = "baseline"
    HOLD = "hold"
    MODEL = "model"


@strawberry.enum(description="Which watched markets the actor trades.")
class TargetMarketMode(StrEnum):
    HOT = "hot"
    CONFIG = "config"
    ALL = "all"


@strawberry.input(description="Only the given fields change.")
class ActorConfigInput:
    selector: ActorSelectorChoice | None = None
    model_id: int | None = strawberry.field(
        default=None, description="A model id from `kalshiflow train` (selector MODEL)."
    )
    throttle_ms: int | None = strawberry.field(
        default=None, description="Minimum milliseconds between two steps on one market."
    )
    contract_size: int | None = strawberry.field(default=None, description="Contracts per order.")
    target_market_mode: TargetMarketMode | None = None
    target_tickers: list[str] | None = strawberry.field(
        default=None, description="Markets for target mode CONFIG."
    )


def _error(field: str | None, message: str) -> UserError:
    return UserError(field=field, code=UserErrorCode.INVALID_ACTOR_CONFIG, message=message)


def validate(config: ActorConfigInput) -> list[UserError]:
    errors: list[UserError] = []
    if config.throttle_ms is not None and not 0 <= config.throttle_ms <= MAX_THROTTLE_MS:
        errors.append(_error("throttleMs", f"must be 0 to {MAX_THROTTLE_MS} milliseconds"))
    if config.contract_size is not None and not 1 <= config.contract_size <= MAX_CONTRACT_SIZE:
        errors.append(_error("contractSize", f"must be 1 to {MAX_CONTRACT_SIZE} contracts"))
    if config.selector is ActorSelectorChoice.MODEL and config.model_id is None:
        errors.append(_error("modelId", "selector MODEL needs the id of a trained model"))
    if config.model_id is not None and config.selector not in (None, ActorSelectorChoice.MODEL):
        errors.append(_error("modelId", "a model id goes with selector MODEL only"))
    if config.target_market_mode is TargetMarketMode.CONFIG and not config.target_tickers:
        errors.append(_error("targetTickers", "target mode CONFIG needs at least one ticker"))
    return errors


async def _selector(services: Services, config: ActorConfigInput) -> ActionSelector | UserError:
    choice = config.selector
    if choice is ActorSelectorChoice.HARDCODED:
        return HardcodedSelector()
    if choice is ActorSelectorChoice.BASELINE:
        return BaselineSelector(seed=0)
    if choice is ActorSelectorChoice.HOLD:
        return HoldSelector()
    database = services.database()
    if database is None or config.model_id is None:
        return _error("modelId", "loading a model needs the database; see `health`")
    try:
        return await load_registered(database, config.model_id)
    except ModelLoadError as err:
        # The loader's message names RL_ACTOR_MODEL_ID; here the field is modelId.
        return _error("modelId", str(err).replace("RL_ACTOR_MODEL_ID", "modelId"))


async def apply(services: Services, config: ActorConfigInput) -> list[UserError]:
    """Validate everything first, then change the running actor; nothing changes on error."""
    errors = validate(config)
    actor = services.actor()
    if actor is None:
        errors.append(
            UserError(
                field=None,
                code=UserErrorCode.UNAVAILABLE,
                message="the actor is not running: start it with startActor",
            )
        )
    if errors or actor is None:
        return errors
    selector = None
    if config.selector is not None:
        loaded = await _selector(services, config)
        if isinstance(loaded, UserError):
            return [loaded]
        selector = loaded
    space = None
    if config.contract_size is not None:
        old = actor.action_space
        space = LimitOrderActionSpace(
            count_from_contracts(config.contract_size),
            pricing=old.pricing,
            max_cross_ticks=old.max_cross_ticks,
            tick=old.tick,
        )
    markets = None
    if config.target_market_mode is not None:
        old_markets = actor.markets
        markets = MarketSelection(
            config.target_market_mode.value,
            config.target_tickers or (),
            max_markets=old_markets.max_markets,
        )
    if selector is not None:
        actor.set_selector(selector)
    actor.configure(throttle_ms=config.throttle_ms, action_space=space, markets=markets)
    return []
