"""ORM tables. Singular names, `_at` timestamps (see docs/ARCHITECTURE.md, Database)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    Sequence,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, REAL
from sqlalchemy.orm import Mapped, mapped_column

from kalshiflow.persistence.base import Base


class Market(Base):
    """Metadata of a market seen on any environment, cached for the API and training."""

    __tablename__ = "market"

    ticker: Mapped[str] = mapped_column(String(128), primary_key=True)
    event_ticker: Mapped[str] = mapped_column(String(128), index=True)
    series_ticker: Mapped[str | None] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(512), default="")
    status: Mapped[str] = mapped_column(String(32))
    close_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


# One sequence orders every recorded stream row (snapshot, delta, trade) of all sessions:
# the writer COPYs rows in the order the feed accepted them, so `id` is the receive order
# across the three tables and replay is a merge on `id` (no clock ties, no clock steps).
ORDERBOOK_EVENT_ID_SEQ = Sequence("orderbook_event_id_seq", metadata=Base.metadata)


def _event_id() -> Mapped[int]:
    return mapped_column(
        BigInteger,
        ORDERBOOK_EVENT_ID_SEQ,
        primary_key=True,
        server_default=ORDERBOOK_EVENT_ID_SEQ.next_value(),
    )


def _session_fk() -> Mapped[int]:
    return mapped_column(
        BigInteger, ForeignKey("orderbook_session.id", ondelete="CASCADE"), nullable=False
    )


class OrderbookSession(Base):
    """One recording run: which stream, which markets, and how much was kept or lost.

    `environment` is derived from the stream URL (persistence.recording.environment_for_url).
    Counters, kept by the WriteQueue in the same transaction as the rows: `messages` =
    records the feed offered; `rows_written` = rows stored; `drops` = records refused (queue
    full) or rejected by PostgreSQL, so a training run can tell a quiet market from a lossy
    recording. messages - rows_written - drops = trades already stored (seen twice).
    """

    __tablename__ = "orderbook_session"
    __table_args__ = (
        CheckConstraint("environment IN ('demo', 'production', 'simulated')", name="environment"),
        CheckConstraint("status IN ('active', 'closed', 'crashed')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    environment: Mapped[str] = mapped_column(String(16))
    stream_url: Mapped[str] = mapped_column(String(512))
    market_tickers: Mapped[list[str]] = mapped_column(ARRAY(String(128)), default=list)
    status: Mapped[str] = mapped_column(String(16), server_default="active", index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Receive time of the newest row written: a crashed session ends there.
    last_row_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    messages: Mapped[int] = mapped_column(BigInteger, server_default="0")
    rows_written: Mapped[int] = mapped_column(BigInteger, server_default="0")
    drops: Mapped[int] = mapped_column(BigInteger, server_default="0")


class OrderbookSnapshot(Base):
    """A full book. Levels are 2-D bigint arrays of [price, count] pairs in the exact
    fixed-point units (Price 1/10,000 $, Count 1/100 contract), '{}' when a side is empty."""

    __tablename__ = "orderbook_snapshot"
    # Replay reads one session in `id` order: an index range scan, no sort.
    __table_args__ = (Index("ix_orderbook_snapshot_session_id_id", "session_id", "id"),)

    id: Mapped[int] = _event_id()
    session_id: Mapped[int] = _session_fk()
    market_ticker: Mapped[str] = mapped_column(String(128))
    seq: Mapped[int] = mapped_column(BigInteger)
    exchange_ts_ms: Mapped[int | None] = mapped_column(BigInteger)
    received_at_ns: Mapped[int] = mapped_column(BigInteger)
    yes_levels: Mapped[list[list[int]]] = mapped_column(ARRAY(BigInteger, dimensions=2))
    no_levels: Mapped[list[list[int]]] = mapped_column(ARRAY(BigInteger, dimensions=2))


class OrderbookDelta(Base):
    """A signed size change at one price level of one side."""

    __tablename__ = "orderbook_delta"
    __table_args__ = (
        CheckConstraint("side IN ('yes', 'no')", name="side"),
        Index("ix_orderbook_delta_session_id_id", "session_id", "id"),
    )

    id: Mapped[int] = _event_id()
    session_id: Mapped[int] = _session_fk()
    market_ticker: Mapped[str] = mapped_column(String(128))
    seq: Mapped[int] = mapped_column(BigInteger)
    exchange_ts_ms: Mapped[int | None] = mapped_column(BigInteger)
    received_at_ns: Mapped[int] = mapped_column(BigInteger)
    side: Mapped[str] = mapped_column(String(3))
    price: Mapped[int] = mapped_column(Integer)
    delta: Mapped[int] = mapped_column(BigInteger)


class PublicTrade(Base):
    """A public trade; `trade_id` is unique so a trade replayed after a reconnect is kept once."""

    __tablename__ = "public_trade"
    __table_args__ = (Index("ix_public_trade_session_id_id", "session_id", "id"),)

    id: Mapped[int] = _event_id()
    trade_id: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int] = _session_fk()
    market_ticker: Mapped[str] = mapped_column(String(128))
    yes_price: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(BigInteger)
    taker_side: Mapped[str] = mapped_column(String(8))
    exchange_ts_ms: Mapped[int | None] = mapped_column(BigInteger)


# --- trading (orders, fills, settlements, snapshots) -------------------------------------
# Prices, counts and money in the exact fixed-point units (Price 1/10,000 $, Count 1/100
# contract, Money 1/1,000,000 $). Written by kalshiflow.trading.store.


class TradeOrder(Base):
    """Every order of the trading account from decision to end. ``client_order_id`` is the
    idempotency key sent to Kalshi (unique forever); a row is written *before* the order is
    sent, so a crash leaves a ``pending`` row that the reconciler resolves, never resends.
    ``production_*`` and ``shadow_*`` are the second ledger: the production book at decision
    time and what the same order would have filled there; ``realism_gap`` in Money units,
    rounded down to a unit (the exact value follows from the notional columns)."""

    __tablename__ = "trade_order"
    __table_args__ = (
        CheckConstraint("side IN ('bid', 'ask')", name="side"),
        CheckConstraint(
            "status IN ('pending', 'resting', 'partially_filled', 'executed', 'canceled', "
            "'rejected')",
            name="status",
        ),
        CheckConstraint("source IN ('actor', 'manual', 'reconciliation')", name="source"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    client_order_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    ticker: Mapped[str] = mapped_column(String(128), index=True)
    side: Mapped[str] = mapped_column(String(3))
    yes_price: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(BigInteger)
    filled: Mapped[int] = mapped_column(BigInteger)
    remaining: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(16))
    rejection_rule: Mapped[str | None] = mapped_column(String(32))
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))
    production_bid: Mapped[int | None] = mapped_column(Integer)
    production_ask: Mapped[int | None] = mapped_column(Integer)
    production_mid: Mapped[Decimal | None] = mapped_column(Numeric(12, 1))
    shadow_count: Mapped[int | None] = mapped_column(BigInteger)
    shadow_notional: Mapped[int | None] = mapped_column(BigInteger)
    actual_notional: Mapped[int] = mapped_column(BigInteger, server_default="0")
    actual_fees: Mapped[int] = mapped_column(BigInteger, server_default="0")
    realism_gap: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Fill(Base):
    """One execution of one of our orders; ``trade_id`` is unique, so a fill seen on the
    WebSocket and again in a REST backfill is stored once. ``via``: ws | rest."""

    __tablename__ = "fill"
    __table_args__ = (CheckConstraint("side IN ('bid', 'ask')", name="side"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    trade_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    client_order_id: Mapped[str] = mapped_column(String(64), server_default="")
    ticker: Mapped[str] = mapped_column(String(128), index=True)
    side: Mapped[str] = mapped_column(String(3))
    yes_price: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    is_taker: Mapped[bool] = mapped_column(Boolean)
    via: Mapped[str] = mapped_column(String(8))
    executed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class TradeSettlement(Base):
    """A determined market paid our position out (applied once per market)."""

    __tablename__ = "trade_settlement"

    ticker: Mapped[str] = mapped_column(String(128), primary_key=True)
    settlement_value: Mapped[int] = mapped_column(Integer)  # YES payout, Price units
    position: Mapped[int] = mapped_column(BigInteger)
    payout: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    settled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PositionSnapshot(Base):
    """One market of the account at one moment (on every fill and on the interval)."""

    __tablename__ = "position_snapshot"
    __table_args__ = (Index("ix_position_snapshot_ticker_taken_at", "ticker", "taken_at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ticker: Mapped[str] = mapped_column(String(128))
    position: Mapped[int] = mapped_column(BigInteger)
    cost: Mapped[int] = mapped_column(BigInteger)
    realized: Mapped[int] = mapped_column(BigInteger)
    fees_paid: Mapped[int] = mapped_column(BigInteger)
    unrealized_production: Mapped[int | None] = mapped_column(BigInteger)
    unrealized_demo: Mapped[int | None] = mapped_column(BigInteger)


class PortfolioSnapshot(Base):
    """The account's totals at one moment (Money units)."""

    __tablename__ = "portfolio_snapshot"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    balance: Mapped[int] = mapped_column(BigInteger)
    cash: Mapped[int] = mapped_column(BigInteger)
    reserved: Mapped[int] = mapped_column(BigInteger)
    available: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[int] = mapped_column(BigInteger)
    realized: Mapped[int] = mapped_column(BigInteger)
    unrealized_production: Mapped[int] = mapped_column(BigInteger)
    unrealized_demo: Mapped[int] = mapped_column(BigInteger)
    fees_paid: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(32))


