"""What the capture measures on each fixture site matches the site's truth file."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from conftest import FIXTURE_SITES, SiteFarm, settings
from elderscan.capture import Capture, TextRun
from elderscan.judge.metrics import font_metrics
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

SITES = sorted(p.parent.name for p in FIXTURE_SITES.glob("*/truth.json"))
OPTS = settings(axe=False, settle_ms=400, concurrency=4)


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[BrowserPool]:
    async with BrowserPool(OPTS) as browser:
        yield browser


async def capture(pool: BrowserPool, sites: SiteFarm, site: str, page: str) -> Capture:
    url = sites.url(site) + page.lstrip("/")
    result = await capture_page(pool, url, "desktop", OPTS)
    assert isinstance(result, Capture), result
    return result


async def find_runs(pool: BrowserPool, capture: Capture,
                    samples: list[dict[str, Any]]) -> list[TextRun]:
    """For each sample, the run whose captured selector points at the very element the truth
    file names (one load of the page for all its samples)."""
    candidates = []
    for sample in samples:
        wanted = sample["text_contains"]
        runs = [r for r in capture.text_runs if wanted in r.text]
        assert runs, f"no visible text run contains {wanted!r} on {capture.url}"
        candidates.append(runs)
    async with pool.context("desktop") as ctx:
        page = await ctx.new_page()
        await page.goto(capture.url)
        indexes: list[int] = await page.evaluate(
            """(pairs) => pairs.map(([target, candidates]) => {
                const el = document.querySelector(target);
                return candidates.findIndex((sel) => document.querySelector(sel) === el);
            })""",
            [[s["selector"], [r.selector for r in runs]]
             for s, runs in zip(samples, candidates, strict=True)],
        )
    found = []
    for sample, runs, index in zip(samples, candidates, indexes, strict=True):
        assert index >= 0, (f"{sample['selector']} is not among the runs containing "
                            f"{sample['text_contains']!r}")
        found.append(runs[index])
    return found


def test_every_site_has_a_truth_file() -> None:
    assert len(SITES) >= 10
    for site in (p.name for p in FIXTURE_SITES.iterdir() if p.is_dir()):
        assert site in SITES, f"{site} has no truth.json"


@pytest.mark.parametrize("site", SITES)
async def test_capture_matches_truth(pool: BrowserPool, sites: SiteFarm, site: str) -> None:
    truth = sites.truth(site)
    pages = sorted({s["page"] for s in truth["samples"]} | set(truth["dominant_px"]))
    # the pages at once, as a crawl takes them (the pool's slots bound how many); a failure
    # cancels the rest, so none runs on into the next test
    async with asyncio.TaskGroup() as group:
        started = [group.create_task(capture(pool, sites, site, page)) for page in pages]
    captures = {page: task.result() for page, task in zip(pages, started, strict=True)}

    for page, px in truth["dominant_px"].items():
        measured = font_metrics(captures[page].text_runs)["dominant_px"]
        assert measured == pytest.approx(px, abs=0.5), f"{site}{page}: dominant text size"

    by_page: dict[str, list[dict[str, Any]]] = {}
    for sample in truth["samples"]:
        by_page.setdefault(sample["page"], []).append(sample)
    async with asyncio.TaskGroup() as group:
        looked = {page: group.create_task(find_runs(pool, captures[page], samples))
                  for page, samples in by_page.items()}
    for page, samples in by_page.items():
        for sample, run in zip(samples, looked[page].result(), strict=True):
            where = f"{site}{page} {sample['selector']}"
            assert run.font_px == pytest.approx(sample["font_px"], abs=0.1), where
            assert run.font_weight == sample["font_weight"], where
            if sample["line_height_px"] is None:
                assert run.line_height_px is None, where
            else:
                assert run.line_height_px == pytest.approx(sample["line_height_px"],
                                                           abs=0.2), where
            assert [round(c) for c in run.color[:3]] == sample["color"], where
            assert list(run.background) == pytest.approx(sample["background"], abs=1), where
            assert run.over_image is sample["over_image"], where

    home = captures.get("/") or await capture(pool, sites, site, "/")
    assert home.lang == truth["lang"]
    assert home.meta_viewport == truth["viewport_meta"]
    assert home.title


@pytest.mark.parametrize("key", ["gbk_sentence", "gb2312_sentence"])
async def test_gbk_pages_come_out_as_correct_text(pool: BrowserPool, sites: SiteFarm,
                                                  key: str) -> None:
    truth = sites.truth("gov-gbk")
    if key not in truth:
        pytest.fail(f"gov-gbk truth has no {key}")
    case = truth[key]
    page = await capture(pool, sites, "gov-gbk", case["page"])
    assert page.charset.lower() in {"gbk", "gb2312", "gb18030"}
    texts = [r.text for r in page.text_runs]
    assert case["text"] in texts
