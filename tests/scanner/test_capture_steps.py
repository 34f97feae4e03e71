"""`page.collect` runs the capture steps of `page.STEPS` in order over one context and builds
the capture from what they found, each step timed under its name — so a step can be timed,
skipped or moved in one place. No browser: the steps here are stand-ins."""

from __future__ import annotations

import asyncio
import json
import time
from types import SimpleNamespace
from typing import Any, cast

import pytest

from conftest import settings
from elderscan.capture import Capture
from elderscan.scanner import page as page_module
from elderscan.scanner.dompass import DomPass
from elderscan.scanner.navigation import Navigation
from elderscan.scanner.page import STEPS, Step, collect
from elderscan.scanner.page_context import PageContext, PageTarget
from recorded import RECORDINGS


def _dom_answer() -> DomPass:
    """A DOM pass's answer, as js/collect.js gives it, from a recorded capture."""
    scan = json.loads((RECORDINGS / "gov-good" / "desktop-zh-needed" / "scan.json")
                      .read_text("utf-8"))
    capture = next(e["capture"] for e in scan["pages"].values() if "capture" in e)
    return DomPass.model_validate(capture)  # the capture's other fields are ignored


def _target() -> PageTarget:
    page = SimpleNamespace(url="http://example.test/final")
    recorder = SimpleNamespace(network=[], console_errors=["uncaught: x"], page_error=None)
    now = time.perf_counter()
    return PageTarget(cast(Any, page), cast(Any, recorder), Navigation(200, now - 0.5, now - 0.2),
                      "http://example.test/", "desktop", "standard", settings(),
                      None, "120.0")


def test_the_steps_run_in_the_documented_order() -> None:
    assert [step.name for step in STEPS] == ["collect", "axe", "anchors", "screenshot", "probes"]


async def test_collect_builds_the_capture_from_its_steps_in_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def stand_in(name: str, pause: float = 0.0) -> Step:
        async def run(ctx: PageContext) -> None:
            ran.append(name)
            if name == "collect":
                ctx.data = _dom_answer()
            if name == "axe":
                ctx.errors["axe"] = "stand-in"
                ctx.warnings.append("a warning of a step")
            await asyncio.sleep(pause)
        return Step(name, run)

    monkeypatch.setattr(page_module, "STEPS", (stand_in("collect"), stand_in("axe", 0.05),
                                               stand_in("anchors"), stand_in("screenshot"),
                                               stand_in("probes")))
    capture = await collect(_target())
    assert isinstance(capture, Capture)
    assert ran == ["collect", "axe", "anchors", "screenshot", "probes"]
    assert capture.final_url == "http://example.test/final" and capture.http_status == 200
    assert capture.errors == {"axe": "stand-in"} and capture.warnings == ["a warning of a step"]
    assert capture.console_errors == ["uncaught: x"] and capture.chromium == "120.0"
    assert capture.text_runs and capture.screenshot is None
    timings = capture.timings
    assert timings.axe_ms >= 50 and timings.navigation_ms >= 290
    assert timings.total_ms >= timings.navigation_ms + timings.settle_ms + timings.axe_ms - 1


async def test_a_step_left_out_leaves_its_part_of_the_capture_empty(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async def dom(ctx: PageContext) -> None:
        ctx.data = _dom_answer()

    monkeypatch.setattr(page_module, "STEPS", (Step("collect", dom),))
    capture = await collect(_target())
    assert capture.axe is None and capture.focus is None and capture.anchors == {}
    assert capture.timings.axe_ms == 0 and capture.timings.probes_ms == 0