class ActorAction(Base):
    """One actor step (kalshiflow.actor.service): the offline-RL dataset and the dashboard's
    decision log. ``observation`` is the 52-feature vector of docs/OBSERVATION.md (float32,
    ``feature_version`` says which table); the order columns are exact fixed-point units and
    NULL when the step placed nothing. ``outcome``: hold | no_order | placed | filled |
    rejected | error. Latencies in microseconds: ``decision_latency_us`` the selector alone,
    ``step_latency_us`` from receiving the book update to the order's outcome."""

    __tablename__ = "actor_action"
    __table_args__ = (
        Index("ix_actor_action_market_ticker_id", "market_ticker", "id"),
        CheckConstraint("action BETWEEN 0 AND 4", name="action"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    acted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    received_at_ns: Mapped[int] = mapped_column(BigInteger)
    market_ticker: Mapped[str] = mapped_column(String(128))
    book_seq: Mapped[int | None] = mapped_column(BigInteger)
    feature_version: Mapped[int] = mapped_column(SmallInteger)
    observation: Mapped[list[float]] = mapped_column(ARRAY(REAL))
    action: Mapped[int] = mapped_column(SmallInteger)
    selector: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[str] = mapped_column(String(128))
    decision_latency_us: Mapped[int] = mapped_column(Integer)
    step_latency_us: Mapped[int] = mapped_column(Integer)
    order_client_id: Mapped[str | None] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(String(64))
    order_side: Mapped[str | None] = mapped_column(String(3))
    order_yes_price: Mapped[int | None] = mapped_column(Integer)
    order_count: Mapped[int | None] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(16))
    outcome_detail: Mapped[str] = mapped_column(Text, server_default="")


class TrainedModel(Base):
    """A policy trained by `kalshiflow train`, loadable by the actor by id
    (RL_ACTOR_MODEL_ID). ``metrics`` is the evaluation JSON also written next to the zip."""

    __tablename__ = "trained_model"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    algo: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64))
    feature_version: Mapped[int] = mapped_column(SmallInteger)
    observation_size: Mapped[int] = mapped_column(SmallInteger)
    action_count: Mapped[int] = mapped_column(SmallInteger)
    session_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    eval_session_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    timesteps: Mapped[int] = mapped_column(BigInteger)
    metrics: Mapped[dict[str, object]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
