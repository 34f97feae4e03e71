"""ads.popup, ads.inducement and ads.elder-mode on hand-made captures."""

from __future__ import annotations

import pytest

from captures import control, judge, make_capture, outcomes, overlay, request, run
from elderscan.checks import check_page
from elderscan.checks._common.adnet import ad_match
from elderscan.checks.ads import close_area

MODAL = (0.0, 0.0, 1280.0, 900.0)
PANEL = (440.0, 250.0, 400.0, 300.0)


def promo(close_box: tuple[float, float, float, float] | None,
          close_label: str | None = "关闭") -> list[object]:
    """A full-screen mask with a positioned panel holding the close control."""
    return [
        overlay(coverage=1.0, appeared=350.0, box=MODAL, selector="#promo-modal",
                text="新客专享 存款礼包 马上领取", close_box=close_box, close_label=close_label),
        overlay(coverage=0.15, appeared=350.0, box=PANEL, selector="#promo-modal .dialog",
                text="新客专享 存款礼包 马上领取", close_box=close_box, close_label=close_label,
                inside="#promo-modal"),
    ]


# ---- ads.popup --------------------------------------------------------------------------------

def test_clean_page_passes() -> None:
    page = make_capture(overlays=[overlay(coverage=0.1, appeared=None, box=(0, 0, 1280, 90),
                                          selector="header")],
                        network=[request("http://127.0.0.1/js/site.js")])
    [hit] = judge("ads.popup", page)
    assert hit.outcome == "pass" and hit.message_key == "ads.popup.none"


def test_popup_on_load_fails_with_its_evidence() -> None:
    close = (806.0, 256.0, 44.0, 44.0)  # top-right of the panel, 44×44
    page = make_capture(overlays=promo(close),
                        interactive=[control("关闭", tag="button", box=close, text="×",
                                             selector="#promo-close")])
    found = judge("ads.popup", page)
    assert outcomes(found) == [("fail", "#promo-modal")]
    [hit] = found
    assert hit.message_key == "ads.popup.popup" and hit.value == 1.0
    assert hit.box == MODAL and hit.data["appeared_ms"] == 350.0
    assert hit.clause == "WEB (u); APP 2.4"


def test_small_misplaced_unlabelled_mouse_only_close_fails_each_way() -> None:
    # 16×16, halfway down the panel's left edge, labelled "x", and no control to Tab to.
    page = make_capture(overlays=promo((430.0, 400.0, 16.0, 16.0), close_label="x"),
                        interactive=[])
    keys = [f.message_key for f in judge("ads.popup", page)]
    assert keys == ["ads.popup.popup", "ads.popup.close-small", "ads.popup.close-position",
                    "ads.popup.close-label", "ads.popup.close-keyboard"]


def test_small_close_reports_its_size() -> None:
    close = (820.0, 256.0, 16.0, 16.0)
    page = make_capture(overlays=promo(close),
                        interactive=[control("关闭", tag="button", box=close, text="×")])
    found = {f.message_key: f for f in judge("ads.popup", page)}
    small = found["ads.popup.close-small"]
    assert small.outcome == "fail" and small.value == "16×16" and small.threshold == "44×44"
    assert small.box == close
    assert "ads.popup.close-position" not in found  # top-right of its panel
    assert "ads.popup.close-keyboard" not in found


def test_a_page_link_under_the_pop_up_is_not_its_close_control() -> None:
    close = (784.0, 332.0, 12.0, 17.0)  # a bare "×" span
    mask = overlay(coverage=1.0, appeared=300.0, box=MODAL, selector="#app-popup",
                   close_box=close, close_label="×")
    link = control("临溪县老年人出行便利化服务专项行动方案印发", box=(600, 330, 400, 24))
    found = {f.message_key: f for f in judge("ads.popup",
                                             make_capture(overlays=[mask], interactive=[link]))}
    assert found["ads.popup.close-label"].value == "×"
    assert found["ads.popup.close-keyboard"].value is None


def test_missing_close_fails() -> None:
    keys = [f.message_key for f in judge("ads.popup", make_capture(overlays=promo(None)))]
    assert keys == ["ads.popup.popup", "ads.popup.close-missing"]


def test_close_position_on_an_unpositioned_panel_is_for_review() -> None:
    mask = overlay(coverage=1.0, appeared=10.0, box=MODAL, selector="#mask",
                   close_box=(806.0, 256.0, 44.0, 44.0), close_label="关闭")
    found = judge("ads.popup", make_capture(overlays=[mask]))
    [position] = [f for f in found if "position" in (f.message_key or "")]
    assert position.outcome == "review"


@pytest.mark.parametrize(
    ("close", "area"),
    [((0, 0, 44, 44), "top-left"), ((356, -10, 44, 44), "top-right"),
     ((178, 280, 44, 44), "bottom-centre"), ((178, 120, 44, 44), None),
     ((0, 280, 44, 44), None)],
)
def test_close_areas_follow_app_2_4(close: tuple[float, float, float, float],
                                    area: str | None) -> None:
    assert close_area(close, (0, 0, 400, 300)) == area


