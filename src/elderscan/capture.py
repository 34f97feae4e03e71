"""What the browser saw on one page in one viewport, as plain data.

This module is the contract between `scanner/` (the only stage that touches a browser) and
everything after it: checks, scoring and reports read these models and never a live page, so
most tests need no browser and an old capture can be judged again by a newer rule set.

It is longer than 400 lines because it is one schema: every model the scanner fills and
the checks read sits together, so a field's meaning and its default are found in one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Viewport = Literal["desktop", "mobile"]
Mode = Literal["standard", "elder"]
Box = tuple[float, float, float, float]
"""x, y, width, height in CSS pixels, relative to the top-left of the document."""
RGB = tuple[int, int, int]
RGBA = tuple[float, float, float, float]


def unmasked_screenshot(screenshot: Path) -> Path:
    """Where the page's screenshot taken with pop-up masks hidden lies, beside the screenshot
    (`x.png` → `x.unmasked.png`); the scanner writes it only when a mask covered the page, so
    the DOM contrast findings' crops show the text as judged, not greyed by the mask."""
    return screenshot.with_name(screenshot.stem + ".unmasked.png")


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextRun(_Data):
    """The direct text of one element: what a reader sees as one piece of text."""

    text: str = Field(description="the text, whitespace folded, cut at 200 characters")
    length: int = Field(description="visible characters (no whitespace) in the whole run")
    selector: str
    tag: str
    font_px: float
    font_weight: int
    font_family: str
    line_height_px: float | None = Field(description="None when the computed value is 'normal'")
    normal_line_px: float | None = Field(
        None, description="for 'normal': the height of the first line box, as rendered"
    )
    color: RGBA = Field(description="computed colour; alpha includes the ancestors' opacity")
    background: RGB = Field(description="opaque background resolved through the ancestors")
    over_image: bool = Field(description="a background image, gradient or <img> lies behind it")
    box: Box
    in_first_screen: bool
    landmark: str | None = Field(description="header/nav/main/footer/aside the run sits in")
    disabled: bool = Field(False, description="text of a disabled control or its label")
    shadow: RGBA | None = Field(None, description="colour of a blurred text-shadow hugging it")


class Interactive(_Data):
    """A link, button or form control, as a keyboard or screen-reader user meets it."""

    tag: str
    role: str | None
    type: str | None
    text: str
    name: str = Field(description="accessible name, approximated as browsers compute it")
    aria_label: str | None
    title: str | None
    href: str | None
    id: str | None
    selector: str
    box: Box
    visible: bool
    focusable: bool
    in_first_screen: bool
    landmark: str | None


class Overlay(_Data):
    """A fixed, sticky or high-z-index box: where pop-ups and floating ads live."""

    selector: str
    tag: str
    position: str
    z_index: int | None
    box: Box
    viewport_coverage: float = Field(description="share of the first screen it covers, 0–1")
    text: str
    appeared_ms: float | None = Field(
        description="ms after navigation start that it was added or shown; None if in the HTML"
    )
    close_box: Box | None = Field(description="box of the control that seems to close it")
    close_label: str | None
    inside: str | None = Field(
        None, description="selector of the overlay this one sits in (DOM ancestry), if any"
    )


class Frame(_Data):
    url: str
    name: str | None
    title: str | None
    selector: str | None
    box: Box | None
    cross_origin: bool
    tag: str = Field("iframe", description="iframe, or frame (a frameset's)")


class Media(_Data):
    tag: str
    selector: str
    src: str | None
    autoplay: bool
    paused: bool
    muted: bool
    controls: bool


class Image(_Data):
    selector: str
    src: str
    alt: str | None = Field(description="None when the attribute is missing, '' when empty")
    id: str | None
    classes: str
    box: Box
    visible: bool
    in_first_screen: bool


class FocusStep(_Data):
    """One Tab press: where focus landed and whether anything visible marked it."""

    selector: str
    tag: str
    name: str
    box: Box
    indicator: bool
    changes: list[str] = Field(description="style properties that changed on focus")


class ClippedText(_Data):
    selector: str
    text: str
    box: Box
    clip_box: Box = Field(description="the ancestor box that cuts the text off")
    axis: Literal["x", "y", "both"] = "y"
    ellipsis: bool = Field(False, description="the clipping box ends the text with an ellipsis")
    one_line_box: bool = Field(False, description="the clipping box is exactly one line tall")


class Reflow(_Data):
    """The page at 200 % zoom (the desktop viewport halved, as browser zoom lays it out)."""

    viewport_width: int
    clipped: list[ClippedText]
    horizontal_scroll: bool
    text_runs: int = Field(description="visible text runs at 200 %")
    candidates: int = Field(0, description="visible texts below an overflow:hidden/clip box")


