"""Ads and pop-ups: does anything jump in front of the reader, or push them to pay or download?

Pop-ups are overlays that cover a third of the first screen and appeared after the HTML was
parsed; floating boxes are fixed boxes that are not page-wide bars (a customer-service or
accessibility widget is told apart by its words and left alone; an unexplained one goes to
review); ad requests are requests to known ad networks or ad loaders. Where a promotion stays on
screen, its close control must be at least 44×44, sit top-left, top-right or bottom-centre of
the promotion (APP 2.4), have a name, and be reachable by keyboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from elderscan.capture import Capture, Interactive, Overlay
from elderscan.checks._common.adnet import ad_match
from elderscan.checks._common.geometry import centre, contains, overlap_ratio
from elderscan.checks._common.overlays import (
    floating_kind,
    is_floating,
    is_popup,
    nested_in,
    outermost,
)
from elderscan.checks._registry import Hit, RuleMeta, fail, passed, review, rule
from elderscan.checks.standards import ads as std
from elderscan.checks.standards import thresholds as t

CLOSE_MATCH_IOU = 0.4
"""Intersection over union at which a control's box is the close control's box."""
CLOSE_NAME_WORDS = ("关闭", "关 闭", "close", "跳过", "我知道了", "知道了", "取消", "不再提示")
FULL_SCREEN_COVERAGE = 0.9


@dataclass
class AdScan:
    """What on a page looks like advertising, before any rule judges it."""

    popups: list[Overlay] = field(default_factory=list)
    promotions: list[Overlay] = field(default_factory=list)
    """floating boxes whose words say ad or promotion"""
    unknown_floating: list[Overlay] = field(default_factory=list)
    requests: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(matched ad host or loader word, request host) → URLs"""


def scan_ads(page: Capture) -> AdScan:
    found = AdScan()
    width = page.viewport_size[0]
    for overlay in outermost(page.overlays):
        if is_popup(overlay):
            found.popups.append(overlay)
        elif is_floating(overlay, width):
            kind = floating_kind(overlay)
            if kind == "promotion":
                found.promotions.append(overlay)
            elif kind == "unknown":
                found.unknown_floating.append(overlay)
    urls = [entry.url for entry in page.network] + list(page.scripts)
    for url in urls:
        match = ad_match(url)
        if match is None:
            continue
        key = (match, urlsplit(url).hostname or "")
        bucket = found.requests.setdefault(key, [])
        if url not in bucket:
            bucket.append(url)
    return found


def _overlay_data(overlay: Overlay) -> dict[str, Any]:
    return {"text": overlay.text[:60], "coverage": overlay.viewport_coverage,
            "appeared_ms": overlay.appeared_ms, "position": overlay.position,
            "close_label": overlay.close_label}


def _request_hits(found: AdScan, key: str) -> Iterator[Hit]:
    for (match, host), urls in found.requests.items():
        yield fail(key, selector=None, value=match, threshold=0, url=urls[0][:300],
                   host=host, match=match, requests=len(urls))


def close_area(close: tuple[float, ...], panel: tuple[float, ...]) -> str | None:
    """Which APP 2.4 area of `panel` the close control's centre falls in, if any."""
    cx, cy = centre(close)
    px, py, pw, ph = panel[:4]
    if pw <= 0 or ph <= 0:
        return None
    u, v = (cx - px) / pw, (cy - py) / ph
    for name, (u0, v0, u1, v1) in std.CLOSE_AREAS.items():
        if u0 <= u <= u1 and v0 <= v <= v1:
            return name
    return None


def _close_control(overlay: Overlay, controls: list[Interactive]) -> Interactive | None:
    """The interactive element that is the overlay's close control: inside the overlay and
    mostly the same box (a page link under the pop-up is not its close button)."""
    close = overlay.close_box
    if close is None:
        return None
    best: tuple[float, Interactive] | None = None
    for c in controls:
        if not c.visible or not contains(overlay.box, c.box, slack=c.box[2] + c.box[3]):
            continue
        score = overlap_ratio(c.box, close)
        if score >= CLOSE_MATCH_IOU and (best is None or score > best[0]):
            best = (score, c)
    return best[1] if best else None


