"""axe-core in every frame of a page.

The engine is the `axe.min.js` that axe-playwright-python ships (a current 4.x); its own runner
covers only the main frame, so we inject it ourselves into each frame, cross-origin ones
included, by evaluating the source (a CSP that blocks script tags cannot stop that) and run it
there with `iframes: false`, then merge. Results are trimmed in the page so a big page does not
ship megabytes of HTML snippets back over the wire.

Our copy is kept as `window.__elderscanAxe`, so a site that loads an axe-core of its own (or
anything else called `axe`) is still measured with ours and reported with our version.

How the source gets into a document: as the body of a function, `__elderscanAxeLoad`, that an
init script of the capture tabs defines in every document, and that the run calls the first
time. The 570 KB cross Python, Playwright's driver and the browser process once per context, not
once per page, and V8 keeps the compiled script per renderer process, so a later document's copy
costs a cache lookup and, where axe-core runs, its start. A frame without the function (one that
was there before the init script) gets the source by `evaluate`, as every frame once did.
Measured over 30 corpus pages, navigation and axe-core only, 8 interleaved rounds (CPU of every
process, ms a page, median): evaluating the source 386, the loader 347, the whole source as an
init script 355 (it starts axe-core in every document, the blank page between captures
included, so navigation rose by ~25 ms and more on a slower machine).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from importlib import resources
from typing import Any

from playwright.async_api import CDPSession, Frame, Page

from elderscan.capture import AxeNode, AxeResults, AxeRule
from elderscan.errors import first_line
from elderscan.i18n import Lang
from elderscan.i18n.axe import locale as axe_locale

AXE_SOURCE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
_version = re.search(r"axe v(\d+\.\d+\.\d+)", AXE_SOURCE[:200])
AXE_VERSION = _version.group(1) if _version else "unknown"

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

NOT_RUN = frozenset({"color-contrast", "color-contrast-enhanced", "target-size"})
"""Rules our own checks measure from the single DOM pass (contrast.*, target.size): running
them in axe too would cost more than half of axe's time on a portal page (color-contrast
alone ≈ 370–570 ms of ≈ 700 ms on the benchmark corpus) for verdicts that are thrown away."""

RUN_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
    "rules": {rule: {"enabled": False} for rule in sorted(NOT_RUN)},
    "resultTypes": ["violations", "incomplete"],
    "iframes": False,
    "selectors": True,
    "ancestry": False,
    "xpath": False,
    "elementRef": False,
    "performanceTimer": False,
}

LOCALES: dict[str, Any] = {lang: data for lang in ("zh",) if (data := axe_locale(lang))}
"""axe-core's locales by our language code (English is axe's own)."""

TEXT_BLOCK = resources.files("elderscan.scanner").joinpath("js/axe_text_block.js").read_text(
    "utf-8")
"""link-in-text-block with its text-block walk done once a block, not once a link. axe-core's
`isInTextBlock` walks a link's whole block for every link, so a 网站地图 paragraph of 2,000
inline links cost millions of element visits, each reading a computed style: the rule alone
took 6.9–8.0 s on the bench corpus' home page on a 2-core machine, enough to take a run past
its time limit and lose every rule of the frame. The stretch of the block that the walk keeps
for a link does not depend on the link, so the script walks a block once and looks each link
up (0.14–0.17 s there). It mirrors axe-core 4.12.1's walk and installs itself only into that
version; any other copy runs axe-core's own rule. docs/architecture.md has the measurements,
tests/scanner/test_axe_text_block.py holds the two to the same verdicts."""

AXE_INJECT = (AXE_SOURCE + "\n;if (!window.__elderscanAxe) Object.defineProperty(window, "
              "'__elderscanAxe', { value: window.axe, enumerable: false });"
              "\nif (!window.__elderscanAxeTextBlock) Object.defineProperty(window, "
              "'__elderscanAxeTextBlock', { value: " + TEXT_BLOCK.strip().rstrip(";") + ","
              " enumerable: false });"
              "\nif (!window.__elderscanAxeLocales) Object.defineProperty(window, "
              "'__elderscanAxeLocales', { value: " + json.dumps(LOCALES, ensure_ascii=False)
              + ", enumerable: false });")
"""Evaluated into a frame that has no loader (below) before axe-core runs there. The locales
come with the source, so a run names its language and not the 53 KB locale: sent with every
run, the locale cost Python, Playwright's driver and the renderer ~60 ms of CPU a page
(serialized, validated and parsed across the protocol each time)."""

AXE_LOADER = ("Object.defineProperty(window, '__elderscanAxeLoad', { value: function () {\n"
              + AXE_INJECT + "\n}, enumerable: false });")
"""The init script of the capture tabs: defines the loader, runs nothing of axe-core."""

_RUN = """async ({options, lang}) => {
  if (!window.__elderscanAxe && typeof window.__elderscanAxeLoad === 'function') {
    window.__elderscanAxeLoad();
  }
  const axe = window.__elderscanAxe;
  if (!axe || typeof axe.run !== 'function') return null;
  const locale = lang ? (window.__elderscanAxeLocales || {})[lang] : null;
  if (lang && !locale) throw new Error('axe-core has no locale ' + lang);
  // The locale stays configured in this document until a run without one resets it (axe
  // compiles a locale's messages on configure: ~30 ms a run if done every time). axe's English
  // help is read once, before the first configure, and kept beside the localised one so a
  // report can show either language.
  const own = axe.__elderscan
    || (axe.__elderscan = { english: null, locale: null, textBlock: false });
  let english = {};
  if (locale) {
    if (!own.english) {
      own.english = {};
      for (const x of axe.getRules()) own.english[x.ruleId] = x.help;
    }
    english = own.english;
    if (own.locale !== locale.lang) {
      axe.configure({ locale });
      own.locale = locale.lang;
    }
  } else if (own.locale) {
    axe.reset();  // also undoes our link-in-text-block (below)
    own.locale = null;
    own.textBlock = false;
  }
  if (!own.textBlock && typeof window.__elderscanAxeTextBlock === 'function') {
    window.__elderscanAxeTextBlock(axe);
    own.textBlock = true;
  }
  const r = await axe.run(document, options);
  const rule = (x) => ({
    id: x.id, impact: x.impact || null, tags: x.tags, help: x.help, help_url: x.helpUrl,
    help_en: english[x.id] || null,
    nodes: x.nodes.slice(0, 50).map((n) => ({
      target: n.target.map(String), html: (n.html || '').slice(0, 300),
      failure_summary: n.failureSummary ? n.failureSummary.slice(0, 500) : null,
    })),
  });
  return JSON.stringify({
    version: axe.version,
    violations: r.violations.map(rule), incomplete: r.incomplete.map(rule),
    passes: r.passes.map((x) => x.id), inapplicable: r.inapplicable.map((x) => x.id),
  });
}"""


async def _run_in_frame(frame: Frame, lang: str | None) -> dict[str, Any]:
    args = {"options": RUN_OPTIONS, "lang": lang}
    raw = await frame.evaluate(_RUN, args)
    if raw is None:  # no loader in this document
        await frame.evaluate(AXE_INJECT)
        raw = await frame.evaluate(_RUN, args)
        if raw is None:
            raise RuntimeError("axe-core did not load in this frame")
    result: dict[str, Any] = json.loads(raw)
    return result


def _merge(
    into: dict[str, dict[str, Any]], rules: list[dict[str, Any]], frame_url: str
) -> None:
    for raw in rules:
        nodes = [{**n, "frame_url": frame_url} for n in raw["nodes"]]
        if raw["id"] in into:
            into[raw["id"]]["nodes"].extend(nodes)
        else:
            into[raw["id"]] = {**raw, "nodes": nodes}


def _to_rule(raw: dict[str, Any]) -> AxeRule:
    return AxeRule(
        id=raw["id"],
        impact=raw["impact"],
        tags=list(raw["tags"]),
        help=raw["help"],
        help_url=raw["help_url"],
        help_en=raw.get("help_en"),
        nodes=[AxeNode(**n) for n in raw["nodes"]],
    )


async def stop_script(session: CDPSession) -> None:
    """End the script running in the renderer of `session`'s page. A run we stopped waiting
    for goes on in the page otherwise, and every later step's `evaluate` queues behind it: on a
    2,000-link 网站地图 axe-core's link-in-text-block alone ran for over 30 s, the anchor pass
    then waited 20 s more, and the page outlasted its time limit.

    `Runtime.terminateExecution` ends the script running now, or the next one when none is;
    the empty script after it takes such a pending end, so it cannot fall on the anchor pass.
    The session must have been opened before the run: opening one waits for the renderer's
    main thread, which the run holds."""
    with contextlib.suppress(Exception):  # a page closing or gone has nothing left to stop
        await asyncio.wait_for(session.send("Runtime.terminateExecution"), STOP_TIMEOUT)
        await asyncio.wait_for(session.send("Runtime.evaluate", {"expression": "0"}),
                               STOP_TIMEOUT)


STOP_TIMEOUT = 5.0
"""seconds for each protocol call of `stop_script`"""


async def run_axe(page: Page, per_frame_timeout: float, lang: Lang = "en",
                  session: CDPSession | None = None) -> AxeResults:
    """Run axe-core in each attached frame; a frame that fails is noted, not fatal. axe's
    messages are in `lang` (its zh_CN locale for Chinese), with the English help kept too.

    A run that times out is stopped through `session` (the page's DevTools session, opened
    before the run), so the steps after it do not wait for it. A frame in a renderer of its
    own (out-of-process) is not stopped by the page's session: its run only holds that frame."""
    locale = lang if lang in LOCALES else None
    violations: dict[str, dict[str, Any]] = {}
    incomplete: dict[str, dict[str, Any]] = {}
    passes: set[str] = set()
    applicable: set[str] = set()
    inapplicable: set[str] = set()
    errors: list[str] = []
    version = AXE_VERSION
    ran = 0
    for frame in page.frames:
        if frame.is_detached():
            continue
        url = frame.url
        if frame is not page.main_frame and (not url or url == "about:blank"):
            continue
        try:
            raw = await asyncio.wait_for(_run_in_frame(frame, locale), per_frame_timeout)
        except TimeoutError:
            errors.append(f"{url}: axe-core timed out after {per_frame_timeout:g}s")
            if session is not None:
                await stop_script(session)
            continue
        except Exception as exc:  # a frame navigating away or detaching mid-run
            errors.append(f"{url}: {first_line(exc, 200)}")
            continue
        ran += 1
        version = raw.get("version") or version
        _merge(violations, raw["violations"], url)
        _merge(incomplete, raw["incomplete"], url)
        passes.update(raw["passes"])
        inapplicable.update(raw["inapplicable"])
        applicable.update(r["id"] for r in raw["violations"] + raw["incomplete"])
    if ran == 0:
        raise RuntimeError("; ".join(errors) or "no frame to run axe-core in")
    return AxeResults(
        version=version,
        frames=ran,
        frame_errors=errors,
        violations=[_to_rule(r) for r in violations.values()],
        incomplete=[_to_rule(r) for r in incomplete.values()],
        passes=sorted(passes - applicable),
        inapplicable=sorted(inapplicable - passes - applicable),
    )
