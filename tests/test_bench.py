"""The benchmark's own parts: a corpus that is the same bytes for the same seed and the sizes
the issue asks for, and a measurement that sees the CPU and memory of a whole process tree."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from bench import measure
from bench.corpus import build, small_site


def test_corpus_is_deterministic_and_portal_sized(tmp_path: Path) -> None:
    paths = build(tmp_path / "a", pages=30, seed=7)
    build(tmp_path / "b", pages=30, seed=7)
    other = build(tmp_path / "c", pages=30, seed=8)
    assert len(paths) == 30 == len(set(paths)) and paths == other
    sizes = []
    for path in paths:
        a = (tmp_path / "a" / path.lstrip("/")).read_bytes()
        assert a == (tmp_path / "b" / path.lstrip("/")).read_bytes()
        sizes.append(len(a))
    assert (tmp_path / "a/index.html").read_bytes() != (tmp_path / "c/index.html").read_bytes()
    assert min(sizes) >= 20_000 and max(sizes) <= 60_000, (min(sizes), max(sizes))
    home = (tmp_path / "a/index.html").read_text("utf-8")
    assert all(f'href="{p}"' in home for p in paths[1:])  # every page one hop from the start
    assert "长者模式" in home and "语音朗读" in home and "<table>" in home and "<form" in home
    assert (tmp_path / "a/elder/index.html").is_file()
    # No link leads nowhere: a crawl of the corpus, or of a 3-page batch site, meets no 404.
    small = small_site(tmp_path / "s", pages=3, seed=7)
    for root, pages in ((tmp_path / "a", paths), (tmp_path / "s", ["/index.html", *small[1:]])):
        for path in [*pages, "/elder/index.html"]:
            html = (root / path.lstrip("/")).read_text("utf-8")
            for link in set(re.findall(r'href="?(/[^" >#]*)', html)):
                assert link == "/" or (root / link.lstrip("/")).is_file(), (root, path, link)


def test_measure_counts_the_cpu_and_memory_of_grandchildren() -> None:
    # The child starts a grandchild that burns CPU and holds 100 MB: both must be counted.
    grandchild = ("import time; b = bytearray(100 * 2**20); t = time.process_time()\n"
                  "while time.process_time() - t < 0.6: pass\ntime.sleep(0.6)")
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    sample = measure.run([sys.executable, "-c", child])
    assert sample.ok
    assert sample.cpu_seconds >= 0.5
    assert sample.peak_rss_mb >= 100
    # PSS is read less often than RSS, but always when the RSS sum jumps to a new high.
    assert sample.peak_pss_mb >= 100


@pytest.mark.browser
def test_batch_mode_builds_small_sites_and_judges_a_real_batch(tmp_path: Path) -> None:
    # Two 1-page sites and an address nothing listens on, through a real `elderscan batch`
    # (local runner): the two are scanned completely, and the run does not count because the
    # third site failed — read from the run's own store, not from the exit code (0 here).
    import re
    import socket

    from bench import batch
    from bench.corpus import small_sites

    folders = small_sites(tmp_path / "a", 2, pages=1, seed=3)
    again = small_sites(tmp_path / "b", 2, pages=1, seed=3)
    for folder, other in zip(folders, again, strict=True):
        files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
        assert all((folder / f).read_bytes() == (other / f).read_bytes() for f in files)
        for page in folder.rglob("*.html"):  # every root-relative link resolves
            for href in re.findall(r'href="?(/[^" >]*)', page.read_text("utf-8")):
                assert (folder / (href.strip("/") or "index.html")).is_file(), (page, href)
    assert (folders[0] / "index.html").read_bytes() != (folders[1] / "index.html").read_bytes()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    with batch.serve(folders) as urls:
        file = batch.write_batch_file(tmp_path / "sites.csv", [*urls, closed])
        outcome = batch.run_mode(batch.MODES[0], file, 3, 1, tmp_path / "work")
    assert outcome.command_ok, outcome.output
    assert (outcome.done, outcome.failed, outcome.errors) == (2, 1, {"connect": 1})
    assert (outcome.pages_captured, outcome.partial, outcome.short) == (2, 0, 0)
    assert not outcome.ok and "1 of 3 sites failed (connect ×1)" in outcome.problem
    assert outcome.sites_per_min > 0 and outcome.reported_sites_per_min
    assert outcome.cpu_seconds > 1 and outcome.peak_pss_mb > 100
    complete = batch.Outcome("local", 2, 1, command_ok=True, done=2, pages_captured=2)
    complete.judge()
    assert complete.ok


@pytest.mark.browser
def test_axe_baselines_differ_by_the_rules_elderscan_measures_itself() -> None:
    # `axe` runs what elderscan runs; `axe-wcag` adds exactly color-contrast and target-size,
    # so the two baselines bracket "axe-core only" (real axe-core in a real Chromium).
    import asyncio

    from bench.drivers import OPTIONS
    from playwright.async_api import async_playwright

    from elderscan.scanner._chromium import BASE_FLAGS, find_chromium
    from elderscan.scanner.axe import AXE_SOURCE

    ran = ("async (o) => { const r = await window.axe.run(document, {...o, resultTypes: null});"
           " return [...r.passes, ...r.violations, ...r.incomplete].map((x) => x.id); }")

    async def rules() -> dict[str, set[str]]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=find_chromium(),
                                               args=list(BASE_FLAGS))
            page = await browser.new_page()
            await page.set_content("<html lang=zh><title>t</title><main>"
                                   "<p style='color:#999'>办事指南</p><a href=#x>查询</a></main>")
            await page.evaluate(AXE_SOURCE)
            found = {mode: set(await page.evaluate(ran, options))
                     for mode, options in OPTIONS.items() if options is not None}
            await browser.close()
            return found

    found = asyncio.run(rules())
    assert found["axe-wcag"] - found["axe"] == {"color-contrast", "target-size"}
    assert found["axe"] <= found["axe-wcag"]


def test_cost_over_axe_only_is_read_at_the_same_concurrency() -> None:
    from bench.throughput import _costs

    rows: list[dict[str, object]] = [
        {"tool": "Playwright + axe-core only, elderscan's axe rules, c2", "pages_per_s": 6.0},
        {"tool": "Playwright + axe-core only, all WCAG A/AA rules, c2", "pages_per_s": 2.4},
        {"tool": "Playwright + axe-core only, all WCAG A/AA rules, c1", "pages_per_s": 1.5},
        {"tool": "elderscan full check set, c1", "pages_per_s": None},
        {"tool": "elderscan full check set, c2", "pages_per_s": 2.0},
        {"tool": "elderscan full check set, c4", "pages_per_s": 2.2},
    ]
    assert _costs(rows) == {"c2": {"elderscan's axe rules": 3.0, "all WCAG A/AA rules": 1.2},
                            "c1": {"all WCAG A/AA rules": None}}


def test_batch_ratios_read_confined_workers_against_one_confined_worker() -> None:
    from bench.batch import _ratios

    rows: list[dict[str, object]] = [
        {"key": "local", "sites_per_min": 10.0}, {"key": "celery-1", "sites_per_min": 8.0},
        {"key": "celery-2", "sites_per_min": 10.0},
        {"key": "celery-1-per-site", "sites_per_min": 6.4},
        {"key": "celery-1-core-each", "sites_per_min": 5.0},
        {"key": "celery-2-core-each", "sites_per_min": 9.0},
    ]
    assert _ratios(rows) == {"two_workers_over_one": 1.25,
                             "two_workers_over_one_a_core_each": 1.8,
                             "kept_browser_over_per_site": 1.25, "two_workers_over_local": 1.0}
    by_key = {r["key"]: r for r in rows}
    assert by_key["celery-2-core-each"]["x_one_worker"] == 1.8
    assert by_key["celery-2"]["x_one_worker"] == 1.25
    assert by_key["celery-1-core-each"]["x_local"] == 0.5


def test_batch_runs_on_a_fresh_postgres_database_each_and_drops_it() -> None:
    # `--postgres`: each run's store is a new database on the server, at the newest schema,
    # gone once the run is over (a real PostgreSQL, as the store's own tests use).
    import psycopg
    from bench.workers import fresh_postgres

    from elderscan.store.migrate import current, head

    server = "postgresql://postgres@127.0.0.1:5432/test"
    with fresh_postgres(server, "celery-2-core-each") as url:
        assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:5432/elderscan_bench_")
        assert current(url) == head()
        name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test") as conn:
        left = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchall()
    assert left == []


def test_results_keep_commands_without_this_machines_paths(tmp_path: Path) -> None:
    from bench.throughput import portable

    cmd = [sys.executable, "-m", "bench.drivers", "axe", str(tmp_path / "urls.txt"),
           str(Path.home() / ".cache/peers/pa11y-ci")]
    assert portable(cmd, tmp_path) == ("python -m bench.drivers axe <work>/urls.txt "
                                       "~/.cache/peers/pa11y-ci")


def test_steps_charge_a_nested_step_to_itself_not_to_the_step_around_it() -> None:
    import asyncio
    import time

    from bench.steps import StepClock

    def burn(seconds: float) -> None:
        start = time.process_time()
        while time.process_time() - start < seconds:
            pass

    clock = StepClock(["outer", "inner"])

    async def inner() -> None:
        burn(0.4)

    async def outer() -> None:
        burn(0.2)
        await clock.wrap("inner", inner)()
        burn(0.2)

    asyncio.run(clock.wrap("outer", outer)())
    python = {step: clock.totals[step]["Python"] for step in ("outer", "inner")}
    assert 0.35 <= python["outer"] <= 0.5 and 0.35 <= python["inner"] <= 0.5, python
    assert clock.calls == {"outer": 1, "inner": 1} and not clock.stack


@pytest.mark.browser
def test_steps_wrap_every_step_of_a_real_capture(tmp_path: Path) -> None:
    # A step renamed or no longer called through its module in `bench.steps.HOMES` would drop
    # out of the table silently; here each must have run on every page of a real scan.
    from bench.steps import STEPS, one_round, step_functions

    from elderscan.devserver import SiteServer

    build(tmp_path / "c", pages=3, seed=1)
    originals = step_functions()
    with SiteServer(tmp_path / "c") as server:
        clock, whole, _, captures = one_round(server.url, 3)
    assert captures == 3
    assert step_functions() == originals  # put back
    assert all(clock.calls[name] >= captures for name in STEPS), clock.calls
    assert clock.calls["anchor_pass"] >= 2 * captures
    assert all(clock.wall[name] > 0 for name in STEPS), clock.wall
    assert whole["renderer"] > 0 and whole["Python"] > 0
    assert sum(sum(t.values()) for t in clock.totals.values()) <= sum(whole.values())


def test_pa11y_ci_runs_without_incognito_contexts_on_elderscans_engine(tmp_path: Path) -> None:
    # pa11y-ci's default, a browser context per page, fails at concurrency > 1 (its issue #354);
    # its users switch it off, and the ratio must read it on the binary elderscan runs.
    import json

    from bench import peers

    from elderscan.scanner._chromium import ENGINE_FLAGS, find_chromium

    ours = find_chromium()
    config = json.loads(peers.pa11y_ci_config(["http://a/"], 4, tmp_path / "c.json", ours)
                        .read_text())["defaults"]
    assert config["useIncognitoBrowserContext"] is False
    assert config["concurrency"] == 4 and config["runners"] == ["axe"]
    launch = config["chromeLaunchConfig"]
    assert launch["executablePath"] == ours and set(ENGINE_FLAGS) <= set(launch["args"])
    # Puppeteer passes `--headless=new` for `true`, the shell's own `--headless` for "shell"
    assert launch["headless"] == ("shell" if "headless" in Path(ours).name else True)
    assert peers.launch_config("/usr/bin/chromium")["headless"] is True
    assert peers.launch_config("/usr/lib/chromium/chromium-headless-shell")["headless"] == "shell"


def test_pa11y_ci_best_is_read_on_elderscans_engine_only() -> None:
    from bench.throughput import _ratios

    rows: list[dict[str, object]] = [
        {"tool": "floor: Playwright goto+load, c1", "engine": "shell", "pages_per_s": 8.0},
        {"tool": "pa11y-ci (axe runner), c1", "engine": "shell", "pages_per_s": 0.5},
        {"tool": "pa11y-ci (axe runner), c4", "engine": "shell", "pages_per_s": 1.0},
        {"tool": "pa11y-ci (axe runner), c4, full Chromium", "engine": "full",
         "pages_per_s": 2.0},
        {"tool": "elderscan full check set, c2", "engine": "shell", "pages_per_s": 2.5},
    ]
    _ratios(rows, "shell")
    assert rows[-1]["x_pa11y_best"] == 2.5 and rows[-1]["x_floor"] == 0.312


def test_a_row_says_how_many_cores_its_tool_kept_busy() -> None:
    from bench.measure import Sample
    from bench.throughput import Tool, _row

    tool = Tool("pa11y-ci (axe runner), c4", 50, ["true"], {}, "")
    runs = [Sample(seconds=s, cpu_seconds=c, peak_rss_mb=1.0, peak_pss_mb=1.0, ok=True,
                   output="") for s, c in ((25.0, 45.0), (20.0, 40.0), (50.0, 50.0))]
    row = _row(tool, runs)
    assert row["cores_busy"] == 1.8  # the median of 1.8, 2.0 and 1.0
    assert row["pages_per_s"] == 2.0 and row["cpu_s_per_page"] == 0.9
    assert _row(tool, [])["cores_busy"] is None


def test_peers_notice_a_missing_or_other_version(tmp_path: Path) -> None:
    # pa11y's `.bin` entry is there whenever pa11y-ci is (a dependency): only its manifest at
    # the pinned version says the pin is installed.
    import json

    from bench import peers

    def install(name: str, version: str) -> None:
        (tmp_path / "node_modules" / name).mkdir(parents=True, exist_ok=True)
        (tmp_path / "node_modules" / name / "package.json").write_text(
            json.dumps({"name": name, "version": version}))
        (tmp_path / "node_modules" / ".bin").mkdir(exist_ok=True)
        (tmp_path / "node_modules" / ".bin" / name).touch()

    assert peers.missing(tmp_path) == list(peers.VERSIONS)
    install("pa11y-ci", peers.VERSIONS["pa11y-ci"])
    install("lighthouse", peers.VERSIONS["lighthouse"])
    install("pa11y", "8.0.0")
    assert peers.missing(tmp_path) == ["pa11y"]
    install("pa11y", peers.VERSIONS["pa11y"])
    assert peers.missing(tmp_path) == []
    assert peers.ensure(tmp_path) == tmp_path / "node_modules" / ".bin"  # nothing to install


def test_heavy_page_pulls_third_parties_from_a_host_that_never_answers() -> None:
    import re
    import socket

    from bench.blackhole import Blackhole
    from bench.corpus import heavy_page, page_html

    with Blackhole() as blackhole:
        origins = blackhole.origins
        assert len(origins) == 3 and all("127.0.0.1" not in o for o in origins)
        html = heavy_page(9, 10, 1, origins, home=True)
        assert html.startswith(page_html(9, 10, 1, home=True).split("</body>")[0])
        pulled = re.findall(r"""(?:src|href)=["']?(http://[^"' >]+)""", html)
        resources = [u for u in pulled if "/click/" not in u]  # ad links are not fetched
        assert len(resources) == 30 and all(u.startswith(tuple(origins)) for u in resources)
        kinds = "".join(html.split('<div class="third-party">')[1:])
        assert "<iframe" in kinds and "<img" in kinds and "<script async" in kinds
        assert ".css" in kinds and "rel=\"stylesheet\"" in kinds
        host, port = origins[0].removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=2) as conn:
            conn.sendall(b"GET /hm.js HTTP/1.1\r\nHost: stats\r\n\r\n")
            conn.settimeout(0.5)
            with pytest.raises(TimeoutError):  # accepted, and not a byte back
                conn.recv(1)
        assert blackhole.held >= 1
    with pytest.raises(OSError), socket.create_connection((host, int(port)), timeout=2):
        pass  # stopped: nothing listens there any more


