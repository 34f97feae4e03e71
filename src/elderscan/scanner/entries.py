"""Which controls on a page may be the elder-mode or read-aloud entry, best first.

Pure functions over a capture: the probes activate the candidates in rank order, and tests can
check the ranking on hand-made captures. Keywords are the names MIIT's spec and real portals use
(关怀版, 长者模式, 适老版 …); fingerprints are the ids of the common accessibility toolbars.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from elderscan.capture import Capture, Entry, Interactive
from elderscan.geometry import area, contains

ELDER_WORDS: tuple[tuple[str, float], ...] = (
    ("关怀版", 10), ("关怀模式", 10), ("长者模式", 10), ("长者版", 10), ("长者浏览模式", 10),
    ("长者助手", 10), ("适老版", 10), ("适老模式", 10), ("长辈版", 10), ("长辈模式", 10),
    ("老年版", 9), ("老年模式", 9), ("长者专区", 9), ("大字版", 9), ("大字模式", 9),
    ("亲情版", 8), ("关爱版", 8), ("敬老版", 8), ("银发", 7), ("无障碍浏览", 5), ("无障碍", 5),
    ("elder", 6), ("senior", 6),
)
ELDER_HINTS = re.compile(
    r"(?<![a-z0-9_-])(ghb|ghms|guanhuai|zbb|zhangbei|zzb|changzhe|shilao|lnb|laonian|elderly|"
    r"elder|oldman|senior|caremode|care)(?![a-z0-9_-])", re.IGNORECASE)
"""What names an image-only control's care mode where no word does: the pinyin (initials) of
关怀版, 长辈版, 长者版, 适老 and 老年, and English words, as whole tokens of its link's path and
query, its id or its image (`/ghb/index.html`, `zzb.svg`, `?mode=care`; not `health-care`,
not a host such as `zzb.example.gov.cn`). Such a control is a candidate only when it has no
name at all, it is tried after every named elder entry, and it counts only if it proves to
switch an elder mode on."""
HINT_WEIGHT = 6.0
TOOLBAR_WORDS = frozenset({"无障碍浏览", "无障碍"})
"""Generic accessibility toolbars: candidates, but any elder-specific label outranks them."""
VOICE_WORDS: tuple[tuple[str, float], ...] = (
    ("语音朗读", 10), ("全文朗读", 10), ("朗读", 8), ("读屏", 8), ("指读", 8), ("连读", 8),
    ("语音播报", 8), ("听全文", 8), ("听新闻", 8), ("语音", 6), ("声音", 5), ("播报", 5),
    ("read aloud", 8), ("listen", 6),
)
STOP_WORDS = re.compile(r"停止|暂停|关闭(语音|朗读|声音)|stop|pause", re.IGNORECASE)
MAX_LABEL = 12
"""An entry is a short control label; a news headline that mentions 适老 is not one."""
NOT_VOICE = re.compile(r"语音验证码|语音客服|语音导航|停止|暂停|关闭", re.IGNORECASE)

# Ids of the widespread toolbars: care mode directly, or the toolbar that holds it.
ELDER_IDS: dict[str, float] = {"cniil_slb": 10, "slb": 9, "ghb": 8, "slh": 10, "cniil_wza": 5,
                               "dkwza": 5, "wzagjt": 5, "barrierfree": 5, "toolbarswitch": 5}
TOOLBAR_IDS = frozenset({"cniil_wza", "dkwza", "wzagjt", "barrierfree", "toolbarswitch"})
TOOLBAR_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("aria.js", "aria"), ("cniil/assist.js", "cniil-assist"), ("wza/wza.js", "wza"),
    ("accessiblereading/load.js", "accessiblereading"), ("/voice/js/voice-main.js", "publicjs"),
    ("audiovisual.js", "aria-audiovisual"), ("js/wza.js", "site-wza"), ("slh.js", "slh"),
    ("esdtoolbar", "esd-toolbar"), ("/toolbar/", "esd-toolbar"),
)
VENDOR_NAMES: dict[str, str] = {
    "aria": "aria.js", "cniil-assist": "cniil assist.js", "wza": "wza.js (长者助手)",
    "site-wza": "wza.js (长者助手)", "slh": "slh.js (长者助手)", "esd-toolbar": "EsdToolbar",
    "accessiblereading": "accessiblereading", "publicjs": "voice-main.js",
    "aria-audiovisual": "aria audiovisual.js",
}
"""How a site owner knows each toolbar: by the script they put in their pages."""


TOOLBAR_GLOBALS: dict[str, tuple[str, ...]] = {
    "aria": ("aria.",), "aria-audiovisual": ("aria.",), "slh": ("slhInstance",),
    "wza": ("wzaInstance", "wza."), "site-wza": ("wzaInstance", "wza."),
    "esd-toolbar": ("EsdToolbar",), "cniil-assist": ("assist",),
}
"""the objects each toolbar's script defines: an onclick calling one belongs to that toolbar"""


