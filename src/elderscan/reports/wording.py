"""Values of the result in words: what a measured value, a viewport, a scan error or a count
reads as in zh or en, so no report or page shows `None`, `partial` or `[Errno -2]`.

Shared by every report format and the dashboard; the words are the catalogue's
(`elderscan/i18n/reports.py`).
"""

from __future__ import annotations

from elderscan.i18n import CATALOGUE, Lang, has, text


def count(key: str, n: int, lang: Lang) -> str:
    """`reports.count.failures` with n=1 → "1 failure"; n=2 → "2 failures"."""
    singular = f"{key}.one"
    return text(singular if n == 1 and has(singular) else key, lang, n=n)


def number(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def value_text(value: object, lang: Lang) -> str:
    """A measured value or threshold as read: numbers as numbers, our words in `lang`, the
    site's own text (a label, a keyword) as it is, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return text("reports.value.yes" if value else "reports.value.no", lang)
    if isinstance(value, int | float):
        return number(value)
    key = f"reports.value.{value}"
    if has(key):
        return text(key, lang)
    for kind in ("severity", "error"):  # axe-core's impact (wcag), a load failure's code
        key = f"reports.{kind}.{value}"
        if has(key):
            return text(key, lang)
    return str(value)


def viewport_name(viewport: str, lang: Lang) -> str:
    key = f"reports.viewport.{viewport}"
    return text(key, lang) if has(key) else viewport


def mode_name(mode: str, lang: Lang) -> str:
    key = f"reports.mode.{mode}"
    return text(key, lang) if has(key) else mode


def status_name(status: str | None, lang: Lang) -> str:
    key = f"reports.status.{status}"
    return text(key, lang) if has(key) else text("reports.unknown", lang)


def skip_reason(reason: str, lang: Lang) -> str:
    """Why the crawler left a link: the crawler's code in words (a page that failed to load
    has its error text as the reason: said by its kind)."""
    key = f"reports.skip.{reason}"
    if has(key):
        return text(key, lang)
    return text("reports.paren", lang, text=text("reports.skip.other", lang),
                detail=error_text(None, reason, lang))


def http_status(status: int | None, lang: Lang) -> str:
    return text("reports.no-status", lang) if status is None else str(status)


_CLAUSE_WORDS = sorted((key.removeprefix("reports.clause."), pair)
                       for key, pair in CATALOGUE.items() if key.startswith("reports.clause."))


def clause_text(clause: str, lang: Lang) -> str:
    """A rule's clause: standard names and numbers stay (`WEB (u) 1.2.3; APP 1.1`), the words
    some carry (`service principles`, GB/T's `二级`) are said in `lang`."""
    out = clause
    for _, (zh, en) in sorted(_CLAUSE_WORDS, key=lambda item: -len(item[0])):
        out = out.replace(en, zh) if lang == "zh" else out.replace(zh, en)
    return out


ERROR_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dns", ("does not resolve", "name or service not known", "nodename nor servname",
             "err_name_not_resolved", "temporary failure in name resolution", "getaddrinfo",
             "errno -2", "errno -3", "errno -5")),
    ("guard", ("address guard", "non-public", "err_blocked_by_client")),
    ("refused", ("refused", "err_connection_refused", "errno 111")),
    ("timeout", ("timed out", "timeout", "err_timed_out")),
    ("tls", ("ssl", "tls", "certificate", "err_cert")),
    ("reset", ("reset", "err_connection_reset", "broken pipe", "errno 104")),
    ("http", ("http status", "http error", "answered http")),
)
"""A network error's kind from its code or its text (Python's, Chromium's `net::ERR_…`)."""


def error_kind(code: str | None, message: str | None) -> str:
    if code and has(f"reports.error.{code}"):
        return code
    raw = f"{code or ''} {message or ''}".lower()
    for kind, signs in ERROR_KINDS:
        if any(sign in raw for sign in signs):
            return kind
    return "network" if "net::" in raw or "errno" in raw else "other"


def error_text(code: str | None, message: str | None, lang: Lang) -> str:
    """What went wrong, in words: the kind of failure (DNS, refused, timeout, TLS …)."""
    return text(f"reports.error.{error_kind(code, message)}", lang)