def test_oneurl_command_lines(tmp_path: Path) -> None:
    import json

    from bench import oneurl
    from bench.__main__ import PAGE_KEYS

    from elderscan.scanner._chromium import find_chromium

    assert tuple(oneurl.PAGES) == PAGE_KEYS
    paths = oneurl.page_paths(build(tmp_path / "c", pages=8, seed=1))
    assert paths == {"home": "/index.html", "news": "/p/0000.html", "bank": "/p/0004.html",
                     "heavy": oneurl.HEAVY_PATH}
    ours = find_chromium()
    url = "http://127.0.0.1:8000/index.html"
    binary = tmp_path / "node_modules" / ".bin"
    cmds = {c.tool: c for c in oneurl.commands(url, tmp_path, "home", binary, ours)}
    assert tuple(cmds) == oneurl.TOOLS
    es = cmds["elderscan"]
    assert es.cmd[:5] == [sys.executable, "-m", "elderscan", "scan", url]
    assert es.cmd[5:] == ["--max-pages", "1", "--json", str(es.result), "--quiet"]
    assert es.env == {}  # default settings: the elder-mode and voice probes run
    pa11y = cmds["pa11y"].cmd
    assert pa11y[:6] == [str(binary / "pa11y"), url, "--runner", "axe", "--reporter", "json"]
    config = json.loads(Path(pa11y[pa11y.index("--config") + 1]).read_text())
    assert config["chromeLaunchConfig"]["executablePath"] == ours
    lh = cmds["lighthouse"]
    assert lh.cmd[:3] == [str(binary / "lighthouse"), url, "--only-categories=accessibility"]
    assert "--output=json" in lh.cmd and f"--output-path={lh.result}" in lh.cmd
    assert lh.env["CHROME_PATH"] == ours


