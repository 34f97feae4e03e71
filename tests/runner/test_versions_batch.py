"""A batch with 西藏 rows, through the real CLI on SQLite: the row's region reaches the scan,
and lang.version-required fails the site whose 藏文版 link is broken and passes the one whose
link works. A row of another region is not judged on it. The scans replay recorded ones
(tests/recorded.py)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from langsites import LangFarm, lang_farm

from .conftest import SCAN_ARGS, replayed_env, run_cli


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LangFarm]:
    yield from lang_farm(tmp_path_factory.mktemp("lang-batch-sites"))


def _results(db_url: str) -> dict[str, dict[str, Any]]:
    from sqlalchemy import select

    from elderscan.store import Scan, Site, make_engine, session_scope

    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            rows = session.execute(select(Site.name, Scan.result).join(
                Scan, Scan.site_id == Site.id)).all()
            return {name: result for name, result in rows}
    finally:
        engine.dispose()


def _verdicts(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["outcome"], f["message_key"]) for p in result["pages"] for f in p["findings"]
            if f["rule"] == "lang.version-required"]


def test_tibet_rows_fail_a_broken_tibetan_version_and_pass_a_working_one(
        farm: LangFarm, tmp_path: Path) -> None:
    file = tmp_path / "tibet.csv"
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "url", "category", "region"])
        writer.writerow(["某市（藏文版可用）", farm.url("lang-tibet"), "gov", "西藏"])
        writer.writerow(["某县（藏文版失效）", farm.url("lang-tibet-broken"), "gov", "西藏自治区"])
        writer.writerow(["某镇（东川省）", farm.url("lang-mislabelled"), "gov", "东川省"])
    env = replayed_env(farm, ["lang-tibet", "lang-tibet-broken", "lang-mislabelled"],
                       ELDERSCAN_DATA_DIR=str(tmp_path / "data"), ELDERSCAN_PROBE_ELDER="false",
                       ELDERSCAN_PROBE_VOICE="false")
    run = run_cli(["batch", str(file), "--name", "tibet", "-q", *SCAN_ARGS], env, tmp_path)
    assert run.returncode == 0, run.stderr
    results = _results(f"sqlite:///{tmp_path / 'data' / 'elderscan.db'}")
    assert _verdicts(results["某市（藏文版可用）"]) == [
        ("pass", "lang.version-required.works")]
    assert _verdicts(results["某县（藏文版失效）"]) == [
        ("fail", "lang.version-required.http")]
    assert _verdicts(results["某镇（东川省）"]) == []
    broken = results["某县（藏文版失效）"]["versions"]
    assert [(v["lang"], v["how"], v["status"]) for v in broken] == [("bo", "link", 404)]
