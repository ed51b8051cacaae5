"""Pick the live selector from the settings: a registered model (RL_ACTOR_MODEL_ID), a model
file (RL_ACTOR_MODEL_PATH), or the hardcoded rules."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kalshiflow.actor.features import FEATURE_VERSION
from kalshiflow.actor.model_registry import ModelRegistry
from kalshiflow.actor.rl_model import Algo, ModelLoadError, RLModelSelector
from kalshiflow.actor.selectors import ActionSelector, HardcodedSelector
from kalshiflow.config import ActorSettings
from kalshiflow.persistence.database import Database


async def load_registered(database: Database, model_id: int) -> RLModelSelector:
    record = await ModelRegistry(database).get(model_id)
    if record is None:
        raise ModelLoadError(
            f"RL_ACTOR_MODEL_ID={model_id}: no such model in trained_model; train one with "
            "`kalshiflow train` (it prints the id) or unset RL_ACTOR_MODEL_ID"
        )
    if record.feature_version != FEATURE_VERSION:
        raise ModelLoadError(
            f"RL_ACTOR_MODEL_ID={model_id} was trained on observation features version "
            f"{record.feature_version}; this actor builds version {FEATURE_VERSION} "
            "(docs/OBSERVATION.md). Retrain it with `kalshiflow train`."
        )
    algo: Algo = record.algo  # type: ignore[assignment]  # written by kalshiflow train
    version = f"model {record.id} {record.algo} {record.sha256[:12]}"
    return await asyncio.to_thread(RLModelSelector.load, record.path, algo=algo, version=version)


async def load_selector(actor: ActorSettings, database: Database | None) -> ActionSelector:
    """The selector the settings ask for. Loading a model runs in a worker thread (importing
    stable-baselines3 and torch takes seconds)."""
    if actor.model_id:
        try:
            model_id = int(actor.model_id)
        except ValueError:
            raise ModelLoadError(
                f"RL_ACTOR_MODEL_ID must be the numeric id of a registered model, got "
                f"{actor.model_id!r}; `kalshiflow train` prints the id"
            ) from None
        if database is None:
            raise ModelLoadError("RL_ACTOR_MODEL_ID needs the database; it is not available")
        return await load_registered(database, model_id)
    if actor.model_path:
        return await asyncio.to_thread(RLModelSelector.load, Path(actor.model_path))
    return HardcodedSelector()


__all__ = ["load_registered", "load_selector"]
