"""`python -m bench oneurl`: one URL checked by one whole process, start to result written, as a
person checking a page by hand (or a CI job checking one) pays for it: the tool's start-up, its
browser's launch, the page, and whatever else the tool does for that page.

    elderscan   `elderscan scan URL --max-pages 1 --json OUT --quiet`, default settings: the
                elder-mode and voice probes included (a one-URL check still visits the 长者模式
                version and presses 语音朗读), which is what sets it apart from the others
    pa11y       `pa11y URL --runner axe --reporter json`, the JSON on standard output
    lighthouse  `lighthouse URL --only-categories=accessibility --output=json`

All three on elderscan's engine (`find_chromium()`, the same flags; `peers`). Each round runs
every tool on every page once, so a slow minute of the machine hurts all alike; the figures are
the median of the rounds with min–max. A run that does not produce its tool's result within
`timeout` (or produces an error instead) is recorded as failed, with the time it took to fail
and its output kept in `failed-oneurl-*.log`.

The heavy page is the corpus home page with 30 third-party resources from hosts that accept
connections and never answer (`bench.blackhole`): what a portal's statistics and ad hosts do
when they are slow or blocked. Its `load` event never fires and its network never idles.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import measure, peers
from bench.blackhole import Blackhole
from bench.corpus import heavy_page, is_bank, shared_corpus
from bench.throughput import portable, scan_problem
from elderscan.devserver import SiteServer
from elderscan.scanner._chromium import find_chromium
from elderscan.version import __version__

CORPUS_PAGES = 50
"""The throughput corpus's size, so its home page is the same bytes here."""
HEAVY_PATH = "/heavy.html"
PAGES = {
    "home": "the 50-page corpus home page (a 长者模式 link to /elder/, a 语音朗读 button)",
    "news": "an inner government page (news columns, an article, a data table)",
    "bank": "a bank page (a login form, a floating ad)",
    "heavy": "the home page plus 30 third-party resources from hosts that never answer",
}
TOOLS = ("elderscan", "pa11y", "lighthouse")
PEERS = ("pa11y", "lighthouse")


def page_paths(corpus_paths: list[str]) -> dict[str, str]:
    """Each page key's path: the first inner page of each kind the corpus has."""
    inner = [(int(p.rsplit("/", 1)[1].split(".")[0]), p) for p in corpus_paths[1:]]
    paths = {"home": corpus_paths[0]}
    for key, bank in (("news", False), ("bank", True)):
        found = [p for i, p in inner if is_bank(i) == bank]
        if found:
            paths[key] = found[0]
    paths["heavy"] = HEAVY_PATH
    return paths


@dataclass(frozen=True)
class Command:
    """One tool on one URL: what runs, and where its result lands (None: standard output)."""

    tool: str
    cmd: list[str]
    env: dict[str, str] = field(default_factory=dict)
    result: Path | None = None


