"""Every command that opens the store, on a corrupt SQLite file and an unreachable PostgreSQL:
one line naming the store and the problem, exit code 2, no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from elderscan.contract import ScanReport
from elderscan.store import (
    claim_scan,
    create_batch,
    create_token,
    head,
    make_engine,
    reset_engines,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)
from incli import elderscan
from storefault import corrupt

from .conftest import REAL_REPORT

COMMANDS = [
    ["db", "current"], ["db", "check"], ["db", "prune", "--older-than", "0"],
    ["token", "create", "--role", "read"],
    ["report", "1", "--format", "html", "--out", "out"],
    ["report", "--batch", "b", "--format", "csv", "--out", "out"],
    ["batch", "sites.csv", "--max-pages", "1"], ["serve", "--port", "0"], ["worker"],
]
"""One command of each way into the store (the token commands share one, the db commands
another)."""


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ELDERSCAN_")}
    return elderscan(args, {**clean, "ELDERSCAN_BROKER_URL": "redis://127.0.0.1:6379/13",
                            "ELDERSCAN_LANG": "en", **env}, cwd=cwd, timeout=120)


def _the_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The one line a command that failed on its store said: exit 2, no traceback."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def _one_line(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    line = _the_line(proc)
    assert line.startswith("elderscan: error: cannot use the database ")
    for needle in needles:
        assert needle in line, line


@pytest.fixture(scope="module")
def stocked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose SQLite store holds a batch with a finished scan and a token."""
    folder = tmp_path_factory.mktemp("stocked")
    url = f"sqlite:///{folder / 'data' / 'elderscan.db'}"
    upgrade(url)
    engine = make_engine(url)
    report = ScanReport.model_validate_json(REAL_REPORT.read_text("utf-8"))
    with session_scope(engine) as session:
        batch = create_batch(session, "b", [upsert_site(session, "x", report.target)])
        scan_id = batch.scans[0].id
        create_token(session, "t", "read")
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, report, data_root=folder / "data")
    engine.dispose()
    reset_engines()
    (folder / "sites.csv").write_text("name,url\na,https://a.example.gov.cn/\n", "utf-8")
    return folder


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_corrupt_sqlite_is_one_line_and_exit_2(stocked: Path, tmp_path: Path,
                                               command: list[str]) -> None:
    """Garbage over every page but the header's: the file opens, and every read fails."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "elderscan.db").write_bytes((stocked / "data" / "elderscan.db").read_bytes())
    corrupt(data / "elderscan.db", keep=100)
    (tmp_path / "sites.csv").write_bytes((stocked / "sites.csv").read_bytes())
    proc = _run(command, tmp_path, ELDERSCAN_DATA_DIR=str(data))
    _one_line(proc, f"sqlite:///{data / 'elderscan.db'}", "database disk image is malformed")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_unreachable_postgresql_is_one_line_and_exit_2(stocked: Path, tmp_path: Path,
                                                        command: list[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "sites.csv").write_bytes((stocked / "sites.csv").read_bytes())
    proc = _run(command, tmp_path, ELDERSCAN_DATA_DIR=str(tmp_path / "data"),
                ELDERSCAN_DATABASE_URL=f"postgresql://postgres:secret@127.0.0.1:{port}/x")
    _one_line(proc, f"postgresql+psycopg://postgres:***@127.0.0.1:{port}/x",
              "Connection refused")
    assert "secret" not in proc.stderr


def test_db_check_finds_damage_the_other_commands_do_not_read(stocked: Path,
                                                               tmp_path: Path) -> None:
    """Garbage over the second half of the file: the revision still reads (`db current` is
    fine), the whole-file check is not."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "elderscan.db"
    db.write_bytes((stocked / "data" / "elderscan.db").read_bytes())
    healthy = _run(["db", "check"], tmp_path, ELDERSCAN_DATA_DIR=str(data))
    assert healthy.returncode == 0, healthy.stderr
    assert healthy.stdout.strip() == (f"sqlite:///{db}: ok at {head()} (every table reads, "
                                      "quick_check passed)")
    corrupt(db, keep=db.stat().st_size // 2)
    assert _run(["db", "current"], tmp_path, ELDERSCAN_DATA_DIR=str(data)).returncode == 0
    _one_line(_run(["db", "check"], tmp_path, ELDERSCAN_DATA_DIR=str(data)),
              f"sqlite:///{db}", "the file is damaged (quick_check: ")


@pytest.mark.parametrize(("args", "said"), [
    (["db", "check", "--url", "sqlite:///{tmp}/empty.db"],
     "无法使用数据库 sqlite:///{tmp}/empty.db：数据库还没有版本，需要 {head}：请运行 "
     "`elderscan db upgrade`"),
    (["token", "list"],
     "数据库是空的，这个 elderscan 需要版本 {head}：请运行 `elderscan db upgrade`"),
    (["db", "current", "--url", "nosuch://x"], "不支持的数据库地址 nosuch://x："),
])
def test_the_store_says_what_is_wrong_in_chinese(tmp_path: Path, args: list[str],
                                                 said: str) -> None:
    """Not English under the Chinese `错误` prefix: the framing comes from the catalogue, and
    only a driver's own words (quoted) stay as the driver wrote them."""
    args = [a.format(tmp=tmp_path) for a in args]
    proc = _run(args, tmp_path, ELDERSCAN_LANG="zh",
                ELDERSCAN_DATABASE_URL=f"sqlite:///{tmp_path}/empty.db")
    line = _the_line(proc)
    want = "elderscan：错误：" + said.format(tmp=tmp_path, head=head())
    assert line.startswith(want), line


def test_a_store_error_beside_another_bad_setting_is_still_one_line(tmp_path: Path) -> None:
    """Saying the store's error must not read the settings again (a bad one would raise
    inside the error handler: a traceback and exit 1)."""
    proc = _run(["db", "current", "--url", "nosuch://x"], tmp_path,
                ELDERSCAN_RETENTION_DAYS="abc")
    line = _the_line(proc)
    assert "unsupported database URL nosuch://x" in line, line


def test_the_english_keeps_paths_and_a_drivers_words_as_they_are() -> None:
    """English count agreement ("1 pages" → "1 page") is for our phrases, not for a path or
    a driver's text quoted in them; a multi-line cause is one line."""
    from elderscan.store.db import DatabaseError

    error = DatabaseError(key="unusable", url="sqlite:////srv/1 sites/x.db",
                          detail=DatabaseError(key="damaged", problem="1 pages are bad"))
    assert str(error) == ("cannot use the database sqlite:////srv/1 sites/x.db: the file is "
                          "damaged (quick_check: 1 pages are bad)")
    assert error.said("zh") == ("无法使用数据库 sqlite:////srv/1 sites/x.db：文件已损坏"
                                "（quick_check：1 pages are bad）")
