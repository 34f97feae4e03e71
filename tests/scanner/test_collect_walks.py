"""The DOM pass works out each element's background, opacity and selector once and reuses it
for every element below: what it reuses must be what a walk from each element would find."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.async_api import async_playwright

from elderscan.scanner._chromium import BASE_FLAGS, find_chromium
from elderscan.scanner.dompass import MAX_INTERACTIVE, MAX_TEXT_RUNS
from elderscan.scanner.page_scripts import COLLECT

pytestmark = pytest.mark.browser

PAGE = """<html lang="zh"><body style="background:#0050a0">
<div id="veil" style="background:rgba(255,255,255,0.5)">
  <p id="a" style="color:#000">第一段</p>
  <p id="b" style="color:#000;background:rgba(255,255,255,0.5)">第二段</p>
  <div style="opacity:0.5"><p id="c" style="color:#000">半透明</p></div>
  <p id="d" style="color:#000">第四段</p>
</div>
<div id="twin"><span>一</span></div><div id="twin"><span>二</span></div>
<div style="background:#fff"><p id="e" style="color:rgba(0,0,0,0.8)">白底</p></div>
</body></html>"""


async def _runs() -> dict[str, dict[str, Any]]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(),
                                           args=list(BASE_FLAGS))
        page = await browser.new_page()
        await page.set_content(PAGE)
        data = json.loads(await page.evaluate(
            COLLECT.source, {"maxTextRuns": MAX_TEXT_RUNS, "maxInteractive": MAX_INTERACTIVE}))
        await browser.close()
    return {r["text"]: r for r in data["text_runs"]}


async def test_backgrounds_opacity_and_selectors_reused_from_ancestors() -> None:
    runs = await _runs()
    # White at 50 % over #0050a0: (255·0.5 + 0 · 0.5, 255·0.5 + 80·0.5, 255·0.5 + 160·0.5).
    veil = [128, 168, 208]
    assert runs["第一段"]["background"] == veil
    assert runs["第四段"]["background"] == veil  # the veil's backdrop, reused
    # White at 50 % again, over the veil's unrounded (127.5, 167.5, 207.5): rounded once at
    # the end (191.25 …), not once per layer (which would give 192, 212, 232).
    assert runs["第二段"]["background"] == [191, 211, 231]
    assert runs["半透明"]["background"] == veil
    assert runs["半透明"]["color"] == [0, 0, 0, 0.5]  # the ancestor's opacity multiplies in
    assert runs["第一段"]["color"] == [0, 0, 0, 1]
    assert runs["第四段"]["color"] == [0, 0, 0, 1]  # the parsed colour is not shared
    assert runs["白底"]["background"] == [255, 255, 255]
    assert runs["白底"]["color"] == [0, 0, 0, 0.8]  # a colour shared by no one else, not scaled
    # A duplicated id is no anchor: both spans get a positional path, and different ones.
    one, two = runs["一"]["selector"], runs["二"]["selector"]
    assert "#twin" not in one and one != two
    assert runs["第一段"]["selector"] == "#a"
