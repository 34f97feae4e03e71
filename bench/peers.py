"""The peer tools, installed from npm into a cache folder on demand, driving Debian's Chromium,
the full browser as their users run them, not the headless shell elderscan prefers (their own
browser downloads are switched off: this machine reaches package registries only).

    pa11y-ci (axe runner)       the CI accessibility runner people use today
    lighthouse (a11y only)      Google's audit, accessibility category only
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from elderscan.scanner._chromium import BASE_FLAGS, find_chromium

VERSIONS = {"pa11y-ci": "4.1.1", "lighthouse": "12.8.2"}
NO_DOWNLOAD = {"PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1"}


def cache_dir() -> Path:
    base = os.environ.get("ELDERSCAN_BENCH_CACHE") or Path.home() / ".cache" / "elderscan-bench"
    return Path(base) / "peers"


def ensure(cache: Path | None = None) -> Path:
    """Install the pinned peers into `cache` unless they are there; returns its `.bin`."""
    cache = cache or cache_dir()
    binary = cache / "node_modules" / ".bin"
    if all((binary / name).exists() for name in VERSIONS):
        return binary
    if shutil.which("npm") is None:
        raise SystemExit("bench: --peers needs Node.js and npm (Debian: apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}@{version}" for name, version in VERSIONS.items()]
    print(f"installing {' '.join(specs)} into {cache} …", file=sys.stderr)
    subprocess.run(["npm", "install", "--prefix", str(cache), "--no-audit", "--no-fund",
                    "--loglevel=error", *specs], check=True, env={**os.environ, **NO_DOWNLOAD})
    return binary


def pa11y_config(urls: list[str], concurrency: int, path: Path) -> Path:
    config = {"defaults": {
        "runners": ["axe"], "concurrency": concurrency, "timeout": 120_000,
        "chromeLaunchConfig": {"executablePath": find_chromium(shell=False),
                               "args": list(BASE_FLAGS)}},
        "urls": urls}
    path.write_text(json.dumps(config), "utf-8")
    return path


def lighthouse_loop(binary: Path, urls: list[str]) -> list[str]:
    """One command that audits `urls` one after another, as Lighthouse CI does."""
    flags = " ".join(BASE_FLAGS)
    script = "; ".join(
        f"{binary / 'lighthouse'} '{url}' --only-categories=accessibility --quiet "
        f"--chrome-flags='{flags}' --output=json --output-path=/dev/null || exit 1"
        for url in urls)
    return ["sh", "-c", script]


def chrome_env() -> dict[str, str]:
    return {"CHROME_PATH": find_chromium(shell=False), **NO_DOWNLOAD}
