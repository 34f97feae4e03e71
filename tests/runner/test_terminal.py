"""The terminal as a regulator reads it, through the real CLI on fixture sites: the chosen
language throughout, a ranking that fits 80 columns with long Chinese names (numbers whole),
the terminal's width used when wider, `--quiet`, a progress bar that counts sites and names
the one in progress, and errors as one line. The scans replay recorded ones (tests/recorded.py)."""

from __future__ import annotations

import csv
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from elderscan.runner.rankingtext import ranking_lines, width_of
from elderscan.store import batch_ranking, find_batch, make_engine, session_scope
from elderscan.store.views import RankingRow
from recorded import REPLAY_PACE_ENV

from .conftest import closed_port_url, replayed_env, run_cli

LONG = {
    "gov-good": "内蒙古自治区呼和浩特市赛罕区人民政府门户网站（示例）",
    "bank-good": "华信银行股份有限公司个人网上银行长者专区（示例）",
}
UNREACHABLE = "不可达的示例网站"
ARGS = ["--max-pages", "1", "--set", "settle_ms=300", "--set", "load_timeout=8"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ENGLISH = re.compile(r"\b(score|round|failed|done|grade|None|True|False|effective|ranking|"
                     r"sites|scanned|batch)\b", re.I)


@dataclass
class Batch:
    cwd: Path
    env: dict[str, str]
    file: Path
    db_url: str


@pytest.fixture(scope="module")
def batch(sites: Any, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    cwd = tmp_path_factory.mktemp("terminal")
    file = cwd / "sites.csv"
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "url", "category", "region"])
        for site, name in LONG.items():
            writer.writerow([name, sites.url(site), "gov", "内蒙古自治区呼和浩特市赛罕区"])
        writer.writerow([UNREACHABLE, closed_port_url(), "gov", "无"])
    env = replayed_env(sites, list(LONG), ELDERSCAN_DATA_DIR=str(cwd / "data"),
                       ELDERSCAN_LANG="zh")
    return Batch(cwd, env, file, f"sqlite:///{cwd / 'data' / 'elderscan.db'}")


def _scores(db_url: str, name: str) -> dict[str, str]:
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            found = find_batch(session, name, None)
            assert found is not None
            return {r.name: f"{r.score_total:g}" for r in batch_ranking(session, found.id)
                    if r.score_total is not None}  # the stored ranking lists failed sites too
    finally:
        engine.dispose()


def _run(batch: Batch, name: str, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    run = run_cli(["batch", str(batch.file), "--name", name, *ARGS, *extra],
                  {**batch.env, **env}, batch.cwd)
    assert run.returncode == 0, run.stderr + run.stdout
    return run


def test_ranking_fits_80_columns_in_chinese_with_the_progress_of_sites(batch: Batch) -> None:
    # each capture takes 2 s, so the bar's once-a-second read finds a site mid-scan (replayed
    # at full speed, the round could end between two reads: the phase was never drawn)
    run = _run(batch, "窄", COLUMNS="80", FORCE_COLOR="1", **{REPLAY_PACE_ENV: "2"})
    out = ANSI.sub("", run.stdout)
    lines = [line for line in out.splitlines() if line.strip()]
    table = lines[:lines.index(next(x for x in lines if x.startswith("适老=")))]
    assert len(table) == 4  # title, header, two sites
    assert all(width_of(line) <= 80 for line in table), [(width_of(x), x) for x in table]
    summary = lines[-1]
    assert summary.startswith("批次 窄 第 1 轮：完成 2 个，失败 1 个，共 3 个")  # one line
    scores = _scores(batch.db_url, "窄")
    assert set(scores) == set(LONG.values())
    for name, score in scores.items():
        row = next(line for line in lines if line.split()[1].rstrip("…") and
                   name.startswith(line.split()[1].rstrip("…")))
        assert "…" in row.split()[1]  # the name gave way ...
        assert f" {score} " in f"{row} "  # ... the score did not
    assert "排行" in out and "失败：" + UNREACHABLE in out
    assert not ENGLISH.search(out), ENGLISH.search(out)
    # the bar counts sites (0/3 … 3/3), names the one in progress and what it is doing
    progress = ANSI.sub("", run.stderr)
    assert "3/3" in progress and "/10" not in progress
    assert re.search(r"(内蒙古|华信银行)\S*：(加载页面|试用适老模式|试用语音朗读|检查与评分)",
                     progress), progress[-2000:]
    assert not ENGLISH.search(progress.replace("elderscan", "")), ENGLISH.search(progress)


def test_wider_terminal_shows_whole_names_and_english_on_request(batch: Batch) -> None:
    run = _run(batch, "宽", "--lang", "en", COLUMNS="160")
    lines = run.stdout.splitlines()
    assert max(width_of(line) for line in lines) > 80
    for name in LONG.values():
        assert any(name in line for line in lines), run.stdout
    assert "宽 · round 1 · ranking" in run.stdout
    assert "failed: " + UNREACHABLE in run.stdout
    assert "2 done, 1 failed of 3" in run.stdout


def test_quiet_prints_only_the_one_line_verdict(batch: Batch) -> None:
    run = _run(batch, "静", "--quiet")
    assert run.stderr == ""
    assert len(run.stdout.strip().splitlines()) == 1
    assert run.stdout.startswith("批次 静 第 1 轮：完成 2 个，失败 1 个，共 3 个")


def test_errors_are_one_line_in_the_chosen_language(batch: Batch, tmp_path: Path) -> None:
    missing = run_cli(["batch", str(tmp_path / "none.csv")], batch.env, tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("elderscan：错误：") and missing.stderr.count("\n") == 1
    assert "none.csv" in missing.stderr
    bad_zone = run_cli(["db", "current"], {**batch.env, "ELDERSCAN_TIMEZONE": "Mars/Base"},
                       tmp_path)
    assert bad_zone.returncode == 2 and bad_zone.stderr.count("\n") == 1
    assert "ELDERSCAN_TIMEZONE='Mars/Base'" in bad_zone.stderr


def _row(name: str, rank: int, score: float) -> RankingRow:
    dims = {"elder_mode": 100.0, "font": 87.5, "contrast": 100.0, "voice": 33.3, "ads": 100.0,
            "accessibility": 91.7}
    return RankingRow(rank=rank, site_id=rank, name=name, url="https://x.example.cn/",
                      category="gov", region="新疆维吾尔自治区伊犁哈萨克自治州", scan_id=rank,
                      finished_at=datetime(2026, 11, 24, tzinfo=UTC), score_total=score,
                      grade="B", passed=True, dimensions=dims, vetoes=[])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ranking_lines_keep_numbers_whole_at_any_width(lang: Any) -> None:
    rows = [_row("新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市人民政府门户网站", 1, 99.25),
            _row("Agricultural Development Bank of China, Xinjiang Branch", 2, 100.0)]
    for width in (60, 80, 120):
        lines = [line.plain for line in ranking_lines(rows, "一轮 · 排行", lang, width)]
        if width >= 80:  # narrower than the numbers need: they stay whole, the line grows
            assert all(width_of(line) <= width for line in lines), (width, lines)
        body = lines[2:]
        for line, score in zip(body, ("99.25", "100"), strict=True):
            assert f" {score} " in line and line.rstrip().endswith("91.7")
            assert "87.5" in line and "33.3" in line
    wide = [line.plain for line in ranking_lines(rows, "t", lang, 200)]
    assert rows[0].name in wide[2] and rows[1].name in wide[3]
