"""captcha.alternative on hand-made captures (no browser)."""

from __future__ import annotations

import pytest

from captures import control, image, judge, make_capture

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
