"""Read-aloud as real portals offer it, scanned whole and judged against the truth files of the
portal-voice-* fixture sites: voice search is not read-aloud, an image-only widget is found,
proven and failed for its missing name, a speech server that does not answer is recognised and
said so, and a 语音 button that does nothing is found and not functional."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from conftest import SiteFarm, settings
from elderscan.checks._registry import Lang
from elderscan.contract import ScanReport, load_schema
from elderscan.finding import Finding
from elderscan.runner.scan import scan_site

pytestmark = pytest.mark.browser

SITES = ("portal-voice-search", "portal-voice-widget", "portal-voice-esd", "portal-voice-dead")
OPTS = settings(max_pages=1, axe=False)
_REPORTS: dict[tuple[str, str], ScanReport] = {}


async def scan(sites: SiteFarm, name: str, lang: Lang = "zh") -> ScanReport:
    if (name, lang) not in _REPORTS:
        _REPORTS[name, lang] = await scan_site(sites.url(name), OPTS, lang=lang)
    return _REPORTS[name, lang]


def voice_findings(report: ScanReport) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for page in report.pages:
        for f in page.findings:
            if f.rule in {"voice.readaloud", "voice.functional"}:
                found.setdefault(f.rule, []).append(f)
    return found


@pytest.mark.parametrize("site", SITES)
async def test_voice_matches_truth(sites: SiteFarm, site: str) -> None:
    truth: dict[str, Any] = sites.truth(site)["voice"]
    report = await scan(sites, site)
    data = report.to_json_dict()
    jsonschema.validate(data, load_schema())
    voice = data["voice"]
    assert (voice["found"], voice["functional"], voice["kind"]) == (
        truth["found"], truth["functional"], truth["kind"]), voice
    got = [{"text": c["text"], "found_by": c["found_by"], "outcome": c["outcome"]}
           for c in voice["candidates"]]
    assert got == truth["candidates"], voice["candidates"]
    assert (voice["reason"] is None) is (truth["reason"] is None), voice["reason"]
    if truth["found"]:
        assert voice["entry"]["text"] == truth["entry_text"]
    if "accessible_name" in truth:
        assert voice["entry"]["name"] == truth["accessible_name"]
        assert voice["entry"]["keyboard_reachable"] is truth["keyboard_focusable"]
    if "stoppable" in truth:
        assert voice["stoppable"] is truth["stoppable"]
    assert report.score is not None and report.score["dimensions"]["voice"] is not None


async def test_voice_search_is_not_readaloud(sites: SiteFarm) -> None:
    report = await scan(sites, "portal-voice-search")
    [finding] = voice_findings(report)["voice.readaloud"]
    assert (finding.outcome, finding.message_key) == ("fail", "voice.readaloud.only-input")
    assert "语音搜索" in finding.message and "语音输入" in finding.message
    assert "voice.functional" not in voice_findings(report)
    assert report.voice is not None and report.voice["reason"] == finding.message


async def test_image_only_widget_is_proven_and_failed_for_its_name(sites: SiteFarm) -> None:
    report = await scan(sites, "portal-voice-widget")
    found = voice_findings(report)
    outcomes = sorted((f.outcome, f.message_key) for f in found["voice.readaloud"])
    assert outcomes == [("fail", "voice.readaloud.unnamed-unfocusable"),
                        ("pass", "voice.readaloud.found-unnamed")]
    unnamed = next(f for f in found["voice.readaloud"] if f.outcome == "fail")
    assert unnamed.selector is not None and unnamed.box is not None
    assert unnamed.threshold == "accessible name" and unnamed.value == ""
    assert "aria-label" in unnamed.message
    speaks = {f.message_key: f.outcome for f in found["voice.functional"]}
    assert speaks == {"voice.functional.speaks-speech-synthesis": "pass",
                      "voice.functional.stops": "pass"}


async def test_unreachable_speech_server_is_read_aloud_said_so(sites: SiteFarm) -> None:
    truth = sites.truth("portal-voice-esd")["voice"]
    zh, en = await scan(sites, "portal-voice-esd"), await scan(sites, "portal-voice-esd", "en")
    assert zh.voice is not None and en.voice is not None
    [request] = zh.voice["requests"]
    assert request["url"] == truth["tts_endpoint"] and request["method"] == "POST"
    assert 0 < request["chars"] <= truth["tts_piece"]
    assert request["status"] is None and request["failure"]
    [finding] = voice_findings(zh)["voice.functional"]
    assert (finding.outcome, finding.message_key) == ("review", "voice.functional.tts-unreachable")
    assert truth["tts_endpoint"] in finding.message and "没有应答" in finding.message
    assert zh.voice["reason"] == finding.message
    assert "does not answer" in en.voice["reason"] and truth["tts_endpoint"] in en.voice["reason"]


async def test_dead_voice_button_is_found_not_functional(sites: SiteFarm) -> None:
    report = await scan(sites, "portal-voice-dead")
    found = voice_findings(report)
    assert [f.outcome for f in found["voice.readaloud"]] == ["pass"]
    [finding] = found["voice.functional"]
    assert (finding.outcome, finding.message_key) == ("fail", "voice.functional.silent")
    assert "“语音”" in finding.message and "点击事件" in finding.message


async def test_site_without_voice_says_none_was_found(sites: SiteFarm) -> None:
    """gov-elder-link shows no voice word, image or script: nothing to press, and the reason
    says so (the probe decides from the capture, without loading the page again)."""
    report = await scan(sites, "gov-elder-link")
    assert report.voice is not None and report.voice["candidates"] == []
    assert report.voice["found"] is False
    [finding] = voice_findings(report)["voice.readaloud"]
    assert finding.message_key == "voice.readaloud.missing"
    assert report.voice["reason"] == finding.message
