"""Finding words of the other language in what a person reads (the one-language test's eyes).

An English text may hold no Han character and no full-width punctuation; a Chinese text no
English word. What came from a scanned site is the site's own words and is taken out first:
in HTML, every element marked `data-scanned` (and `<code>`, which only ever holds selectors,
rule ids and snippets), and anything marked with a `lang` of its own (the language switch
names the other language in that language); in every format, the strings the stored result
took from the site (`scanned_strings`). What is left must be in the page's language, apart from
`EN_ALLOWED` in Chinese (units, standards, product names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import html as lxml_html

from elderscan.contract import ScanReport
from elderscan.i18n.axe import locale as axe_locale

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
"""Han characters, CJK punctuation (、。) and full-width forms (：（），；)."""
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")
EN_ALLOWED = frozenset(w.lower() for w in (
    # units, protocols, formats
    "px", "ms", "KB", "MB", "HTTP", "HTTPS", "URL", "CSS", "HTML", "JSON", "CSV", "XLSX",
    "SARIF", "JUnit", "XML", "PDF", "API", "DNS", "TLS", "IP", "UTC", "ID", "Tab", "Cookie",
    "Excel", "YAML", "cron", "rem", "important", "UTF", "IANA", "CIDR",
    "class", "lang", "hreflang", "id", "ARIA", "SVG", "PNG", "JavaScript", "iframe", "src",
    # standards and products
    "WCAG", "GB", "T", "APP", "WEB", "elderscan", "Chromium", "axe", "core", "axe-core",
    "Playwright", "Redis", "Celery", "Swagger", "OpenAPI", "Deque", "dequeuniversity",
    # grades and single letters (A–E, a ratio's "x")
    *"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    # page languages in their own names; WCAG levels; HTML names in a message
    "English", "AA", "AAA", "meta", "viewport", "refresh",
    # a command named in a sentence
    "token", "create",
))
HAN_ALLOWED = ("关怀版", "长者模式", "适老版", "适老化", "繁體", "简洁版", "中文", "朗读", "读屏",
               "指读", "西藏", "新疆", "内蒙古", "延边")
"""Names of what sites offer, the words a check looks for on a page, and the region names
`--region` takes (kept in Chinese in English text, as a glossary would)."""
AXE_IDS = sorted(axe_locale("zh")["rules"], key=len, reverse=True)  # type: ignore[index]
IDENTIFIER = re.compile(r"\b[a-z]+(?:[-_][a-z0-9.+]+)+\b")
"""Hyphenated names (`chromium-headless-shell`, `elderscan-rules-2026.12`, `html-has-lang`)."""
RULE_ID = re.compile(r"\b(?:wcag|elder|font|contrast|voice|ads|target|focus|zoom|motion|lang|"
                     r"page|accessibility)\.[A-Za-z0-9*.-]+")
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
URL = re.compile(r"\b(?:https?|about|data|file):[^\s\"'<>，。；）)]*")
SKIP_TAGS = frozenset({"script", "style", "code", "pre", "svg"})
READ_ATTRS = ("title", "alt", "aria-label", "placeholder", "aria-description")

SCANNED_KEYS = frozenset({
    "text", "label", "labels", "name", "selector", "selectors", "html", "href", "url",
    "final_url", "target", "targets", "title", "url_after", "frame_url", "handler", "vendor",
    "toolbar_vendor", "host", "where", "changes", "file", "lang_attr", "keyword", "panel",
    "match", "close_label", "examples", "elder_url", "page", "content", "color",
    "background", "background_median", "screenshot", "console_errors", "help_url", "anchor",
    "toolbar",
})
"""Result fields whose strings are the site's (its texts, addresses, selectors, markup)."""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _scanned(value: Any, inside: bool = False) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SCANNED_KEYS or inside:
                yield from _strings(item)
            else:
                yield from _scanned(item)
    elif isinstance(value, list):
        for item in value:
            yield from _scanned(item, inside)
    elif isinstance(value, str) and inside:
        yield value


def scanned_strings(reports: Iterable[ScanReport], names: Iterable[str] = ()) -> list[str]:
    """Every string a stored result took from a site, with the sites' names, longest first
    (so a title is taken out before a word inside it)."""
    found: set[str] = set(names)
    for report in reports:
        found.update(_scanned(report.model_dump(mode="json", by_alias=True)))
        found.add(report.target)
        # a measured value that is not one of our words (`none`, `broken`) is the site's: a
        # label, a keyword, a size
        found.update(f.value for p in report.pages for f in p.findings
                     if isinstance(f.value, str) and not re.fullmatch(r"[a-z-]+", f.value))
    parts = {s.strip() for s in found if s and s.strip()}
    # a selector list joined by commas, a text over several lines: each piece counts
    parts |= {p.strip() for s in list(parts) for p in re.split(r"[,\n]", s)}
    # a URL is also said by its file name (`slh_func.js answered HTTP 404`)
    parts |= {s.rstrip("/").rsplit("/", 1)[-1] for s in list(parts) if s.startswith("http")}
    # a short Latin piece ("a", "ok") is as likely one of our words: only longer ones count
    return sorted((p for p in parts if len(p) >= (3 if p.isascii() else 1)), key=len,
                  reverse=True)


def _strip_scanned(text: str, scanned: list[str]) -> str:
    for s in scanned:
        if s in text:
            if s.isascii() and s[0].isalnum() and s[-1].isalnum():
                text = re.sub(rf"(?<![\w-]){re.escape(s)}(?![\w-])", " ", text)
            else:
                text = text.replace(s, " ")
    return text


def html_text(page: str) -> str:
    """What a person reads in an HTML page (text and the attributes read aloud or shown),
    without the marked scanned parts and the parts in a language of their own."""
    root = lxml_html.fromstring(page)
    for element in root.xpath("//*[@data-scanned] | //*[@lang][not(self::html)]"):
        element.drop_tree() if element.getparent() is not None else None
    parts: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in SKIP_TAGS:
            if element.tail:
                parts.append(element.tail)
            continue
        for attr in READ_ATTRS:
            if element.get(attr):
                parts.append(element.get(attr))
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            parts.append(element.get("value") or "")
        if element.text and not any(a.tag in SKIP_TAGS for a in element.iterancestors()
                                    if isinstance(a.tag, str)):
            parts.append(element.text)
        if element.tail and not any(a.tag in SKIP_TAGS for a in element.iterancestors()
                                    if isinstance(a.tag, str)):
            parts.append(element.tail)
    return "\n".join(parts)


def other_language(text: str, lang: str, scanned: list[str]) -> list[str]:
    """The pieces of `text` in the other language (empty when it is all in `lang`)."""
    text = URL.sub(" ", text)
    text = RULE_ID.sub(" ", text)
    text = _strip_scanned(text, scanned)
    text = HEX.sub(" ", text)
    text = IDENTIFIER.sub(" ", text)
    for axe_id in AXE_IDS:
        text = re.sub(rf"(?<![\w-]){re.escape(axe_id)}(?![\w-])", " ", text)
    for name in HAN_ALLOWED:
        text = text.replace(name, " ")
    found: list[str] = []
    for line in text.splitlines():
        if lang == "en":
            if HAN.search(line):
                found.append(line.strip())
        else:
            words = [w for w in WORD.findall(line) if w.lower() not in EN_ALLOWED]
            if words:
                found.append(f"{' '.join(words)}  ⟵  {line.strip()[:160]}")
    return found