def test_oneurl_reads_each_tools_result_and_says_why_a_run_failed(tmp_path: Path) -> None:
    import json

    from bench.oneurl import VERDICTS, ratios
    from bench.throughput import scan_problem

    def sample(output: str, ok: bool = True) -> measure.Sample:
        return measure.Sample(1.0, 1.0, 1.0, 1.0, ok, output)

    issues = '[{"code":"color-contrast","type":"error"}]'
    assert VERDICTS["pa11y"](sample(issues + "\n", ok=False), None) is None  # exit 2: issues
    failed = "TimeoutError: Navigation timeout of 60000 ms exceeded\n    at LifecycleWatcher"
    assert VERDICTS["pa11y"](sample(failed, ok=False), None) == failed.splitlines()[0]
    assert VERDICTS["pa11y"](sample("partial", ok=False), None) == "partial"
    report = tmp_path / "lh.json"
    report.write_text(json.dumps({"categories": {"accessibility": {"score": 0.9}}}))
    assert VERDICTS["lighthouse"](sample(""), report) is None
    report.write_text(json.dumps({"runtimeError": {"code": "NO_FCP", "message": "no paint"},
                                  "categories": {"accessibility": {"score": None}}}))
    assert VERDICTS["lighthouse"](sample(""), report) == "NO_FCP: no paint"
    result = tmp_path / "es.json"
    assert VERDICTS["elderscan"](sample("x\n[timed out after 120s]", ok=False), result) == (
        "timed out after 120s")
    result.write_text(json.dumps({"status": "ok", "summary": {"pages": 2, "failed_pages": 0}}))
    assert VERDICTS["elderscan"](sample("总分 81/100"), result) is None  # --quiet: the verdict
    result.write_text(json.dumps({"status": "partial",
                                  "summary": {"pages": 2, "failed_pages": 1}}))
    assert VERDICTS["elderscan"](sample(""), result) == (
        "status partial: 2 page captures, 1 failed, 1 wanted")
    result.write_text(json.dumps({"status": "ok", "summary": {"pages": 7, "failed_pages": 0}}))
    assert scan_problem(result, 8) == "status ok: 7 page captures, 0 failed, 8 wanted"
    result.write_text(json.dumps({"status": "failed", "error": {"code": "no-pages"}}))
    assert scan_problem(result, 1) == "the scan failed: {'code': 'no-pages'}"
    rows: list[dict[str, object]] = [
        {"page": "home", "tool": "elderscan", "seconds": 6.0},
        {"page": "home", "tool": "pa11y", "seconds": 3.0},
        {"page": "home", "tool": "lighthouse", "seconds": None},
    ]
    assert ratios(rows) == {"home": {"elderscan_over_pa11y": 2.0,
                                     "elderscan_over_lighthouse": None}}


