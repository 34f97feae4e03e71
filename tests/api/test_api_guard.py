"""The address guard: what it refuses, the allow-list, the API's request-time check, and the
scanner's check of every redirect hop and connection.

No test here sends a packet anywhere but loopback: private and metadata addresses are refused
before any connection (or meet a mock transport), which is what is being tested.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from elderscan.devserver import SiteServer
from elderscan.netguard import AddressGuard, AddressRefused, GuardedBackend, address_problem
from elderscan.scanner.fetch import fetch, make_client

API = "/api/v1"
FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[2] / "fixtures" / "sites"


@pytest.mark.parametrize(("address", "problem"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.9", "private"), ("192.168.1.1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.10.10", "link-local"), ("fe80::1", "link-local"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"),
    ("100.100.100.200", "metadata"), ("168.63.129.16", "metadata"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("100.64.0.1", "reserved"), ("240.0.0.1", "reserved"),
    ("::ffff:127.0.0.1", "loopback"), ("64:ff9b::a00:1", "private"),
    ("::ffff:169.254.169.254", "metadata"),
])
def test_refused_addresses(address: str, problem: str) -> None:
    found = address_problem(ipaddress.ip_address(address))
    assert found is not None and problem in found, (address, found)


@pytest.mark.parametrize("address", ["8.8.8.8", "202.108.22.5", "2400:3200::1"])
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


def test_allow_list() -> None:
    guard = AddressGuard.from_allow(["127.0.0.1", "10.20.0.0/16", "intranet.example",
                                     "*.test", "::1"])
    guard.check_url("http://127.0.0.1:8080/")
    guard.check_url("http://10.20.3.4/")
    guard.check_url("http://[::1]:9000/")
    guard.check_url("http://intranet.example/")  # named hosts are not resolved
    guard.check_url("https://a.b.test/")
    with pytest.raises(AddressRefused, match="loopback"):
        guard.check_url("http://127.0.0.2/")
    with pytest.raises(AddressRefused, match="private"):
        guard.check_url("http://10.21.0.1/")
    with pytest.raises(ValueError, match="neither a host name"):
        AddressGuard.from_allow(["not a host!"])


@pytest.mark.parametrize(("url", "reason"), [
    ("file:///etc/passwd", "only http and https"),
    ("ftp://example.gov.cn/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://127.0.0.1/", "loopback"),
    ("http://localhost:6379/", "localhost resolves to"),
    ("http://[::1]/", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://metadata.google.internal/", "metadata host"),
    ("http://0.0.0.0:8000/", "unspecified"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 as one number, resolved by the system
])
def test_guard_refuses(url: str, reason: str) -> None:
    with pytest.raises(AddressRefused, match=reason) as caught:
        AddressGuard().check_url(url)
    assert "ELDERSCAN_ALLOW_HOSTS" in str(caught.value)


def test_unresolvable_names_are_left_to_the_scan() -> None:
    AddressGuard().check_url("https://no-such-host.invalid/")


# ------------------------------------------------------------------------------- the API


@pytest.mark.parametrize(("url", "words"), [
    ("http://127.0.0.1:8000/", "loopback"),
    ("http://localhost/", "localhost resolves to 127.0.0.1"),
    ("file:///etc/passwd", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://10.0.0.8/", "private"),
    ("http://[fd00:ec2::254]/", "metadata"),
])
def test_api_refuses_guarded_targets(client: TestClient, admin: dict[str, str],
                                     recorder: Any, url: str, words: str) -> None:
    response = client.post(f"{API}/scans", headers=admin, json={"url": url})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "address_refused"
    assert words in body["message"]
    assert body["details"][0]["loc"] == ["body", "url"]
    assert recorder.calls == []


def test_api_refuses_a_batch_with_one_guarded_site(client: TestClient, admin: dict[str, str],
                                                   recorder: Any) -> None:
    sites = [{"url": "https://www.example.gov.cn/"}, {"url": "http://127.0.0.1:9/"},
             {"url": "http://localhost/"}, {"url": "file:///etc/passwd"}]
    response = client.post(f"{API}/batches", headers=admin, json=sites)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "address_refused"
    assert [d["loc"] for d in body["details"]] == [["body", "sites", i, "url"] for i in (1, 2, 3)]
    assert recorder.calls == []


def test_api_allow_list_lets_loopback_through(make_client: Any, admin: dict[str, str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              engine: Any) -> None:
    monkeypatch.setenv("ELDERSCAN_ALLOW_HOSTS", "127.0.0.1")
    client = make_client()
    response = client.post(f"{API}/scans", headers=admin, json={"url": "http://127.0.0.1:8000/"})
    assert response.status_code == 202, response.text
    from elderscan.store import get_scan, session_scope

    with session_scope(engine) as session:
        scan = get_scan(session, response.json()["id"])
        assert scan is not None
        assert scan.options["allow_hosts"] == ["127.0.0.1"]
        assert scan.options["guard_addresses"] is True
    # the allow-list names an address: another loopback address stays refused
    assert client.post(f"{API}/scans", headers=admin,
                       json={"url": "http://127.0.0.2/"}).status_code == 422


# --------------------------------------------------------------------- inside the scan


def _redirect_to(target: str) -> Any:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


@pytest.fixture
def redirector() -> Iterator[str]:
    """127.0.0.1 serving /to-loopback → 127.0.0.2 and /to-localhost → localhost."""
    server = SiteServer(FIXTURES / "gov-good")
    server.start()
    port = server.url.rsplit(":", 1)[1].strip("/")
    server.routes.update({"/to-other-loopback": _redirect_to(f"http://127.0.0.2:{port}/"),
                          "/to-ipv6-loopback": _redirect_to(f"http://[::1]:{port}/"),
                          "/to-file": _redirect_to("file:///etc/passwd")})
    yield server.url
    server.stop()


async def test_fetch_refuses_a_redirect_hop(redirector: str) -> None:
    guard = AddressGuard.from_allow(["127.0.0.1"])
    async with make_client("test", guard=guard) as client:
        ok = await fetch(client, redirector)
        assert ok.error is None and ok.status == 200
        hop = await fetch(client, redirector + "to-other-loopback")
        assert hop.error == "blocked", hop
        assert "127.0.0.2" in (hop.detail or "") and "loopback" in (hop.detail or "")
        assert hop.redirects == (hop.redirects[0],) and "127.0.0.2" in hop.redirects[0]
        v6 = await fetch(client, redirector + "to-ipv6-loopback")
        assert v6.error == "blocked"
        scheme = await fetch(client, redirector + "to-file")
        assert scheme.error == "protocol"  # refused before the guard: not http(s)
    # without the guard (the CLI on a user's own machine) loopback is fine
    async with make_client("test") as client:
        assert (await fetch(client, redirector)).error is None


async def test_fetch_refuses_the_start_url() -> None:
    async with make_client("test", guard=AddressGuard()) as client:
        result = await fetch(client, "http://localhost:9/")
    assert result.error == "blocked"
    assert "localhost resolves to" in (result.detail or "")


async def test_a_public_address_redirecting_to_a_private_one() -> None:
    """The second hop is refused before anything is sent (a mock transport stands in for
    the network, so no packet leaves even if the guard failed)."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "93.184.216.34":
            return httpx.Response(302, headers={"Location": "http://10.0.0.7/admin"})
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"<p>in")

    client = make_client("test", guard=AddressGuard())
    client._transport = httpx.MockTransport(handler)
    async with client:
        result = await fetch(client, "http://93.184.216.34/")
    assert seen == ["http://93.184.216.34/"]
    assert result.error == "blocked"
    assert "10.0.0.7" in (result.detail or "") and "private" in (result.detail or "")
    assert result.redirects == ("http://10.0.0.7/admin",)


