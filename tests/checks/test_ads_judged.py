"""Floating ads judged from what they do: 飘窗, notice modals, 对联 and CMS ad plug-ins.

Hand-made captures shaped like what the DOM pass and the motion probe record on real portals
(the same shapes the `portal-ads-*` fixture sites produce in Chromium).
"""

from __future__ import annotations

from captures import control, judge, make_capture, moving, overlay, request
from elderscan.capture import Capture
from elderscan.checks._common.adnet import ad_match, plugin_match
from elderscan.judge.metrics import ads_metrics

SCREEN = (0.0, 0.0, 1280.0, 900.0)
PANEL = (360.0, 270.0, 560.0, 360.0)
CLOSE = (880.0, 278.0, 32.0, 32.0)
BAY = (300.0, 420.0, 240.0, 130.0)
LEFT = (8.0, 140.0, 110.0, 300.0)
RIGHT = (1162.0, 140.0, 110.0, 300.0)


def keys(found: list) -> list[str]:  # type: ignore[type-arg]
    return [f.message_key.split(".", 2)[-1] for f in found]


def notice_modal() -> list[object]:
    """A mask with no words and, beside it in the DOM, a panel stacked on it: in the HTML."""
    return [
        overlay(coverage=1.0, appeared=None, box=SCREEN, selector="#notice-mask", text="",
                z_index=1000),
        overlay(coverage=0.175, appeared=None, box=PANEL, selector="#notice-panel",
                text="× 重要通知 因系统升级，政务服务网将于本周六暂停服务", close_box=CLOSE,
                close_label="关闭", z_index=1001),
    ]


def kefu() -> object:
    return overlay(coverage=0.005, appeared=None, box=(1148, 420, 132, 48), selector="#kefu",
                   text="在线客服", z_index=None)


def test_a_notice_modal_in_the_html_is_a_pop_up_and_its_panel_is_not_floating() -> None:
    button = control("关闭", tag="button", box=CLOSE, text="×", selector="#notice-close")
    page = make_capture(overlays=[*notice_modal(), kefu()], interactive=[button])
    found = judge("ads.popup", page)
    assert keys(found) == ["popup", "close-small"]
    popup = found[0]
    assert popup.outcome == "fail" and popup.selector == "#notice-mask"
    assert "重要通知" in popup.data["text"]  # the panel's words, the mask has none
    assert found[1].box == CLOSE and found[1].value == "32×32"
    metrics = ads_metrics(page)
    assert metrics["popup_on_load"] is True
    assert metrics["floating"] == 2  # the old count: panel and pill, as before
    assert metrics["floating_ads"] == 0


def test_a_fixed_backdrop_without_words_or_close_is_not_a_modal() -> None:
    backdrop = overlay(coverage=1.0, appeared=None, box=SCREEN, selector="#bg", text="",
                       z_index=-1)
    [hit] = judge("ads.popup", make_capture(overlays=[backdrop]))
    assert hit.outcome == "pass"


def test_a_closable_box_in_the_middle_of_the_screen_is_a_pop_up_whatever_its_words() -> None:
    box = overlay(coverage=0.095, appeared=420.0, box=(430, 320, 420, 260),
                  selector="#eject-window", text="第十届老年人运动会报名开始啦！",
                  close_box=(816, 324, 28, 24), close_label="关闭")
    page = make_capture(overlays=[box],
                        network=[request("http://127.0.0.1/plugins/advertise/js/adv/"
                                         "ejectWindow.js")])
    found = judge("ads.popup", page)
    assert keys(found)[0] == "popup" and found[0].selector == "#eject-window"
    assert "plugin-popup" in keys(found)
    assert "floating-unknown" not in keys(found)


def bay_window(position: str = "absolute") -> Capture:
    bay = overlay(coverage=0.027, appeared=40.0, box=(40, 160, 240, 130), position=position,
                  selector="#bay-window", text="×", close_box=(264, 160, 16, 16),
                  close_label="×", z_index=9999)
    drift = moving(selector="body > div:nth-of-type(3)", box=BAY, changes=11,
                   position=position, travel_px=566, dom_selector="#bay-window")
    return make_capture(overlays=[bay], motion=[drift])


def test_a_box_that_drifts_by_itself_is_a_floating_ad() -> None:
    page = bay_window()
    found = judge("ads.popup", page)
    assert keys(found)[:1] == ["floating-moving"]
    hit = found[0]
    assert hit.outcome == "fail" and hit.selector == "#bay-window" and hit.value == 566
    assert hit.box == BAY and hit.data["position"] == "absolute"
    assert {"close-small", "close-keyboard"} <= set(keys(found))  # it stays: APP 2.4 applies
    assert ads_metrics(page)["floating_ads"] == 1
    assert ads_metrics(page)["floating"] == 0  # absolute: never in the old count


def test_a_drifting_box_not_among_the_overlays_is_judged_by_the_motion_record() -> None:
    drift = moving(selector="#piaochuang", box=BAY, position="absolute", travel_px=300)
    found = judge("ads.popup", make_capture(overlays=[], motion=[drift]))
    assert keys(found) == ["floating-moving"] and found[0].selector == "#piaochuang"


