"""Ads and pop-ups: does anything jump in front of the reader, or push them to pay or download?

Pop-ups are overlays that cover a third of the first screen and either appeared after the HTML
was parsed or stack over the page with words or a close control (a notice modal shown on load,
its panel and close button counted as its parts), and closable boxes in the middle of the first
screen. Floating ads are judged from what they do, not only from their words: a box that drifts
across the page by itself (a 飘窗, seen by the motion probe), a mirrored pair at the left and
right edges (对联), a fixed box whose words say promotion, and any unexplained fixed box on a
page that loaded a CMS ad plug-in (`/plugins/advertise/js/adv/bayWindow|couplets|ejectWindow`).
A customer-service or accessibility widget or a back-to-top button is told apart by its words
(its own or its controls' names) and left alone; a still, unexplained box goes to review. Ad
requests are requests to known ad networks, ad loaders or ad plug-ins. Where a promotion stays
on screen, its close control must be at least 44×44, sit top-left, top-right or bottom-centre of
the promotion (APP 2.4), have a name, and be reachable by keyboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol
from urllib.parse import urlsplit

from elderscan.capture import Box, Interactive, Overlay
from elderscan.checks._common.adscan import AdScan, AdsPage, overlay_words, scan_ads
from elderscan.checks._common.overlays import parts_of
from elderscan.checks._common.reads import ReadsInteractive, ReadsTextRuns
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, review, rule
from elderscan.checks.standards import ads as std
from elderscan.checks.standards import thresholds as t
from elderscan.geometry import centre, contains, overlap_ratio


def _text_of(overlay: Overlay, overlays: list[Overlay]) -> str:
    """The words of a pop-up: its own, or its largest part's when the mask has none."""
    for piece in [overlay, *reversed(parts_of(overlay, overlays))]:
        if overlay_words(piece):
            return overlay_words(piece)
    return ""


def _overlay_data(overlay: Overlay, text: str | None = None) -> dict[str, Any]:
    return {"text": (overlay.text if text is None else text)[:60], "where": overlay.selector,
            "coverage": overlay.viewport_coverage, "appeared_ms": overlay.appeared_ms,
            "position": overlay.position, "close_label": overlay.close_label}


def _request_hits(found: AdScan, key: str) -> Iterator[Hit]:
    for (match, host), urls in found.requests.items():
        yield fail(key, selector=None, value=match, threshold=0, url=urls[0][:300],
                   host=host, match=match, requests=len(urls))
    for plugin, urls in found.plugins.items():
        yield fail(f"plugin-{plugin}", selector=None, value=urlsplit(urls[0]).path[-120:],
                   threshold=0, url=urls[0][:300], requests=len(urls))


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


def _close_control(overlay: Overlay, close: Box,
                   controls: list[Interactive]) -> Interactive | None:
    """The interactive element that is the overlay's close control: inside the overlay and
    mostly the same box (a page link under the pop-up is not its close button)."""
    best: tuple[float, Interactive] | None = None
    for c in controls:
        if not c.visible or not contains(overlay.box, c.box, slack=c.box[2] + c.box[3]):
            continue
        score = overlap_ratio(c.box, close)
        if score >= std.CLOSE_MATCH_IOU and (best is None or score > best[0]):
            best = (score, c)
    return best[1] if best else None


def _close_hits(overlay: Overlay, overlays: list[Overlay],
                controls: list[Interactive]) -> Iterator[Hit]:
    """APP 2.4 on one promotion's close control."""
    where = {"selector": overlay.selector, "box": overlay.box}
    pieces = parts_of(overlay, overlays)
    holder = next((p for p in [overlay, *pieces] if p.close_box is not None), overlay)
    close = holder.close_box
    if close is None:
        text = _text_of(overlay, overlays)[:60]
        yield fail("close-missing", **where, text=text,
                   coverage=overlay.viewport_coverage, where=overlay.selector)
        return
    _, _, w, h = close
    at = {"selector": overlay.selector, "box": close}
    if w < t.CLOSE_MIN_PX or h < t.CLOSE_MIN_PX:
        yield fail("close-small", **at, value=f"{w:g}×{h:g}",
                   threshold=f"{t.CLOSE_MIN_PX:g}×{t.CLOSE_MIN_PX:g}", width=w, height=h)
    # The panel the close control sits on; a part that is the close control itself is not one.
    panels = [o for o in pieces if contains(o.box, close, slack=w)
              and overlap_ratio(o.box, close) < std.CLOSE_MATCH_IOU]
    panel = panels[0] if panels else overlay
    area = close_area(close, panel.box)
    if area is None:
        if panel is overlay and overlay.viewport_coverage >= std.FULL_SCREEN_COVERAGE:
            # A full-screen mask whose panel is not positioned: the panel's box is unknown.
            yield review("close-position-unknown", **at, panel=panel.selector)
        else:
            yield fail("close-position", **at, value=_relative(close, panel.box),
                       threshold="top-left | top-right | bottom-centre", panel=panel.selector)
    control = _close_control(overlay, close, controls)
    label = " ".join(x for x in (control.name if control else "", holder.close_label or "") if x)
    if not any(word in label.lower() for word in std.CLOSE_NAME_WORDS):
        yield fail("close-label", **at, value=label[:40] or None, text=label[:40],
                   where=overlay.selector)
    if control is None or not control.focusable:
        yield fail("close-keyboard", **at, value=control.tag if control else None)


