"""Cancelled rounds: when, by whom, and how many queued scans were not started.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

Types are spelled out here rather than imported from the models, as in 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "round_cancels",
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_by", sa.String(200), nullable=True),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], ondelete="CASCADE",
                                name=op.f("fk_round_cancels_batch_id_batches")),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_round_cancels")),
    )


def downgrade() -> None:
    op.drop_table("round_cancels")
