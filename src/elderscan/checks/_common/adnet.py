"""Is a URL an ad network's or an ad plug-in's? Host suffixes, loader path words and CMS
plug-in files from `standards.ads`."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from elderscan.checks.standards import ads as std

_PATH = re.compile(
    r"(?:^|[/._-])(" + "|".join(re.escape(w) for w in std.AD_PATH_WORDS) + r")(?:[/._-]|$)",
    re.IGNORECASE,
)


def ad_match(url: str) -> str | None:
    """The ad host or loader word `url` matches, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", ""):
        return None
    host = (parts.hostname or "").lower()
    for ad_host in std.AD_HOSTS:
        if host == ad_host or host.endswith("." + ad_host):
            return ad_host
    found = _PATH.search(parts.path)
    return found.group(1).lower() if found else None


def plugin_match(url: str) -> str | None:
    """Which CMS ad plug-in `url` loads ('floating', 'couplet' or 'popup'), or None."""
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return None
    at = path.find(std.AD_PLUGIN_DIR)
    if at < 0:
        return None
    stem = path[at + len(std.AD_PLUGIN_DIR):].split("/")[0].split(".")[0]
    return std.AD_PLUGINS.get(stem)