def _close_hits(overlay: Overlay, overlays: list[Overlay],
                controls: list[Interactive]) -> Iterator[Hit]:
    """APP 2.4 on one promotion's close control."""
    where = {"selector": overlay.selector, "box": overlay.box}
    close = overlay.close_box
    if close is None:
        yield fail("close-missing", **where, text=overlay.text[:60])
        return
    _, _, w, h = close
    at = {"selector": overlay.selector, "box": close}
    if w < t.CLOSE_MIN_PX or h < t.CLOSE_MIN_PX:
        yield fail("close-small", **at, value=f"{w:g}×{h:g}",
                   threshold=f"{t.CLOSE_MIN_PX:g}×{t.CLOSE_MIN_PX:g}", width=w, height=h)
    panels = [o for o in nested_in(overlay, overlays) if contains(o.box, close, slack=w)]
    panel = panels[0] if panels else overlay
    area = close_area(close, panel.box)
    if area is None:
        if panel is overlay and overlay.viewport_coverage >= FULL_SCREEN_COVERAGE:
            # A full-screen mask whose panel is not positioned: the panel's box is unknown.
            yield review("close-position-unknown", **at, panel=panel.selector)
        else:
            yield fail("close-position", **at, value=_relative(close, panel.box),
                       threshold="top-left | top-right | bottom-centre", panel=panel.selector)
    control = _close_control(overlay, controls)
    label = " ".join(x for x in (control.name if control else "", overlay.close_label or "") if x)
    if not any(word in label.lower() for word in CLOSE_NAME_WORDS):
        yield fail("close-label", **at, value=label[:40] or None)
    if control is None or not control.focusable:
        yield fail("close-keyboard", **at, value=control.tag if control else None)


def _relative(close: tuple[float, ...], panel: tuple[float, ...]) -> str:
    cx, cy = centre(close)
    return f"{(cx - panel[0]) / max(panel[2], 1):.2f},{(cy - panel[1]) / max(panel[3], 1):.2f}"


_AD_MESSAGES: dict[str, tuple[str, str]] = {
    "popup": ("页面加载后弹出遮挡 {coverage:.0%} 首屏的弹窗“{text}”",
              "a pop-up “{text}” covering {coverage:.0%} of the first screen appears on load"),
    "floating": ("页面有悬浮的推广框“{text}”", "a floating promotion “{text}” stays on screen"),
    "floating-unknown": ("页面有悬浮框“{text}”，请人工确认是否为广告",
                         "a floating box “{text}” stays on screen; a person should check "
                         "whether it is an ad"),
    "ad-request": ("页面请求了广告网络 {match}（{host}，{requests} 次）",
                   "the page requests the ad network {match} ({host}, {requests} requests)"),
    "none": ("未发现弹窗、悬浮广告或广告请求", "no pop-up, floating ad or ad request found"),
}

POPUP = RuleMeta(
    id="ads.popup",
    dimension="ads",
    clause="WEB (u); APP 2.4",
    severity="serious",
    title_zh="无弹窗和悬浮广告",
    title_en="No pop-ups or floating ads",
    failure_title_zh="页面有弹窗、悬浮广告或广告插件",
    failure_title_en="The page shows pop-ups, floating ads or ad plug-ins",
    why_zh="突然弹出、遮挡内容的广告会让老年人误点、找不到关闭按钮；推广内容如需保留，"
           "关闭按钮应不小于 44×44，位于左上、右上或底部居中，有名称，可用键盘操作。",
    why_en="Ads that pop up over the content make older people tap by mistake and hunt for the "
           "close button; where a promotion stays, its close control must be at least 44×44, "
           "top-left, top-right or bottom-centre, named, and keyboard-operable.",
    reads=("overlays", "interactive", "network", "scripts", "viewport_size"),
    messages={
        **_AD_MESSAGES,
        "close-missing": ("推广弹窗“{text}”没有可识别的关闭按钮",
                          "promotion “{text}” has no recognisable close control"),
        "close-small": ("关闭按钮只有 {value}，小于 {threshold}",
                        "the close control is {value}, smaller than {threshold}"),
        "close-position": ("关闭按钮不在左上角、右上角或底部居中（相对位置 {value}）",
                           "the close control is not top-left, top-right or bottom-centre "
                           "(relative position {value})"),
        "close-position-unknown": ("无法确定关闭按钮相对弹窗的位置，请人工确认",
                                   "where the close control sits on the pop-up could not be "
                                   "told; a person should check"),
        "close-label": ("关闭按钮没有“关闭”之类的名称（现为 {value}）",
                        "the close control has no name such as “close” (it has {value})"),
        "close-keyboard": ("关闭按钮无法用键盘操作",
                           "the close control cannot be reached by keyboard"),
    },
)


