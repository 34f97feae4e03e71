"""Settings of the HTTP service: `ELDERSCAN_API_<NAME>` in the environment, frozen once read.

Where the database is (`ELDERSCAN_DATABASE_URL`, `ELDERSCAN_DATA_DIR`) is the store's setting,
the broker (`ELDERSCAN_BROKER_URL`) the runner's, the address guard's allow-list
(`ELDERSCAN_ALLOW_HOSTS`) the scan settings': this class holds only what the API itself decides.
"""

from __future__ import annotations

import ipaddress

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from elderscan.errors import PhrasedValueError

ABSOLUTE_MAX_PAGES = 500
"""The OpenAPI schema's bound on `options.max_pages`; `MAX_PAGES` lowers it per service."""
ABSOLUTE_MAX_DEPTH = 10
ABSOLUTE_MAX_BATCH_SITES = 100_000
LOCAL_PROXIES = ("127.0.0.1", "::1")
"""Trusted with `--proxy-headers` when no proxy is named: a reverse proxy on the same machine."""


class ApiSettings(BaseSettings):
    """Access rule and request limits of `elderscan serve`."""

    model_config = SettingsConfigDict(env_prefix="ELDERSCAN_API_", frozen=True, extra="ignore")

    PUBLIC_READS: bool = Field(
        False, description="serve GET endpoints (and /metrics) without a token, e.g. for a "
        "public dashboard; writes always need an admin token")
    MAX_BODY_BYTES: int = Field(
        2_000_000, ge=1024, description="largest request body (JSON or CSV upload); more is 413")
    BODY_TIMEOUT: float = Field(
        30.0, gt=0, le=3600, description="seconds a request's body may take to arrive, from "
        "the start of the request; a client that stalls or trickles it gets 408 and the "
        "connection is closed")
    REPORT_CACHE_MB: float = Field(
        64.0, ge=0, description="memory for rendered reports of GET /scans/{id}/report, kept "
        "per scan, format and language and evicted least recently used first; 0 renders every "
        "request afresh")
    MAX_BATCH_SITES: int = Field(
        5000, ge=1, le=ABSOLUTE_MAX_BATCH_SITES,
        description="most sites in one POST /batches; more is 413")
    MAX_PAGES: int = Field(
        50, ge=1, le=ABSOLUTE_MAX_PAGES, description="largest options.max_pages a request may ask")
    DNS_BUDGET: float = Field(
        10.0, ge=0, description="seconds a request may spend resolving site hosts for the "
        "address guard (one lookup at most 5); hosts not resolved by then are checked inside "
        "the scan")
    PROXY_HEADERS: bool = Field(
        False, description="believe X-Forwarded-Proto and X-Forwarded-For from the proxies in "
        "TRUSTED_PROXIES (default: this machine, 127.0.0.1 and ::1), so the dashboard's cookie "
        "is Secure behind a TLS proxy; also `elderscan serve --proxy-headers`")
    TRUSTED_PROXIES: str = Field(
        "", description="addresses or CIDRs of reverse proxies, comma-separated, whose "
        "X-Forwarded-Proto and X-Forwarded-For are believed; naming any turns PROXY_HEADERS on. "
        "Empty and PROXY_HEADERS off: those headers are ignored")
    SESSION_HOURS: float = Field(
        12.0, gt=0, le=24 * 30, description="hours a dashboard sign-in lasts; the server ends "
        "the session then, whatever the browser keeps")

    @field_validator("TRUSTED_PROXIES")
    @classmethod
    def _networks(cls, value: str) -> str:
        items = [v.strip() for v in value.split(",") if v.strip()]
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise PhrasedValueError("setting.not_network", value=repr(item)) from None
        return ",".join(items)

    @property
    def trusted_proxies(self) -> list[str]:
        """Whose forwarded headers are believed: the named proxies, else this machine when
        PROXY_HEADERS is on, else nobody."""
        named = [v for v in self.TRUSTED_PROXIES.split(",") if v]
        return named or (list(LOCAL_PROXIES) if self.PROXY_HEADERS else [])


def settings_table() -> str:
    """The Markdown table of the API settings, for docs/api.md."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in ApiSettings.model_fields.items():
        rows.append(f"| `ELDERSCAN_API_{name}` | `{field.default}` | {field.description} |")
    return "\n".join(rows) + "\n"