class MovingElement(_Data):
    selector: str
    box: Box
    changes: int = Field(description="times it changed during the observation window")
    window_ms: float
    pause_control: bool = Field(description="a pause/stop control sits in or beside it")
    position: str | None = Field(
        None, description="fixed/absolute when the box itself drifted across the page (a 飘窗); "
        "None for content that changed in place"
    )
    travel_px: float | None = Field(
        None, description="farthest its box moved from where it started, in CSS px"
    )
    dom_selector: str | None = Field(
        None, description="the same element's selector in the DOM pass (overlays, text runs)"
    )


class SpacingOverride(_Data):
    """letter-spacing, word-spacing or line-height set with !important in a style attribute."""

    selector: str
    property: str
    declared: str
    computed_px: float | None = Field(description="None for line-height 'normal'")
    font_px: float
    ratio: float | None = Field(
        None, description="lowest value ÷ font size over the text that inherits it; None: normal"
    )
    has_text: bool
    visible: bool
    lines: int = Field(description="most line boxes one of its text nodes occupies")


class NetworkEntry(_Data):
    url: str
    resource_type: str
    method: str
    status: int | None
    size: int | None = Field(description="Content-Length when the server sent one")
    failure: str | None


class AxeNode(_Data):
    target: list[str]
    html: str
    frame_url: str
    failure_summary: str | None


class AxeRule(_Data):
    id: str
    impact: str | None
    tags: list[str]
    help: str
    help_url: str
    nodes: list[AxeNode]
    help_en: str | None = Field(None, description="axe's English help where `help` is in "
                                "another locale (a Chinese scan)")


class AxeResults(_Data):
    version: str
    frames: int = Field(description="frames axe-core ran in")
    frame_errors: list[str]
    violations: list[AxeRule]
    incomplete: list[AxeRule]
    passes: list[str] = Field(description="ids of rules that had elements and all passed")
    inapplicable: list[str]


class Anchor(_Data):
    """An element as a person would name it, stable when classes, ids and wrappers change.

    What identifies a finding across scans (`store.fingerprints.finding_fingerprint`); a CSS
    selector breaks on every markup refactor, these four do not.
    """

    role: str = Field(description="coarse ARIA role: link, button, heading, img, text, …")
    text: str = Field(description="accessible name or own text; digits → 0, ≤ 60 characters")
    landmark: str = Field(description="nearest landmark, e.g. 'navigation[主导航]#2', or "
                          "'document'")
    index: int = Field(description="place among the landmark's elements with this role and text")


class Timings(_Data):
    navigation_ms: float
    settle_ms: float
    collect_ms: float
    axe_ms: float
    screenshot_ms: float
    probes_ms: float = 0.0
    anchors_ms: float = 0.0
    total_ms: float


class Capture(_Data):
    """One page, one viewport, one mode. Nothing here is a judgement."""

    url: str
    final_url: str
    http_status: int | None
    mode: Mode
    viewport: Viewport
    viewport_size: tuple[int, int]
    document_size: tuple[int, int]
    title: str
    lang: str | None
    meta_viewport: str | None
    meta_refresh: str | None
    meta_refreshes: list[str] = Field(
        default_factory=list, description="every meta refresh content as served, in order"
    )
    charset: str
    text_runs: list[TextRun]
    text_runs_truncated: bool
    interactive: list[Interactive]
    overlays: list[Overlay]
    iframes: list[Frame]
    media: list[Media]
    links: list[str] = Field(description="every a/area href, absolute, hidden ones included; "
                             "then the src of every frame and of iframes of at least 200 × 100 px")
    images: list[Image] = Field(default_factory=list)
    scripts: list[str] = Field(default_factory=list, description="src of every script element")
    spacing: list[SpacingOverride] = Field(default_factory=list)
    focus: list[FocusStep] | None = Field(None, description="first Tab stops; None: not probed")
    reflow: Reflow | None = Field(None, description="desktop only; None: not probed")
    motion: list[MovingElement] | None = Field(
        None, description="content that changed by itself after load; None: not observed"
    )
    network: list[NetworkEntry]
    console_errors: list[str]
    dialogs: list[str]
    screenshot: str | None = Field(
        description="a PNG at CSS-pixel scale, named relative to the scan's screenshot folder")
    screenshot_height: int | None
    axe: AxeResults | None
    version_controls: list[dict[str, Any]] | None = Field(
        None, description="the home page's controls that may lead to another version of the "
        "site (js/versions_find.js), read in its DOM pass on desktop for the versions probe; "
        "None: not read")
    anchors: dict[str, Anchor] = Field(
        default_factory=dict, description="selector → anchor, for the elements findings can name"
    )
    snippets: dict[str, str] = Field(
        default_factory=dict, description="selector → a short piece of the element's HTML "
        "(opening tag, ≤ 60 characters of text, closing tag; ≤ 300 characters)"
    )
    warnings: list[str] = Field(description="what went wrong without failing the page")
    errors: dict[str, str] = Field(description="capture part → why it is missing")
    timings: Timings
    chromium: str

    def slimmed(self) -> Capture:
        """This capture once its page has been judged: the site rules still read its axe-core
        results (voice.screenreader); what only the page's own checks read — nearly all of its
        memory — is dropped, so a 2,000-page crawl does not hold 2,000 whole pages."""
        return self.model_copy(update={
            "text_runs": [], "interactive": [], "overlays": [], "links": [], "images": [],
            "spacing": [], "focus": None, "reflow": None, "motion": None, "network": [],
            "console_errors": [], "anchors": {}, "snippets": {}, "scripts": [], "iframes": [],
            "media": [], "version_controls": None,
        })


