"""contrast.text, contrast.over-image and contrast.enhanced on hand-made captures."""

from __future__ import annotations

from pathlib import Path

import pytest

from captures import (
    control,
    gradient,
    judge,
    make_capture,
    noise,
    outcomes,
    paint,
    run,
    solid,
)
from elderscan.checks import check_page
from elderscan.checks._common.pixels import Screenshot

GREY_999 = (153, 153, 153, 1)  # 2.85:1 on white
GREY_777 = (119, 119, 119, 1)  # 4.48:1 on white


# ---- contrast.text ----------------------------------------------------------------------------

def test_failing_run_carries_its_evidence() -> None:
    page = make_capture(text_runs=[run("办事指南", color=GREY_999, selector="#guide")])
    [hit] = judge("contrast.text", page)
    assert hit.outcome == "fail"
    assert hit.rule == "contrast.text" and hit.clause == "APP 1.3; WCAG 1.4.3"
    assert hit.selector == "#guide" and hit.box == (0, 0, 100, 20)
    assert hit.value == 2.85 and hit.threshold == 4.5
    assert hit.weight == 4
    assert hit.data["color"] == "#999999" and hit.data["background"] == "#ffffff"
    assert hit.message_key == "contrast.text.low"
    assert "2.85:1" in hit.message and "4.5:1" in hit.message


def test_near_miss_fails_because_wcag_minimum_is_exact() -> None:
    [hit] = judge("contrast.text", make_capture(text_runs=[run(color=GREY_777)]))
    assert hit.outcome == "fail" and hit.value == 4.48
    # 4.4995:1 would round to 4.50; it still fails and is shown as 4.49.
    [hit] = judge("contrast.text", make_capture(text_runs=[run(color=(0, 0, 0, 0.53466))]))
    assert hit.outcome == "fail" and hit.value == 4.49


def test_passing_runs_aggregate_into_one_pass_weighted_by_characters() -> None:
    page = make_capture(text_runs=[run("一" * 30), run("二" * 10, color=(51, 51, 51, 1)),
                                   run("三" * 5, color=GREY_999, selector="#grey")])
    found = judge("contrast.text", page)
    assert outcomes(found) == [("fail", "#grey"), ("pass", None)]
    ok = found[1]
    assert ok.weight == 40 and ok.data["count"] == 2 and ok.data["characters"] == 40
    assert ok.data["lowest"] == 12.63


def test_large_text_needs_only_three_to_one() -> None:
    page = make_capture(text_runs=[run(color=GREY_777, px=24),          # 24 px: large
                                   run(color=GREY_777, px=18.67, weight=700),  # 14 pt bold
                                   run(color=GREY_777, px=18.67, selector="#not-bold")])
    found = judge("contrast.text", page)
    assert outcomes(found) == [("fail", "#not-bold"), ("pass", None)]
    assert found[0].threshold == 4.5


def test_translucent_text_is_composited_before_measuring() -> None:
    [hit] = judge("contrast.text", make_capture(text_runs=[run(color=(0, 0, 0, 0.3))]))
    assert hit.outcome == "fail" and hit.value == pytest.approx(2.1, abs=0.05)


@pytest.mark.parametrize(
    "hidden",
    [
        run(color=(255, 255, 255, 1)),                       # same colour as its background
        run(color=GREY_999, box=(0, -999, 100, 20)),         # moved off the document
        run(color=GREY_999, tag="text"),                     # SVG text
        run(color=GREY_999, over_image=True),                # left to contrast.over-image
    ],
)
def test_text_nobody_can_read_as_text_is_not_applicable(hidden: object) -> None:
    assert judge("contrast.text", make_capture(text_runs=[hidden])) == []


def test_icon_glyphs_pass_whatever_their_contrast() -> None:
    close = control("关闭", tag="button", box=(0, 0, 40, 40), selector="#close")
    page = make_capture(
        text_runs=[run("×", color=GREY_999, box=(10, 10, 12, 20)),     # named "关闭"
                   run("\ue601", color=GREY_999, box=(300, 0, 16, 16))],  # icon font
        interactive=[close],
    )
    found = judge("contrast.text", page)
    assert outcomes(found) == [("pass", None)]
    assert found[0].data["count"] == 2


def test_lone_symbols_and_separators_are_not_text() -> None:
    page = make_capture(text_runs=[run("|", color=(221, 221, 221, 1), selector="#sep"),
                                   run("›", color=(221, 221, 221, 1), selector="#arrow"),
                                   run("A", color=(221, 221, 221, 1), selector="#letter")])
    assert outcomes(judge("contrast.text", page)) == [("fail", "#letter"), ("pass", None)]


def test_a_lone_letter_that_is_the_whole_name_is_still_text() -> None:
    page = make_capture(text_runs=[run("X", color=GREY_999, box=(10, 10, 12, 20))],
                        interactive=[control("X", tag="button", box=(0, 0, 40, 40))])
    assert judge("contrast.text", page)[0].outcome == "fail"


def test_no_text_no_finding() -> None:
    assert judge("contrast.text", make_capture()) == []


# ---- contrast.enhanced ------------------------------------------------------------------------

