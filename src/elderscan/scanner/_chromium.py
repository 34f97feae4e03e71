"""Where the Chromium binary is, and the flags it runs with.

Playwright's own browser download is not used: regulators' machines and CI images install
Chromium from the distribution, and the download needs network access they may not have.

The distribution's headless shell (Debian's `chromium-headless-shell`, the same Chromium
release as its `chromium`) is preferred where it is installed: it is Blink and V8 without the
full browser around them, the build Playwright itself runs for headless Chromium. A 50-page
scan of the benchmark corpus took a third less CPU in it (69-72 s against 103-106 s, the
browser process 8 s against 23 s) with the same score; box sizes can differ where a page
leaves a form control's font to the system (the shell has no desktop font settings).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path

from elderscan.errors import BrowserNotFound

SHELL_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",  # Debian; /usr/bin's is a wrapper script
    "/usr/lib64/chromium-browser/headless_shell",  # Fedora's chromium-headless
)
FULL_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/lib/chromium/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
)

# Flags that keep a headless scanner quiet, offline from vendor services and robust as root.
BASE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--font-render-hinting=none",
)
"""`--disable-features` is read once, the last time it is given: ours replaces the list Playwright
passes before it (HttpsUpgrades, PaintHolding, ThirdPartyStoragePartitioning and others that
its own tests need), so a scan runs with Chromium's defaults for those, as a visitor's browser
does. Checked against Chromium 156: storage written by a frame of another site is partitioned
under our flag and shared under Playwright's list alone; an `http://` address whose port 443
takes connections and never answers loads over HTTP at once either way, in the headless shell
and in the full browser (no upgrade is tried). A feature to switch off goes into this list."""


V8_FLAGS = ("--single-threaded", "--no-opt", "--no-maglev")
"""V8 without helper threads (`--single-threaded`: no concurrent compiler, no parallel or
concurrent garbage collector; the same work runs on the thread that needs it) and without its
optimizing compilers (`--no-opt --no-maglev`: the interpreter and the baseline compiler only).

Helper threads: a scan at concurrency 4 keeps every core busy with renderers, so they only add
hand-offs and contention. The 50-page corpus at concurrency 4 on 2 cores, 9 interleaved rounds
against the same scan without it: the CPU of the whole tree was lower in 8, by a median 7.5 %
(0.80–1.00 of it), the score the same, peak PSS 995–1,125 MB against 994–1,115 MB.
`--single-threaded-gc` alone (the collector only) saved nothing (6 rounds, median +2 %).

Optimizing compilers: a capture's documents live about a second and most of their code runs a
few times (the page's start-up, axe-core's first run in each document, our page scripts), so
optimizing it costs more than the optimized code gives back, on the one thread there is. The
50-page corpus at concurrency 3, whole tree, 3 interleaved rounds each time, median: 29.3 →
27.4, 30.3 → 27.7 and 29.7 → 28.1 CPU s a scan (−5 to −9 %), wall 16.5 → 15.7, 16.9 → 15.7 and
16.6 → 15.9 s, the score the same; 12 pages of 261 KB (the corpus's markup eight times over):
29.1 → 28.0 CPU s, 17.2 → 16.4 s. Where a page's own script does a lot of work (12 pages that
sort and serialize 4,000 records, loop 3 million times and build 1,500 list items as they
load), it costs: 22.4 → 22.8 CPU s, 12.5 → 12.8 s (+2 %). Either compiler switched off alone
saves nothing (`--no-opt`: 29.3 → 28.9) or costs (`--no-maglev`: 29.3 → 32.8, TurboFan then
compiles more); `--jitless`, `--lite-mode`, `--always-sparkplug` and `--no-flush-bytecode`
were no better. The benchmark's peers get these flags too: pa11y-ci at concurrency 4 on the
corpus, 3 rounds, took 52.2 CPU s with `--single-threaded` alone, 51.8 with all three, 56.2
with no `--js-flags`, so they are its best of the three as well."""

ENGINE_SWITCHES = ("--in-process-gpu",)

ENGINE_FLAGS = (*ENGINE_SWITCHES, "--js-flags=" + " ".join(V8_FLAGS))
"""Flags of elderscan's own browsers (and of the benchmark baselines that stand for them), not of
every Chromium the project starts. Chromium reads one `--js-flags`, so `launch_flags` writes
`V8_FLAGS` into its own with the heap sizes. `--in-process-gpu`: with `--disable-gpu` the GPU
process only composites in software, and as a thread of the browser process it does the same
work without a process of its own and the messages to it; over 25 corpus pages (load, DOM pass,
axe-core, screenshot, keyboard and zoom probes) the CPU of all processes fell by a median 10 % a
page in 16 interleaved rounds (12 of them lower), the screenshots unchanged. A crash there takes
the browser with it, which the pool already handles as a crash (relaunch, page retried)."""


def find_chromium(explicit: str | None = None, *, shell: bool = True) -> str:
    """The setting, then $ELDERSCAN_CHROMIUM, then the usual install paths: the headless shell
    first, unless `shell` is false (the full browser, as the benchmark's peers run)."""
    for value in (explicit, os.environ.get("ELDERSCAN_CHROMIUM")):
        if value:
            path = shutil.which(value) or value
            if Path(path).is_file() and os.access(path, os.X_OK):
                return path
            raise BrowserNotFound(f"Chromium not found at {value!r} (ELDERSCAN_CHROMIUM)")
    for path in (*SHELL_CANDIDATES, *FULL_CANDIDATES) if shell else FULL_CANDIDATES:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(
        "no Chromium found; run `sudo scripts/install-system-deps.sh` "
        "or set ELDERSCAN_CHROMIUM to the browser's path"
    )


async def binary_version(path: str) -> str:
    """The version `path --version` prints (`156.0.8078.114`), '' if it says none: what the
    browser will report once launched, known in ~40 ms instead of a launch."""
    try:
        proc = await asyncio.create_subprocess_exec(
            path, "--version", stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL)
    except OSError:
        return ""
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 10)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return ""
    found = re.search(rb"(\d+\.\d+\.\d+\.\d+)", out)
    return found.group(1).decode() if found else ""


def browser_name(path: str) -> str:
    """What a result records of the binary: `chromium-headless-shell`, `chromium`, …"""
    return Path(path).name


SEMI_SPACE_MB = 8
"""V8's young generation in each renderer, a semi-space of 8 MB: at concurrency 4 on the
50-page corpus the four renderers' peak PSS fell from 858–919 MB to 728–794 MB (3 interleaved
rounds each, with the driver's cap in `driver_process`; the whole scan's from 1,349–1,420 MB to
1,146–1,235 MB), for the same CPU (9.2–9.9 s against 9.3–9.7 s a scan). 2 and 4 MB saved
more and cost up to 5 % more CPU."""


def launch_flags(js_heap_mb: int, marker: str) -> list[str]:
    """`marker` is an inert flag that lets the memory guard find this browser's processes."""
    v8 = (*V8_FLAGS, f"--max-old-space-size={js_heap_mb}", f"--max-semi-space-size={SEMI_SPACE_MB}")
    return [*BASE_FLAGS, *ENGINE_SWITCHES, f"--js-flags={' '.join(v8)}", f"--{marker}"]
