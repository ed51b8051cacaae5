"""orderbook recording

Revision ID: 10f21de7d9af
Revises: b68f9d76815a
Create Date: 2026-11-21 23:38:42.283581+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "10f21de7d9af"
down_revision: str | None = "b68f9d76815a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Shared by the three stream tables: `id` is the receive order across them (see tables.py).
EVENT_ID_SEQ = "orderbook_event_id_seq"


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence(EVENT_ID_SEQ)))
    op.create_table(
        "orderbook_session",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("stream_url", sa.String(length=512), nullable=False),
        sa.Column("market_tickers", postgresql.ARRAY(sa.String(length=128)), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="active", nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_row_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("messages", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_written", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("drops", sa.BigInteger(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "environment IN ('demo', 'production', 'simulated')",
            name=op.f("ck_orderbook_session_environment"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'closed', 'crashed')",
            name=op.f("ck_orderbook_session_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orderbook_session")),
    )
    op.create_index(
        op.f("ix_orderbook_session_status"),
        "orderbook_session",
        ["status"],
        unique=False,
    )
    op.create_table(
        "orderbook_delta",
        sa.Column(
            "id",
            sa.BigInteger(),
            server_default=sa.text("nextval('orderbook_event_id_seq')"),
            nullable=False,
        ),
        sa.Column("session_id", sa.BigInteger(), nullable=False),
        sa.Column("market_ticker", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("exchange_ts_ms", sa.BigInteger(), nullable=True),
        sa.Column("received_at_ns", sa.BigInteger(), nullable=False),
        sa.Column("side", sa.String(length=3), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("side IN ('yes', 'no')", name=op.f("ck_orderbook_delta_side")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["orderbook_session.id"],
            name=op.f("fk_orderbook_delta_session_id_orderbook_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orderbook_delta")),
    )
    op.create_index(
        "ix_orderbook_delta_session_id_id",
        "orderbook_delta",
        ["session_id", "id"],
        unique=False,
    )
    op.create_table(
        "orderbook_snapshot",
        sa.Column(
            "id",
            sa.BigInteger(),
            server_default=sa.text("nextval('orderbook_event_id_seq')"),
            nullable=False,
        ),
        sa.Column("session_id", sa.BigInteger(), nullable=False),
        sa.Column("market_ticker", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("exchange_ts_ms", sa.BigInteger(), nullable=True),
        sa.Column("received_at_ns", sa.BigInteger(), nullable=False),
        sa.Column(
            "yes_levels",
            postgresql.ARRAY(sa.BigInteger(), dimensions=2),
            nullable=False,
        ),
        sa.Column("no_levels", postgresql.ARRAY(sa.BigInteger(), dimensions=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["orderbook_session.id"],
            name=op.f("fk_orderbook_snapshot_session_id_orderbook_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orderbook_snapshot")),
    )
    op.create_index(
        "ix_orderbook_snapshot_session_id_id",
        "orderbook_snapshot",
        ["session_id", "id"],
        unique=False,
    )
    op.create_table(
        "public_trade",
        sa.Column(
            "id",
            sa.BigInteger(),
            server_default=sa.text("nextval('orderbook_event_id_seq')"),
            nullable=False,
        ),
        sa.Column("trade_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.BigInteger(), nullable=False),
        sa.Column("market_ticker", sa.String(length=128), nullable=False),
        sa.Column("yes_price", sa.Integer(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("taker_side", sa.String(length=8), nullable=False),
        sa.Column("exchange_ts_ms", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["orderbook_session.id"],
            name=op.f("fk_public_trade_session_id_orderbook_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_trade")),
        sa.UniqueConstraint("trade_id", name=op.f("uq_public_trade_trade_id")),
    )
    op.create_index(
        "ix_public_trade_session_id_id",
        "public_trade",
        ["session_id", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_public_trade_session_id_id", table_name="public_trade")
    op.drop_table("public_trade")
    op.drop_index("ix_orderbook_snapshot_session_id_id", table_name="orderbook_snapshot")
    op.drop_table("orderbook_snapshot")
    op.drop_index("ix_orderbook_delta_session_id_id", table_name="orderbook_delta")
    op.drop_table("orderbook_delta")
    op.drop_index(op.f("ix_orderbook_session_status"), table_name="orderbook_session")
    op.drop_table("orderbook_session")
    op.execute(sa.schema.DropSequence(sa.Sequence(EVENT_ID_SEQ)))
