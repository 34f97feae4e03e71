"""The capture's page scripts are defined in every document of a capture tab and called by
name; a document without the definitions is sent the source and answers the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import serve_pages, settings
from elderscan.capture import Anchor
from elderscan.scanner.anchoring import anchor_pass
from elderscan.scanner.browser import VIEWPORTS, BrowserPool
from elderscan.scanner.page_scripts import COLLECT, FOCUS, SCRIPTS, PageScript

pytestmark = pytest.mark.browser

PAGES = {"a.html": """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>脚本</title></head><body><nav><a href="b.html">办事服务</a> <a href="c.html">政务公开</a>
</nav><p style="color:#999">灰色小字</p><button>搜索</button></body>"""}
OPTIONS = {"maxTextRuns": 100, "maxInteractive": 100}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("scripts")
    yield from serve_pages(root, PAGES)


def _sent_sources(calls: list[str]) -> list[str]:
    return [s.name for s in SCRIPTS if any(s.source in call for call in calls)]


async def _run(script: PageScript, page: Any, arg: Any) -> tuple[Any, list[str]]:
    """The script's answer, and which script sources the call sent."""
    calls: list[str] = []
    evaluate = page.evaluate

    async def recording(expression: str, argument: Any = None) -> Any:
        calls.append(expression)
        return await evaluate(expression, argument)

    page.evaluate = recording
    try:
        return await script(page, arg), _sent_sources(calls)
    finally:
        del page.evaluate


def _without_timing(raw: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(raw)
    data.pop("collect_ms")
    return data


async def test_a_capture_tab_runs_the_scripts_by_name_and_a_bare_page_gets_the_source(
        site: str) -> None:
    opts = settings(axe=False)
    async with BrowserPool(opts) as pool, pool.tab("desktop", key="scripts") as tab:
        await tab.page.goto(site + "a.html")
        defined = await tab.page.evaluate("() => Object.keys(window.__elderscanScripts)")
        assert defined == [s.name for s in SCRIPTS]
        in_tab, sent = await _run(COLLECT, tab.page, OPTIONS)
        assert sent == []
        steps, sent = await _run(FOCUS, tab.page, "base")
        assert sent == [] and steps == 3  # three controls to Tab through

        # a context of its own, without the init script
        bare = await tab.browser.new_page(viewport=VIEWPORTS["desktop"]["viewport"])
        try:
            await bare.goto(site + "a.html")
            alone, sent = await _run(COLLECT, bare, OPTIONS)
            assert sent == ["collect"]
        finally:
            await bare.context.close()
    assert _without_timing(alone) == _without_timing(in_tab)
    assert [r["text"] for r in json.loads(in_tab)["text_runs"]][:2] == ["办事服务", "政务公开"]


async def test_anchors_and_snippets_come_in_one_call_and_fail_apart(site: str) -> None:
    """One call answers both; a pass that throws costs its own part only, named in errors."""
    async with BrowserPool(settings(axe=False)) as pool, \
            pool.tab("desktop", key="marks") as tab:
        await tab.page.goto(site + "a.html")
        await COLLECT(tab.page, OPTIONS)  # hands out the selectors
        calls: list[str] = []
        page: Any = tab.page
        evaluate = page.evaluate

        async def counting(expression: str, argument: Any = None) -> Any:
            calls.append(expression)
            return await evaluate(expression, argument)

        page.evaluate = counting
        anchors: dict[str, Anchor] = {}
        snippets: dict[str, str] = {}
        errors: dict[str, str] = {}
        await anchor_pass(tab.page, [], anchors, snippets, errors, registry=True)
        assert len(calls) == 1 and errors == {}
        button = next(sel for sel, a in anchors.items() if a.role == "button")
        assert anchors[button].text == "搜索" and snippets[button] == "<button>搜索</button>"

        # the snippets read each element's attributes; the anchors do not
        await evaluate("""() => Object.defineProperty(Element.prototype, 'attributes',
            { get() { throw new Error('attributes taken away'); } })""")
        anchors.clear()
        snippets.clear()
        await anchor_pass(tab.page, [], anchors, snippets, errors, registry=True)
        assert button in anchors and snippets == {}
        assert list(errors) == ["snippets"] and "attributes taken away" in errors["snippets"]

        # an answer that is not JSON costs both parts, not the page
        await evaluate("() => { JSON.stringify = () => undefined; }")
        anchors.clear()
        errors.clear()
        await anchor_pass(tab.page, [], anchors, snippets, errors, registry=True)
        del page.evaluate
    assert anchors == {} and snippets == {} and sorted(errors) == ["anchors", "snippets"]
