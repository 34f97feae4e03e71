"""`elderscan token …` and `elderscan serve`, run as a user runs them: the token commands
through the command line's entry point in this process (tests/incli.py), `serve` as a real
process."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from incli import elderscan

API = "/api/v1"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ELDERSCAN_") or k == "ELDERSCAN_CHROMIUM"}
    env["ELDERSCAN_DATA_DIR"] = str(tmp_path / "data")
    env["ELDERSCAN_LANG"] = "en"
    env.update(extra)
    return env


def cli(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return elderscan(args, _env(tmp_path, **extra), timeout=120)


def one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("elderscan: error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_tokens(tmp_path: Path) -> None:
    one_line_error(cli(tmp_path, "token", "create", "--role", "admin"), "elderscan db upgrade")
    assert cli(tmp_path, "db", "upgrade").returncode == 0
    created = cli(tmp_path, "token", "create", "--role", "admin", "--name", "ci")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"esk_[A-Za-z0-9_-]{43}", token), created.stdout
    assert created.stdout.strip() == token  # alone on its line (and on stdout)
    reader = cli(tmp_path, "token", "create", "--role", "read")
    assert reader.returncode == 0
    listed = cli(tmp_path, "token", "list")
    assert listed.returncode == 0
    assert token not in listed.stdout
    assert re.search(r"^1\tadmin\tactive\t.*\tci$", listed.stdout, re.M), listed.stdout
    assert re.search(r"^2\tread\tactive\t", listed.stdout, re.M)
    revoked = cli(tmp_path, "token", "revoke", "1")
    assert revoked.returncode == 0 and "revoked token 1" in revoked.stdout
    assert re.search(r"^1\tadmin\trevoked\t", cli(tmp_path, "token", "list").stdout, re.M)
    one_line_error(cli(tmp_path, "token", "revoke", "99"), "no token 99")
    one_line_error(cli(tmp_path, "token", "create", "--role", "owner"), "admin or read")


def test_serve_refuses_an_old_schema(tmp_path: Path) -> None:
    one_line_error(cli(tmp_path, "serve", "--port", "0"), "run `elderscan db upgrade`")


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    assert cli(tmp_path, "db", "upgrade").returncode == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        one_line_error(cli(tmp_path, "serve", "--port", str(port)), f"127.0.0.1:{port}")


def test_serve_bad_config_file(tmp_path: Path) -> None:
    one_line_error(cli(tmp_path, "serve", "--config", str(tmp_path / "none.env")),
                   "cannot read the config file")
    bad = tmp_path / "bad.env"
    bad.write_text("DATABASE_URL=sqlite://\n")
    one_line_error(cli(tmp_path, "serve", "--config", str(bad)), "bad.env:1")
    assert cli(tmp_path, "db", "upgrade").returncode == 0
    one_line_error(cli(tmp_path, "serve", "--port", "0",
                       ELDERSCAN_API_TRUSTED_PROXIES="10.0.0.0/8,proxy.internal"),
                   "TRUSTED_PROXIES", "proxy.internal")


@contextmanager
def serving(tmp_path: Path, *args: str, **extra: str) -> Iterator[str]:
    """`elderscan serve --port 0 --upgrade ARGS` until the block ends; yields its base URL.
    A variable given as "" is left out of the environment."""
    env = {k: v for k, v in _env(tmp_path, **extra).items() if v != ""}
    proc = subprocess.Popen([sys.executable, "-m", "elderscan", "serve", "--port", "0",
                             "--upgrade", "--log-level", "warning", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/api/v1", first)
        assert match, first + (proc.stderr.read() if proc.poll() is not None else "")
        base = f"http://127.0.0.1:{match.group(1)}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}{API}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_says_its_start_in_the_terminals_language(tmp_path: Path) -> None:
    from langcheck import other_language

    proc = subprocess.Popen([sys.executable, "-m", "elderscan", "serve", "--port", "0",
                             "--upgrade", "--log-level", "warning"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            env=_env(tmp_path, ELDERSCAN_LANG="zh"))
    try:
        assert proc.stderr is not None
        said = [proc.stderr.readline().strip() for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    database = f"sqlite:///{tmp_path / 'data' / 'elderscan.db'}"
    assert said[0].startswith("elderscan API 地址 http://127.0.0.1:"), said
    assert database in said[0] and "检测由本进程的检测池运行" in said[0], said
    assert said[1] == "定期检测在本进程中运行（每 30 秒）", said
    for line in said:
        assert other_language(line, "zh", [database, "/docs"]) == [], line


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`elderscan serve --upgrade --port 0` with settings from a config file; yields its base
    URL and an admin token."""
    config = tmp_path / "elderscan.env"
    config.write_text(f"# service settings\nELDERSCAN_DATA_DIR={tmp_path / 'served'}\n"
                      "ELDERSCAN_API_PUBLIC_READS='true'\n"
                      "ELDERSCAN_API_TRUSTED_PROXIES=127.0.0.1/32\n")
    with serving(tmp_path, "--config", str(config), ELDERSCAN_DATA_DIR="") as base:
        token = cli(tmp_path, "token", "create", "--role", "admin",
                    ELDERSCAN_DATA_DIR=str(tmp_path / "served")).stdout.strip().splitlines()[-1]
        yield base, token


