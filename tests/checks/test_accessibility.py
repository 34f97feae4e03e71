"""target.size, focus.visible, motion.timing, captcha.alternative and zoom.reflow."""

from __future__ import annotations

import pytest

from captures import (
    clipped,
    control,
    focus_step,
    image,
    judge,
    make_capture,
    media,
    moving,
    outcomes,
    reflow,
    run,
)
from elderscan.checks import REGISTRY, check_page
from elderscan.checks.motion import refresh_delay

MOBILE = {"viewport": "mobile", "viewport_size": (375, 812)}


# ---- target.size ------------------------------------------------------------------------------

def test_small_targets_fail_with_size_and_threshold() -> None:
    page = make_capture(**MOBILE, interactive=[
        control("搜索", tag="button", box=(10, 10, 30, 30), selector="#search"),
        control("办事服务", box=(10, 60, 200, 48)),
        control("首页", box=(10, 120, 44, 44)),
    ])
    found = judge("target.size", page)
    assert outcomes(found) == [("fail", "#search"), ("pass", None)]
    small = found[0]
    assert small.value == "30×30" and small.threshold == "44×44" and small.box == (10, 10, 30, 30)
    assert small.data["name"] == "搜索" and small.clause == "APP 2.1"
    assert found[1].data["count"] == 2 and found[1].weight == 2


def test_elder_mode_targets_need_sixty() -> None:
    page = make_capture(**MOBILE, mode="elder",
                        interactive=[control("首页", box=(10, 120, 50, 50), selector="#home")])
    [hit] = judge("target.size", page)
    assert hit.outcome == "fail" and hit.threshold == "60×60"


def test_inline_links_in_running_text_are_exempt() -> None:
    para = run("请登录后办理，详见", selector="#intro", box=(10, 200, 350, 48))
    link = control("办事指南", box=(150, 200, 64, 22), selector="#intro > a")
    lone = control("更多", box=(10, 400, 32, 20), selector="body > div > a")
    page = make_capture(**MOBILE, text_runs=[para], interactive=[link, lone])
    assert outcomes(judge("target.size", page)) == [("fail", "body > div > a")]


def test_hidden_and_unfocusable_controls_are_not_targets() -> None:
    page = make_capture(**MOBILE, interactive=[
        control("隐藏", box=(0, 0, 10, 10), visible=False),
        control("禁用", tag="button", box=(0, 0, 10, 10), focusable=False),
    ])
    assert judge("target.size", page) == []


def test_target_size_runs_at_the_mobile_viewport_only() -> None:
    desktop = make_capture(interactive=[control("搜索", box=(0, 0, 20, 20))])
    assert not [f for f in check_page(desktop).findings if f.rule == "target.size"]


# ---- focus.visible ----------------------------------------------------------------------------

def test_tab_stops_without_indicator_fail_and_the_rest_pass() -> None:
    page = make_capture(focus=[focus_step("#a"), focus_step("#b", indicator=False, name="登录"),
                               focus_step("#c"), focus_step("#a")])
    found = judge("focus.visible", page)
    assert outcomes(found) == [("fail", "#b"), ("pass", None)]
    assert found[0].data["name"] == "登录" and found[0].box == (0, 0, 60, 24)
    assert found[1].data["count"] == 2


def test_focus_not_probed_or_nothing_focusable_is_not_applicable() -> None:
    assert judge("focus.visible", make_capture(focus=None)) == []
    assert judge("focus.visible", make_capture(focus=[])) == []


# ---- motion.timing ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "parsed"),
    [("30", (30.0, False)), ("0; URL='https://w3.org'", (0.0, True)),
     ("72001; https://w3.org", (72001.0, True)), ("5.9, http://x", (5.0, True)),
     ("  3 ;url=/a", (3.0, True)), (".5", (0.0, False)),
     ("0: https://w3.org", None), ("-00.12 foo", None), ("; 30", None), ("", None),
     ("+5; https://w3.org", None), ("foo; URL='https://w3.org'", None), (None, None)],
)
def test_meta_refresh_parses_as_the_html_standard(content: str | None,
                                                  parsed: tuple[float, bool] | None) -> None:
    assert refresh_delay(content) == parsed


@pytest.mark.parametrize(
    ("content", "outcome", "key"),
    [("30", "fail", "refresh"), ("30; URL=/news", "fail", "refresh"),
     ("72000; /x", "fail", "refresh"), ("0; URL=/new", "pass", "redirect"),
     ("72001; /x", "pass", "refresh-late")],
)
def test_meta_refresh_with_a_delay_fails(content: str, outcome: str, key: str) -> None:
    [hit] = judge("motion.timing", make_capture(meta_refresh=content))
    assert hit.outcome == outcome and hit.message_key == f"motion.timing.{key}"
    assert hit.selector == 'meta[http-equiv="refresh"]'


def test_refresh_message_says_reload_or_redirect() -> None:
    [reload] = judge("motion.timing", make_capture(meta_refresh="30"))
    assert reload.value == 30 and "reloads after 30 s" in reload.message
    [zh] = judge("motion.timing", make_capture(meta_refresh="30; url=/x"), "zh")
    assert "30 秒后自动跳转" in zh.message


def test_invalid_or_absent_refresh_is_not_applicable() -> None:
    assert judge("motion.timing", make_capture(meta_refresh="0: /x")) == []
    assert judge("motion.timing", make_capture()) == []


