"""The voice rules and the result's voice section on hand-made probes (no browser): each verdict
says what was found and what a site owner can do, in both languages; and the two pure parts of
the probe — whether a page is worth loading again, which requests carry its text to be spoken."""

from __future__ import annotations

from typing import Any

import pytest

import elderscan.checks  # noqa: F401  (registers every rule)
from captures import control, image, make_capture, run
from elderscan.capture import Entry, SiteCapture, SpeechRequest, VoiceProbe, VoiceTry
from elderscan.checks._registry import REGISTRY, Lang, RuleError, run_rule
from elderscan.finding import Finding
from elderscan.judge.sections import contract_voice
from elderscan.scanner.voice import carried_chars, worth_probing

ARTICLE = ("为深入贯彻落实国家关于切实解决老年人运用智能技术困难的决策部署"
           "省人民政府办公厅近日印发实施方案")
TTS = "http://127.0.0.1:47/esdtts/textToSound"


def entry(text: str = "", name: str = "", *, keyboard: bool = False,
          source: str = "attribute") -> Entry:
    return Entry(text=text, name=name, selector="#main-article > div > span", tag="span",
                 href=None, box=(280, 190, 28, 33), in_first_screen=True, landmark="main",
                 keyboard_reachable=keyboard, keyword="speak", source=source,  # type: ignore[arg-type]
                 score=9)


def probe(**fields: Any) -> VoiceProbe:
    base: dict[str, Any] = {"candidates": [], "entry": None, "found": False, "functional": False,
                            "kind": "none", "stoppable": None, "evidence": {}, "failure": None}
    base.update(fields)
    if base["entry"] is not None:
        base["candidates"] = [base["entry"]]
    return VoiceProbe(**base)


def site(voice: VoiceProbe) -> SiteCapture:
    return SiteCapture(target="http://127.0.0.1/", start_url="http://127.0.0.1/",
                       started_at="", finished_at="", pages=[], skipped=[], chromium="",
                       axe_core="", browser_launches=1, browser_crashes=0, voice=voice)


def judge(rule_id: str, voice: VoiceProbe, lang: Lang = "zh") -> list[Finding]:
    """As the runner judges a site; every message filled in, in both languages."""
    found = run_rule(REGISTRY[rule_id], site(voice), lang)
    other = run_rule(REGISTRY[rule_id], site(voice), "en" if lang == "zh" else "zh")
    assert not isinstance(found, RuleError) and not isinstance(other, RuleError)
    for f in found + other:
        assert "{" not in f.message and f.message != f.message_key.rsplit(".", 1)[-1], f
    return found


def tried(label: str, outcome: str, source: str = "text") -> VoiceTry:
    return VoiceTry(label=label, selector=f"#{outcome}", source=source,  # type: ignore[arg-type]
                    keyword="语音", outcome=outcome)  # type: ignore[arg-type]


def test_voice_search_only_is_no_readaloud() -> None:
    p = probe(tried=[tried("语音搜索", "voice-input", "name"), tried("语音输入", "voice-input")],
              reason="only-input")
    [zh] = judge("voice.readaloud", p)
    [en] = judge("voice.readaloud", p, "en")
    assert (zh.outcome, zh.message_key) == ("fail", "voice.readaloud.only-input")
    assert "“语音搜索”“语音输入”" in zh.message and "语音朗读" in zh.message
    assert "voice search" in en.message and "read-aloud button" in en.message
    assert judge("voice.functional", p) == []
    assert contract_voice(site(p), "en")["reason"] == en.message  # type: ignore[index]


def test_no_voice_at_all_is_missing() -> None:
    [f] = judge("voice.readaloud", probe())
    assert f.message_key == "voice.readaloud.missing"
    assert contract_voice(site(probe()))["reason"] == f.message  # type: ignore[index]


@pytest.mark.parametrize(("keyboard", "key"), [
    (False, "unnamed-unfocusable"), (True, "unnamed")])
def test_unnamed_widget_is_found_and_failed(keyboard: bool, key: str) -> None:
    p = probe(entry=entry(keyboard=keyboard), found=True, functional=True,
              kind="speech-synthesis", stoppable=True)
    found = judge("voice.readaloud", p)
    assert [(f.outcome, f.message_key) for f in found] == [
        ("pass", "voice.readaloud.found-unnamed"), ("fail", f"voice.readaloud.{key}")]
    assert found[1].selector == "#main-article > div > span" and found[1].box is not None
    assert ("Tab" in found[1].message) is (not keyboard)
    assert [f.outcome for f in judge("voice.functional", p)] == ["pass", "pass"]
    assert contract_voice(site(p))["reason"] is None  # type: ignore[index]


