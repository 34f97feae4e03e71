"""Each finding's index among its page's findings, as in the result: the dashboard and reviews
find a result finding's row by it, instead of counting rows in id (insertion) order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

Rows stored before this revision were inserted page by page in result order, so their index is
the number of rows of the same page with a smaller id.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("position", sa.Integer(), nullable=False,
                                        server_default="0"))
    op.execute("UPDATE findings SET position = (SELECT count(*) FROM findings AS earlier "
               "WHERE earlier.page_id = findings.page_id AND earlier.id < findings.id)")


def downgrade() -> None:
    op.drop_column("findings", "position")