def _overlay_hits(found: AdScan) -> list[Hit]:
    """Pop-ups and promotions fail; a floating box of unknown purpose needs a person."""
    hits: list[Hit] = []
    for overlay in found.popups:
        hits.append(fail("popup", selector=overlay.selector, box=overlay.box,
                         value=overlay.viewport_coverage, threshold=0,
                         **_overlay_data(overlay)))
    for overlay in found.promotions:
        hits.append(fail("floating", selector=overlay.selector, box=overlay.box,
                         value=overlay.viewport_coverage, threshold=0,
                         **_overlay_data(overlay)))
    for overlay in found.unknown_floating:
        hits.append(review("floating-unknown", selector=overlay.selector, box=overlay.box,
                           value=overlay.viewport_coverage, **_overlay_data(overlay)))
    return hits


@rule(POPUP)
def ads_popup(page: Capture) -> Iterator[Hit]:
    found = scan_ads(page)
    hits = _overlay_hits(found)
    for overlay in found.popups + found.promotions:
        hits.extend(_close_hits(overlay, page.overlays, page.interactive))
    hits.extend(_request_hits(found, "ad-request"))
    if hits:
        yield from hits
    else:
        yield passed("none", overlays=len(page.overlays))


ELDER = RuleMeta(
    id="ads.elder-mode",
    dimension="ads",
    clause="WEB (u) 2.4.1; APP 5.1.1",
    severity="critical",
    title_zh="适老模式中没有广告和弹窗",
    title_en="No ads or pop-ups in elder mode",
    failure_title_zh="适老模式中出现广告或弹窗（否决项）",
    failure_title_en="Elder mode shows ads or pop-ups (veto)",
    why_zh="规范要求适老化版本禁止广告插件和弹窗，出现即为否决项。",
    why_en="The MIIT specifications forbid ads, ad plug-ins and pop-ups in the elder version; "
           "any is a veto.",
    reads=("overlays", "network", "scripts", "viewport_size"),
    messages=dict(_AD_MESSAGES),
    modes=("elder",),
)


@rule(ELDER)
def ads_elder_mode(page: Capture) -> Iterator[Hit]:
    found = scan_ads(page)
    hits = _overlay_hits(found)
    hits.extend(_request_hits(found, "ad-request"))
    if hits:
        yield from hits
    else:
        yield passed("none", overlays=len(page.overlays))


INDUCEMENT = RuleMeta(
    id="ads.inducement",
    dimension="ads",
    clause="WEB (u) 2.4.2; APP 5.1.2",
    severity="moderate",
    title_zh="无诱导下载、诱导付款按钮",
    title_en="No buttons that push downloads or payments",
    failure_title_zh="疑似诱导下载或诱导付款",
    failure_title_en="Possible download or payment inducement",
    why_zh="“立即下载”“马上领取”“立即支付”之类的按钮容易让老年人误下载、误付款；"
           "关键词只是线索，需人工确认。",
    why_en="Buttons such as “download now”, “claim now” or “pay now” lead older people into "
           "unwanted downloads and payments; the keywords are leads for a person to confirm.",
    reads=("text_runs", "interactive"),
    messages={
        "keyword": ("“{text}”含诱导性用语“{value}”，请人工确认",
                    "“{text}” contains the inducement wording “{value}”; a person should check"),
        "none": ("未发现诱导下载或付款的用语", "no download or payment inducement wording found"),
    },
)


def _keyword(text: str) -> str | None:
    compact = "".join(text.split())
    for word in std.INDUCEMENT:
        if word in compact:
            return word
    return None


@rule(INDUCEMENT)
def ads_inducement(page: Capture) -> Iterator[Hit]:
    hits: list[Hit] = []
    matched_boxes: list[tuple[float, float, float, float]] = []
    for control in page.interactive:
        if not control.visible:
            continue
        name = control.name or control.text
        word = _keyword(name) if name else None
        if word is None:
            continue
        matched_boxes.append(control.box)
        hits.append(review("keyword", selector=control.selector, box=control.box, value=word,
                           text=name[:60], tag=control.tag, kind=_kind(word),
                           href=control.href))
    for run in page.text_runs:
        word = _keyword(run.text)
        if word is None or any(contains(box, run.box, slack=2) for box in matched_boxes):
            continue
        hits.append(review("keyword", selector=run.selector, box=run.box, value=word,
                           text=run.text[:60], tag=run.tag, kind=_kind(word)))
    if hits:
        yield from hits
    elif page.text_runs or page.interactive:
        yield passed("none")


def _kind(word: str) -> str:
    return "download" if word in std.INDUCEMENT_DOWNLOAD else "payment"