class PageFailure(_Data):
    """A page that could not be captured; the scan goes on and records why."""

    url: str
    final_url: str | None
    http_status: int | None
    mode: Mode
    viewport: Viewport
    reason: str = Field(description="code: timeout, crash, http, dns, too-large, download, …")
    message: str


class Entry(_Data):
    """A control that may switch on elder mode or read-aloud, as a user meets it."""

    text: str
    name: str = Field(description="accessible name")
    selector: str
    tag: str
    href: str | None
    box: Box | None
    in_first_screen: bool
    landmark: str | None
    keyboard_reachable: bool
    keyword: str | None = Field(description="the word that made it a candidate")
    source: Literal["text", "name", "fingerprint", "attribute"] = Field(
        description="what named it: its text, its accessible name, a toolbar id, or (image-only "
        "controls) its class/id/src/alt/title")
    score: float = Field(description="rank among candidates; higher is tried first")


ElderKind = Literal["link", "toggle", "toolbar", "broken", "none"]
TrialHow = Literal["follow-link", "click", "click-new-window", "toolbar-call", "not-tried"]
TrialVerdict = Literal["effective", "not-effective", "no-change", "http-error", "page-failed",
                       "no-text", "click-failed", "not-tried"]


class RequestNote(_Data):
    """A request made while an entry was activated that did not deliver (status ≥ 400 or none)."""

    url: str
    status: int | None
    failure: str | None
    during: Literal["load", "activation"] = Field(
        "activation", description="while the page loaded, or after the entry was activated")


class ElderTrial(_Data):
    """One elder-mode candidate as the probe considered it: tried or not, and what happened."""

    entry: Entry
    role: Literal["elder", "toolbar"] = Field(
        description="elder: an elder-specific label (关怀版, 长者模式 …); toolbar: a generic "
                    "accessibility toolbar (无障碍)")
    vendor: str | None = Field(description="the toolbar script recognised (aria.js, EsdToolbar …)")
    handler: str | None = Field(description="the control's onclick after page scripts ran")
    how: TrialHow
    verdict: TrialVerdict
    skipped: Literal["proven-earlier", "try-limit"] | None = None
    url_after: str | None = None
    http_status: int | None = None
    reloaded: bool = False
    changes: list[str] = Field(default_factory=list)
    requests: int = Field(0, description="requests made while it was activated")
    failed: list[RequestNote] = Field(default_factory=list)
    text_px_before: float | None = None
    text_px_after: float | None = None
    error: str | None = Field(None, description="the browser's own message when it failed")
VoiceKind = Literal["speech-synthesis", "audio", "tts-request", "screen-reader-only", "none"]


class ElderProbe(_Data):
    """Looking for elder mode, switching it on, and what changed."""

    candidates: list[Entry]
    entry: Entry | None = Field(
        description="the best elder-specific entry, whatever happened to it (else the toolbar)")
    kind: ElderKind
    toolbar: str | None = Field(description="the toolbar fingerprint recognised, if any")
    activation: str | None = Field(description="follow-link, click or toolbar-call")
    changes: list[str] = Field(description="what the activation changed (class, storage, url)")
    elder_url: str | None
    failure: str | None = Field(description="why the entry counts as broken")
    captures: int = Field(description="elder-mode page captures added to the scan")
    toolbar_vendor: str | None = Field(None, description="the toolbar as its owner knows it")
    trials: list[ElderTrial] = Field(
        default_factory=list, description="every candidate considered, best first")


VoiceOutcome = Literal["speech-synthesis", "audio", "tts-request", "tts-unreachable", "silent",
                       "not-pressed", "voice-input", "not-tried"]
