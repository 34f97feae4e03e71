"""Which pages of a site to capture: the frontier, robots.txt, sitemaps and politeness.

Pages are chosen level by level (breadth-first), and within a level in the order links appear
on their pages, so the same site gives the same page set on every round — a regulator comparing
this month's scan with last month's compares the same pages, whatever the concurrency.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from protego import Protego

from elderscan.capture import Skipped
from elderscan.scanner.fetch import fetch_text
from elderscan.scanner.sitemap import parse_sitemap, robots_sitemaps
from elderscan.settings import ScanSettings
from elderscan.urls import (
    link_scheme_skip,
    looks_like_non_html,
    matches_patterns,
    normalize_url,
    same_site,
    template_key,
)

ROBOTS_AGENT = "elderscan"
MAX_SITEMAP_FILES = 20
MAX_SITEMAP_URLS = 5000
MAX_SKIPPED = 1000


_Turns = deque["asyncio.Future[None]"]
"""waiters for a host's slot, first come first served"""


class HostLimiter:
    """At most N requests at once per host, and a minimum gap between their starts. A slot
    asked for `first` (a page the browser is loading, whose time limit is running) is handed
    over before any asked for without (a preflight fetched ahead of its capture)."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._busy: dict[str, int] = {}
        self._waiting: dict[str, tuple[_Turns, _Turns]] = {}
        self._gaps: dict[str, asyncio.Lock] = {}
        self._last: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def slot(self, url: str, *, first: bool = False) -> AsyncIterator[None]:
        host = urlsplit(url).netloc
        await self._take(host, first)
        try:
            if self._delay:
                async with self._gaps.setdefault(host, asyncio.Lock()):
                    wait = self._last.get(host, 0.0) + self._delay - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._last[host] = time.monotonic()
            yield
        finally:
            self._give_back(host)

    async def _take(self, host: str, first: bool) -> None:
        queues = self._waiting.setdefault(host, (deque(), deque()))
        if self._busy.get(host, 0) < self._concurrency and not any(queues):
            self._busy[host] = self._busy.get(host, 0) + 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = queues[0 if first else 1]
        queue.append(turn)
        try:
            await turn  # the slot is handed over by `_give_back`, still counted as busy
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._give_back(host)  # handed over just as the waiter was cancelled
            else:
                with contextlib.suppress(ValueError):  # already passed over as cancelled
                    queue.remove(turn)
            raise

    def _give_back(self, host: str) -> None:
        for queue in self._waiting.get(host, ()):
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)
                    return
        self._busy[host] -= 1


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def load_robots(client: httpx.AsyncClient, start: str) -> tuple[Protego | None, str]:
    """The parsed robots.txt (None when there is none) and its raw text."""
    result = await fetch_text(client, origin(start) + "/robots.txt")
    if result.error or result.status != 200 or not result.body:
        return None, ""
    text = result.body.decode("utf-8", errors="replace")
    return Protego.parse(text), text


async def sitemap_urls(client: httpx.AsyncClient, start: str, robots_text: str) -> list[str]:
    """Page URLs from the sitemaps robots.txt names, else /sitemap.xml; indexes followed."""
    queue = robots_sitemaps(robots_text, origin(start)) or [origin(start) + "/sitemap.xml"]
    seen_files: set[str] = set()
    pages: dict[str, None] = {}
    while queue and len(seen_files) < MAX_SITEMAP_FILES and len(pages) < MAX_SITEMAP_URLS:
        url = queue.pop(0)
        if url in seen_files:
            continue
        seen_files.add(url)
        result = await fetch_text(client, url)
        if result.error or not result.body:
            continue
        doc = parse_sitemap(result.body, result.final_url or url)
        if doc.kind == "sitemapindex":
            queue.extend(loc for loc in doc.locs if same_site(loc, start))
        elif doc.kind == "urlset":
            for loc in doc.locs:
                pages.setdefault(loc, None)
    return list(pages)[:MAX_SITEMAP_URLS]


@dataclass
class Frontier:
    """Decides, link by link, what is a candidate page and records what is skipped and why."""

    start: str
    settings: ScanSettings
    robots: Protego | None
    seen: set[str] = field(default_factory=set)
    templates: Counter[str] = field(default_factory=Counter)
    skipped: list[Skipped] = field(default_factory=list)
    _skipped_urls: set[str] = field(default_factory=set)

    def skip(self, url: str, reason: str, found_on: str | None) -> None:
        if url in self._skipped_urls or len(self.skipped) >= MAX_SKIPPED:
            return
        self._skipped_urls.add(url)
        self.skipped.append(Skipped(url=url[:2000], reason=reason, found_on=found_on))

    def consider(self, raw: str, found_on: str | None) -> str | None:
        """The normalised URL if it should be fetched, else None (skips are recorded)."""
        if link_scheme_skip(raw):
            self.skip(raw, "scheme", found_on)
            return None
        url = normalize_url(raw)
        if url is None:
            self.skip(raw, "scheme", found_on)
            return None
        if url in self.seen:
            return None
        self.seen.add(url)
        if not same_site(url, self.start):
            self.skip(url, "off-site", found_on)
            return None
        if looks_like_non_html(url):
            self.skip(url, "not-html", found_on)
            return None
        if not matches_patterns(url, self.settings.INCLUDE, self.settings.EXCLUDE):
            self.skip(url, "excluded", found_on)
            return None
        if (
            self.settings.OBEY_ROBOTS
            and self.robots is not None
            and not self.robots.can_fetch(url, ROBOTS_AGENT)
        ):
            self.skip(url, "robots", found_on)
            return None
        key = template_key(url)
        if self.templates[key] >= self.settings.PER_TEMPLATE:
            self.skip(url, "template-cap", found_on)
            return None
        self.templates[key] += 1
        return url

    def mark_seen(self, url: str) -> bool:
        """Record a redirect target; False when that page was already taken."""
        if url in self.seen:
            return False
        self.seen.add(url)
        return True