def test_floating_promotion_fails_widget_is_left_alone_unknown_is_review() -> None:
    ad = overlay(coverage=0.05, appeared=None, box=(1100, 300, 160, 200), selector="#float-ad",
                 text="限时优惠 点击领取", close_box=(1216, 300, 44, 44), close_label="关闭")
    kefu = overlay(coverage=0.02, appeared=None, box=(1180, 600, 80, 80), selector="#kefu",
                   text="在线客服")
    odd = overlay(coverage=0.02, appeared=None, box=(0, 600, 100, 100), selector="#odd",
                  text="")
    page = make_capture(overlays=[ad, kefu, odd],
                        interactive=[control("关闭", tag="button", box=(1216, 300, 44, 44))])
    found = judge("ads.popup", page)
    assert outcomes(found) == [("fail", "#float-ad"), ("review", "#odd")]


def test_ad_requests_fail_once_per_network() -> None:
    page = make_capture(
        network=[request("https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"),
                 request("https://pagead2.googlesyndication.com/pagead/show_ads_impl.js"),
                 request("http://127.0.0.1/uploads/2024/a.png", "image")],
        scripts=["http://127.0.0.1/ads/adsbygoogle.js"],
    )
    found = judge("ads.popup", page)
    assert [(f.outcome, f.value) for f in found] == [("fail", "googlesyndication.com"),
                                                     ("fail", "adsbygoogle")]
    assert found[0].data["requests"] == 2 and found[0].data["host"].startswith("pagead2")
    assert found[1].data["url"] == "http://127.0.0.1/ads/adsbygoogle.js"


@pytest.mark.parametrize(
    ("url", "match"),
    [("https://pos.baidu.com/s?di=1", "pos.baidu.com"),
     ("https://cpro.baidustatic.com/cpro/ui/c.js", "cpro.baidustatic.com"),
     ("https://g.tanx.com/ex?i=1", "tanx.com"),
     ("https://static.mediav.com/js/mvf_g2.js", "mediav.com"),
     ("https://ad.doubleclick.net/x", "doubleclick.net"),
     ("http://127.0.0.1/ads/adsbygoogle.js", "adsbygoogle"),
     ("https://hm.baidu.com/hm.js?abc", None),              # analytics, not ads
     ("http://127.0.0.1/uploads/show.png", None),
     ("http://127.0.0.1/downloads/form.pdf", None),
     ("http://notdoubleclick.net/x", None)],
)
def test_ad_network_matching(url: str, match: str | None) -> None:
    assert ad_match(url) == match


def test_popup_rule_is_for_standard_mode_only() -> None:
    page = make_capture(mode="elder", overlays=promo(None))
    assert not [f for f in check_page(page).findings if f.rule == "ads.popup"]


# ---- ads.elder-mode ---------------------------------------------------------------------------

def test_ads_in_elder_mode_are_critical_fails() -> None:
    page = make_capture(mode="elder", overlays=promo((806.0, 256.0, 44.0, 44.0)),
                        network=[request("https://cpro.baidu.com/cpro/ui/c.js")])
    found = judge("ads.elder-mode", page)
    assert outcomes(found) == [("fail", "#promo-modal"), ("fail", None)]
    assert {f.severity for f in found} == {"critical"}
    assert found[0].clause == "WEB (u) 2.4.1; APP 5.1.1"


def test_clean_elder_mode_passes_and_standard_mode_is_not_judged() -> None:
    [hit] = judge("ads.elder-mode", make_capture(mode="elder"))
    assert hit.outcome == "pass"
    standard = check_page(make_capture(overlays=promo(None))).findings
    assert not [f for f in standard if f.rule == "ads.elder-mode"]
    elder = check_page(make_capture(mode="elder")).findings
    assert [f.outcome for f in elder if f.rule == "ads.elder-mode"] == ["pass"]


# ---- ads.inducement ---------------------------------------------------------------------------

def test_inducement_keywords_are_review_never_fail() -> None:
    page = make_capture(
        interactive=[control("立即下载", box=(100, 400, 120, 40), selector="#p-app a"),
                     control("马上 领取", box=(300, 400, 120, 40), selector="#p-gift a"),
                     control("下载表格", box=(500, 400, 120, 40), selector="#form")],
        text_runs=[run("立即下载", box=(110, 410, 64, 20), selector="#p-app a"),  # the same
                   run("扫码下载手机银行APP，领取红包", selector="#tip", box=(0, 600, 400, 20)),
                   run("立即支付", selector="#hidden-pay", box=(0, 700, 60, 20))],
    )
    found = judge("ads.inducement", page)
    assert {f.outcome for f in found} == {"review"}
    assert [(f.selector, f.value) for f in found] == [
        ("#p-app a", "立即下载"), ("#p-gift a", "马上领取"), ("#tip", "扫码下载"),
        ("#hidden-pay", "立即支付")]
    assert found[0].data["kind"] == "download" and found[1].data["kind"] == "payment"
    assert "立即下载" in found[0].message


def test_hidden_controls_are_not_inducements_and_clean_pages_pass() -> None:
    page = make_capture(interactive=[control("立即下载", visible=False)],
                        text_runs=[run("政务公开")])
    [hit] = judge("ads.inducement", page)
    assert hit.outcome == "pass"
    assert judge("ads.inducement", make_capture()) == []
