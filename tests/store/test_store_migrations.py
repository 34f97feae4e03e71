"""Migrations from an empty database, on SQLite and PostgreSQL, and the `elderscan db` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from elderscan.cli.root import app
from elderscan.store import DatabaseError, current, head, make_engine, require_head, upgrade
from elderscan.store.db import database_url, normalise_url
from elderscan.store.migrate import HEAD, VERSION_TABLE, scripts_head
from elderscan.store.models import Base

TABLES = {"sites", "batches", "scans", "pages", "findings", "api_tokens", "dashboard_sessions",
          "schedules", "review_decisions", "review_events", "round_cancels",
          "alembic_version"}


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, data_root: Path,
              fresh_pg: Callable[[], AbstractContextManager[str]]) -> Iterator[str]:
    """A database nobody has migrated yet."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_pg() as url:
        yield url


def test_upgrade_from_empty_reaches_head(empty_url: str) -> None:
    assert current(empty_url) is None
    with pytest.raises(DatabaseError, match="run `elderscan db upgrade`"):
        require_head(empty_url)
    assert upgrade(empty_url) == head()
    assert current(empty_url) == head()
    require_head(empty_url)
    assert upgrade(empty_url) == head()  # a second run is a no-op
    engine = make_engine(empty_url)
    try:
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) == TABLES
        scan_indexes = {i["name"] for i in inspector.get_indexes("scans")}
        assert {"ix_scans_site_id_finished_at", "ix_scans_batch_id_score_total"} <= scan_indexes
        finding_indexes = {i["name"] for i in inspector.get_indexes("findings")}
        assert {"ix_findings_scan_id_rule", "ix_findings_fingerprint"} <= finding_indexes
        with engine.connect() as conn:  # the migration builds exactly what the models describe
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_the_head_written_down_is_the_newest_migration() -> None:
    assert scripts_head() == HEAD == head(), (
        "a migration was added: set HEAD in elderscan/store/migrate.py to its revision")


def test_a_version_table_with_two_revisions_is_one_clear_error(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES ('ab12')"))
    finally:
        engine.dispose()
    with pytest.raises(DatabaseError, match=f"2 revisions \\({HEAD}, ab12\\)"):
        require_head(empty_url)


ASK_ONLY = """
import json, sys
from elderscan.store.migrate import current, require_head, upgrade
url = sys.argv[1]
print(json.dumps({"empty": current(url), "alembic": "alembic" in sys.modules}))
upgrade(url)
require_head(url)
print(json.dumps({"at": current(url), "alembic": "alembic" in sys.modules}))
"""


def test_asking_whether_the_schema_is_current_imports_no_alembic(tmp_path: Path) -> None:
    """Only `upgrade` needs Alembic (~0.2 s of imports): every command that opens the store
    asks `require_head` first."""
    done = subprocess.run([sys.executable, "-c", ASK_ONLY, f"sqlite:///{tmp_path / 'a.db'}"],
                          capture_output=True, text=True, check=True)
    asked, upgraded = (json.loads(line) for line in done.stdout.splitlines())
    assert asked == {"empty": None, "alembic": False}
    assert upgraded == {"at": HEAD, "alembic": True}


def test_unreachable_database_is_one_clear_error() -> None:
    with pytest.raises(DatabaseError) as info:
        current("postgresql://nobody@127.0.0.1:1/nothing")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("cannot use the database postgresql+psycopg://nobody@127.0.0.1:1")


def test_urls_and_data_dir_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ELDERSCAN_DATA_DIR", raising=False)
    monkeypatch.delenv("ELDERSCAN_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path / '.elderscan' / 'elderscan.db'}"
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", "postgresql://u:pw@db/elderscan")
    assert database_url() == "postgresql+psycopg://u:pw@db/elderscan"
    assert normalise_url("postgres://h/x") == "postgresql+psycopg://h/x"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


# ----------------------------------------------------------------------------------- the CLI

runner = CliRunner(env={"ELDERSCAN_LANG": "en"})


def test_cli_upgrade_and_current(empty_url: str) -> None:
    result = runner.invoke(app, ["db", "current", "--url", empty_url])
    assert result.exit_code == 0, result.output
    assert "empty" in result.output
    result = runner.invoke(app, ["db", "upgrade", "--url", empty_url])
    assert result.exit_code == 0, result.output
    assert f"upgraded empty -> {head()}" in result.output
    result = runner.invoke(app, ["db", "upgrade", "--url", empty_url])
    assert f"already at {head()}" in result.output
    result = runner.invoke(app, ["db", "current", "--url", empty_url])
    assert result.exit_code == 0
    assert f"{head()} (head)" in result.output


def test_cli_default_database_in_data_dir(data_root: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (data_root / "elderscan.db").is_file()
    assert current(f"sqlite:///{data_root / 'elderscan.db'}") == head()


def test_cli_unreachable_database_exits_2_with_one_line() -> None:
    result = runner.invoke(app, ["db", "upgrade", "--url", "postgresql://x:secret@127.0.0.1:1/db"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("elderscan: error: cannot use the database")
    assert "secret" not in result.stderr
    result = runner.invoke(app, ["db", "current", "--url", "nosuchdb://x"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "unsupported database URL" in result.stderr


def test_cli_prune_needs_a_retention(data_root: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["db", "prune"])
    assert result.exit_code == 2
    assert "ELDERSCAN_RETENTION_DAYS" in result.stderr
    result = runner.invoke(app, ["db", "prune", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert "pruned 0 files" in result.output
