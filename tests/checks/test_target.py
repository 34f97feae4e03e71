"""target.size on hand-made captures (no browser)."""

from __future__ import annotations

from captures import control, judge, make_capture, outcomes, run
from elderscan.checks import check_page

MOBILE = {"viewport": "mobile", "viewport_size": (375, 812)}


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
