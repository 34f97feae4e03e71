"""Pages of a site list in pinyin order, correct across pages.

SQL cannot sort by pinyin, and sorting one page after `LIMIT/OFFSET` would give each page its
own order. So the filtered list's ids, names (and scores) are read — small rows — sorted in
Python with `elderscan.names.sort_key`, and only the page's ids are loaded in full. A stored
sort-key column would avoid reading all names, at the price of a migration and of rewriting it
whenever pypinyin's dictionary improves. Measured on the shared 2-core test machine (load ~10):
a name's key costs about 1 ms the first time (phrase-aware pinyin, so 银行 is yin hang) and is
then cached (65,536 names), so 10,000 sites sort in ~0.2 s warm and a few seconds on the first
request of a process. If stores grow far past that, a stored key column is the next step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from elderscan.names import sort_key


def by_name(rows: Sequence[tuple[int, str | None]]) -> list[int]:
    """Ids of (id, name) rows in pinyin order, id breaking ties."""
    return [i for i, _ in sorted(rows, key=lambda r: (sort_key(r[1]), r[0]))]


def by_score(rows: Sequence[tuple[int, str | None, float | None]]) -> list[int]:
    """Ids of (id, name, score) rows: best score first, unscored last, ties in pinyin order."""
    return [i for i, _, _ in sorted(
        rows, key=lambda r: (r[2] is None, -(r[2] or 0.0), sort_key(r[1]), r[0]))]


def page_ids(session: Session, query: Select[Any], id_column: Any, name_column: Any,
             score_column: Any | None, limit: int, offset: int) -> list[int]:
    """The ids on one page of `query` (filters applied, no order or limit yet)."""
    columns = [id_column, name_column] + ([score_column] if score_column is not None else [])
    rows = [tuple(r) for r in session.execute(query.with_only_columns(*columns)).all()]
    ordered = by_score(rows) if score_column is not None else by_name(rows)
    return ordered[offset:offset + limit]
