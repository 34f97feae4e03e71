"""A home page that is only a shell around frames — a frameset, or a page-sized iframe of the
site with next to no text of its own — shows its toolbar and its content in those frames'
pages, so a reader clicks 长者模式 or 语音朗读 there. The site probes look in those pages
before the shell (older county portals are still built this way)."""

from __future__ import annotations

from elderscan.capture import Capture

SHELL_TEXT_CHARS = 40
"""At most this many visible characters of its own (a title bar's caption, a 'loading' line):
more, and the home page is read as a page with content, whatever it frames."""

FRAME_PAGE_PX = (200, 100)
"""A frame at least this wide and tall shows a page (as the crawl's `collect.js` reads it)."""

MAX_FRAMED = 4
"""Frames probed at most: a frameset's top, menu, main and foot."""


def framed_pages(home: Capture) -> list[str]:
    """The addresses of the pages the home page's frames show, in document order, when the
    home page is a shell; [] when it has text of its own or no page-sized frame of its site."""
    own = sum(run.length for run in home.text_runs)
    if own > SHELL_TEXT_CHARS:
        return []
    urls: list[str] = []
    for frame in home.iframes:
        if frame.cross_origin or frame.box is None or not frame.url.startswith(("http:", "https:")):
            continue
        width, height = frame.box[2], frame.box[3]
        if width < FRAME_PAGE_PX[0] or height < FRAME_PAGE_PX[1]:
            continue
        if frame.url not in urls:
            urls.append(frame.url)
    return urls[:MAX_FRAMED]
