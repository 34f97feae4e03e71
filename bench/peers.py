"""The peer tools, installed from npm into a cache folder on demand, driving Debian's Chromium
(their own browser downloads are switched off: this machine reaches package registries only).

    pa11y-ci (axe runner)       the CI accessibility runner people use today, over a URL list
    pa11y (axe runner)          the same checks for one URL, as a person runs it by hand
    lighthouse (a11y only)      Google's audit, accessibility category only

They run on the binary and flags elderscan runs (`find_chromium()`, the headless shell where it
is installed, `BASE_FLAGS` and `ENGINE_FLAGS`), so a ratio reads the tools, not the engines;
`engine` says which binary a row used, since the throughput table adds one pa11y-ci row on the
full browser to show what the engine alone is worth to it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from elderscan.scanner._chromium import BASE_FLAGS, ENGINE_FLAGS, browser_name

VERSIONS = {"pa11y-ci": "4.1.1", "pa11y": "9.1.1", "lighthouse": "12.8.2"}
NO_DOWNLOAD = {"PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1"}
FLAGS = (*BASE_FLAGS, *ENGINE_FLAGS)


def cache_dir() -> Path:
    base = os.environ.get("ELDERSCAN_BENCH_CACHE") or Path.home() / ".cache" / "elderscan-bench"
    return Path(base) / "peers"


def missing(cache: Path) -> list[str]:
    """The pinned peers `cache` lacks at their pinned version. A `.bin` entry is not enough:
    pa11y's is there whenever pa11y-ci is (its dependency), at whatever version that pulled."""
    def version(name: str) -> str | None:
        try:
            manifest = json.loads((cache / "node_modules" / name / "package.json").read_text())
        except (OSError, ValueError):
            return None
        return str(manifest.get("version"))

    return [name for name, pinned in VERSIONS.items()
            if version(name) != pinned or not (cache / "node_modules" / ".bin" / name).exists()]


def ensure(cache: Path | None = None) -> Path:
    """Install the pinned peers into `cache` unless they are there; returns its `.bin`."""
    cache = cache or cache_dir()
    binary = cache / "node_modules" / ".bin"
    lacking = missing(cache)
    if not lacking:
        return binary
    if shutil.which("npm") is None:
        raise SystemExit("bench: the peers need Node.js and npm (Debian: apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}@{version}" for name, version in VERSIONS.items()]
    print(f"installing {' '.join(specs)} into {cache} (missing: {', '.join(lacking)}) …",
          file=sys.stderr)
    subprocess.run(["npm", "install", "--prefix", str(cache), "--no-audit", "--no-fund",
                    "--loglevel=error", *specs], check=True, env={**os.environ, **NO_DOWNLOAD})
    if still := missing(cache):
        raise SystemExit(f"bench: npm did not install {', '.join(still)} into {cache}")
    return binary


def engine(executable: str) -> str:
    """The binary a row ran on, as the results name it."""
    return browser_name(executable)


def is_shell(executable: str) -> bool:
    """Debian's `chromium-headless-shell`, Fedora's `headless_shell`."""
    return "headless" in Path(executable).name


def launch_config(executable: str) -> dict[str, object]:
    """Puppeteer's launch options for `executable`. The headless shell wants `headless: "shell"`:
    Puppeteer then passes the shell's own `--headless`, where `true` passes `--headless=new`,
    the full browser's mode (puppeteer-core's `ChromeLauncher.defaultArgs`)."""
    return {"executablePath": executable, "headless": "shell" if is_shell(executable) else True,
            "args": list(FLAGS)}


def pa11y_ci_config(urls: list[str], concurrency: int, path: Path, executable: str) -> Path:
    """pa11y-ci at its best. `useIncognitoBrowserContext: false` runs every page in the one
    browser's default context, a tab each; the default (true) opens and closes a browser context
    per page, and at concurrency above 1 those closes race (pa11y-ci issue #354: "Failed to run",
    `Protocol error (Target.closeTarget): No target with given id found`). Its users switch it
    off to scale, so the bench does."""
    config = {"defaults": {
        "runners": ["axe"], "concurrency": concurrency, "timeout": 120_000,
        "useIncognitoBrowserContext": False, "chromeLaunchConfig": launch_config(executable)},
        "urls": urls}
    path.write_text(json.dumps(config), "utf-8")
    return path


def pa11y_config(path: Path, executable: str) -> Path:
    """pa11y's config file for one URL: the browser only; its own timeout (60 s) stays, as a
    person running `pa11y URL` gets it."""
    path.write_text(json.dumps({"chromeLaunchConfig": launch_config(executable)}), "utf-8")
    return path


def pa11y_cmd(binary: Path, url: str, config: Path) -> list[str]:
    """Its JSON report of the issues goes to standard output."""
    return [str(binary / "pa11y"), url, "--runner", "axe", "--reporter", "json",
            "--config", str(config)]


def lighthouse_cmd(binary: Path, url: str, output: Path) -> list[str]:
    return [str(binary / "lighthouse"), url, "--only-categories=accessibility", "--quiet",
            f"--chrome-flags={' '.join(FLAGS)}", "--output=json", f"--output-path={output}"]


def lighthouse_loop(binary: Path, urls: list[str]) -> list[str]:
    """One command that audits `urls` one after another, as Lighthouse CI does."""
    flags = " ".join(FLAGS)
    script = "; ".join(
        f"{binary / 'lighthouse'} '{url}' --only-categories=accessibility --quiet "
        f"--chrome-flags='{flags}' --output=json --output-path=/dev/null || exit 1"
        for url in urls)
    return ["sh", "-c", script]


def chrome_env(executable: str) -> dict[str, str]:
    """Lighthouse finds its browser in `CHROME_PATH`."""
    return {"CHROME_PATH": executable, **NO_DOWNLOAD}
