"""Text over photos and gradients, in a real browser: pixels get right what the DOM gets wrong.

Fixture `gov-image-text` sets light text over a light photo inside a container whose DOM colour is
black (`#hero-light`), and white text over a dark photo inside a white container (`#hero-dark`).
A DOM-only check passes the first and fails the second; `contrast.over-image`, reading the
screenshot, must do the opposite, and agree with every `visual` expectation in the truth file.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import AsyncIterator, Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from conftest import SiteFarm, _send, settings
from elderscan.capture import Capture
from elderscan.checks import check_page
from elderscan.checks._common.color import is_large_text
from elderscan.checks.contrast import dom_ratio
from elderscan.devserver import SiteServer
from elderscan.scanner import screenshot as page_module
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page
from elderscan.scanner.screenshot import in_viewport as _in_viewport
from elderscan.scanner.screenshot import take_screenshot as _screenshot

pytestmark = pytest.mark.browser

OPTS = settings(axe=False, settle_ms=0, probes=False)
SITE = "gov-image-text"


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[BrowserPool]:
    async with BrowserPool(OPTS) as browser:
        yield browser


async def shoot(pool: BrowserPool, sites: SiteFarm, page: str, shots: Path) -> Capture:
    result = await capture_page(pool, sites.url(SITE) + page.lstrip("/"), "desktop", OPTS,
                                screenshot_dir=shots)
    assert isinstance(result, Capture), result
    assert result.screenshot is not None
    return result


def run_for(capture: Capture, selector: str) -> str:
    """The captured selector of the run the truth file names (all samples here have an id)."""
    wanted = selector.lstrip("#")
    matches = [r.selector for r in capture.text_runs if r.selector == f"#{wanted}"]
    assert matches, f"no run for {selector}"
    return matches[0]


async def test_pixels_get_both_heroes_right_where_the_dom_gets_both_wrong(
        pool: BrowserPool, sites: SiteFarm, tmp_path: Path) -> None:
    home = await shoot(pool, sites, "/", tmp_path)
    runs = {r.selector: r for r in home.text_runs}
    light, dark = runs["#hero-light"], runs["#hero-dark"]
    assert light.over_image and dark.over_image

    # What a DOM-only check would conclude: light passes (on "black"), dark fails (on "white").
    assert dom_ratio(light) >= 3.0
    assert dom_ratio(dark) < 3.0

    findings = check_page(home, "en", tmp_path).findings
    by_rule = {(f.rule, f.selector): f for f in findings if f.selector}
    assert ("contrast.text", "#hero-light") not in by_rule  # not judged from the DOM
    assert ("contrast.text", "#hero-dark") not in by_rule

    light_hit = by_rule[("contrast.over-image", "#hero-light")]
    dark_hit = by_rule[("contrast.over-image", "#hero-dark")]
    assert light_hit.outcome == "fail"
    assert dark_hit.outcome == "pass"
    for hit in (light_hit, dark_hit):
        assert hit.threshold == 3.0  # 32 px bold: large text
        assert {"p10", "p50", "p90", "background_px", "glyph_px"} <= set(hit.data)
        assert hit.box is not None


@pytest.mark.parametrize("page", ["/", "/tour/index.html"])
async def test_over_image_verdicts_match_the_truth_file(pool: BrowserPool, sites: SiteFarm,
                                                        tmp_path: Path, page: str) -> None:
    truth = sites.truth(SITE)
    capture = await shoot(pool, sites, page, tmp_path)
    findings = [f for f in check_page(capture, "en", tmp_path).findings
                if f.rule == "contrast.over-image"]
    samples = [s for s in truth["samples"] if s["page"] == page and "visual" in s]
    assert samples
    for sample in samples:
        selector = run_for(capture, sample["selector"])
        [hit] = [f for f in findings if f.selector == selector]
        visual = sample["visual"]
        assert hit.outcome == visual["expect"], (sample["selector"], hit.data)
        # The median background contrast is close to the truth's ratio against the mean.
        assert hit.data["p50"] == pytest.approx(visual["ratio"], abs=visual["ratio_tolerance"])
        run = next(r for r in capture.text_runs if r.selector == selector)
        assert hit.threshold == (3.0 if is_large_text(run.font_px, run.font_weight) else 4.5)


@pytest.mark.parametrize("page", ["/", "/tour/index.html"])
async def test_a_screenshot_of_only_the_needed_part_gives_the_same_verdicts(
        pool: BrowserPool, sites: SiteFarm, tmp_path: Path, page: str) -> None:
    """Without a screenshot folder to keep, a scan shoots only down to the lowest text over an
    image: the pixel check must judge every such text exactly as on the whole page."""
    url = sites.url(SITE) + page.lstrip("/")
    for folder in ("whole", "part"):
        (tmp_path / folder).mkdir()
    whole = await shoot(pool, sites, page, tmp_path / "whole")
    part = await capture_page(pool, url, "desktop", OPTS.merged(screenshot_scope="needed"),
                              screenshot_dir=tmp_path / "part")
    assert isinstance(part, Capture)
    assert part.screenshot is not None, (part.errors, [r.selector for r in part.text_runs
                                                       if r.over_image])
    assert whole.screenshot_height is not None and part.screenshot_height is not None
    assert part.screenshot_height < whole.screenshot_height
    lowest = max(r.box[1] + r.box[3] for r in part.text_runs if r.over_image)
    assert lowest < part.screenshot_height

    def verdicts(capture: Capture, folder: str) -> dict[str | None, tuple[str, dict[str, object]]]:
        return {f.selector: (f.outcome, f.data)
                for f in check_page(capture, "en", tmp_path / folder).findings
                if f.rule == "contrast.over-image"}

    assert verdicts(part, "part") == verdicts(whole, "whole")
    assert verdicts(part, "part")


async def test_no_screenshot_where_no_text_lies_over_an_image(
        pool: BrowserPool, sites: SiteFarm, tmp_path: Path) -> None:
    needed = OPTS.merged(screenshot_scope="needed")
    capture = await capture_page(pool, sites.url("gov-good"), "desktop", needed,
                                 screenshot_dir=tmp_path)
    assert isinstance(capture, Capture)
    assert not any(r.over_image for r in capture.text_runs)
    assert capture.screenshot is None and capture.screenshot_height is None
    assert not list(tmp_path.iterdir())
    assert "screenshot" not in capture.errors


async def test_a_shot_inside_the_viewport_has_the_pixels_of_a_whole_page_shot(
        pool: BrowserPool, sites: SiteFarm, tmp_path: Path) -> None:
    """A shot that lies inside the unscrolled viewport skips `captureBeyondViewport` (no relayout
    at full height): its pixels must be those of the same clip cut from the page laid out whole,
    and a scrolled page must still be shot from the top of the document."""
    width, height = 1280, 600
    async with pool.tab("desktop") as tab:
        page = tab.page
        await page.goto(sites.url(SITE), wait_until="load")
        whole = Image.open(io.BytesIO(await page.screenshot(full_page=True))).convert("RGB")
        reference = whole.crop((0, 0, width, height))
        inside = tmp_path / "inside.png"
        await _screenshot(page, inside, width, height)
        await page.evaluate("window.scrollTo(0, 300)")
        scrolled = tmp_path / "scrolled.png"
        await _screenshot(page, scrolled, width, height)
    assert whole.height > height + 300  # the scroll above really moved the page
    for shot in (inside, scrolled):
        image = Image.open(shot).convert("RGB")
        assert image.size == (width, height)
        assert ImageChops.difference(image, reference).getbbox() is None, shot.name


def test_only_an_unscrolled_viewport_that_holds_the_shot_counts_as_inside() -> None:
    frozen = {"cancelled": 0, "scroll": [0, 0], "viewport": [1280, 900]}
    assert _in_viewport(frozen, 1280, 900)
    assert not _in_viewport(frozen, 1280, 901)
    assert not _in_viewport({**frozen, "scroll": [0, 1]}, 1280, 600)
    assert not _in_viewport({**frozen, "viewport": [1200, 900]}, 1280, 600)
    assert not _in_viewport(3, 1280, 600)  # an old page script's answer: shoot the safe way


LATE_PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>late photo</title>'
    "<style>body{margin:0} .hero{height:120px;background-color:#000}"
    " .hero.photo{background-image:url(/late.png)}"
    " h2{margin:0;padding:30px;font:700 32px sans-serif;color:#f0f0f0}</style></head>"
    '<body><section class="hero" id="hero"><h2 id="late">云岭风光　四季如春</h2></section>'
    "<p>正文</p><script>addEventListener('load', () =>"
    " document.getElementById('hero').classList.add('photo'));</script></body></html>")


def _late_image(delay: float) -> dict[str, Callable[[BaseHTTPRequestHandler], None]]:
    """A route for `/late.png`: a light photo, sent after `delay` seconds."""
    out = io.BytesIO()
    Image.new("RGB", (300, 60), (236, 236, 236)).save(out, "PNG")

    def image(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(delay)
        with contextlib.suppress(OSError):  # the capture may have gone on without it
            _send(handler, 200, {"Content-Type": "image/png"}, out.getvalue())

    return {"/late.png": image}


async def test_a_background_photo_that_arrives_after_load_is_in_the_shot(
        pool: BrowserPool, tmp_path: Path) -> None:
    """The photo is asked for only after `load` and takes 0.6 s: shot at once, the text
    would be judged against the black beneath it (a pass); waited for, it fails as it
    should (light text on a light photo)."""
    (tmp_path / "index.html").write_text(LATE_PAGE, "utf-8")
    with SiteServer(tmp_path, routes=_late_image(0.6)) as server:
        capture = await capture_page(pool, server.url, "desktop", OPTS,
                                     screenshot_dir=tmp_path)
    assert isinstance(capture, Capture) and capture.screenshot is not None
    [hit] = [f for f in check_page(capture, "en", tmp_path).findings
             if f.rule == "contrast.over-image" and f.selector == "#late"]
    assert hit.outcome == "fail", hit.data
    assert float(str(hit.data["p90"])) < 1.5
    assert not capture.warnings


async def test_a_photo_that_never_arrives_is_shot_as_it_is_with_a_warning(
        pool: BrowserPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_module, "IMAGES_READY_S", 0.5)
    (tmp_path / "index.html").write_text(LATE_PAGE, "utf-8")
    with SiteServer(tmp_path, routes=_late_image(5.0)) as server:
        capture = await capture_page(pool, server.url, "desktop", OPTS,
                                     screenshot_dir=tmp_path)
    assert isinstance(capture, Capture) and capture.screenshot is not None
    assert any("had not loaded within 0.5s" in w for w in capture.warnings), capture.warnings


async def test_a_lazy_image_below_the_fold_is_not_waited_for(
        pool: BrowserPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A lazy <img> loads when scrolled to, which a shot never does: waiting for it would cost
    # every such page the whole wait.
    monkeypatch.setattr(page_module, "IMAGES_READY_S", 0.5)
    lazy = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>lazy</title>'
            '<p>正文</p><p style="margin-top:3000px">正文</p>'
            '<img loading="lazy" src="/late.png" alt="风光"></html>')
    (tmp_path / "lazy.html").write_text(lazy, "utf-8")
    with SiteServer(tmp_path, routes=_late_image(5.0)) as server:
        capture = await capture_page(pool, server.url + "lazy.html", "desktop",
                                     OPTS.merged(screenshot_scope="page"),
                                     screenshot_dir=tmp_path)
    assert isinstance(capture, Capture) and capture.screenshot is not None
    assert capture.screenshot_height is not None and capture.screenshot_height > 3000
    assert not any("had not loaded" in w for w in capture.warnings), capture.warnings
