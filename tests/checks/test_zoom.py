"""zoom.reflow on hand-made captures (no browser)."""

from __future__ import annotations

from captures import clipped, judge, make_capture, outcomes, reflow
from elderscan.checks import REGISTRY, check_page

MOBILE = {"viewport": "mobile", "viewport_size": (375, 812)}


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
