"""Schedules: recurring rounds of a batch, with their next run stored in UTC.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

Types are spelled out here rather than imported from the models, as in 0001.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("site_ids", _json(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", sa.String(5), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("cron", sa.String(100), nullable=True),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("options", _json(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.Column("next_run_at", _time(), nullable=True),
        sa.Column("last_run_at", _time(), nullable=True),
        sa.Column("last_batch_id", _id(), nullable=True),
        sa.Column("last_outcome", sa.String(16), nullable=True),
        sa.Column("last_error", sa.String(100), nullable=True),
        sa.Column("last_detail", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('daily', 'weekly', 'monthly', 'cron')",
                           name=op.f("ck_schedules_kind")),
        sa.ForeignKeyConstraint(["last_batch_id"], ["batches.id"], ondelete="SET NULL",
                                name=op.f("fk_schedules_last_batch_id_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
    )
    op.create_index(op.f("ix_schedules_enabled_next_run_at"), "schedules",
                    ["enabled", "next_run_at"])


def downgrade() -> None:
    op.drop_table("schedules")
