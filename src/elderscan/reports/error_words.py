"""One table of scan error codes in words, for every place that says why a scan failed: the
round page, the ranking page and the ranking files. The phrases are `rankings.reason.<code>`
(codes added later, such as `bad-target`, are `hardening.reason.<code>`); an unknown code is
named in `rankings.reason.other`, so no raw code is ever shown on its own."""

from __future__ import annotations

from elderscan.i18n import Lang, has, text

PLACES = ("rankings.reason.", "hardening.reason.")


def error_reason(code: str | None, lang: Lang) -> str:
    """Why a scan failed, from its error code (None: no code was recorded)."""
    if not code:
        return text("rankings.reason.failed", lang)
    for place in PLACES:
        if has(place + code):
            return text(place + code, lang)
    return text("rankings.reason.other", lang, code=code)