def calls_toolbar(handler: str | None, fingerprint: str | None) -> bool:
    return bool(handler and fingerprint
                and any(g in handler for g in TOOLBAR_GLOBALS.get(fingerprint, ())))


def toolbar_fingerprint(capture: Capture) -> str | None:
    for src in capture.scripts:
        lowered = src.lower()
        for needle, name in TOOLBAR_SCRIPTS:
            if needle in lowered:
                return name
    ids = {(i.id or "").lower() for i in capture.interactive if i.id}
    if ids & {"cniil_wza", "cniil_slb"}:
        return "aria"
    if "toolbarswitch" in ids:
        return "esd-toolbar"
    return None


def vendor_name(fingerprint: str | None) -> str | None:
    return VENDOR_NAMES.get(fingerprint, fingerprint) if fingerprint else None


def is_toolbar(entry: Entry) -> bool:
    """A generic accessibility toolbar rather than an elder-specific entry."""
    if entry.source == "fingerprint":
        return (entry.keyword or "") in TOOLBAR_IDS
    return entry.keyword in TOOLBAR_WORDS


def _label(item: Interactive) -> str:
    return " ".join(x for x in (item.text, item.name, item.aria_label or "", item.title or "")
                    if x)


def _entry(item: Interactive, keyword: str | None, source: str, weight: float) -> Entry:
    score = weight + (1.0 if item.visible else -3.0) + (1.0 if item.in_first_screen else 0.0)
    score += 0.5 if item.landmark in {"header", "nav"} else 0.0
    return Entry(
        text=item.text[:80], name=item.name[:80], selector=item.selector, tag=item.tag,
        href=item.href, box=item.box if item.visible else None,
        in_first_screen=item.in_first_screen, landmark=item.landmark,
        keyboard_reachable=item.focusable, keyword=keyword, source=source,  # type: ignore[arg-type]
        score=score,
    )


def _rank(items: list[Interactive], words: tuple[tuple[str, float], ...],
          ids: dict[str, float], exclude: re.Pattern[str] | None = None,
          hints: Callable[[Interactive], str] | None = None) -> list[Entry]:
    found: dict[str, Entry] = {}
    for item in items:
        label = _label(item)
        candidate: Entry | None = None
        ident = (item.id or "").lower()
        if ident in ids:
            candidate = _entry(item, ident, "fingerprint", ids[ident])
        elif hints is not None and not label.strip():
            if hinted := ELDER_HINTS.search(hints(item)):
                candidate = _entry(item, hinted.group(1).lower(), "attribute", HINT_WEIGHT)
        elif len(item.text.strip()) <= MAX_LABEL and (exclude is None or not exclude.search(label)):
            lowered = label.lower()
            for word, weight in words:
                if word in lowered:
                    source = "text" if word in item.text.lower() else "name"
                    candidate = _entry(item, word, source, weight)
                    break
        if candidate and (candidate.selector not in found
                          or found[candidate.selector].score < candidate.score):
            found[candidate.selector] = candidate
    return sorted(found.values(), key=lambda e: -e.score)


def elder_candidates(capture: Capture, found: list[Interactive] | None = None) -> list[Entry]:
    """Elder-specific entries first, then generic toolbars; `found` adds the clickable
    non-links (click handlers, cursor:pointer) the probe found on the live page."""
    items = list(capture.interactive) + [f for f in found or []
                                         if f.selector not in {i.selector
                                                               for i in capture.interactive}]
    ranked = _rank(items, ELDER_WORDS, ELDER_IDS, hints=lambda item: _attributes(item, capture))
    return sorted(ranked, key=lambda e: (is_toolbar(e), e.source == "attribute", -e.score))


def _attributes(item: Interactive, capture: Capture) -> str:
    """What an image-only control says without words: where it links (path and query), its
    id, and the file, id and classes of the images inside it (by selector, or by box where a
    deep page's selectors are cut short)."""
    parts = urlsplit(item.href or "")
    where = f"{parts.path}?{parts.query}" if parts.scheme in ("http", "https") else ""
    images = [f"{urlsplit(i.src).path} {i.id or ''} {i.classes}" for i in capture.images
              if i.selector.startswith(item.selector + " > ")
              or (area(i.box) > 0 and item.box[2] > 0 and contains(item.box, i.box, slack=1))]
    return " ".join([where, item.id or "", *images])


def voice_candidates(capture: Capture) -> list[Entry]:
    return _rank(list(capture.interactive), VOICE_WORDS, {}, exclude=NOT_VOICE)


def stop_controls(capture: Capture) -> list[Interactive]:
    return [i for i in capture.interactive if i.visible and STOP_WORDS.search(_label(i))]


def toolbar_opener(capture: Capture) -> Interactive | None:
    """The control that opens an accessibility toolbar (voice add-ons live inside it)."""
    for item in capture.interactive:
        if (item.id or "").lower() in TOOLBAR_IDS:
            return item
    for item in capture.interactive:
        if item.visible and "无障碍" in _label(item):
            return item
    return None