def _relative(close: tuple[float, ...], panel: tuple[float, ...]) -> str:
    cx, cy = centre(close)
    return f"{(cx - panel[0]) / max(panel[2], 1):.2f},{(cy - panel[1]) / max(panel[3], 1):.2f}"


_AD_MESSAGES: dict[str, tuple[str, str]] = {
    "popup": ("页面加载后弹出遮挡 {coverage:.0%} 首屏的弹窗“{text}”",
              "a pop-up “{text}” covering {coverage:.0%} of the first screen appears on load"),
    "floating": ("页面有悬浮的推广框“{text}”", "a floating promotion “{text}” stays on screen"),
    "floating-moving": ("页面有自行飘动的广告框（飘窗）“{text}”，观察期间移动了 {value:g} 像素",
                        "a box “{text}” drifts across the page by itself (a floating ad), "
                        "{value:g} px during the observation"),
    "couplet": ("页面左右两侧有成对的对联广告（{left} 与 {right}）",
                "a pair of couplet ads sits at the left and right edges ({left} and {right})"),
    "floating-plugin": ("页面加载了广告插件，悬浮框“{text}”按广告处理",
                        "the page loaded an ad plug-in, so the floating box “{text}” counts as "
                        "an ad"),
    "plugin-floating": ("页面加载了飘窗广告插件（{value}）",
                        "the page loads a floating-ad (飘窗) plug-in ({value})"),
    "plugin-couplet": ("页面加载了对联广告插件（{value}）",
                       "the page loads a couplet-ad (对联) plug-in ({value})"),
    "plugin-popup": ("页面加载了弹窗广告插件（{value}）",
                     "the page loads a pop-up ad (弹窗) plug-in ({value})"),
    "floating-unknown": ("页面有悬浮框“{text}”，请人工确认是否为广告",
                         "a floating box “{text}” stays on screen; a person should check "
                         "whether it is an ad"),
    "popup-blank": ("页面加载后弹出遮挡 {coverage:.0%} 首屏的无文字弹窗（图片或空白，{where}）",
                    "a pop-up without words (an image or blank, {where}) covering "
                    "{coverage:.0%} of the first screen appears on load"),
    "floating-moving-blank": ("页面有自行飘动的无文字广告框（飘窗，{where}），观察期间移动了 "
                              "{value:g} 像素",
                              "a box without words ({where}) drifts across the page by "
                              "itself (a floating ad), {value:g} px during the observation"),
    "floating-plugin-blank": ("页面加载了广告插件，无文字的悬浮框（{where}）按广告处理",
                              "the page loaded an ad plug-in, so the floating box without "
                              "words ({where}) counts as an ad"),
    "floating-unknown-blank": ("页面有无文字的悬浮框（{where}），请人工确认是否为广告",
                               "a floating box without words ({where}) stays on screen; a "
                               "person should check whether it is an ad"),
    "ad-request": ("页面请求了广告网络 {match}（{host}，{requests} 次）",
                   "the page requests the ad network {match} ({host}, {requests} requests)"),
    "none": ("未发现弹窗、悬浮广告或广告请求", "no pop-up, floating ad or ad request found"),
}

POPUP = RuleMeta(
    id="ads.popup",
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
    decides=Decides(
        fail="pop-up or notice modal, floating promotion, 飘窗, 对联, box explained by an ad "
        "plug-in, ad request or plug-in, bad close control",
        review="unexplained floating box; close position unknown",
        passes="none found",
    ),
    reads=("overlays", "interactive", "network", "scripts", "viewport_size"),
    reads_if_captured=("motion",),
    messages={
        **_AD_MESSAGES,
        "close-missing": ("推广弹窗“{text}”没有可识别的关闭按钮",
                          "promotion “{text}” has no recognisable close control"),
        "close-missing-blank": ("无文字的推广弹窗（{where}）没有可识别的关闭按钮",
                                "the promotion without words ({where}) has no "
                                "recognisable close control"),
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
        "close-label-blank": ("关闭按钮没有名称（{where}），读屏软件读不出“关闭”",
                              "the close control has no name ({where}); a screen reader "
                              "cannot say \"close\""),
        "close-keyboard": ("关闭按钮无法用键盘操作",
                           "the close control cannot be reached by keyboard"),
    },
)