def commands(url: str, work: Path, key: str, binary: Path, executable: str) -> list[Command]:
    """The three tools' command lines for `url`, on `executable`."""
    ours = work / f"elderscan-{key}.json"
    lighthouse = work / f"lighthouse-{key}.json"
    config = peers.pa11y_config(work / "pa11y.json", executable)
    return [
        Command("elderscan", [sys.executable, "-m", "elderscan", "scan", url, "--max-pages", "1",
                              "--json", str(ours), "--quiet"], {}, ours),
        Command("pa11y", peers.pa11y_cmd(binary, url, config), dict(peers.NO_DOWNLOAD)),
        Command("lighthouse", peers.lighthouse_cmd(binary, url, lighthouse),
                peers.chrome_env(executable), lighthouse),
    ]


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _message(output: str) -> str:
    """The line that says why a run failed: the bench's timeout note, else the first error
    line, else the last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("[timed out"):
            return line.strip("[]")
    errors = [line for line in lines if "Error" in line or "error" in line]
    return (errors[0] if errors else lines[-1] if lines else "no output")[:300]


def _read(path: Path | None) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text("utf-8")) if path else None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _elderscan(sample: measure.Sample, result: Path | None) -> str | None:
    if _read(result) is None and sample.output.strip():
        return _message(sample.output)
    return scan_problem(result, 1) if result else "no result written"


def _pa11y(sample: measure.Sample, result: Path | None) -> str | None:
    # its exit status is 2 when it found issues, which on a portal page it always does: the
    # report itself, the issues as a JSON list on the last line, says it ran
    try:
        if isinstance(json.loads(_last_line(sample.output)), list):
            return None
    except ValueError:
        pass
    return _message(sample.output)


def _lighthouse(sample: measure.Sample, result: Path | None) -> str | None:
    data = _read(result) if sample.ok else None
    if data is None:
        return _message(sample.output)
    error = data.get("runtimeError")
    if isinstance(error, dict):
        return f"{error.get('code')}: {error.get('message')}"[:300]
    categories = data.get("categories")
    score = (categories.get("accessibility") or {}).get("score") \
        if isinstance(categories, dict) else None
    return None if score is not None else "no accessibility score in its report"


VERDICTS: dict[str, Callable[[measure.Sample, Path | None], str | None]] = {
    "elderscan": _elderscan, "pa11y": _pa11y, "lighthouse": _lighthouse}
"""Why a run does not count (None: it does): each tool's own result, read as its user would."""


def _serve_heavy(html: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(html)))
        handler.end_headers()
        handler.wfile.write(html)
    return route


def _row(key: str, tool: str, samples: list[measure.Sample],
         failures: list[dict[str, object]]) -> dict[str, object]:
    row: dict[str, object] = {"page": key, "tool": tool, "runs": len(samples),
                              "failed_runs": len(failures), "failures": failures}
    if samples:
        seconds = [s.seconds for s in samples]
        row |= {"seconds": statistics.median(seconds), "seconds_min": min(seconds),
                "seconds_max": max(seconds),
                "cpu_s": statistics.median(s.cpu_seconds for s in samples),
                "peak_pss_mb": max(s.peak_pss_mb for s in samples)}
    else:
        row |= {"seconds": None, "seconds_min": None, "seconds_max": None, "cpu_s": None,
                "peak_pss_mb": None}
    if failures:
        row["seconds_to_fail"] = statistics.median(float(str(f["seconds"])) for f in failures)
    return row


def ratios(rows: list[dict[str, object]]) -> dict[str, dict[str, float | None]]:
    """Per page, elderscan's median seconds over each peer's (above 1: elderscan is slower);
    None where either has no run that counted."""
    seconds = {(str(r["page"]), str(r["tool"])): r["seconds"] for r in rows}
    out: dict[str, dict[str, float | None]] = {}
    for page in dict.fromkeys(str(r["page"]) for r in rows):
        ours = seconds.get((page, "elderscan"))
        out[page] = {}
        for peer in PEERS:
            theirs = seconds.get((page, peer))
            out[page][f"elderscan_over_{peer}"] = (
                round(float(str(ours)) / float(str(theirs)), 3)
                if ours is not None and theirs is not None else None)
    return out


