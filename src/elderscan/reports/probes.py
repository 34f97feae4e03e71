"""The elder-mode and voice probes' findings in the reader's language, whatever the scan's.

A result stores each probe's sentences (`elder_mode.reason`, `candidates[].outcome`,
`voice.reason`) in the language of the scan, beside the facts they were written from. A report
or page in the other language says them again from those facts (the candidate's how, result,
HTTP status, changes, failed requests, text sizes) or from the finding that carries the message
key, so an English page of a Chinese scan is English. What cannot be said again is shown as
stored and marked with its language (`stored_lang`).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from elderscan.capture import ElderTrial, Entry, RequestNote
from elderscan.checks.elder_trials import outcome as trial_outcome
from elderscan.checks.elder_trials import reason as trial_reason
from elderscan.contract import ScanReport
from elderscan.i18n import Lang
from elderscan.reports.digest import message

_HAN = re.compile(r"[\u4e00-\u9fff]")


def stored_lang(sentence: str | None) -> Lang:
    """The language a stored sentence was written in (Chinese ones have Han characters)."""
    return "zh" if sentence and _HAN.search(sentence) else "en"


def _trial(candidate: dict[str, Any], winner: str | None) -> ElderTrial | None:
    """The probe's facts about one candidate, as stored in the result."""
    if not candidate.get("result"):
        return None
    px = candidate.get("text_px") or {}
    try:
        return ElderTrial.model_validate(dict(
            entry=Entry(text=str(candidate.get("text") or ""),
                        name=str(candidate.get("label") or ""),
                        selector=str(candidate.get("selector") or ""), tag="",
                        href=candidate.get("href"), box=None, in_first_screen=False,
                        landmark=None, keyboard_reachable=False, keyword=None, source="text",
                        score=0.0),
            role=candidate.get("role") or "elder", vendor=candidate.get("vendor"),
            handler=candidate.get("handler"), how=candidate.get("how"),
            verdict=candidate["result"],
            skipped=candidate.get("skipped") or ("proven-earlier" if winner else "try-limit"),
            url_after=candidate.get("url_after"), http_status=candidate.get("http_status"),
            reloaded=bool(candidate.get("reloaded")), changes=candidate.get("changes") or [],
            requests=int(candidate.get("requests") or 0),
            failed=[RequestNote(**n) for n in candidate.get("failed_requests") or []],
            text_px_before=px.get("before"), text_px_after=px.get("after")))
    except (ValidationError, TypeError, ValueError):
        return None


def elder_candidates(report: ScanReport, lang: Lang) -> list[dict[str, Any]]:
    """`elder_mode.candidates` with `outcome` and `reason` said in `lang` (and `lang_of`, the
    language of each sentence: `lang`, or the scan's where it could not be said again)."""
    elder = report.elder_mode or {}
    candidates = list(elder.get("candidates") or [])
    winner = next((str(c.get("text") or "") for c in candidates
                   if c.get("result") == "effective"), None)
    home = report.target
    shown = []
    for c in candidates:
        trial = _trial(c, winner)
        row = dict(c)
        if trial is not None:
            row["outcome"] = trial_outcome(trial, lang, home)
            row["reason"] = trial_reason(trial, lang, winner, home)
            row["lang_of"] = lang
        else:
            row["lang_of"] = stored_lang(str(c.get("reason") or c.get("outcome") or ""))
        shown.append(row)
    return shown


def elder_reason(report: ScanReport, lang: Lang) -> tuple[str | None, Lang]:
    """Why elder mode does not work (or how it does), in `lang` where it can be said again:
    the reason of the candidate the entry is, else the stored sentence and its language."""
    elder = report.elder_mode or {}
    stored = elder.get("failure") or elder.get("reason")
    if not stored:
        return None, lang
    entry = elder.get("entry") or {}
    for row in elder_candidates(report, lang):
        if row.get("selector") == entry.get("selector") and row.get("lang_of") == lang:
            return str(row.get("reason") or stored), lang
    return str(stored), stored_lang(str(stored))


VOICE_RULES = ("voice.functional", "voice.readaloud")


def voice_reason(report: ScanReport, lang: Lang) -> tuple[str | None, Lang]:
    """Why read-aloud does not work, from the finding that says so (its key and data)."""
    voice = report.voice or {}
    stored = voice.get("reason")
    if not stored:
        return None, lang
    for rule in VOICE_RULES:
        for page in report.pages:
            for finding in page.findings:
                if finding.rule == rule and finding.outcome == "fail" and finding.message_key:
                    return message(finding, lang), lang
    return str(stored), stored_lang(str(stored))


def veto_messages(report: ScanReport, lang: Lang) -> list[dict[str, Any]]:
    """`score.vetoes` with each message said again in `lang` from the rule's first failure."""
    shown = []
    for veto in (report.score or {}).get("vetoes") or []:
        rule = veto.get("rule")
        first = next((f for p in report.pages for f in p.findings
                      if f.rule == rule and f.outcome == "fail"), None)
        text = message(first, lang) if first is not None else str(veto.get("message") or "")
        shown.append({"rule": rule, "message": text,
                      "lang_of": lang if first is not None else stored_lang(text)})
    return shown
