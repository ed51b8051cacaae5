"""The `trained_model` table: models `kalshiflow train` registered, loadable by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kalshiflow.persistence.database import Database
from kalshiflow.persistence.tables import TrainedModel


@dataclass(frozen=True, slots=True)
class ModelRecord:
    id: int
    name: str
    algo: str
    path: Path
    sha256: str
    feature_version: int
    observation_size: int
    action_count: int
    session_ids: tuple[int, ...]
    eval_session_ids: tuple[int, ...]
    timesteps: int
    metrics: dict[str, Any]


def _record(row: TrainedModel) -> ModelRecord:
    return ModelRecord(
        id=row.id,
        name=row.name,
        algo=row.algo,
        path=Path(row.path),
        sha256=row.sha256,
        feature_version=row.feature_version,
        observation_size=row.observation_size,
        action_count=row.action_count,
        session_ids=tuple(row.session_ids),
        eval_session_ids=tuple(row.eval_session_ids),
        timesteps=row.timesteps,
        metrics=dict(row.metrics),
    )


class ModelRegistry:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def register(
        self,
        *,
        name: str,
        algo: str,
        path: Path,
        sha256: str,
        feature_version: int,
        observation_size: int,
        action_count: int,
        session_ids: Sequence[int],
        eval_session_ids: Sequence[int],
        timesteps: int,
        metrics: dict[str, Any],
    ) -> int:
        async with self._db.session() as s, s.begin():
            row = TrainedModel(
                name=name,
                algo=algo,
                path=str(path),
                sha256=sha256,
                feature_version=feature_version,
                observation_size=observation_size,
                action_count=action_count,
                session_ids=list(session_ids),
                eval_session_ids=list(eval_session_ids),
                timesteps=timesteps,
                metrics=metrics,
            )
            s.add(row)
            await s.flush()
            return row.id

    async def get(self, model_id: int) -> ModelRecord | None:
        async with self._db.session() as s:
            row = await s.get(TrainedModel, model_id, populate_existing=True)
            return None if row is None else _record(row)

    async def list(self, limit: int = 50) -> list[ModelRecord]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(TrainedModel).order_by(TrainedModel.id.desc()).limit(limit)
            )
            return [_record(r) for r in rows]


__all__ = ["ModelRecord", "ModelRegistry"]
