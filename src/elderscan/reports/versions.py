"""The result's `versions` as people read them: one zh/en wording shared by the HTML report
and the dashboard, so a 藏文版 is named the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from elderscan.checks._registry import Lang
from elderscan.i18n import CATALOGUE, LANGS, text

_WORDS = ("title", "version", "label", "how", "status", "verified", "lang_attr", "glyphs",
          "glyphs_ok", "glyphs_bad", "unknown", "none", "note", "column", "filter", "any")
TEXT: dict[Lang, dict[str, str]] = {
    lang: {word: text(f"reports.versions.{word}", lang) for word in _WORDS} for lang in LANGS}
"""The section's words by language (from the catalogue, `reports.versions.*`)."""


def _pairs(prefix: str, names: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    return {name: CATALOGUE[f"{prefix}.{name}"] for name in names}


KINDS = _pairs("reports.versions.kind", ("language", "traditional", "simple", "text-only",
                                         "voice", "large-print"))
HOWS = _pairs("reports.versions.how", ("link", "subdomain", "toggle"))
LANGUAGES = _pairs("reports.versions.lang", ("bo", "ug", "mn", "ko", "kk", "ii", "za", "en",
                                             "ja", "ru", "ar", "fr", "de", "es", "zh-Hant"))


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


def version_name(entry: Mapping[str, Any], lang: Lang) -> str:
    """藏文 (bo), 繁體中文, 简洁版 …: the language where there is one, else the kind."""
    code = entry.get("lang")
    if code:
        name = LANGUAGES.get(str(code))
        return text("reports.paren", lang, text=_pick(name, lang), detail=code) if name \
            else str(code)
    kind = KINDS.get(str(entry.get("kind")))
    return _pick(kind, lang) if kind else str(entry.get("kind"))


def version_rows(versions: Iterable[Mapping[str, Any]] | None, lang: Lang) -> list[dict[str, Any]]:
    """One row per version, every cell worded for people."""
    t = TEXT[lang]
    rows = []
    for v in versions or []:
        how = HOWS.get(str(v.get("how")))
        verified = v.get("verified")
        glyphs = v.get("glyphs_ok")
        rows.append({
            "name": version_name(v, lang), "label": v.get("label") or "",
            "how": _pick(how, lang) if how else str(v.get("how")), "url": v.get("url"),
            "status": v.get("status") if v.get("status") is not None else "—",
            "verified": t["unknown"] if verified is None else f"{float(verified) * 100:.0f}%",
            "lang_attr": v.get("lang_attr") or "—",
            "glyphs": t["unknown"] if glyphs is None else t["glyphs_ok" if glyphs
                                                            else "glyphs_bad"],
            "bad": glyphs is False or (v.get("status") or 0) >= 400,
        })
    return rows


def version_summary(versions: Iterable[dict[str, Any]] | None, lang: Lang) -> str:
    """Short list for a ranking cell: 藏文 (bo) · 繁體中文 (zh-Hant)."""
    return " · ".join(version_name(v, lang) for v in versions or [])


def version_keys(versions: Iterable[dict[str, Any]] | None) -> set[str]:
    """What a ranking filters on: each version's language, or its kind when it has none."""
    return {str(v.get("lang") or v.get("kind")) for v in versions or []}


def version_choices(lists: Iterable[list[dict[str, Any]]], lang: Lang) -> list[tuple[str, str]]:
    """(key, name) of every version some site offers, for the ranking's filter."""
    named: dict[str, str] = {}
    for versions in lists:
        for v in versions:
            named.setdefault(str(v.get("lang") or v.get("kind")), version_name(v, lang))
    return sorted(named.items(), key=lambda item: item[1])
