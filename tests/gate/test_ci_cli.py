"""`elderscan ci` as a CI job runs it, on the pages of `tests/sites/ci/` (its scans replay
their recordings, tests/recorded.py: the gate is under test, not the browser).

`original` is a small county portal with known low-contrast text; `refactored` is the same
content after a markup-only redesign (new classes and ids, wrapper divs, landmarks by role
instead of tag, dates and a visit counter one day later); `regressed` is `original` plus one
new low-contrast notice. The baseline is the result JSON of `original`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from conftest import TEST_SITES
from elderscan.cli.root import app
from elderscan.contract import ScanReport, load_schema
from elderscan.devserver import SiteServer
from elderscan.fingerprints import finding_fingerprint, fingerprint
from elderscan.gate.baseline import load_baseline
from elderscan.gate.gate import compare
from incli import elderscan
from recorded import replay_env

SITES = ("original", "refactored", "regressed")


def run_ci(*args: str, timeout: float = 180,
           urls: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`elderscan ci *args`, its scan a replay of the recorded `tests/sites/ci` sites served
    at `urls` (tests/recorded.py): no Chromium."""
    env = replay_env({url: f"ci/{name}" for name, url in (urls or {}).items()},
                     {k: v for k, v in os.environ.items() if not k.startswith("ELDERSCAN_")})
    env.update(ELDERSCAN_SETTLE_MS="200", ELDERSCAN_PROBES="false", ELDERSCAN_LANG="en")
    if "ELDERSCAN_CHROMIUM" in os.environ:
        env["ELDERSCAN_CHROMIUM"] = os.environ["ELDERSCAN_CHROMIUM"]
    return elderscan(["ci", *args], env, timeout=timeout)


def scan_options(url: str) -> list[str]:
    return [url, "--max-pages", "1", "--no-sitemap"]


@pytest.fixture(scope="module")
def urls() -> Iterator[dict[str, str]]:
    servers = {name: SiteServer(TEST_SITES / "ci" / name) for name in SITES}
    for server in servers.values():
        server.start()
    yield {name: server.url for name, server in servers.items()}
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ci")


@pytest.fixture(scope="module")
def original(urls: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    """The main branch's job: a passing gate that keeps its result and a compact baseline."""
    return run_ci(*scan_options(urls["original"]), "--fail-under", "0",
                  "--json", str(folder / "original.json"),
                  "--write-baseline", str(folder / "baseline.json"), urls=urls)


def load(path: Path) -> ScanReport:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    jsonschema.validate(data, load_schema())
    return ScanReport.model_validate(data)


def failing(report: ScanReport) -> list[tuple[str, Any]]:
    return [(page.url, f) for page in report.pages for f in page.findings if f.outcome == "fail"]


def test_passes_and_writes_result_and_baseline(original: subprocess.CompletedProcess[str],
                                               folder: Path) -> None:
    assert original.returncode == 0, original.stdout + original.stderr
    assert "gate passed" in original.stdout
    assert re.search(r"total\s+[\d.]+ >= 0\s+ok", original.stdout)
    report = load(folder / "original.json")
    contrast = [f for _, f in failing(report) if f.rule == "contrast.text"]
    assert len(contrast) == 6
    assert all(f.anchor is not None for f in contrast)
    # Three dates in one list: the same text once digits are folded, told apart by index.
    dates = sorted((f.anchor.text, f.anchor.index) for f in contrast
                   if f.anchor is not None and f.anchor.text == "0-0-0")
    assert dates == [("0-0-0", 0), ("0-0-0", 1), ("0-0-0", 2)]
    assert len(load_baseline(folder / "baseline.json").entries) >= 6


def test_quiet_prints_only_the_verdict_in_the_chosen_language(urls: dict[str, str]) -> None:
    english = run_ci(*scan_options(urls["original"]), "--fail-under", "99", "--quiet",
                     urls=urls)
    assert english.returncode == 1 and english.stderr == ""
    assert re.fullmatch(r"gate FAILED: total [\d.]+ < 99\n", english.stdout), english.stdout
    chinese = run_ci(*scan_options(urls["original"]), "--fail-under", "0", "--quiet",
                     "--lang", "zh", urls=urls)
    assert chinese.returncode == 0 and chinese.stdout == "门槛通过\n", chinese.stdout


def test_fails_on_a_threshold_and_names_it(urls: dict[str, str], folder: Path) -> None:
    out = folder / "reports"
    proc = run_ci(*scan_options(urls["original"]), "--fail-under", "95",
                  "--dimension", "contrast=99", "--dimension", "ads=10",
                  "--report", "json", "--out", str(out), urls=urls)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"total\s+[\d.]+ >= 95\s+FAILED", proc.stdout)
    assert re.search(r"contrast\s+[\d.]+ >= 99\s+FAILED", proc.stdout)
    assert re.search(r"ads\s+[\d.]+ >= 10\s+ok", proc.stdout)
    verdict = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"gate FAILED: total [\d.]+ < 95, contrast [\d.]+ < 99", verdict)
    assert list(out.glob("*")), "the reports are written before the verdict"