def test_named_control_passes_readaloud() -> None:
    p = probe(entry=entry("语音朗读", "语音朗读", keyboard=True, source="text"), found=True,
              functional=True, kind="speech-synthesis", stoppable=True)
    assert [f.message_key for f in judge("voice.readaloud", p)] == ["voice.readaloud.found"]


def test_unanswered_speech_server_is_review_with_the_endpoint() -> None:
    request = SpeechRequest(url=TTS, method="POST", chars=944, status=None,
                            failure="net::ERR_CONNECTION_REFUSED")
    p = probe(entry=entry("连读", "连读", keyboard=True, source="text"), found=True,
              functional=None, kind="tts-request", requests=[request], reason="tts-unreachable",
              tried=[tried("连读", "tts-unreachable")])
    [zh] = judge("voice.functional", p)
    [en] = judge("voice.functional", p, "en")
    assert (zh.outcome, zh.message_key) == ("review", "voice.functional.tts-unreachable")
    for text in (zh.message, en.message):
        assert TTS in text and "944" in text and "ERR_CONNECTION_REFUSED" in text
    section = contract_voice(site(p), "en")
    assert section is not None and section["reason"] == en.message
    assert section["requests"] == [request.model_dump()]
    assert section["candidates"] == [{"text": "连读", "selector": "#tts-unreachable",
                                      "found_by": "text", "keyword": "语音",
                                      "outcome": "tts-unreachable"}]


def test_answering_speech_server_speaks() -> None:
    request = SpeechRequest(url=TTS, method="POST", chars=300, status=200, failure=None)
    p = probe(entry=entry("语音播报", "语音播报", keyboard=True, source="text"), found=True,
              functional=True, kind="tts-request", requests=[request], stoppable=None)
    [f] = judge("voice.functional", p, "en")
    assert (f.outcome, f.message_key) == ("pass", "voice.functional.speaks-tts-request")
    assert TTS in f.message


def test_silent_control_fails_naming_what_was_pressed() -> None:
    p = probe(entry=entry("语音", "语音", source="text"), found=True, functional=False,
              reason="silent", tried=[tried("语音", "silent"), tried("朗读", "silent")])
    [f] = judge("voice.functional", p)
    assert (f.outcome, f.message_key) == ("fail", "voice.functional.silent")
    assert "共按了 2 个控件：语音、朗读" in f.message and "点击事件" in f.message
    assert contract_voice(site(p))["reason"] == f.message  # type: ignore[index]


def test_carried_text_marks_a_speech_request() -> None:
    page = ARTICLE + "其他内容"
    form = "text=%E4%B8%BA" + ARTICLE[1:] + "&spd=5&per=0"  # 为, percent-encoded
    assert carried_chars(form, page) == len(ARTICLE)
    assert carried_chars('{"text": "' + ARTICLE + '", "spd": 5}', page) == len(ARTICLE)
    assert carried_chars("q=适老化&page=2", page) == 0  # a search: too short to be the article
    assert carried_chars("text=" + "某某" * 20, page) == 0  # long, but not the page's text
    beacon = "title=" + ARTICLE + "&event=click"  # an analytics beacon sends the page title
    assert carried_chars(beacon, page, title=ARTICLE) == 0


def test_a_page_is_loaded_again_only_with_a_sign_of_voice() -> None:
    assert not worth_probing(make_capture(text_runs=[run("政务公开")],
                                          interactive=[control("首页")]))
    assert worth_probing(make_capture(text_runs=[run("语音")]))
    assert worth_probing(make_capture(interactive=[control("", aria_label="语音朗读",
                                                           text="")]))
    assert worth_probing(make_capture(images=[image("/img/laba.svg", alt=None,
                                                    classes="speak-icon")]))
    assert worth_probing(make_capture(scripts=["/js/speak.min.js"]))
    assert worth_probing(make_capture(text_runs_truncated=True))


def test_a_page_that_could_not_be_probed_is_left_for_review() -> None:
    p = probe(entry=entry("语音朗读", "语音朗读", keyboard=True, source="text"), found=True,
              functional=None, reason="probe-failed", failure="the page failed: HTTP 503")
    [f] = judge("voice.functional", p, "en")
    assert (f.outcome, f.message_key) == ("review", "voice.functional.unknown")
    assert "HTTP 503" in f.message