def _overlay_hits(found: AdScan, overlays: list[Overlay]) -> list[Hit]:
    """Pop-ups, promotions, 飘窗, 对联 and the boxes an ad plug-in explains fail; a still
    floating box of unknown purpose needs a person."""
    hits: list[Hit] = []
    for overlay in found.popups:
        text = _text_of(overlay, overlays)
        hits.append(fail("popup", selector=overlay.selector, box=overlay.box,
                         value=overlay.viewport_coverage, threshold=0,
                         **_overlay_data(overlay, text)))
    for overlay in found.promotions:
        hits.append(fail("floating", selector=overlay.selector, box=overlay.box,
                         value=overlay.viewport_coverage, threshold=0,
                         **_overlay_data(overlay)))
    for box in found.drifting:
        hits.append(fail("floating-moving", selector=box.selector,
                         box=box.box, where=box.selector,
                         value=box.travel_px, threshold=0, text=box.text[:60],
                         position=box.position, travel_px=box.travel_px))
    for left, right in found.couplets:
        hits.append(fail("couplet", selector=left.selector, box=left.box, value=2, threshold=0,
                         left=left.selector, right=right.selector, right_box=list(right.box),
                         text=(left.text or right.text)[:60]))
    for overlay in found.plugin_boxes:
        hits.append(fail("floating-plugin", selector=overlay.selector,
                         box=overlay.box, value=overlay.viewport_coverage, threshold=0,
                         plugins=sorted(found.plugins), **_overlay_data(overlay)))
    for overlay in found.unknown_floating:
        hits.append(review("floating-unknown",
                           selector=overlay.selector, box=overlay.box,
                           value=overlay.viewport_coverage, **_overlay_data(overlay)))
    return hits


@rule(POPUP)
def ads_popup(page: AdsPage) -> Iterator[Hit]:
    found = scan_ads(page)
    hits = _overlay_hits(found, page.overlays)
    stays = [d.overlay for d in found.drifting if d.overlay is not None]
    stays += [o for pair in found.couplets for o in pair]
    for overlay in found.popups + found.promotions + stays:
        hits.extend(_close_hits(overlay, page.overlays, page.interactive))
    hits.extend(_request_hits(found, "ad-request"))
    if hits:
        yield from hits
    else:
        yield passed("none", overlays=len(page.overlays))


ELDER = RuleMeta(
    id="ads.elder-mode",
    clause="WEB (u) 2.4.1; APP 5.1.1",
    severity="critical",
    title_zh="适老模式中没有广告和弹窗",
    title_en="No ads or pop-ups in elder mode",
    failure_title_zh="适老模式中出现广告或弹窗（否决项）",
    failure_title_en="Elder mode shows ads or pop-ups (veto)",
    why_zh="规范要求适老化版本禁止广告插件和弹窗，出现即为否决项。",
    why_en="The MIIT specifications forbid ads, ad plug-ins and pop-ups in the elder version; "
           "any is a veto.",
    decides=Decides(
        fail="pop-up or notice modal, floating promotion, 飘窗, 对联, box explained by an ad "
        "plug-in, ad request or plug-in (critical: a veto)",
        review="unexplained floating box",
        passes="none found",
    ),
    reads=("overlays", "interactive", "network", "scripts", "viewport_size"),
    reads_if_captured=("motion",),
    messages=dict(_AD_MESSAGES),
    modes=("elder",),
)


@rule(ELDER)
def ads_elder_mode(page: AdsPage) -> Iterator[Hit]:
    found = scan_ads(page)
    hits = _overlay_hits(found, page.overlays)
    hits.extend(_request_hits(found, "ad-request"))
    if hits:
        yield from hits
    else:
        yield passed("none", overlays=len(page.overlays))


INDUCEMENT = RuleMeta(
    id="ads.inducement",
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
    decides=Decides(
        fail="never",
        review="each keyword hit",
        passes="none found",
    ),
    reads=("text_runs", "interactive"),
    messages={
        "keyword": ("“{text}”含诱导性用语“{value}”，请人工确认",
                    "“{text}” contains the inducement wording “{value}”; a person should check"),
        "none": ("未发现诱导下载或付款的用语", "no download or payment inducement wording found"),
    },
)


class InducementPage(ReadsTextRuns, ReadsInteractive, Protocol):
    """What ads.inducement reads of a capture."""


def _keyword(text: str) -> str | None:
    compact = "".join(text.split())
    for word in std.INDUCEMENT:
        if word in compact:
            return word
    return None


@rule(INDUCEMENT)
def ads_inducement(page: InducementPage) -> Iterator[Hit]:
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