def run(runs: int, keys: list[str], timeout: float, seed: int, out: Path,
        console: Console) -> Path:
    corpus, corpus_paths = shared_corpus(CORPUS_PAGES, seed)
    paths = {k: p for k, p in page_paths(corpus_paths).items() if k in keys}
    executable = find_chromium()
    binary = peers.ensure()
    out.mkdir(parents=True, exist_ok=True)
    with Blackhole() as blackhole, tempfile.TemporaryDirectory() as tmp:
        heavy = heavy_page(CORPUS_PAGES - 1, CORPUS_PAGES, seed, blackhole.origins, home=True)
        routes = {HEAVY_PATH: _serve_heavy(heavy.encode("utf-8"))}
        with SiteServer(corpus, routes=routes) as server:
            work = Path(tmp)
            base = server.url.rstrip("/")
            plan = {key: commands(base + path, work, key, binary, executable)
                    for key, path in paths.items()}
            samples: dict[tuple[str, str], list[measure.Sample]] = {
                (k, c.tool): [] for k, cs in plan.items() for c in cs}
            failures: dict[tuple[str, str], list[dict[str, object]]] = {k: [] for k in samples}
            for round_ in range(1, runs + 1):
                for key, cmds in plan.items():
                    for command in cmds:
                        console.print(f"round {round_}/{runs}: {key}, {command.tool} …",
                                      highlight=False)
                        if command.result is not None:
                            command.result.unlink(missing_ok=True)
                        sample = measure.run(command.cmd, env=command.env, timeout=timeout)
                        problem = VERDICTS[command.tool](sample, command.result)
                        if problem is not None:
                            log = out / f"failed-oneurl-{key}-{command.tool}-{round_}.log"
                            log.write_text(sample.output, "utf-8")
                            failures[key, command.tool].append(
                                {"round": round_, "seconds": round(sample.seconds, 2),
                                 "message": problem, "log": log.name})
                            console.print(f"  failed after {sample.seconds:.1f} s: {problem}; "
                                          f"output in {log}", highlight=False)
                            continue
                        samples[key, command.tool].append(sample)
                        console.print(f"  {sample.seconds:.2f} s, {sample.cpu_seconds:.2f} CPU s,"
                                      f" peak {sample.peak_pss_mb:.0f} MB PSS", highlight=False)
            tools = [{"tool": c.tool, "cmd": portable(c.cmd, work).replace(base, "<site>")}
                     for c in plan[next(iter(plan))]]
    rows = [_row(key, tool, samples[key, tool], failures[key, tool]) for key, tool in samples]
    by_page = ratios(rows)
    _print(rows, by_page, console)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"oneurl-{stamp}.json"
    path.write_text(json.dumps({
        "kind": "oneurl", "when": stamp, "elderscan": __version__, "seed": seed, "runs": runs,
        "timeout_s": timeout, "engine": peers.engine(executable),
        "versions": peers.VERSIONS,
        "pages": [{"page": key, "path": paths[key], "what": PAGES[key], **by_page[key]}
                  for key in paths],
        "rows": rows, "tools": tools}, ensure_ascii=False, indent=2), "utf-8")
    console.print(f"written {path}")
    return path


def _print(rows: list[dict[str, object]], by_page: dict[str, dict[str, float | None]],
           console: Console) -> None:
    table = Table(title="one URL, one process (median of runs; min–max)")
    for column in ("page", "tool", "seconds", "CPU s", "peak PSS MB", "failed runs",
                   "elderscan / this"):
        table.add_column(column, justify="left" if column in ("page", "tool") else "right")
    for r in rows:
        ratio = by_page[str(r["page"])].get(f"elderscan_over_{r['tool']}")
        if r["seconds"] is None:
            figures = [f"failed (after {r['seconds_to_fail']:.1f})", "—", "—"]
        else:
            figures = [f"{r['seconds']:.2f} ({r['seconds_min']:.2f}–{r['seconds_max']:.2f})",
                       f"{r['cpu_s']:.2f}", f"{r['peak_pss_mb']:.0f}"]
        table.add_row(str(r["page"]), str(r["tool"]), *figures, str(r["failed_runs"]),
                      "—" if ratio is None else f"{ratio:.2f}")
    (console if console.is_terminal else Console(file=console.file, width=150)).print(table)
    for r in rows:
        failures = r["failures"]
        assert isinstance(failures, list)
        for failure in failures:
            console.print(f"{r['page']}, {r['tool']}, round {failure['round']}: failed after "
                          f"{failure['seconds']} s: {failure['message']}", highlight=False)
