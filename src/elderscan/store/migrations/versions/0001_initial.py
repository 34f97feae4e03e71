"""Initial schema: sites, batches, scans, pages, findings, API tokens.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

Types are spelled out here rather than imported from the models, so this revision keeps
creating the same schema whatever the models become later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True),
                                                   "postgresql")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("url_key", sa.String(2000), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("region", sa.String(100), nullable=True),
        sa.Column("tags", _json(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.CheckConstraint("category IN ('gov', 'bank', 'other')", name=op.f("ck_sites_category")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("url_key", name=op.f("uq_sites_url_key")),
    )
    op.create_index(op.f("ix_sites_category_region"), "sites", ["category", "region"])

    op.create_table(
        "batches",
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("options", _json(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("finished_at", _time(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('queued', 'running', 'done')",
                           name=op.f("ck_batches_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.UniqueConstraint("name", "round", name=op.f("uq_batches_name_round")),
    )

    op.create_table(
        "scans",
        sa.Column("id", _id(), nullable=False),
        sa.Column("site_id", _id(), nullable=False),
        sa.Column("batch_id", _id(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("target", sa.String(2000), nullable=False),
        sa.Column("options", _json(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("started_at", _time(), nullable=True),
        sa.Column("finished_at", _time(), nullable=True),
        sa.Column("progress", _json(), nullable=True),
        sa.Column("elderscan_version", sa.String(50), nullable=True),
        sa.Column("chromium_version", sa.String(50), nullable=True),
        sa.Column("axe_core_version", sa.String(50), nullable=True),
        sa.Column("ruleset_version", sa.String(100), nullable=True),
        sa.Column("scoring_model", sa.String(100), nullable=True),
        sa.Column("result_status", sa.String(16), nullable=True),
        sa.Column("score_total", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(4), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("score_elder_mode", sa.Float(), nullable=True),
        sa.Column("score_font", sa.Float(), nullable=True),
        sa.Column("score_contrast", sa.Float(), nullable=True),
        sa.Column("score_voice", sa.Float(), nullable=True),
        sa.Column("score_ads", sa.Float(), nullable=True),
        sa.Column("score_accessibility", sa.Float(), nullable=True),
        sa.Column("vetoes", _json(), nullable=False),
        sa.Column("result", _json(), nullable=True),
        sa.Column("error_code", sa.String(100), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("pages_count", sa.Integer(), nullable=False),
        sa.Column("failed_pages", sa.Integer(), nullable=False),
        sa.Column("fail_count", sa.Integer(), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("pass_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')",
                           name=op.f("ck_scans_status")),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], ondelete="SET NULL",
                                name=op.f("fk_scans_batch_id_batches")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE",
                                name=op.f("fk_scans_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scans")),
        sa.UniqueConstraint("batch_id", "site_id", name=op.f("uq_scans_batch_id_site_id")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_scans_idempotency_key")),
    )
    op.create_index(op.f("ix_scans_site_id_finished_at"), "scans", ["site_id", "finished_at"])
    op.create_index(op.f("ix_scans_batch_id_score_total"), "scans", ["batch_id", "score_total"])
    op.create_index(op.f("ix_scans_batch_id_status"), "scans", ["batch_id", "status"])
    op.create_index(op.f("ix_scans_status_created_at"), "scans", ["status", "created_at"])

    op.create_table(
        "pages",
        sa.Column("id", _id(), nullable=False),
        sa.Column("scan_id", _id(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("final_url", sa.String(2000), nullable=True),
        sa.Column("url_template", sa.String(2000), nullable=False),
        sa.Column("viewport", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("screenshot", sa.String(1000), nullable=True),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE",
                                name=op.f("fk_pages_scan_id_scans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
    )
    op.create_index(op.f("ix_pages_scan_id_position"), "pages", ["scan_id", "position"])

    op.create_table(
        "findings",
        sa.Column("id", _id(), nullable=False),
        sa.Column("scan_id", _id(), nullable=False),
        sa.Column("page_id", _id(), nullable=True),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("clause", sa.Text(), nullable=False),
        sa.Column("selector", sa.Text(), nullable=True),
        sa.Column("box", _json(), nullable=True),
        sa.Column("value", _json(), nullable=True),
        sa.Column("threshold", _json(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("message_key", sa.String(200), nullable=True),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE",
                                name=op.f("fk_findings_page_id_pages")),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE",
                                name=op.f("fk_findings_scan_id_scans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_scan_id_rule"), "findings", ["scan_id", "rule"])
    op.create_index(op.f("ix_findings_fingerprint"), "findings", ["fingerprint"])
    op.create_index(op.f("ix_findings_page_id"), "findings", ["page_id"])

    op.create_table(
        "api_tokens",
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("last_used_at", _time(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'read')", name=op.f("ck_api_tokens_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )


def downgrade() -> None:
    for table in ("api_tokens", "findings", "pages", "scans", "batches", "sites"):
        op.drop_table(table)