"""What one candidate did when pressed; `voice-input` ones (语音搜索, a microphone by a search
box) are never pressed: they take speech in, they do not read aloud."""


class SpeechRequest(_Data):
    """A request that carried page text to a speech service (or fetched the audio it made)."""

    url: str
    method: str
    chars: int = Field(description="characters of page text it carried (0: an audio fetch)")
    status: int | None = Field(description="HTTP status; None when no answer came")
    failure: str | None = Field(description="the network error when no answer came")


class VoiceTry(_Data):
    """One candidate and what happened to it, in the order the probe met them."""

    label: str = Field(description="its text or accessible name; '' for an unnamed image")
    selector: str
    source: Literal["text", "name", "fingerprint", "attribute"]
    keyword: str | None
    outcome: VoiceOutcome


class VoiceProbe(_Data):
    """Looking for read-aloud, pressing it, and whether speech started and stopped."""

    candidates: list[Entry]
    entry: Entry | None
    found: bool
    functional: bool | None = Field(description="None when it could not be probed")
    kind: VoiceKind
    stoppable: bool | None
    evidence: dict[str, int] = Field(description="speak/play/tts-request/cancel/pause counts")
    failure: str | None
    tried: list[VoiceTry] = Field(
        default_factory=list, description="every candidate, pressed or not, and its outcome")
    requests: list[SpeechRequest] = Field(
        default_factory=list, description="speech-service requests the pressed entry made")
    reason: str | None = Field(
        None, description="message key (voice.functional's catalogue) saying why it is not "
        "proven functional; None when it is")


class Skipped(_Data):
    """A link the crawler chose not to capture, and why (robots, off-site, not HTML, …)."""

    url: str
    reason: str
    found_on: str | None = None


class GuardRefusal(_Data):
    """A connection of the browser's that the address guard refused (see `guardproxy`)."""

    host: str = Field(description="the host the page asked for, as Chromium sent it")
    port: int
    code: str = Field(description="why: loopback, private, link-local, metadata, multicast, "
                      "reserved, non-public, unspecified, unresolved or dns-timeout")
    reason: str = Field(description="the same in words (English; reports translate the code)")
    count: int = Field(description="connections refused to this host and port")


class GuardLog(_Data):
    """What the address guard did in a scan; present only when the guard was on."""

    refused: list[GuardRefusal] = Field(default_factory=list)
    dropped: int = Field(default=0, description="further refused hosts not listed")
    connections: int = Field(default=0, description="connections let through")


VersionKind = Literal["language", "traditional", "simple", "text-only", "voice", "large-print"]
VersionHow = Literal["link", "subdomain", "toggle"]


class VersionEntry(_Data):
    """Another version of the site offered on its start page (藏文版, 繁體, English, 简洁版 …),
    as found, followed and measured. Whether it is good enough is the checks' job."""

    kind: VersionKind
    lang: str | None = Field(description="BCP 47 language of a language or 繁體 version")
    label: str
    how: VersionHow
    url: str | None = Field(description="where it leads, or the page after the toggle")
    status: int | None = Field(description="HTTP status of the version's start page")
    verified: float | None = Field(description="share of visible letters in the expected script")
    lang_attr: str | None = Field(description="`lang` on the version's <html>")
    glyphs_ok: bool | None = Field(description="False when characters render as boxes")
    selector: str | None
    box: Box | None
    failure: str | None = Field(description="code: off-site, robots, blocked, http, timeout, "
                                "no-change, click-failed, … (None: followed)")
    direction: str | None = Field(None, description="rtl/ltr of the text in the expected script")
    vertical: bool | None = Field(None, description="Mongolian text set vertically")
    unmarked: int = Field(0, description="passages in the expected script whose nearest lang "
                          "names another language (WCAG 3.1.2)")
    missing_glyphs: str = Field("", description="up to 10 characters drawn as boxes")
    changes: list[str] = Field(default_factory=list, description="what a toggle changed")


class VersionsProbe(_Data):
    """The versions found on the start page, and the region whose requirements apply."""

    region: str | None
    versions: list[VersionEntry]


class SiteCapture(_Data):
    """Everything the browser stage produced for one scan, in crawl order."""

    target: str
    start_url: str
    started_at: str
    finished_at: str
    pages: list[Capture | PageFailure]
    skipped: list[Skipped]
    chromium: str
    axe_core: str
    browser_launches: int
    browser_crashes: int
    browser: str = ""
    """the Chromium binary's name (see `scanner._chromium.browser_name`)"""
    elder: ElderProbe | None = None
    voice: VoiceProbe | None = None
    guard: GuardLog | None = None
    versions: VersionsProbe | None = None

