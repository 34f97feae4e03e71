"""Scan settings: flat, typed, layered, frozen.

Order of precedence: defaults < environment (`ELDERSCAN_<NAME>`) < the CLI or API request.
The merged object is built once per scan and never mutated, so two scans (or two pages) can
never leak options into each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from elderscan.errors import PhrasedValueError
from elderscan.i18n import COLON, SEMICOLON, Lang
from elderscan.terminal_lang import field_reason

ViewportChoice = Literal["desktop", "mobile", "both"]
Patterns = Annotated[tuple[str, ...], NoDecode]
"""Comma-separated in the environment, a tuple everywhere else."""
COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def check_cookie(entry: str) -> None:
    """`name=value` with a token name and a value a Cookie header can carry; the message names
    the cookie, never its value (a session secret)."""
    name, sep, rest = entry.partition("=")
    if not sep or not COOKIE_NAME.fullmatch(name.strip()):
        raise PhrasedValueError("setting.cookie_form")
    if any(c in rest for c in ";\r\n\0"):
        raise PhrasedValueError("setting.cookie_value", name=name.strip())


def _entries(value: Any, check: Callable[[str], object]) -> Any:
    """Comma-separated (environment) or a sequence, stripped, each entry checked."""
    entries = value.split(",") if isinstance(value, str) else value
    if isinstance(entries, (list, tuple)):
        entries = tuple(str(e).strip() for e in entries if str(e).strip())
        for entry in entries:
            check(entry)
    return entries


class ScanSettings(BaseSettings):
    """Every knob of one scan; names are alphabetical so a reader can find one."""

    model_config = SettingsConfigDict(env_prefix="ELDERSCAN_", frozen=True, extra="ignore")

    ALLOW_HOSTS: Patterns = Field((), description="hosts, `*.domain`s, addresses or CIDRs the "
                                  "address guard lets through, comma-separated")
    AXE: bool = Field(True, description="run axe-core in every frame")
    AXE_LOCALE: Literal["en", "zh"] = Field("en", description="language of axe-core's "
                                            "messages (a scan in Chinese sets zh)")
    AXE_TIMEOUT: float = Field(
        30.0, gt=0, description="seconds for axe-core in one frame; a run past it is stopped and "
        "the page is captured without that frame's axe-core results")
    CHROMIUM: str | None = Field(None, description="path of the Chromium binary (unset: the "
                                 "distribution's chromium-headless-shell where installed, else "
                                 "its chromium)")
    CONCURRENCY: int = Field(2, ge=1, le=32, description="pages captured at once")
    COOKIES: Patterns = Field((), description="`name=value` cookies sent only to the scanned "
                              "site's own host, for a signed-in scan (never recorded)")
    EXCLUDE: Patterns = Field((), description="regexes: URLs never crawled")
    GUARD_ADDRESSES: bool = Field(False, description="refuse non-public addresses (loopback, "
                                  "private, link-local, metadata); the API always turns it on")
    HOST_CONCURRENCY: int = Field(2, ge=1, le=32, description="requests at once to one host")
    HOST_DELAY: float = Field(0.0, ge=0, description="seconds between requests to one host")
    INCLUDE: Patterns = Field((), description="regexes: if given, only matching URLs")
    JS_HEAP_MB: int = Field(512, ge=64, description="V8 heap cap of each renderer")
    LOAD_TIMEOUT: float = Field(20.0, gt=0, description="seconds to wait for the load event")
    MAX_DEPTH: int = Field(3, ge=0, description="link hops from the start page")
    MAX_HTML_BYTES: int = Field(10_000_000, gt=0, description="decompressed HTML size cap")
    MAX_PAGES: int = Field(10, ge=1, description="pages (URLs) captured per scan")
    OBEY_ROBOTS: bool = Field(True, description="honour robots.txt")
    PAGE_TIMEOUT: float = Field(60.0, gt=0, description="hard limit for one page, all steps")
    PROBE_ELDER: bool = Field(True, description="find and switch on elder mode, capture it")
    PROBE_VERSIONS: bool = Field(True, description="find the language, 繁體 and 简洁版 "
                                 "versions on the start page, follow and verify them")
    PROBE_VOICE: bool = Field(True, description="find and press the read-aloud control")
    PROBES: bool = Field(True, description="keyboard focus, 200 % zoom and motion probes")
    PER_TEMPLATE: int = Field(3, ge=1, description="pages kept per URL template")
    RECYCLE_AFTER: int = Field(100, ge=1, description="pages before the browser is restarted")
    REGION: str | None = Field(None, description="province, autonomous region or prefecture "
                               "whose required versions apply (西藏 → 藏文版; see the rule "
                               "lang.version-required)")
    RENDERER_MEMORY_MB: int = Field(1536, ge=128, description="RSS at which a renderer is killed")
    SCREENSHOT_MAX_HEIGHT: int = Field(6000, ge=100, description="CSS px of page screenshot")
    SCREENSHOT_SCOPE: Literal["page", "needed"] = Field(
        "page", description="page: every page whole, from its top (report crops, the "
        "dashboard); needed: only down to the lowest text over an image, on pages that have "
        "such text (what the pixel contrast check reads); a scan that keeps no screenshots "
        "always takes only what it needs")
    SCREENSHOTS_DIR: Path | None = Field(None, description="where screenshots are kept")
    SETTLE_MS: int = Field(
        1000, ge=0, description="page time after load for late pop-ups (with probes on, the "
        "page's timers are run ahead, then real time until what they started has loaded, at "
        "most 200 ms)")
    SITEMAP: bool = Field(True, description="read sitemap.xml and sitemap indexes")
    TAB_PAGES: int = Field(10, ge=1, description="pages one tab visits before its context is "
                           "replaced (1: a fresh context for every page)")
    USER_AGENT_SUFFIX: str = Field("elderscan/0.1 (+age-friendly accessibility audit)")
    VIEWPORT: ViewportChoice = Field("desktop", description="desktop, mobile or both")

    @field_validator("INCLUDE", "EXCLUDE", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(p for p in value.split(",") if p)
        return value

    @field_validator("COOKIES", mode="before")
    @classmethod
    def _cookies(cls, value: Any) -> Any:
        return _entries(value, check_cookie)

    @field_validator("ALLOW_HOSTS", mode="before")
    @classmethod
    def _allow_hosts(cls, value: Any) -> Any:
        from elderscan.netguard import parse_allow_entry

        return _entries(value, parse_allow_entry)  # ValueError names the bad entry

    @property
    def viewports(self) -> tuple[Literal["desktop", "mobile"], ...]:
        if self.VIEWPORT == "both":
            return ("desktop", "mobile")
        return (self.VIEWPORT,)

    def merged(self, **overrides: Any) -> ScanSettings:
        """A new frozen copy with request-level values on top (None means 'not given')."""
        given = {k.upper(): v for k, v in overrides.items() if v is not None}
        data = self.model_dump()
        data.update(given)
        return ScanSettings.model_validate(data)


def load_settings(**overrides: Any) -> ScanSettings:
    """Defaults, then the environment, then explicit overrides."""
    return ScanSettings().merged(**overrides)


def describe_error(exc: Exception, lang: Lang | None = None) -> str:
    """One line naming each bad setting, for a user who typed it on a command line or in env:
    why each is bad in `lang`, or as pydantic says it (a reason the store keeps)."""
    if isinstance(exc, ValidationError):
        parts = []
        for error in exc.errors():
            name = ".".join(str(p) for p in error["loc"]) or "settings"
            why = error["msg"] if lang is None else field_reason(error, lang)
            parts.append(f"{name.lower()} (ELDERSCAN_{name.upper()}){COLON[lang or 'en']}{why}")
        return SEMICOLON[lang or "en"].join(parts)
    cause = exc.__cause__
    if isinstance(cause, Exception) and cause is not exc:
        return f"{exc}{COLON[lang or 'en']}{describe_error(cause, lang)}"
    return str(exc).splitlines()[0]


def settings_table() -> str:
    """The Markdown table of docs/settings.md (`python -m elderscan.settings`)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in ScanSettings.model_fields.items():
        default = field.default
        if isinstance(default, tuple):
            default = ",".join(default) or "(none)"
        rows.append(f"| `ELDERSCAN_{name}` | `{'(none)' if default is None else default}` "
                    f"| {field.description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(settings_table(), end="")