@pytest.mark.browser
def test_pair_runs_two_revisions_in_turn_and_cleans_up(tmp_path: Path) -> None:
    # Each revision from its own worktree, in alternating order, read as each round's B over A;
    # the worktrees go away after, and a revision that does not exist is one line, not a trace.
    import io
    import json
    import subprocess

    from bench import pair
    from bench.worktrees import ROOT
    from rich.console import Console

    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    path = pair.run("HEAD", "HEAD", pages=2, runs=2, concurrency=1, seed=1, out=tmp_path,
                    console=Console(file=io.StringIO()))
    data = json.loads(path.read_text("utf-8"))
    assert data["a"]["commit"] == data["b"]["commit"]
    assert [r["order"] for r in data["rounds"]] == ["ab", "ba"]
    for side in (r[s] for r in data["rounds"] for s in ("a", "b")):
        assert side["status"] == "ok" and side["pages"] >= 2 and side["cpu_seconds"] > 0
    assert data["same_score"] and data["cpu_b_over_a"] > 0 and data["seconds_b_over_a"] > 0
    trees = subprocess.run(["git", "-C", str(ROOT), "worktree", "list"],
                           capture_output=True, text=True, check=True).stdout
    assert "elderscan-pair-" not in trees
    with pytest.raises(SystemExit, match="no such revision 'no-such-rev'"):
        pair.run("no-such-rev", "HEAD", pages=2, runs=1, concurrency=1, seed=1, out=tmp_path,
                 console=Console(file=io.StringIO()))


