"""Review decisions: a person's confirm/waive on `review` findings, and their audit trail.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Types are spelled out here rather than imported from the models, as in 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_decisions",
        sa.Column("id", _id(), nullable=False),
        sa.Column("site_id", _id(), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", _time(), nullable=False),
        sa.Column("scan_id", _id(), nullable=True),
        sa.CheckConstraint("kind IN ('confirm', 'waive')", name=op.f("ck_review_decisions_kind")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE",
                                name=op.f("fk_review_decisions_site_id_sites")),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="SET NULL",
                                name=op.f("fk_review_decisions_scan_id_scans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
        sa.UniqueConstraint("site_id", "rule", "fingerprint",
                            name=op.f("uq_review_decisions_site_id_rule_fingerprint")),
    )
    op.create_table(
        "review_events",
        sa.Column("id", _id(), nullable=False),
        sa.Column("site_id", _id(), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("previous", sa.String(16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("scan_id", _id(), nullable=True),
        sa.Column("finding_id", _id(), nullable=True),
        sa.CheckConstraint("action IN ('confirm', 'waive', 'withdraw')",
                           name=op.f("ck_review_events_action")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE",
                                name=op.f("fk_review_events_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_events")),
    )
    op.create_index(op.f("ix_review_events_site_id_rule_fingerprint"), "review_events",
                    ["site_id", "rule", "fingerprint"])
    op.create_index(op.f("ix_review_events_site_id_at"), "review_events", ["site_id", "at"])


def downgrade() -> None:
    op.drop_table("review_events")
    op.drop_table("review_decisions")