def test_enhanced_contrast_runs_only_in_elder_mode_and_is_minor() -> None:
    runs = [run(color=(89, 89, 89, 1), selector="#a"),   # 7.0:1 → passes 7
            run(color=(102, 102, 102, 1), selector="#b"),  # 5.74:1: AA yes, AAA no
            run(color=(119, 119, 119, 1), px=24, selector="#c")]  # 4.48 < 4.5 large
    elder = make_capture(mode="elder", text_runs=runs)
    found = judge("contrast.enhanced", elder)
    assert outcomes(found) == [("fail", "#b"), ("fail", "#c"), ("pass", None)]
    assert found[0].severity == "minor" and found[0].threshold == 7.0
    assert found[1].threshold == 4.5 and found[0].clause == "WCAG 1.4.6"
    standard = check_page(make_capture(text_runs=runs)).findings
    assert not [f for f in standard if f.rule == "contrast.enhanced"]
    assert [f.rule for f in check_page(elder).findings].count("contrast.enhanced") == 3


# ---- contrast.over-image ----------------------------------------------------------------------

BOX = (100.0, 100.0, 160.0, 32.0)


def over(color: tuple[float, float, float, float], shot: str | None, *,
         box: tuple[float, float, float, float] = BOX, px: float = 16,
         weight: int = 400) -> object:
    return make_capture(screenshot=shot, screenshot_height=300,
                        text_runs=[run("云岭风光四季如春", color=color, px=px, weight=weight,
                                       over_image=True, box=box, selector="#hero",
                                       background=(0, 0, 0))])


def test_light_text_on_a_light_photo_fails(tmp_path: Path) -> None:
    shot = paint(tmp_path / "s.png", noise(236, 18), text=(BOX, (240, 240, 240)))
    [hit] = judge("contrast.over-image", over((240, 240, 240, 1), shot))
    assert hit.outcome == "fail" and hit.selector == "#hero"
    assert hit.value is not None and float(hit.value) < 1.2
    assert hit.threshold == 4.5 and hit.weight == 8
    assert hit.data["p50"] < 1.2 and hit.data["p10"] <= hit.data["p50"]
    assert hit.data["background_source"] == "ring"  # the glyphs vanish into the photo


def test_white_text_on_a_dark_photo_passes_though_the_dom_says_white(tmp_path: Path) -> None:
    shot = paint(tmp_path / "s.png", noise(34, 28), text=(BOX, (255, 255, 255)))
    [hit] = judge("contrast.over-image", over((255, 255, 255, 1), shot))
    assert hit.outcome == "pass"
    assert hit.value is not None and float(hit.value) >= 4.5
    assert hit.data["p10"] >= 4.5 and hit.data["background_source"] == "halo"
    assert hit.data["background_px"] > 0 and hit.data["glyph_px"] > 0


def test_text_across_a_gradient_that_fails_at_one_end_needs_review(tmp_path: Path) -> None:
    shot = paint(tmp_path / "s.png", gradient((11, 61, 145), (156, 195, 236), 100, 160),
                 text=(BOX, (255, 255, 255)))
    [hit] = judge("contrast.over-image", over((255, 255, 255, 1), shot, px=24, weight=700))
    assert hit.outcome == "review" and hit.message_key == "contrast.over-image.mixed"
    assert hit.threshold == 3.0
    assert hit.data["p10"] < 3.0 <= hit.data["p50"]


def test_a_solid_colour_behind_the_text_is_measured_exactly(tmp_path: Path) -> None:
    shot = paint(tmp_path / "s.png", solid((255, 255, 255)), text=(BOX, (153, 153, 153)))
    [hit] = judge("contrast.over-image", over((153, 153, 153, 1), shot))
    assert hit.outcome == "fail" and hit.value == 2.85
    assert hit.data["p10"] == hit.data["p50"] == 2.85


def test_no_screenshot_means_review(tmp_path: Path) -> None:
    [hit] = judge("contrast.over-image", over((255, 255, 255, 1), None))
    assert hit.outcome == "review" and hit.message_key == "contrast.over-image.no-screenshot"


def test_box_below_the_screenshot_means_review(tmp_path: Path) -> None:
    shot = paint(tmp_path / "s.png", solid((0, 0, 0)))
    [hit] = judge("contrast.over-image",
                  over((255, 255, 255, 1), shot, box=(100, 5000, 160, 32)))
    assert hit.outcome == "review" and hit.message_key == "contrast.over-image.outside"


def test_too_few_background_pixels_means_review(tmp_path: Path) -> None:
    shot = paint(tmp_path / "s.png", solid((255, 255, 255)), size=(6, 6))
    [hit] = judge("contrast.over-image",
                  over((255, 255, 255, 1), shot, box=(1, 1, 3, 3)))
    assert hit.outcome == "review" and hit.message_key == "contrast.over-image.sample"


def test_runs_without_an_image_are_not_applicable(tmp_path: Path) -> None:
    page = make_capture(screenshot=None, text_runs=[run(color=GREY_999)])
    assert judge("contrast.over-image", page) == []


def test_screenshot_reading_works_at_any_size(tmp_path: Path) -> None:
    """A crop larger than the sampling cap is sampled down without losing the verdict."""
    big = (0.0, 0.0, 400.0, 300.0)
    shot = Screenshot(paint(tmp_path / "s.png", noise(30, 20), text=(big, (255, 255, 255))))
    sample = shot.measure(big, (255, 255, 255, 1), 200)
    assert not isinstance(sample, str) and sample.judge(3.0) == "pass"


def test_text_whose_colour_is_nowhere_in_its_box_needs_review(tmp_path: Path) -> None:
    """A pop-up's grey mask over white text: the pixels do not show the text's colour."""
    shot = paint(tmp_path / "s.png", noise(40, 20), text=(BOX, (128, 128, 128)))
    [hit] = judge("contrast.over-image", over((255, 255, 255, 1), shot))
    assert hit.outcome == "review" and hit.message_key == "contrast.over-image.glyphs"
