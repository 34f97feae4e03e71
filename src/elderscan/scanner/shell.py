"""A home page that is only a shell around frames — a frameset, or a page-sized iframe of the
site with next to no text of its own, or one that fills most of the first screen — shows its
toolbar and its content in those frames' pages, so a reader clicks 长者模式 or 语音朗读 there.
The site probes look in those pages as well as in the shell (older county portals are still
built this way), and what they find there is placed where it shows on the home page."""

from __future__ import annotations

from elderscan.capture import Box, Capture, ElderProbe, Entry, Frame, VoiceProbe
from elderscan.scanner.driver import ElderFound
from elderscan.urls import normalize_url, same_site

SHELL_TEXT_CHARS = 40
"""At most this many visible characters of its own (a title bar's caption, a 'loading' line):
the home page is a shell, and every frame of its site that shows a page is looked in."""

SHELL_COVER = 0.6
"""A frame of the site that covers at least this share of the first screen is the page people
read, whatever the shell around it says (a copyright line, a banner): it is looked in."""

FRAME_PAGE_PX = (200, 100)
"""An iframe at least this wide and tall shows a page, as the crawl's `collect.js` reads it (a
frameset's frames always do, however short: a top bar of 80 px holds the toolbar)."""

MAX_FRAMED = 4
"""Frames probed at most: a frameset's top, menu, main and foot."""


def framed_pages(home: Capture) -> list[Frame]:
    """The frames whose pages the probes look in, in document order, when the home page is a
    shell; [] when it has text of its own and no frame fills its first screen."""
    site = home.final_url or home.url
    frames = [f for f in home.iframes if _shows_page(f, site)]
    if sum(run.length for run in home.text_runs) > SHELL_TEXT_CHARS:
        frames = [f for f in frames if f.box is not None
                  and _cover(f.box, home.viewport_size) >= SHELL_COVER]
    seen = {normalize_url(site)}
    found: list[Frame] = []
    for frame in frames:
        url = normalize_url(frame.url)
        if url not in seen:
            seen.add(url)
            found.append(frame)
    return found[:MAX_FRAMED]


def _shows_page(frame: Frame, site: str) -> bool:
    if frame.box is None or not frame.url.startswith(("http:", "https:")):
        return False
    if not same_site(frame.url, site):
        return False
    width, height = frame.box[2], frame.box[3]
    if frame.tag == "iframe":
        return width >= FRAME_PAGE_PX[0] and height >= FRAME_PAGE_PX[1]
    return width > 0 and height > 0


def _cover(box: Box, viewport: tuple[int, int]) -> float:
    """The share of the first screen (the viewport at the top of the page) the box covers."""
    width, height = viewport
    x, y, w, h = box
    inside = max(0.0, min(x + w, width) - max(x, 0.0)) * max(0.0, min(y + h, height) - max(y, 0.0))
    return inside / (width * height) if width and height else 0.0


def placed(entry: Entry, frame: Frame, viewport: tuple[int, int]) -> Entry:
    """An entry found on a framed page, where it shows on the home page: its box moved by the
    frame's, so a report's crop of the home page's screenshot and the first-screen verdict
    read the page people see (its selector stays the framed page's)."""
    if entry.box is None or frame.box is None:
        return entry
    x, y, w, h = entry.box
    box = (x + frame.box[0], y + frame.box[1], w, h)
    return entry.model_copy(update={"box": box, "in_first_screen": entry.in_first_screen
                                    and box[1] < viewport[1] and box[0] < viewport[0]})


def elder_rank(found: ElderFound | None) -> int:
    """0 an entry that works, 1 a broken one, 2 none found, 3 not probed."""
    if found is None:
        return 3
    return {"broken": 1, "none": 2}.get(found[0].kind, 0)


def voice_rank(found: VoiceProbe | None) -> int:
    """0 read-aloud that works, 1 a control that does not, 2 none found, 3 not probed."""
    if found is None:
        return 3
    return 0 if found.functional else 1 if found.found else 2


def elder_placed(probe: ElderProbe, frame: Frame, viewport: tuple[int, int]) -> ElderProbe:
    return probe.model_copy(update={
        "entry": placed(probe.entry, frame, viewport) if probe.entry else None,
        "candidates": [placed(c, frame, viewport) for c in probe.candidates],
        "trials": [t.model_copy(update={"entry": placed(t.entry, frame, viewport)})
                   for t in probe.trials]})


def voice_placed(probe: VoiceProbe, frame: Frame, viewport: tuple[int, int]) -> VoiceProbe:
    return probe.model_copy(update={
        "entry": placed(probe.entry, frame, viewport) if probe.entry else None,
        "candidates": [placed(c, frame, viewport) for c in probe.candidates]})