def test_a_carousel_that_changes_in_place_is_not_a_floating_ad() -> None:
    found = judge("ads.popup", make_capture(motion=[moving(selector="#banner")]))
    assert keys(found) == ["none"]


def test_without_motion_data_a_still_unexplained_box_stays_a_review() -> None:
    page = bay_window("fixed").model_copy(update={"motion": None})
    found = judge("ads.popup", page)
    assert [f.outcome for f in found] == ["review"]


def test_a_drifting_widget_is_left_alone() -> None:
    pill = overlay(coverage=0.005, appeared=None, box=(1148, 420, 132, 48), selector="#kefu",
                   text="在线咨询")
    drift = moving(selector="#kefu", box=(1148, 460, 132, 48), position="fixed", travel_px=40,
                   dom_selector="#kefu")
    found = judge("ads.popup", make_capture(overlays=[pill], motion=[drift]))
    assert keys(found) == ["none"]


def couplet(selector: str, box: tuple[float, float, float, float]) -> object:
    close = (box[0], box[1] + 280, box[2], 20.0)
    return overlay(coverage=0.029, appeared=30.0, box=box, selector=selector, text="关闭",
                   close_box=close, close_label="关闭", z_index=900)


def test_a_mirrored_pair_at_the_edges_is_a_couplet() -> None:
    page = make_capture(overlays=[couplet("#couplet-left", LEFT),
                                  couplet("#couplet-right", RIGHT)])
    found = judge("ads.popup", page)
    assert keys(found)[0] == "couplet"
    hit = found[0]
    assert hit.outcome == "fail" and hit.data["left"] == "#couplet-left"
    assert hit.data["right"] == "#couplet-right"
    assert "floating-unknown" not in keys(found)
    assert ads_metrics(page)["floating_ads"] == 2


def test_boxes_that_do_not_mirror_are_no_couplet() -> None:
    lone = couplet("#left", LEFT)
    other = couplet("#right", (1100, 500, 60, 120))  # another size, another height
    found = judge("ads.popup", make_capture(overlays=[lone, other]))
    assert keys(found) == ["floating-unknown", "floating-unknown"]
    assert ads_metrics(make_capture(overlays=[lone, other]))["floating_ads"] == 0


def test_an_icon_back_to_top_button_is_a_widget_by_its_title() -> None:
    top = overlay(coverage=0.003, appeared=None, box=(1204, 824, 52, 52), selector="#to-top",
                  text="", z_index=None)
    link = control("返回顶部", box=(1204, 824, 52, 52), text="", title="返回顶部",
                   selector="#to-top")
    page = make_capture(overlays=[top, kefu()], interactive=[link])
    assert keys(judge("ads.popup", page)) == ["none"]
    assert ads_metrics(page) == {"popup_on_load": False, "floating": 2, "floating_ads": 0,
                                 "app_download_prompt": False}


def test_ad_plug_ins_fail_and_explain_an_unexplained_box() -> None:
    box = overlay(coverage=0.02, appeared=30.0, box=(900, 600, 200, 120), selector="#adv",
                  text="")
    page = make_capture(overlays=[box], network=[
        request("http://127.0.0.1/plugins/advertise/js/adv/bayWindow.js?v=3"),
        request("http://127.0.0.1/plugins/advertise/js/adv/couplets.js")])
    found = judge("ads.popup", page)
    assert sorted(keys(found)) == ["floating-plugin", "plugin-couplet", "plugin-floating"]
    assert all(f.outcome == "fail" for f in found)
    assert ads_metrics(page)["floating_ads"] == 1


def test_the_elder_mode_rule_judges_the_same_boxes() -> None:
    page = bay_window().model_copy(update={"mode": "elder"})
    found = judge("ads.elder-mode", page)
    assert keys(found) == ["floating-moving"] and found[0].outcome == "fail"


def test_plugin_urls_are_told_from_other_paths() -> None:
    base = "http://127.0.0.1/plugins/advertise/js/adv/"
    assert plugin_match(base + "bayWindow.js") == "floating"
    assert plugin_match(base + "couplets.js?t=1") == "couplet"
    assert plugin_match("https://x.gov.cn/site" + "/plugins/advertise/js/adv/ejectWindow.js") \
        == "popup"
    assert plugin_match(base + "other.js") is None
    assert plugin_match("http://127.0.0.1/js/bayWindow.js") is None
    assert ad_match(base + "bayWindow.js") is None  # a plug-in, not an ad network


def test_a_failed_motion_probe_does_not_stop_the_ads_rule() -> None:
    """A page whose own script threw during the motion probe: the ads rule still runs on what
    was captured (a still, unexplained fixed box goes to review)."""
    page = bay_window("fixed").model_copy(update={
        "motion": None, "errors": {"motion": "Error: Load timeout for modules"}})
    assert [f.outcome for f in judge("ads.popup", page)] == ["review"]


def test_a_drifting_box_that_advertises_the_elder_version_is_still_an_ad() -> None:
    page = bay_window()
    bay = page.overlays[0].model_copy(update={"text": "关怀版上线 长者专区"})
    found = judge("ads.popup", page.model_copy(update={"overlays": [bay]}))
    assert keys(found)[0] == "floating-moving"