def test_serve(server: tuple[str, str]) -> None:
    base, token = server
    health = httpx.get(f"{base}{API}/healthz").json()
    assert health["status"] == "ok" and health["public_reads"] is True
    assert httpx.get(f"{base}{API}/sites").status_code == 200  # public reads, from the file
    assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "elderscan API"
    refused = httpx.post(f"{base}{API}/scans", json={"url": "http://127.0.0.1:1/"},
                         headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 422
    assert refused.json()["error"] == "address_refused"
    assert httpx.post(f"{base}{API}/scans", json={"url": "https://a.gov.cn/"}).status_code == 401
    # Behind a TLS proxy it trusts, the dashboard's session cookie is Secure.
    host = base.removeprefix("http://")
    login = httpx.post(f"{base}/login", data={"token": token},
                       headers={"Origin": f"https://{host}", "X-Forwarded-Proto": "https"})
    assert login.status_code == 303 and "Secure" in login.headers["set-cookie"], login.headers


@pytest.mark.parametrize(("args", "env", "secure"), [
    ((), {}, False),
    (("--proxy-headers",), {}, True),
    ((), {"ELDERSCAN_API_PROXY_HEADERS": "1"}, True),
    (("--proxy-headers",), {"ELDERSCAN_API_TRUSTED_PROXIES": "10.9.9.9"}, False),
], ids=["no-proxy", "flag", "env", "another-proxy"])
def test_proxy_headers_make_the_cookie_secure_only_from_a_trusted_proxy(
        tmp_path: Path, args: tuple[str, ...], env: dict[str, str], secure: bool) -> None:
    """`--proxy-headers` trusts a proxy on this machine; one named elsewhere is trusted
    instead, so this loopback client's X-Forwarded-Proto is ignored."""
    from elderscan.store import create_token, make_engine, session_scope, upgrade

    url = f"sqlite:///{tmp_path / 'data' / 'elderscan.db'}"  # the store `serve` will use
    (tmp_path / "data").mkdir()
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            token = create_token(session, "proxy test", "read")
    finally:
        engine.dispose()
    with serving(tmp_path, *args, **env) as base:
        host = base.removeprefix("http://")
        login = httpx.post(f"{base}/login", data={"token": token},
                           headers={"Origin": f"https://{host}", "X-Forwarded-Proto": "https"})
        assert login.status_code == 303, login.text
        cookie = login.headers["set-cookie"]
        assert ("Secure" in cookie) is secure, cookie
        assert token not in cookie
        plain = httpx.post(f"{base}/login", data={"token": token},
                           headers={"Origin": f"http://{host}"})
        assert plain.status_code == 303 and "Secure" not in plain.headers["set-cookie"]
