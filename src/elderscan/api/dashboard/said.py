"""What a stored scan says, said again in the reader's language for the dashboard's pages.

A result keeps its sentences (probe reasons, veto messages, finding messages) in the language it
was scanned in; these helpers say them in the page's language from the facts and message keys
(`reports.probes`, `reports.digest.message`), and a scan error by its kind, not its raw text.
"""

from __future__ import annotations

from typing import Any

from elderscan.contract import ScanReport
from elderscan.i18n import Lang
from elderscan.reports.probes import elder_reason, veto_messages, voice_reason
from elderscan.reports.wording import error_text


def said_again(report: ScanReport, lang: Lang) -> dict[str, Any]:
    """The scan page's sentences in `lang` (each with the language it ended up in)."""
    error = report.error
    return {"error": error_text(error.code, error.message, lang) if error else None,
            "vetoes": veto_messages(report, lang), "elder": elder_reason(report, lang),
            "voice": voice_reason(report, lang)}


def scan_error(code: str | None, raw: str | None, lang: Lang) -> str | None:
    """A failed scan's error as a kind of failure in words (the raw text is a detail)."""
    return error_text(code, raw, lang) if code or raw else None