def test_a_markup_refactor_changes_nothing(urls: dict[str, str], folder: Path,
                                           original: subprocess.CompletedProcess[str]) -> None:
    assert original.returncode == 0
    proc = run_ci(*scan_options(urls["refactored"]), "--fail-under", "0",
                  "--baseline", str(folder / "original.json"),
                  "--json", str(folder / "refactored.json"), urls=urls)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ", 0 fixed, 0 new" in proc.stdout and "gate passed" in proc.stdout
    before, after = load(folder / "original.json"), load(folder / "refactored.json")
    assert after.score is not None and before.score is not None
    assert after.score["total"] == before.score["total"]
    assert after.score["dimensions"] == before.score["dimensions"]
    assert (Counter(f.rule for _, f in failing(after))
            == Counter(f.rule for _, f in failing(before)))
    anchored = [{finding_fingerprint(f, url) for url, f in failing(r)} for r in (before, after)]
    assert anchored[0] == anchored[1]
    # The selector fingerprint would have called most of the same problems new.
    by_selector = [{fingerprint(f.rule, url, f.selector) for url, f in failing(r)}
                   for r in (before, after)]
    assert len(by_selector[1] - by_selector[0]) >= 4
    # The compact baseline file gives the same verdict as the result JSON.
    assert compare(after, load_baseline(folder / "baseline.json")).new == []


def test_fails_only_on_the_new_finding(urls: dict[str, str], folder: Path,
                                       original: subprocess.CompletedProcess[str]) -> None:
    assert original.returncode == 0
    proc = run_ci(*scan_options(urls["regressed"]), "--fail-under", "0",
                  "--baseline", str(folder / "baseline.json"), "--max-new-failures", "0",
                  urls=urls)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "new failing findings (1):" in proc.stdout
    listed = proc.stdout.split("new failing findings (1):")[1].splitlines()[1]
    assert listed.strip().startswith("contrast.text  /  text “温馨提示")
    assert "(threshold 4.5)" in listed
    assert proc.stdout.strip().splitlines()[-1] == (
        "gate FAILED: 1 new failing finding (at most 0 allowed)")


def run_in_process(*args: str) -> Result:
    """For errors found before any scan: no subprocess start-up to pay."""
    return CliRunner().invoke(app, ["ci", *args], env={"ELDERSCAN_LANG": "en"})


def assert_usage_error(proc: subprocess.CompletedProcess[str] | Result, needle: str) -> None:
    code = proc.returncode if isinstance(proc, subprocess.CompletedProcess) else proc.exit_code
    assert code == 2, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("elderscan: error: "), proc.stderr
    assert needle in lines[0]


@pytest.mark.parametrize(("args", "needle"), [
    (["--dimension", "colour=70"], "unknown dimension 'colour'"),
    (["--dimension", "contrast:70"], "NAME=SCORE"),
    (["--baseline", "/nonexistent/baseline.json"], "cannot read baseline"),
    (["--max-new-failures", "2"], "--max-new-failures needs --baseline"),
    (["--write-baseline", "/nonexistent/b.json"], "folder /nonexistent does not exist"),
    (["--lang", "fr"], "--lang must be zh or en"),
])
def test_usage_errors_exit_2_before_scanning(args: list[str], needle: str) -> None:
    assert_usage_error(run_in_process("http://127.0.0.1:9/", *args), needle)


def test_an_invalid_baseline_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text('{"hello": 1}', "utf-8")
    assert_usage_error(run_in_process("http://127.0.0.1:9/", "--baseline", str(bad)),
                       "neither a scan result nor a baseline file")


def test_a_scan_that_reaches_no_page_exits_2() -> None:
    proc = run_ci("http://127.0.0.1:9/", "--quiet", timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "gate" not in proc.stdout
