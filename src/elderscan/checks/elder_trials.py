"""Each elder-mode candidate the probe considered, in words a site owner can act on.

The probe records facts (`ElderTrial`: how it was activated, what changed, which requests
failed, text size before and after); this module words them as an `outcome` (what happened)
and a `reason` (why it counts or not), from the catalogue's `probes.elder.*` phrases
(elderscan/i18n/probes.py): the same words for the terminal, reports and API. The result's
`elder_mode.candidates[]` is laid out by the judge (`judge/sections.py`), as other sections are.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from elderscan.capture import ElderTrial
from elderscan.checks._registry import Lang
from elderscan.checks.standards.thresholds import PX_TOLERANCE
from elderscan.i18n import text

MAX_CHANGES = 4

def say(key: str, lang: Lang, **data: object) -> str:
    """A phrase of the catalogue (`probes.elder.<key>`, elderscan/i18n/probes.py)."""
    return text(f"probes.elder.{key}", lang, **data)


def label(trial: ElderTrial) -> str:
    return (trial.entry.text or trial.entry.name or trial.entry.selector).strip()


def _path(url: str | None, home: str | None) -> str:
    """A URL as short as it can be said: its path when it is on the home page's host."""
    if not url:
        return ""
    parts = urlsplit(url)
    if home and parts.netloc != urlsplit(home).netloc:
        return url
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _file(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1] or url


def _px(value: float | None, lang: Lang) -> str:
    return f"{value:g} px" if value is not None else say("unknown-px", lang)


def _subject(trial: ElderTrial, lang: Lang, home: str | None) -> str:
    if trial.how == "follow-link":
        return say("leads", lang, label=label(trial), url=_path(trial.url_after, home))
    if trial.handler:
        return say("calls", lang, label=label(trial), handler=trial.handler)
    return say("clicked", lang, label=label(trial))


def _went(trial: ElderTrial, lang: Lang, home: str | None) -> str:
    url = _path(trial.url_after, home)
    if trial.http_status is None:
        return say("went", lang, url=url)
    return say("navigated", lang, url=url, status=trial.http_status)


def _failed(trial: ElderTrial, lang: Lang) -> str:
    notes = []
    for note in trial.failed[:3]:
        if note.status is not None:
            notes.append(say("answered", lang, file=_file(note.url), status=note.status))
        else:
            notes.append(say("never", lang, file=_file(note.url), failure=note.failure or ""))
    return say("list", lang).join(notes)


def outcome(trial: ElderTrial, lang: Lang, home: str | None = None) -> str:
    """What happened, as facts: navigation, reload, changes, requests, text size."""
    if trial.how == "not-tried":
        return say("not-tried", lang)
    parts: list[str] = []
    if trial.how == "follow-link":
        parts.append(say("opened", lang, url=_path(trial.url_after, home),
                         status=trial.http_status if trial.http_status is not None else "—"))
    elif trial.how == "click-new-window":
        parts.append(say("new-window", lang, url=_path(trial.url_after, home)))
    elif trial.url_after:
        parts.append(_went(trial, lang, home))
    if trial.reloaded:
        parts.append(say("reloaded", lang))
    changes = [c for c in trial.changes if not c.startswith(("url", "new window"))]
    if changes:
        parts.append(say("changed", lang, changes=", ".join(changes[:MAX_CHANGES])))
    if trial.how != "follow-link" and trial.verdict != "click-failed":
        if not parts:
            parts.append(say("nothing", lang))
        failed = sum(1 for n in trial.failed if n.during == "activation")
        parts.append(say("requests", lang, count=trial.requests, failed=failed))
    if trial.text_px_before is not None or trial.text_px_after is not None:
        parts.append(say("text", lang, before=_px(trial.text_px_before, lang),
                         after=_px(trial.text_px_after, lang)))
    return say("sep", lang).join(parts)


def reason(trial: ElderTrial, lang: Lang, winner: str | None = None,
           home: str | None = None) -> str:
    """Why the candidate counts or not, naming what the site owner can fix."""
    v = trial.verdict
    if v == "not-tried":
        if trial.skipped == "proven-earlier" and winner:
            return say("proven-earlier", lang, winner=winner)
        return say("try-limit", lang)
    if v == "click-failed":
        return say("click-failed", lang, label=label(trial), error=trial.error or "")
    before, after = _px(trial.text_px_before, lang), _px(trial.text_px_after, lang)
    subject = _subject(trial, lang, home)
    sep = say("sep", lang)
    went = ([_went(trial, lang, home)] if trial.how == "click" and trial.url_after else [])
    reloaded = [say("reloaded", lang)] if trial.reloaded else []
    if v == "effective":
        return sep.join([subject, *went, *reloaded,
                         say("effective", lang, before=before, after=after)])
    if v in ("http-error", "page-failed", "no-text"):
        return (sep.join([subject, *went]) + say("then", lang)
                + say(v, lang, status=trial.http_status, error=trial.error or ""))
    parts = [subject, *went]
    if v == "no-change":
        parts.append(say("no-change", lang))
    else:
        changes = [c for c in trial.changes if not c.startswith(("url", "new window"))]
        parts.extend(reloaded)
        if changes:
            parts.append(say("it-changed", lang, changes=", ".join(changes[:MAX_CHANGES])))
    failed = _failed(trial, lang)
    if failed:
        parts.append(say("vendor-but", lang, vendor=trial.vendor, failed=failed) if trial.vendor
                     else say("but", lang, failed=failed))
    if v == "not-effective":
        same = (trial.text_px_after is None or trial.text_px_before is None
                or abs(trial.text_px_after - trial.text_px_before) < PX_TOLERANCE)
        parts.append(say("stayed", lang, px=after) if same
                     else say("too-small", lang, before=before, after=after))
    return sep.join(parts)

