"""Pages per second of elderscan, the floor and the peers on the same corpus, interleaved.

Each round runs every tool once, in the same order, so a slow minute of the machine hurts all
tools alike; the table reports the median of the rounds with min–max, and every figure as a
ratio to the floor and to pa11y-ci measured in the same run.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import measure, peers
from bench.corpus import shared_corpus
from elderscan.devserver import SiteServer
from elderscan.scanner._chromium import browser_name, find_chromium
from elderscan.version import __version__

PA11Y_CI = (1, 2, 4)
"""pa11y-ci's concurrencies on elderscan's engine; the last also runs on the full browser."""


@dataclass(frozen=True)
class Tool:
    name: str
    pages: int
    cmd: list[str]
    env: dict[str, str]
    check: str
    """Text the output must contain for the run to count (the tool did all its pages)."""
    any_exit: bool = False
    """pa11y-ci exits 2 when it found issues, which on a portal page it always does."""
    reject: str = ""
    """Text that means a page was not tested (pa11y-ci: "Failed to run")."""
    engine: str = ""
    """The Chromium binary it ran on (`browser_name`)."""
    result: str = ""
    """elderscan's `--json` file, which says whether every page was captured (its `--quiet`
    output is the verdict line alone)."""


def _tools(url: str, urls: list[str], work: Path, concurrencies: list[int], with_peers: bool,
           lighthouse_pages: int) -> list[Tool]:
    py = sys.executable
    n = len(urls)
    ours, full = find_chromium(), find_chromium(shell=False)
    engine = peers.engine(ours)
    url_file = work / "urls.txt"
    url_file.write_text("\n".join(urls), "utf-8")
    tools = [
        Tool("floor: Playwright goto+load, c1", n,
             [py, "-m", "bench.drivers", "floor", str(url_file), "--concurrency", "1"], {},
             f"{n} pages", engine=engine),
    ]
    for mode, label in (("axe", "elderscan's axe rules"), ("axe-wcag", "all WCAG A/AA rules")):
        for c in (1, 2):
            tools.append(Tool(f"Playwright + axe-core only, {label}, c{c}", n,
                              [py, "-m", "bench.drivers", mode, str(url_file),
                               "--concurrency", str(c)], {}, f"{n} pages", engine=engine))

    def elderscan(name: str, c: int, result: Path, env: dict[str, str], binary: str) -> Tool:
        return Tool(name, n, scan_cmd(py, url, n, c, result), env, "",
                    engine=peers.engine(binary), result=str(result))

    for c in concurrencies:
        tools.append(elderscan(f"elderscan full check set, c{c}", c,
                               work / f"elderscan-c{c}.json", {}, ours))
    if ours != full:
        # elderscan runs in the headless shell; the same scan in the full browser shows what
        # the engine alone is worth
        tools.append(elderscan("elderscan full check set, c2, full Chromium", 2,
                               work / "elderscan-full.json", {"ELDERSCAN_CHROMIUM": full}, full))
    if with_peers:
        binary = peers.ensure()

        def pa11y_ci(name: str, c: int, executable: str) -> Tool:
            config = peers.pa11y_ci_config(urls, c, work / f"{_slug(name)}.json", executable)
            return Tool(name, n, [str(binary / "pa11y-ci"), "--config", str(config)],
                        dict(peers.NO_DOWNLOAD), f"/{n} URLs passed", any_exit=True,
                        reject="Failed to run", engine=peers.engine(executable))

        tools += [pa11y_ci(f"pa11y-ci (axe runner), c{c}", c, ours) for c in PA11Y_CI]
        if ours != full:
            tools.append(pa11y_ci(f"pa11y-ci (axe runner), c{PA11Y_CI[-1]}, full Chromium",
                                  PA11Y_CI[-1], full))
        subset = urls[:lighthouse_pages]
        tools.append(Tool("Lighthouse accessibility only, c1", len(subset),
                          peers.lighthouse_loop(binary, subset), peers.chrome_env(ours), "",
                          engine=engine))
    return tools


def scan_cmd(py: str, url: str, pages: int, concurrency: int, result: Path) -> list[str]:
    """elderscan's scan of the corpus as the table measures it: `pages` pages one hop from the
    start, none left out as another of a URL template, the result written to `result`."""
    return [py, "-m", "elderscan", "scan", url, "--max-pages", str(pages), "--max-depth", "1",
            "--per-template", str(pages), "--concurrency", str(concurrency), "--quiet", "--json",
            str(result)]


def scan_problem(result: Path, pages: int) -> str | None:
    """Why an elderscan run does not count, read from its result file (None: it does): the scan
    failed, a capture failed, or fewer than `pages` pages were captured."""
    try:
        report = json.loads(result.read_text("utf-8"))
    except (OSError, ValueError):
        return "no result written"
    summary, status = report.get("summary") or {}, report.get("status")
    if status == "failed":
        return f"the scan failed: {report.get('error')}"
    if status != "ok" or summary.get("failed_pages") or summary.get("pages", 0) < pages:
        return (f"status {status}: {summary.get('pages')} page captures, "
                f"{summary.get('failed_pages')} failed, {pages} wanted")
    return None


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:40]


def _row(tool: Tool, samples: list[measure.Sample]) -> dict[str, object]:
    """A tool's figures; one whose every run failed keeps its row, with no figures, so the table
    says it failed rather than leaving it out."""
    if not samples:
        return {"tool": tool.name, "engine": tool.engine, "pages": tool.pages, "runs": 0,
                "pages_per_s": None,
                "pages_per_s_min": None, "pages_per_s_max": None, "peak_rss_mb": None,
                "peak_pss_mb": None, "cpu_s_per_page": None, "cores_busy": None}
    rates = [tool.pages / s.seconds for s in samples]
    return {
        "tool": tool.name, "engine": tool.engine, "pages": tool.pages, "runs": len(samples),
        "pages_per_s": statistics.median(rates), "pages_per_s_min": min(rates),
        "pages_per_s_max": max(rates),
        "peak_rss_mb": max(s.peak_rss_mb for s in samples),
        "peak_pss_mb": max(s.peak_pss_mb for s in samples),
        "cpu_s_per_page": statistics.median(s.cpu_seconds / tool.pages for s in samples),
        # CPU seconds a second of the run: at the machine's core count, a tool's pages/s is
        # its cores over its CPU a page, and a ratio of two such tools is their CPU ratio
        "cores_busy": statistics.median(s.cpu_seconds / s.seconds for s in samples),
    }


def _ratios(rows: list[dict[str, object]], engine: str) -> None:
    """`x_pa11y_best` reads against the best pa11y-ci row on `engine`, elderscan's: the same
    tool on another binary is the engine's difference, not pa11y-ci's best."""
    def rate(prefix: str, on: str | None = None) -> float | None:
        found = [float(str(r["pages_per_s"])) for r in rows
                 if str(r["tool"]).startswith(prefix) and r["pages_per_s"] is not None
                 and on in (None, r.get("engine"))]
        return max(found) if found else None

    floor, pa11y = rate("floor"), rate("pa11y-ci", engine)
    for row in rows:
        if row["pages_per_s"] is None:
            row["x_floor"] = row["x_pa11y_best"] = None
            continue
        value = float(str(row["pages_per_s"]))
        row["x_floor"] = round(value / floor, 3) if floor else None
        row["x_pa11y_best"] = round(value / pa11y, 3) if pa11y else None


def _costs(rows: list[dict[str, object]]) -> dict[str, dict[str, float | None]]:
    """The cost target's reading: an axe-only row's pages/s over elderscan's at the same
    concurrency (above 1: elderscan is slower), for each axe-only baseline."""
    rate = {str(r["tool"]): r["pages_per_s"] for r in rows}
    costs: dict[str, dict[str, float | None]] = {}
    for name, value in rate.items():
        if not name.startswith("Playwright + axe-core only, "):
            continue
        baseline, _, c = name.removeprefix("Playwright + axe-core only, ").rpartition(", ")
        ours = rate.get(f"elderscan full check set, {c}")
        costs.setdefault(c, {})[baseline] = (
            round(float(str(value)) / float(str(ours)), 3)
            if value is not None and ours is not None else None)
    return costs


def portable(cmd: list[str], work: Path) -> str:
    """A command as the results file keeps it: without this machine's interpreter, home or
    temporary folder, which say nothing about the run and everything about the machine."""
    text = " ".join(cmd).replace(sys.executable, "python").replace(str(work), "<work>")
    return text.replace(str(Path.home()), "~")


def run(pages: int, runs: int, concurrencies: list[int], with_peers: bool,
        lighthouse_pages: int, seed: int, out: Path, console: Console) -> Path:
    corpus, paths = shared_corpus(pages, seed)
    with SiteServer(corpus) as server, tempfile.TemporaryDirectory() as tmp:
        base = server.url.rstrip("/")
        urls = [base + p for p in paths]
        work = Path(tmp)
        tools = _tools(base + "/index.html", urls, work, concurrencies, with_peers,
                       lighthouse_pages)
        samples: dict[str, list[measure.Sample]] = {t.name: [] for t in tools}
        failures: dict[str, int] = {t.name: 0 for t in tools}
        out.mkdir(parents=True, exist_ok=True)
        for round_ in range(1, runs + 1):
            for tool in tools:
                console.print(f"round {round_}/{runs}: {tool.name} …", highlight=False)
                if tool.result:
                    Path(tool.result).unlink(missing_ok=True)
                sample = measure.run(tool.cmd, env=tool.env)
                scan = scan_problem(Path(tool.result), tool.pages) if tool.result else None
                if ((not sample.ok and not tool.any_exit) or tool.check not in sample.output
                        or (tool.reject and tool.reject in sample.output) or scan):
                    # A run that did not test every page does not count; its output is kept.
                    failures[tool.name] += 1
                    log = out / f"failed-{_slug(tool.name)}-{round_}.log"
                    log.write_text(sample.output + (f"\n[{scan}]" if scan else ""), "utf-8")
                    console.print(f"  did not test every page{f' ({scan})' if scan else ''}; "
                                  f"output in {log}", highlight=False)
                    continue
                samples[tool.name].append(sample)
                console.print(f"  {tool.pages / sample.seconds:.2f} pages/s, "
                              f"{sample.cpu_seconds / tool.pages:.2f} CPU s/page, "
                              f"peak {sample.peak_pss_mb:.0f} MB PSS", highlight=False)
    rows = [_row(t, samples[t.name]) | {"failed_runs": failures[t.name]}
            for t in tools]
    ours = find_chromium()
    _ratios(rows, peers.engine(ours))
    costs = _costs(rows)
    _print(rows, console)
    for c, by_baseline in costs.items():
        console.print(f"cost over axe-only at {c}: " + "; ".join(
            f"{baseline} {'—' if x is None else f'{x:.2f}×'}"
            for baseline, x in by_baseline.items()), highlight=False)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"throughput-{stamp}.json"
    path.write_text(json.dumps({
        "kind": "throughput", "when": stamp, "elderscan": __version__, "pages": pages,
        "seed": seed, "runs": runs, "rows": rows, "cost_over_axe_only": costs,
        "browsers": {"elderscan's engine": browser_name(ours),
                     "full browser": browser_name(find_chromium(shell=False))},
        "tools": [asdict(t) | {"cmd": portable(t.cmd, work),
                               "result": portable([t.result], work)} for t in tools]},
        ensure_ascii=False, indent=2), "utf-8")
    console.print(f"written {path}")
    return path


def _print(rows: list[dict[str, object]], console: Console) -> None:
    table = Table(title="throughput (median of runs; min–max)")
    for column in ("tool", "pages", "pages/s", "peak RSS MB", "peak PSS MB", "CPU s/page",
                   "cores busy", "× floor", "× pa11y-ci best", "failed runs"):
        table.add_column(column, justify="left" if column == "tool" else "right")
    for r in rows:
        if r["pages_per_s"] is None:
            table.add_row(str(r["tool"]), str(r["pages"]), "failed every run", "—", "—", "—",
                          "—", "—", "—", str(r["failed_runs"]))
            continue
        table.add_row(
            str(r["tool"]), str(r["pages"]),
            f"{r['pages_per_s']:.2f} ({r['pages_per_s_min']:.2f}–{r['pages_per_s_max']:.2f})",
            f"{r['peak_rss_mb']:.0f}", f"{r['peak_pss_mb']:.0f}", f"{r['cpu_s_per_page']:.2f}",
            f"{r['cores_busy']:.2f}", "—" if r["x_floor"] is None else f"{r['x_floor']:.3f}",
            "—" if r["x_pa11y_best"] is None else f"{r['x_pa11y_best']:.2f}",
            str(r["failed_runs"]))
    # Not a terminal (a log file): wide enough that the figures are not cut to "0.…".
    (console if console.is_terminal else Console(file=console.file, width=170)).print(table)
