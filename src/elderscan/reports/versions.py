"""The result's `versions` as people read them: one zh/en wording shared by the HTML report
and the dashboard, so a 藏文版 is named the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from elderscan.checks._registry import Lang

TEXT: dict[Lang, dict[str, str]] = {
    "zh": {
        "title": "其他版本（民族语言、繁體、英文、简洁版）", "version": "版本", "label": "入口",
        "how": "方式", "status": "HTTP 状态", "verified": "该语言文字占比",
        "lang_attr": "页面 lang", "glyphs": "字形", "glyphs_ok": "正常",
        "glyphs_bad": "有方框（缺字体）", "unknown": "未测", "none": "首页未发现其他版本",
        "note": "按页面上的入口逐一打开并核验：文字是否为该语言文字、是否标注 lang、能否正常显示。",
        "column": "版本", "filter": "提供的版本", "any": "全部",
    },
    "en": {
        "title": "Other versions (minority languages, 繁體, English, 简洁版)",
        "version": "Version", "label": "Entry", "how": "How", "status": "HTTP status",
        "verified": "In its script", "lang_attr": "Page lang", "glyphs": "Glyphs",
        "glyphs_ok": "render", "glyphs_bad": "boxes (no font)", "unknown": "not measured",
        "none": "no other version found on the start page",
        "note": "Each entry on the page was opened and checked: is the text in that script, "
                "is it marked with lang, does it render.",
        "column": "Versions", "filter": "Offers version", "any": "all",
    },
}
KINDS: dict[str, tuple[str, str]] = {
    "language": ("语言版本", "language version"), "traditional": ("繁體版", "traditional Chinese"),
    "simple": ("简洁版", "simple version"), "text-only": ("纯文本版", "text-only version"),
    "voice": ("语音版", "voice version"), "large-print": ("大字版", "large-print version"),
}
HOWS: dict[str, tuple[str, str]] = {
    "link": ("链接", "link"), "subdomain": ("子域名", "sub-domain"),
    "toggle": ("页内切换", "in-page switch"),
}
LANGUAGES: dict[str, tuple[str, str]] = {
    "bo": ("藏文", "Tibetan"), "ug": ("维吾尔文", "Uyghur"), "mn": ("蒙古文", "Mongolian"),
    "ko": ("朝鲜文", "Korean"), "kk": ("哈萨克文", "Kazakh"), "ii": ("彝文", "Yi"),
    "za": ("壮文", "Zhuang"), "en": ("英文", "English"), "ja": ("日文", "Japanese"),
    "ru": ("俄文", "Russian"), "ar": ("阿拉伯文", "Arabic"), "fr": ("法文", "French"),
    "de": ("德文", "German"), "es": ("西班牙文", "Spanish"), "zh-Hant": ("繁體中文",
                                                                        "traditional Chinese"),
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


def version_name(entry: dict[str, Any], lang: Lang) -> str:
    """藏文 (bo), 繁體中文, 简洁版 …: the language where there is one, else the kind."""
    code = entry.get("lang")
    if code:
        name = LANGUAGES.get(str(code))
        return f"{_pick(name, lang)} ({code})" if name else str(code)
    kind = KINDS.get(str(entry.get("kind")))
    return _pick(kind, lang) if kind else str(entry.get("kind"))


def version_rows(versions: Iterable[dict[str, Any]] | None, lang: Lang) -> list[dict[str, Any]]:
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