def test_media_playing_sound_without_controls_fails() -> None:
    page = make_capture(media=[
        media(selector="#bgm"),                                   # plays, no controls: fail
        media(selector="#with-controls", controls=True),          # has controls: pass
        media(selector="#muted", tag="video", muted=True),        # silent: n/a
        media(selector="#paused", paused=True, autoplay=False),   # not playing: n/a
    ])
    found = judge("motion.timing", page)
    assert outcomes(found) == [("fail", "#bgm"), ("pass", "#with-controls")]
    assert found[0].message_key == "motion.timing.audio"


def test_moving_content_over_five_seconds_needs_a_pause_control() -> None:
    page = make_capture(motion=[
        moving(selector="#banner"),
        moving(selector="#news-scroll", pause_control=True),
        moving(selector="#short", window_ms=4000),
        moving(selector="#loaded-once", changes=1),
    ])
    found = judge("motion.timing", page)
    assert outcomes(found) == [("fail", "#banner"), ("pass", "#news-scroll"),
                               ("review", "#short")]
    assert found[0].data == {"changes": 4, "seconds": 12.0}
    assert found[0].threshold == 5.0


def test_motion_not_observed_is_not_applicable() -> None:
    assert judge("motion.timing", make_capture(motion=None)) == []


# ---- captcha.alternative ----------------------------------------------------------------------

CAPTCHA = image("/servlet/captcha?t=1", alt="验证码", box=(300, 400, 100, 40), selector="#yzm")


def test_captcha_without_alternatives_fails() -> None:
    page = make_capture(images=[CAPTCHA, image()],
                        interactive=[control("换一张", box=(410, 400, 60, 40))])
    [hit] = judge("captcha.alternative", page)
    assert hit.outcome == "fail" and hit.selector == "#yzm"
    assert hit.data["missing"] == ["voice", "magnify"]
    assert "a voice alternative and magnification" in hit.message


def test_captcha_with_voice_and_magnifier_nearby_passes() -> None:
    page = make_capture(images=[CAPTCHA], interactive=[
        control("语音验证码", box=(410, 400, 80, 40), selector="#voice"),
        control("放大", box=(300, 445, 40, 30), selector="#zoom"),
    ])
    [hit] = judge("captcha.alternative", page)
    assert hit.outcome == "pass" and hit.data["voice"] == "#voice"
    assert hit.data["magnify"] == "#zoom"


def test_controls_far_away_do_not_count_and_one_missing_fails() -> None:
    page = make_capture(images=[CAPTCHA], interactive=[
        control("语音播报", box=(300, 2000, 80, 40)),   # far down the page
        control("放大", box=(300, 445, 40, 30)),
    ])
    [hit] = judge("captcha.alternative", page)
    assert hit.outcome == "fail" and hit.data["missing"] == ["voice"]


@pytest.mark.parametrize(
    "img",
    [image("/img/a.png", alt=None, id="imgYzm"), image("/img/a.png", classes="verify-code"),
     image("/kaptcha.jpg", alt=""), image("/x.png", alt="校验码")],
)
def test_captcha_is_recognised_by_src_alt_id_or_class(img: object) -> None:
    assert judge("captcha.alternative", make_capture(images=[img]))[0].outcome == "fail"


def test_pages_without_captcha_or_with_hidden_ones_are_not_applicable() -> None:
    assert judge("captcha.alternative", make_capture(images=[image()])) == []
    hidden = image("/captcha.png", visible=False)
    assert judge("captcha.alternative", make_capture(images=[hidden])) == []


# ---- zoom.reflow ------------------------------------------------------------------------------

def test_clipped_text_at_200_percent_fails() -> None:
    page = make_capture(reflow=reflow(clipped("#notice"), runs=12))
    found = judge("zoom.reflow", page)
    assert outcomes(found) == [("fail", "#notice"), ("pass", None)]
    assert found[0].data["clip_box"] == (0, 0, 300, 24) and found[0].clause == "WCAG 1.4.4"
    assert found[1].data["count"] == 11


def test_visually_hidden_text_is_not_clipping() -> None:
    page = make_capture(reflow=reflow(clipped("#sr-only", clip_box=(0, 0, 1, 1)), runs=3))
    assert outcomes(judge("zoom.reflow", page)) == [("pass", None)]


def test_reflow_not_probed_is_not_applicable_and_rule_is_desktop_font() -> None:
    assert judge("zoom.reflow", make_capture(reflow=None)) == []
    page = make_capture(**MOBILE, reflow=reflow(clipped()))
    assert not [f for f in check_page(page).findings if f.rule == "zoom.reflow"]
    assert REGISTRY["zoom.reflow"].meta.dimension == "font"


def test_reflow_exemptions_and_applicability() -> None:
    from captures import clipped as clip
    from captures import make_capture, reflow
    from elderscan.checks import REGISTRY
    from elderscan.checks._registry import run_rule

    def outcomes(r: object) -> list[str]:
        found = run_rule(REGISTRY["zoom.reflow"], make_capture(viewport="desktop", reflow=r))
        assert isinstance(found, list)
        return [f.outcome for f in found]

    ellipsis = clip("#title").model_copy(update={"axis": "x", "ellipsis": True})
    one_line = clip("#tab").model_copy(update={"axis": "y", "one_line_box": True})
    cut = clip("#notice").model_copy(update={"axis": "x", "ellipsis": False})
    assert outcomes(reflow(ellipsis, one_line, runs=3)) == ["pass"]
    assert outcomes(reflow(cut, runs=3)) == ["fail", "pass"]
    assert outcomes(reflow(runs=8, candidates=0)) == []  # nothing zoom could cut off
