"""`elderscan scan` as a user runs it: exit codes, one-line errors, the JSON it writes.

A scan whose start page fails its HTTP preflight (no such host, refused, TLS, not HTML) never
captures a page, but `scan_site` launches its own browser before the preflight (whose
User-Agent names the browser's version): those commands run with the recorded fake
(`tests/recorded.py`, `replay_env`) standing in for Chromium, so they need none."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import threading
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import jsonschema
import pytest
from tests.runner.conftest import closed_port_url

from conftest import FIXTURE_SITES
from elderscan.contract import load_schema
from elderscan.scanner._chromium import browser_name, find_chromium
from incli import elderscan
from recorded import REPLAY_ENV, replay_env

NEVER_CAPTURED = "gov-good"
"""the recording a scan that fails before its first page replays: none of it is ever asked"""
PASSED_ON = ("ELDERSCAN_CHROMIUM", REPLAY_ENV)
"""the only ELDERSCAN_* variables of the tests' environment a command sees"""


def run_cli(*args: str, timeout: float = 240,
            replay: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m elderscan …`; `replay` (base URL → recorded site) replaces the browser."""
    base = replay_env(replay) if replay else dict(os.environ)
    env = {k: v for k, v in base.items()
           if not k.startswith("ELDERSCAN_") or k in PASSED_ON}
    env["ELDERSCAN_SETTLE_MS"] = "200"
    env["ELDERSCAN_LANG"] = "en"  # the lines asserted here are the English ones
    env["ELDERSCAN_FIXTURES"] = str(FIXTURE_SITES)
    return elderscan(args, env, timeout=timeout)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("elderscan: error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture(scope="module")
def tls_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An HTTPS server with a self-signed certificate: the handshake must be refused."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>hi</p>")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("elderscan 0.")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["ftp://example.invalid/"], ["only http(s)"]),
        (["http://elderscan-test.invalid/"], ["does not resolve"]),
        (["http://127.0.0.1:{closed}/"], ["refused"]),
        (["--viewport", "tablet", "http://127.0.0.1/"], ["--viewport"]),
        (["--json", "/nonexistent-dir/r.json", "http://127.0.0.1/"], ["does not exist"]),
        (["--fixture", "no-such-site"], ["no bundled fixture site"]),
    ],
)
def test_usage_and_run_errors_exit_2_with_one_line(args: list[str], needles: list[str]) -> None:
    args = [closed_port_url() if a == "http://127.0.0.1:{closed}/" else a for a in args]
    assert_one_line_error(run_cli("scan", *args, replay=_never_captured(args[-1])), *needles)


def _never_captured(url: str) -> dict[str, str]:
    return {url: NEVER_CAPTURED}


def test_tls_failure_exits_2(tls_url: str) -> None:
    assert_one_line_error(run_cli("scan", tls_url, replay=_never_captured(tls_url)), "TLS")


def test_not_html_and_http_error_exit_2(hostile_url: str, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    replay = _never_captured(hostile_url)
    assert_one_line_error(run_cli("scan", hostile_url + "binary", "--json", str(out),
                                  replay=replay), "not an HTML page")
    # The failed scan is still written, with its error code, for scripts to read.
    data = json.loads(out.read_text("utf-8"))
    jsonschema.validate(data, load_schema())
    assert data["status"] == "failed"
    assert data["error"]["code"] == "not-html"
    assert data["pages"] == []
    assert_one_line_error(run_cli("scan", hostile_url + "missing.html", replay=replay),
                          "HTTP error")
    assert_one_line_error(run_cli("scan", hostile_url + "redirect-loop", replay=replay), "loop")


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "said"), [
    ("en", "no page could be captured (the first: http: HTTP 412 (the page's script loaded it "
           "again and was refused again"),
    ("zh", "没有一个页面能够打开（no-pages）；第一个页面：服务器返回 HTTP 412：网站的机器人验证"
           "没有让浏览器通过"),
])
def test_a_scan_that_captured_no_page_says_why_the_first_failed(hostile_url: str, lang: str,
                                                                said: str) -> None:
    """The start page is a bot check that refuses the browser: the preflight passes it on, the
    browser is refused three times, and the one line says so in the terminal's language."""
    proc = run_cli("scan", hostile_url + "refusing-check/", "--max-pages", "1", "--lang", lang)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    last = [line for line in proc.stderr.splitlines() if line.strip()][-1]
    assert said in last, last
    assert "Traceback" not in proc.stderr + proc.stdout


def test_bad_option_value_is_a_usage_error() -> None:
    proc = run_cli("scan", "--max-pages", "0", "http://127.0.0.1/")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.browser
def test_default_scan_of_bundled_fixture_writes_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    shots = tmp_path / "shots"
    proc = run_cli("scan", "--json", str(out), "--screenshots", str(shots), "--max-pages", "4")
    assert proc.returncode == 0, proc.stderr
    assert "bundled fixture site" in proc.stderr
    assert "status ok" in proc.stdout
    data = json.loads(out.read_text("utf-8"))
    jsonschema.validate(data, load_schema())
    assert data["status"] == "ok"
    standard = [p for p in data["pages"] if p["mode"] == "standard"]
    assert len(standard) == 4
    assert data["elder_mode"]["kind"] == "link" and data["elder_mode"]["effective"] is True
    assert any(p["mode"] == "elder" for p in data["pages"])
    assert data["score"]["total"] is not None and data["engine"]["ruleset"]
    assert data["engine"]["axe_core"].startswith("4.")
    assert data["engine"]["chromium"][0].isdigit()
    assert data["engine"]["browser"] == browser_name(find_chromium())
    # the summary line names it too (folded to the console's width, so compared word by word)
    assert f"({data['engine']['browser']}) · axe-core" in " ".join(proc.stdout.split())
    # axe-core ran in every captured page: its rules appear as wcag.* findings.
    for page in data["pages"]:
        assert any(f["rule"].startswith("wcag.") for f in page["findings"]), page["url"]
    for page in data["pages"]:
        assert page["http_status"] == 200
        assert page["metrics"]["font"]["dominant_px"] > 0
        assert (shots / page["screenshot"]).is_file()
