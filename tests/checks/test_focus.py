"""focus.visible on hand-made captures (no browser)."""

from __future__ import annotations

from captures import focus_step, judge, make_capture, outcomes


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
