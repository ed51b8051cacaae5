"""Recording sessions: one per data-stream connection the recorder wrote."""

from __future__ import annotations

from datetime import datetime

import strawberry

from kalshiflow.persistence.recording import SessionInfo


@strawberry.type
class RecordingSession:
    id: int
    environment: str = strawberry.field(description="production | demo | simulated")
    stream_url: str
    market_tickers: list[str]
    status: str = strawberry.field(description="active | closed | crashed")
    started_at: datetime
    ended_at: datetime | None
    last_row_at: datetime | None
    messages: int
    rows_written: int
    drops: int

    @classmethod
    def of(cls, s: SessionInfo) -> RecordingSession:
        return cls(
            id=s.id,
            environment=s.environment,
            stream_url=s.stream_url,
            market_tickers=list(s.market_tickers),
            status=s.status,
            started_at=s.started_at,
            ended_at=s.ended_at,
            last_row_at=s.last_row_at,
            messages=s.messages,
            rows_written=s.rows_written,
            drops=s.drops,
        )
