"""Page metrics from hand-made captures: pure functions, no browser."""

from __future__ import annotations

import pytest

from captures import make_capture, overlay, run
from elderscan.checks._common.color import composite, contrast_ratio, is_large_text
from elderscan.judge.metrics import ads_metrics, contrast_metrics, font_metrics


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        ((0, 0, 0), (255, 255, 255), 21.0),
        ((255, 255, 255), (255, 255, 255), 1.0),
        ((119, 119, 119), (255, 255, 255), 4.48),  # #777 on white: the classic near-miss
        ((153, 153, 153), (255, 255, 255), 2.85),  # #999
        ((170, 170, 170), (238, 238, 238), 2.01),  # #aaa on #eee
    ],
)
def test_contrast_ratio_matches_wcag(fg: tuple[int, ...], bg: tuple[int, ...],
                                     expected: float) -> None:
    assert contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(bg, fg) == pytest.approx(expected, abs=0.01)


def test_translucent_text_is_composited_over_its_background() -> None:
    assert composite((0, 0, 0, 0.5), (255, 255, 255)) == (127.5, 127.5, 127.5)


def test_large_text_threshold() -> None:
    assert is_large_text(24, 400)
    assert is_large_text(18.67, 700)
    assert not is_large_text(18.67, 400)
    assert not is_large_text(23.9, 400)


def test_font_metrics_weigh_by_characters() -> None:
    runs = [run("一" * 70, px=14, line_height=21), run("二" * 30, px=18, line_height=27),
            run("三" * 10, px=12)]
    m = font_metrics(runs)
    assert m["dominant_px"] == 14
    assert m["min_px"] == 12
    assert m["share_ge_18px"] == pytest.approx(30 / 110, abs=1e-4)
    assert m["line_height_ratio_median"] == 1.5
    assert m["distribution"] == {"12": pytest.approx(10 / 110, abs=1e-4),
                                 "14": pytest.approx(70 / 110, abs=1e-4),
                                 "18": pytest.approx(30 / 110, abs=1e-4)}


def test_font_metrics_of_an_empty_page() -> None:
    assert font_metrics([])["dominant_px"] is None


def test_contrast_metrics_count_failures_and_leave_images_to_review() -> None:
    runs = [
        run(color=(153, 153, 153, 1)),                   # 2.85 < 4.5: fail
        run(color=(119, 119, 119, 1), px=24),            # 4.48 ≥ 3 for large text: pass
        run(color=(0, 0, 0, 1)),                         # 21: pass
        run(color=(255, 255, 255, 1), over_image=True),  # cannot say from the DOM: review
    ]
    m = contrast_metrics(runs)
    assert m == {"checked": 3, "failed": 1, "review": 1, "worst_ratio": 2.85}


def test_popup_needs_coverage_and_late_appearance() -> None:
    late_modal = make_capture(overlays=[overlay(coverage=1.0, appeared=350.0)])
    static_header = make_capture(overlays=[overlay(coverage=0.1, appeared=None,
                                                   box=(0, 0, 1280, 90))])
    assert ads_metrics(late_modal)["popup_on_load"] is True
    assert ads_metrics(static_header)["popup_on_load"] is False
    assert ads_metrics(static_header)["floating"] == 0  # a page-wide bar is not a floating ad


def test_floating_box_and_nested_overlays_count_once() -> None:
    float_ad = overlay(coverage=0.05, appeared=None, box=(1100, 300, 160, 200), selector="#ad")
    inner = overlay(coverage=0.01, appeared=None, box=(1110, 310, 60, 60), selector="#ad span",
                    inside="#ad")
    assert ads_metrics(make_capture(overlays=[float_ad, inner]))["floating"] == 1


def test_floating_box_under_a_full_screen_popup_still_counts() -> None:
    """Geometry is not nesting: an ad beside the modal in the DOM is its own overlay."""
    modal = overlay(coverage=1.0, appeared=300.0)
    float_ad = overlay(coverage=0.02, appeared=None, box=(6, 700, 122, 139), selector="#ad")
    m = ads_metrics(make_capture(overlays=[modal, float_ad]))
    assert m["popup_on_load"] is True
    assert m["floating"] == 1


def test_app_download_prompt_from_text() -> None:
    assert ads_metrics(make_capture(text_runs=[run("下载APP 立即体验")]))["app_download_prompt"]
    assert not ads_metrics(make_capture(text_runs=[run("下载表格")]))["app_download_prompt"]
