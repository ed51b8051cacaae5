"""actor actions and trained models

Revision ID: a7c70e5d1f02
Revises: 0f905d5f1bad
Create Date: 2026-11-22 00:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a7c70e5d1f02"
down_revision: str | None = "0f905d5f1bad"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actor_action",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at_ns", sa.BigInteger(), nullable=False),
        sa.Column("market_ticker", sa.String(length=128), nullable=False),
        sa.Column("book_seq", sa.BigInteger(), nullable=True),
        sa.Column("feature_version", sa.SmallInteger(), nullable=False),
        sa.Column("observation", postgresql.ARRAY(sa.REAL()), nullable=False),
        sa.Column("action", sa.SmallInteger(), nullable=False),
        sa.Column("selector", sa.String(length=32), nullable=False),
        sa.Column("model_version", sa.String(length=128), nullable=False),
        sa.Column("decision_latency_us", sa.Integer(), nullable=False),
        sa.Column("step_latency_us", sa.Integer(), nullable=False),
        sa.Column("order_client_id", sa.String(length=64), nullable=True),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("order_side", sa.String(length=3), nullable=True),
        sa.Column("order_yes_price", sa.Integer(), nullable=True),
        sa.Column("order_count", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("outcome_detail", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("action BETWEEN 0 AND 4", name=op.f("ck_actor_action_action")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_action")),
    )
    op.create_index(op.f("ix_actor_action_acted_at"), "actor_action", ["acted_at"], unique=False)
    op.create_index(
        "ix_actor_action_market_ticker_id", "actor_action", ["market_ticker", "id"], unique=False
    )
    op.create_table(
        "trained_model",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("algo", sa.String(length=8), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("feature_version", sa.SmallInteger(), nullable=False),
        sa.Column("observation_size", sa.SmallInteger(), nullable=False),
        sa.Column("action_count", sa.SmallInteger(), nullable=False),
        sa.Column("session_ids", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("eval_session_ids", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("timesteps", sa.BigInteger(), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trained_model")),
    )


def downgrade() -> None:
    op.drop_table("trained_model")
    op.drop_index("ix_actor_action_market_ticker_id", table_name="actor_action")
    op.drop_index(op.f("ix_actor_action_acted_at"), table_name="actor_action")
    op.drop_table("actor_action")