class _Recording:
    def __init__(self) -> None:
        self.hosts: list[str] = []

    async def connect_tcp(self, host: str, port: int, **kwargs: Any) -> Any:
        self.hosts.append(host)
        return object()

    async def sleep(self, seconds: float) -> None:
        return None


async def test_connections_go_only_to_checked_addresses() -> None:
    """The backend resolves and checks the name itself and connects to the address it
    checked: a rebinding DNS answer cannot slip a different address in afterwards."""
    inner = _Recording()
    refused = GuardedBackend(inner, AddressGuard())  # type: ignore[arg-type]
    with pytest.raises(AddressRefused, match="loopback"):
        await refused.connect_tcp("localhost", 80)
    with pytest.raises(AddressRefused, match="metadata"):
        await refused.connect_tcp("169.254.169.254", 80)
    assert inner.hosts == []
    allowed = GuardedBackend(inner, AddressGuard.from_allow(["127.0.0.0/8"]))  # type: ignore[arg-type]
    await allowed.connect_tcp("localhost", 80)
    assert inner.hosts == ["127.0.0.1"]  # pinned to the checked address, not the name


def test_make_client_installs_the_backend() -> None:
    client = make_client("test", guard=AddressGuard())
    pool = client._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool._network_backend, GuardedBackend)
    assert client.event_hooks["request"]
