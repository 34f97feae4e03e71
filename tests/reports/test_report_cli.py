"""`elderscan scan --report … --out` and `elderscan report` as a user runs them. The scans
replay recorded ones of the report site (tests/recorded.py): no Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from elderscan.contract import load_schema
from incli import elderscan
from recorded import replay_env

ALL_FORMATS = "html,json,csv,xlsx,junit,sarif,md"
FILES = ("report.html", "report.json", "report.csv", "report.xlsx", "report.junit.xml",
         "report.sarif", "report.md")


def cli(*args: str, data_dir: Path | None = None, timeout: float = 240,
        replay: str | None = None) -> subprocess.CompletedProcess[str]:
    """`elderscan *args`; a scan of `replay`, the report site's URL, replays its recording."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ELDERSCAN_") or k == "ELDERSCAN_CHROMIUM"}
    if replay is not None:
        env = replay_env({replay: "report"}, env)
    env["ELDERSCAN_SETTLE_MS"] = "200"
    env["ELDERSCAN_LANG"] = "en"
    env["ELDERSCAN_PROBES"] = "false"
    if data_dir is not None:
        env["ELDERSCAN_DATA_DIR"] = str(data_dir)
    return elderscan(args, env, timeout=timeout)


def one_line_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("elderscan: error: ") and needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def scanned_out(report_site: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scan-report")
    proc = cli("scan", report_site, "--max-pages", "2", "--quiet", "--report", ALL_FORMATS,
               "--out", str(out), replay=report_site)
    assert proc.returncode == 0, proc.stderr
    return out


def test_scan_writes_every_asked_format(scanned_out: Path) -> None:
    written = sorted(p.name for p in scanned_out.iterdir() if p.is_file())
    assert written == sorted(FILES)
    data = json.loads((scanned_out / "report.json").read_text("utf-8"))
    jsonschema.validate(data, load_schema())
    shots = [p["screenshot"] for p in data["pages"]]
    assert shots and all((scanned_out / "screenshots" / s).is_file() for s in shots)
    assert 'class="marked"' in (scanned_out / "report.html").read_text("utf-8")


def test_report_from_a_result_file_finds_its_screenshots(scanned_out: Path,
                                                         tmp_path: Path) -> None:
    proc = cli("report", str(scanned_out / "report.json"), "--format", "html", "--lang", "en",
               "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert f"report written to {tmp_path / 'report.html'}" in proc.stdout.replace("\n", "")
    html = (tmp_path / "report.html").read_text("utf-8")
    assert 'lang="en"' in html and 'class="marked"' in html


def test_report_of_a_stored_scan(report_site: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    sites = tmp_path / "sites.csv"
    sites.write_text(f"name,url,category,region\n北溪县,{report_site},gov,示范省\n", "utf-8")
    proc = cli("batch", str(sites), "--name", "round-test", "--max-pages", "1",
               data_dir=data, timeout=300, replay=report_site)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    proc = cli("report", "1", "--format", "html,json", "--out", str(out), data_dir=data)
    assert proc.returncode == 0, proc.stderr
    html = (out / "report.html").read_text("utf-8")
    assert "北溪县" in html and 'class="marked"' in html
    jsonschema.validate(json.loads((out / "report.json").read_text("utf-8")), load_schema())
    # The round's ranking, filtered by region: this site in it, or no row at all.
    proc = cli("report", "--batch", "round-test", "--format", "csv,xlsx", "--region", "示范省",
               "--out", str(out), data_dir=data)
    assert proc.returncode == 0, proc.stderr
    assert "北溪县" in (out / "ranking.csv").read_text("utf-8-sig")
    sheet = load_workbook(out / "ranking.xlsx").active
    assert sheet is not None and "北溪县" in [c.value for row in sheet.iter_rows() for c in row]
    proc = cli("report", "--batch", "round-test", "--round", "1", "--format", "csv",
               "--region", "别处", "--out", str(out), data_dir=data)
    assert proc.returncode == 0 and "the ranking is empty" in proc.stderr
    assert "北溪县" not in (out / "ranking.csv").read_text("utf-8-sig")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with an empty store at the newest schema, migrated once: each test
    takes a copy."""
    data = tmp_path_factory.mktemp("migrated")
    assert cli("db", "upgrade", data_dir=data).returncode == 0
    return data


@pytest.mark.parametrize(("args", "needle"), [
    (("report", "999", "--format", "html"), "scan 999 does not exist"),
    (("report", "nosuch.json"), "neither a scan id nor a result JSON file"),
    (("report", "1", "--format", "pdf"), "unknown report format 'pdf'"),
    (("report", "1", "--lang", "fr"), "--lang must be zh or en"),
    (("report", "--batch", "nope", "--format", "csv"), "no batch named 'nope'"),
    (("report", "--batch", "nope", "--format", "sarif"), "csv or xlsx, not sarif"),
    (("report",), "name a scan id"),
    (("scan", "http://127.0.0.1:9/", "--out", "x"), "--out needs --report"),
    (("scan", "http://127.0.0.1:9/", "--report", "html,docx"), "unknown report format 'docx'"),
])
def test_usage_errors_are_one_line(args: tuple[str, ...], needle: str, migrated: Path,
                                   tmp_path: Path) -> None:
    shutil.copytree(migrated, tmp_path, dirs_exist_ok=True)
    one_line_error(cli(*args, data_dir=tmp_path), needle)


@pytest.mark.parametrize(("args", "needle"), [
    (("scan", "http://127.0.0.1:9/", "--report", "html,docx"), "没有 'docx' 这种报告格式"),
    (("report", "1", "--format", ","), "没有给出报告格式"),
])
def test_report_option_errors_speak_chinese(args: tuple[str, ...], needle: str,
                                            migrated: Path, tmp_path: Path) -> None:
    shutil.copytree(migrated, tmp_path, dirs_exist_ok=True)
    env = {**os.environ, "ELDERSCAN_DATA_DIR": str(tmp_path), "ELDERSCAN_LANG": "en"}
    proc = elderscan([*args, "--lang", "zh"], env)  # --lang wins over the environment
    assert proc.returncode == 2, proc.stderr
    assert needle in proc.stderr and "report format" not in proc.stderr, proc.stderr


def test_an_unmigrated_store_is_one_line(tmp_path: Path) -> None:
    one_line_error(cli("report", "1", data_dir=tmp_path), "elderscan db upgrade")


def test_a_bad_result_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "1"}', "utf-8")
    one_line_error(cli("report", str(bad), "--out", str(tmp_path / "o")), "not a scan result")
    bad.write_text("not json", "utf-8")
    one_line_error(cli("report", str(bad), "--out", str(tmp_path / "o")), "is not a JSON")


def test_unwritable_out_folder_fails_before_scanning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    one_line_error(cli("scan", "http://127.0.0.1:9/", "--report", "html", "--out",
                       str(blocker / "sub")), "cannot create report folder")
