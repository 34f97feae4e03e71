"""Elder-mode candidates: ranking (no browser) and the words each trial is reported in."""

from __future__ import annotations

from datetime import UTC, datetime

from captures import control, make_capture, run
from elderscan.capture import ElderProbe, ElderTrial, Entry, RequestNote, SiteCapture
from elderscan.checks._registry import REGISTRY, run_rule
from elderscan.checks.elder_trials import outcome, reason
from elderscan.judge.sections import contract_elder
from elderscan.scanner.entries import elder_candidates, is_toolbar, toolbar_fingerprint

HOME = "http://127.0.0.1:8000/"


def test_elder_specific_labels_outrank_a_generic_toolbar_even_when_less_visible() -> None:
    capture = make_capture(interactive=[
        control("无障碍", id="cniil_wza", selector="#cniil_wza"),
        control("长辈版", selector="a.j-oam", visible=False),
    ])
    ranked = elder_candidates(capture)
    assert [e.selector for e in ranked] == ["a.j-oam", "#cniil_wza"]
    assert not is_toolbar(ranked[0]) and is_toolbar(ranked[1])


def test_real_labels_and_clickable_non_links_are_candidates() -> None:
    capture = make_capture(interactive=[control("长者专区", href=HOME + "zzzq/")])
    span = control("长者助手", tag="span", selector="#slh", id="slh", focusable=False)
    ranked = elder_candidates(capture, [span])
    assert [e.selector for e in ranked] == ["#slh", ranked[1].selector]
    assert ranked[1].keyword == "长者专区"
    # a control the page capture already lists is not counted twice
    assert len(elder_candidates(capture, [capture.interactive[0]])) == 1


def test_toolbar_vendors_are_recognised_by_script_and_id() -> None:
    assert toolbar_fingerprint(make_capture(scripts=["http://x/aria/aria.js?appid=1"])) == "aria"
    assert toolbar_fingerprint(make_capture(scripts=["http://x/slh/slh.js"])) == "slh"
    switch = control("无障碍浏览", id="toolbarSwitch", selector="#toolbarSwitch")
    assert toolbar_fingerprint(make_capture(interactive=[switch])) == "esd-toolbar"
    assert is_toolbar(elder_candidates(make_capture(interactive=[switch]))[0])


def entry(text: str, selector: str, href: str | None = None) -> Entry:
    return Entry(text=text, name=text, selector=selector, tag="a", href=href, box=(0, 0, 40, 20),
                 in_first_screen=True, landmark=None, keyboard_reachable=True, keyword=text,
                 source="text", score=10)


ARIA_404 = ElderTrial(
    entry=entry("关怀版", "#care"), role="elder", vendor="aria.js", handler="aria.ofStart()",
    how="click", verdict="not-effective",
    changes=["body[aria-ofstatus]: true", "localStorage.aria"],
    failed=[RequestNote(url="http://127.0.0.1:8000/aria/config.json", status=404, failure=None,
                        during="load")],
    text_px_before=14, text_px_after=14,
)


def test_a_toolbar_whose_config_is_missing_is_explained() -> None:
    assert reason(ARIA_404, "en") == (
        "“关怀版” calls aria.ofStart(); it set body[aria-ofstatus]: true, localStorage.aria; "
        "aria.js is on the page, but config.json answered HTTP 404; text stayed 14 px")
    assert reason(ARIA_404, "zh").startswith("“关怀版”调用 aria.ofStart()；")
    assert "config.json 返回 HTTP 404" in reason(ARIA_404, "zh")
    assert outcome(ARIA_404, "en") == (
        "changed body[aria-ofstatus]: true, localStorage.aria; 0 requests, 0 failed; "
        "text 14 px → 14 px")


def test_links_reloads_and_unreachable_hosts_are_explained() -> None:
    missing = ElderTrial(entry=entry("长者版", "#zzb", HOME + "zzb/"), role="elder", vendor=None,
                         handler=None, how="follow-link", verdict="http-error",
                         url_after=HOME + "zzb/", http_status=404, text_px_before=14)
    assert reason(missing, "en", home=HOME) == (
        "“长者版” leads to /zzb/, which answered HTTP 404")
    reload = ElderTrial(
        entry=entry("长辈版", "a.j-oam"), role="elder", vendor=None, handler=None, how="click",
        verdict="not-effective", reloaded=True, changes=["cookie.wzaOam=1"],
        failed=[RequestNote(url="http://127.0.0.1:2/oam.css", status=None,
                            failure="net::ERR_CONNECTION_REFUSED")],
        text_px_before=16, text_px_after=16)
    assert reason(reload, "en", home=HOME) == (
        "clicking “长辈版”; the page reloaded; it set cookie.wzaOam=1; but oam.css never arrived "
        "(net::ERR_CONNECTION_REFUSED); text stayed 16 px")
    skipped = ElderTrial(entry=entry("无障碍", "#wza"), role="toolbar", vendor="aria.js",
                         handler=None, how="not-tried", verdict="not-tried",
                         skipped="proven-earlier")
    assert reason(skipped, "en", winner="长辈版") == (
        "not tried: “长辈版” was already proven to work")


def site_with(probe: ElderProbe) -> SiteCapture:
    now = datetime.now(UTC).isoformat()
    home = make_capture(url=HOME, final_url=HOME, text_runs=[run(px=14)])
    return SiteCapture(target=HOME, start_url=HOME, started_at=now, finished_at=now,
                       pages=[home], skipped=[], chromium="156", axe_core="4",
                       browser_launches=1, browser_crashes=0, elder=probe)


def test_the_result_lists_every_candidate_and_the_verdict_says_why() -> None:
    toolbar = ElderTrial(entry=entry("无障碍", "#wza"), role="toolbar", vendor="aria.js",
                         handler="aria.start()", how="click", verdict="not-effective",
                         changes=["body[aria-status]: on"], text_px_before=14, text_px_after=14)
    broken = ARIA_404.model_copy(update={"verdict": "no-change", "changes": []})
    probe = ElderProbe(candidates=[broken.entry, toolbar.entry], entry=broken.entry,
                       kind="broken", toolbar="aria", activation="click", changes=[],
                       elder_url=None, failure="no-change", captures=0,
                       toolbar_vendor="aria.js", trials=[broken, toolbar])
    site = site_with(probe)
    data = contract_elder(site, "en")
    assert data is not None
    assert data["entry"]["text"] == "关怀版" and data["entry"]["role"] == "elder"  # type: ignore[index]
    assert data["toolbar_vendor"] == "aria.js"
    candidates = data["candidates"]
    assert isinstance(candidates, list)
    assert [(c["text"], c["how"], c["result"], c["role"]) for c in candidates] == [
        ("关怀版", "click", "no-change", "elder"), ("无障碍", "click", "not-effective", "toolbar")]
    assert "config.json answered HTTP 404" in str(data["failure"])
    found = run_rule(REGISTRY["elder.effective"], site, "en")
    assert isinstance(found, list) and found[0].outcome == "fail"
    assert "config.json answered HTTP 404" in found[0].message