def test_suite_reads_pytests_summary_line() -> None:
    from bench.suite import summary

    assert summary("....\n1574 passed, 30 subtests passed in 93.45s (0:01:33)\n") == {
        "pytest_seconds": 93.45, "passed": 1574, "failed": 0, "skipped": 0, "errors": 0}
    assert summary("x\n===== 1 failed, 2 passed, 9 skipped, 1 warning, 2 errors in 0.12s ====="
                   "\n") == {"pytest_seconds": 0.12, "passed": 2, "failed": 1, "skipped": 9,
                             "errors": 2}
    assert summary("1 passed, 1 deselected in 3s\n")["deselected"] == 1  # type: ignore[index]
    assert summary("....F\nKeyboardInterrupt\n") is None  # stopped before its summary


def _tiny_repo(root: Path, naps: list[float]) -> list[str]:
    """A git repository whose `quickstart test` runs pytest on a test that naps, one commit
    per nap (a negative nap is a failing test); returns the commit ids."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                              text=True).stdout.strip()

    root.mkdir()
    git("init", "-q")
    (root / "quickstart").write_text(
        "#!/usr/bin/env bash\nset -e\ncd \"$(dirname \"$0\")\"\nshift\n"
        f"PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 exec {sys.executable} -m pytest \"$@\"\n")
    (root / "quickstart").chmod(0o755)
    (root / "pytest.ini").write_text("[pytest]\nmarkers =\n    browser: a browser\n")
    commits = []
    for nap in naps:
        (root / "test_nap.py").write_text(
            "import os\nimport time\nimport pytest\n\n\ndef test_nap():\n"
            f"    time.sleep({abs(nap)})\n    assert {nap} >= 0\n"
            "    assert not os.environ.get('PYTHONPATH')\n\n\n"
            "@pytest.mark.browser\ndef test_with_a_browser():\n    pass\n")
        git("add", "-A")
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", str(nap))
        commits.append(git("rev-parse", "HEAD"))
    return commits


def test_suite_runs_two_revisions_tests_in_turn_and_cleans_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each revision's own test command from its own worktree, A and B in alternating order
    # with B's browser-free tests beside them, read as each over A's full suite; the worktrees
    # go away after; a revision whose tests fail stops the run with its reason. The bench's
    # own PYTHONPATH (its checkout's modules first) reaches neither revision.
    import io
    import json
    import subprocess

    from bench import suite
    from rich.console import Console

    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "the bench's own modules"))
    repo = tmp_path / "repo"
    slow, fast, failing = _tiny_repo(repo, [0.3, 0.05, -0.01])
    path = suite.run(slow, fast, runs=2, browser_free=True, timeout=120, out=tmp_path / "out",
                     console=Console(file=io.StringIO()), repo=repo)
    data = json.loads(path.read_text("utf-8"))
    assert (data["a"]["commit"], data["b"]["commit"]) == (slow, fast)
    assert [r["order"] for r in data["rounds"]] == [["a", "b", "b_browser_free"],
                                                    ["b_browser_free", "b", "a"]]
    for row in data["rounds"]:
        assert row["a"]["passed"] == row["b"]["passed"] == 2
        assert (row["b_browser_free"]["passed"], row["b_browser_free"]["deselected"]) == (1, 1)
        assert all(row[label]["cpu_seconds"] > 0 for label in ("a", "b", "b_browser_free"))
        assert row["a"]["pytest_seconds"] >= 0.3
    assert set(data["over_a"]) == {"b", "b_browser_free"}
    assert all(v > 0 for ratios in data["over_a"].values() for v in ratios.values())
    trees = subprocess.run(["git", "-C", str(repo), "worktree", "list"], capture_output=True,
                           text=True, check=True).stdout
    assert "elderscan-suite-" not in trees
    with pytest.raises(SystemExit, match=r"the tests of .* do not count \(1 failed, 0 errors\)"):
        suite.run(slow, failing, runs=1, browser_free=False, timeout=120, out=tmp_path / "out",
                  console=Console(file=io.StringIO()), repo=repo)
    with pytest.raises(SystemExit, match="bench suite: no such revision 'nope'"):
        suite.run("nope", fast, runs=1, browser_free=False, timeout=120, out=tmp_path / "out",
                  console=Console(file=io.StringIO()), repo=repo)
