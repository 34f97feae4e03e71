"""The suggested passing colour and the grouping of identical colour pairs: pure functions."""

from __future__ import annotations

import colorsys
import itertools

import pytest

from elderscan.checks._common.color import contrast_ratio, css_rgba, hex_rgb, passing_colour
from elderscan.contract import PageResult
from elderscan.finding import Finding
from elderscan.reports.digest import Located
from elderscan.reports.fixes import ColourGroup, colour_groups, suggestion


def test_wcag_ratios_of_known_pairs() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((0x99, 0x99, 0x99), (255, 255, 255)) == pytest.approx(2.85, abs=0.01)
    assert contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_grey_on_white_gets_the_lightest_grey_that_passes() -> None:
    # #767676 is the well-known lightest grey reaching 4.5:1 on white; #777777 falls short.
    assert hex_rgb(passing_colour((0x99, 0x99, 0x99), (255, 255, 255), 4.5)) == "#767676"
    assert contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) < 4.5


def test_a_passing_colour_is_kept() -> None:
    assert passing_colour((0x33, 0x33, 0x33), (255, 255, 255), 4.5) == (0x33, 0x33, 0x33)


def _hls(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))


@pytest.mark.parametrize("fg,bg,threshold", [
    ((0x99, 0x99, 0x99), (0xff, 0xff, 0xff), 4.5),
    ((0x66, 0x99, 0xcc), (0xff, 0xff, 0xff), 4.5),   # a pale blue link on white: darker blue
    ((0xe0, 0x60, 0x60), (0xff, 0xf8, 0xe0), 3.0),   # large red text on cream
    ((0x33, 0x55, 0x77), (0x10, 0x2a, 0x43), 4.5),   # dark text on navy: lighter, same hue
    ((0x80, 0x80, 0x80), (0x77, 0x77, 0x77), 4.5),   # mid grey on mid grey
    ((0xaa, 0x22, 0x22), (0x00, 0x00, 0x00), 7.0),
])
def test_the_suggestion_really_passes_and_keeps_the_hue(
        fg: tuple[int, int, int], bg: tuple[int, int, int], threshold: float) -> None:
    found = passing_colour(fg, bg, threshold)
    assert found is not None
    assert contrast_ratio(found, bg) >= threshold  # the round trip: the suggestion passes
    if found not in ((0, 0, 0), (255, 255, 255)) and _hls(fg)[2] > 0.05:
        assert _hls(found)[0] == pytest.approx(_hls(fg)[0], abs=0.02)


def test_the_suggestion_is_the_nearest_on_its_line() -> None:
    """One step (1/255 lightness) nearer the original no longer passes."""
    fg, bg = (0x66, 0x99, 0xcc), (255, 255, 255)
    found = passing_colour(fg, bg, 4.5)
    assert found is not None
    h, lightness, s = _hls(found)
    nearer = tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, lightness + 2 / 255, s))
    assert contrast_ratio(nearer, bg) < 4.5


def test_every_grey_on_every_grey_round_trips() -> None:
    for fg, bg in itertools.product(range(0, 256, 17), repeat=2):
        for threshold in (3.0, 4.5):
            found = passing_colour((fg, fg, fg), (bg, bg, bg), threshold)
            best = max(contrast_ratio((0, 0, 0), (bg,) * 3),
                       contrast_ratio((255, 255, 255), (bg,) * 3))
            if found is None:
                assert best < threshold
            else:
                assert contrast_ratio(found, (bg, bg, bg)) >= threshold


def test_nothing_passes_7_to_1_on_mid_grey() -> None:
    assert passing_colour((0x80, 0x80, 0x80), (0x76, 0x76, 0x76), 7.0) is None


def test_css_rgba_names_the_declared_colour() -> None:
    assert css_rgba((0, 0, 0, 0.5)) == "rgba(0, 0, 0, 0.5)"


def _contrast(selector: str, colour: str, background: str, large: bool = False,
              value: float = 2.85, threshold: float = 4.5) -> Finding:
    return Finding(rule="contrast.text", outcome="fail", severity="serious", clause="WCAG 1.4.3",
                   selector=selector, value=value, threshold=threshold, message="m",
                   data={"color": colour, "background": background, "large": large})


def _located(findings: list[Finding]) -> list[Located]:
    page = PageResult(url="http://example.test/", final_url=None, http_status=200,
                      mode="standard", viewport="desktop", title="t", screenshot=None,
                      metrics={}, findings=findings)
    return [Located(f, page, 0, k) for k, f in enumerate(findings)]


def test_identical_pairs_fold_into_one_group_in_place() -> None:
    items = _located([
        _contrast("#a", "#999999", "#ffffff"),
        _contrast("#b", "#aaaaaa", "#eeeeee", value=2.1),
        _contrast("#c", "#999999", "#ffffff", value=2.84),
        _contrast("#d", "#999999", "#ffffff", large=True, threshold=3.0),
        _contrast("#e", "#999999", "#ffffff"),
    ])
    entries = colour_groups(items)
    assert len(entries) == 3
    group = entries[0]
    assert isinstance(group, ColourGroup)
    assert [i.finding.selector for i in group.items] == ["#a", "#c", "#e"]
    assert group.ratio == 2.84 and group.threshold == 4.5 and not group.large
    assert group.suggest is not None and group.suggest.colour == "#767676"
    assert group.heading("en") == ("3 elements: #999999 on #ffffff, 2.84:1, needs 4.5:1 — "
                                   "suggest #767676")
    assert "3 个元素" in group.heading("zh")
    # a pair seen once (and the large-text one, another size class) stays a plain finding
    assert [getattr(e, "finding", None) and e.finding.selector for e in entries[1:]] == [
        "#b", "#d"]


def test_other_rules_are_never_grouped() -> None:
    other = Finding(rule="font.size", outcome="fail", severity="serious", clause="c",
                    selector="#x", value=12, threshold=18, message="m",
                    data={"color": "#999999", "background": "#ffffff"})
    items = _located([other, other.model_copy()])
    assert all(not isinstance(e, ColourGroup) for e in colour_groups(items))


def test_an_old_result_without_a_suggestion_gets_one_computed() -> None:
    found = suggestion("contrast.text", {"color": "#999999", "background": "#ffffff"}, 4.5)
    assert found is not None and found.colour == "#767676" and found.ratio >= 4.5
    assert suggestion("font.size", {"color": "#999999", "background": "#ffffff"}, 4.5) is None
