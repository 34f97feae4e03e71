"""Which controls on the start page lead to another version of the site, and of which kind.

Pure functions over what `js/versions_find.js` lists (links, buttons, script toggles, drop-down
options, `<link rel=alternate hreflang>`): a version is named by its label in Chinese (藏文版,
繁體), in its own language (བོད་ཡིག, ئۇيغۇرچە, English), by its label's script, or by
`hreflang`/`lang` on the control. The probe follows what this module returns, best first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from elderscan.capture import VersionHow, VersionKind
from elderscan.langscripts import dominant, script_counts
from elderscan.urls import normalize_url

LANGUAGE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (lang, re.compile(pattern, re.IGNORECASE)) for lang, pattern in (
        ("bo", r"藏文|藏语|藏汉双语|བོད|tibetan"),
        ("ug", r"维吾尔|维文|ئۇيغۇر|uyghur|uighur"),
        ("kk", r"哈萨克|哈文|قازاق|қазақ|kazakh"),
        ("mn", r"蒙古文|蒙文|蒙古语|蒙语|ᠮᠣᠩᠭᠣᠯ|mongol|монгол"),
        ("ko", r"朝鲜文|朝鲜语|朝文|韩文|韩语|조선|한국어|한글|korean"),
        ("ii", r"彝文|彝语|ꆈꌠ|nuosu"),
        ("za", r"壮文|壮语|vahcuengh|sawcuengh|zhuang"),
        ("en", r"^(en|eng)$|english|英文|英语"),
        ("ja", r"日本語|日文|日语|japanese"),
        ("ru", r"русский|俄文|俄语|russian"),
        ("ar", r"العربية|阿拉伯|arabic"),
        ("fr", r"français|法文|法语|french"),
        ("de", r"deutsch|德文|德语|german"),
        ("es", r"español|西班牙|spanish"),
    )
)
TRADITIONAL = re.compile(r"繁體|繁体|正體|big5|^繁$", re.IGNORECASE)
TRADITIONAL_CALLS = re.compile(r"zh_tran\(\s*['\"]t['\"]|tradition|tosimple\(\s*false|"
                               r"\bt2s\b|s2t|translatePage|StranBody", re.IGNORECASE)
KIND_WORDS: tuple[tuple[VersionKind, re.Pattern[str]], ...] = (
    ("simple", re.compile(r"简洁版|简版|极简版|精简版|lite", re.IGNORECASE)),
    ("text-only", re.compile(r"纯文本|文本版|无图版|纯文字|text.only", re.IGNORECASE)),
    ("voice", re.compile(r"语音版")),
    ("large-print", re.compile(r"大字版")),
)
LINK_ONLY_KINDS = frozenset({"voice", "large-print"})
"""语音版 / 大字版 count as versions only as separate pages; as toggles they are elder mode."""
SCRIPT_LANGS = {"tibetan": "bo", "mongolian": "mn", "hangul": "ko", "yi": "ii",
                "cyrillic": "ru"}
MAX_LABEL = 16
"""A version entry is a short label; a headline that mentions 藏文 is not one."""
CHINESE = re.compile(r"^zh(-(hans|cn|sg))?$", re.IGNORECASE)

_SUFFIX_LABELS = frozenset({"gov", "com", "edu", "org", "net", "ac", "mil", "co"})


@dataclass(frozen=True)
class Candidate:
    """One version entry as found, before it is followed."""

    kind: VersionKind
    lang: str | None
    label: str
    how: VersionHow
    url: str | None
    selector: str | None
    box: tuple[float, float, float, float] | None
    visible: bool
    option: str | None = None
    """for a drop-down: the option's value, chosen with select_option"""
    offsite: bool = False
    """a link to another registrable domain: recorded, not followed"""


def registrable_domain(url: str) -> str:
    """The domain a site registered: `www.xizang.gov.cn` → `xizang.gov.cn`, an address or
    `localhost` as it is. Ports do not count: `en.` on another port is still the same site."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) <= 2 or host.replace(".", "").isdigit() or ":" in host:
        return host
    keep = 3 if labels[-2] in _SUFFIX_LABELS and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def how_reached(url: str, home_url: str) -> VersionHow | None:
    """link (same host and port), subdomain (same registrable domain, another host or port)
    or None (another site: not followed)."""
    here, there = urlsplit(home_url), urlsplit(url)
    if (here.hostname, here.port) == (there.hostname, there.port):
        return "link"
    if registrable_domain(url) == registrable_domain(home_url):
        return "subdomain"
    return None


def _tag_lang(tag: str | None) -> str | None:
    """A BCP 47 tag as a version language: `zh-TW` → `zh-Hant`; Chinese itself → None."""
    if not tag or tag.lower() == "x-default" or CHINESE.match(tag.strip()):
        return None
    low = tag.strip().replace("_", "-")
    if low.lower().startswith("zh"):
        return "zh-Hant"
    return low.split("-")[0].lower()


def classify(label: str, call: str, hreflang: str | None,
             lang: str | None) -> tuple[VersionKind, str | None] | None:
    """The kind and language a control's label, script call and attributes name, or None."""
    tagged = _tag_lang(hreflang) or _tag_lang(lang)
    if tagged == "zh-Hant":
        return "traditional", "zh-Hant"
    if tagged:
        return "language", tagged
    if len(label) > MAX_LABEL:
        return None
    if TRADITIONAL.search(label):
        return "traditional", "zh-Hant"
    for code, pattern in LANGUAGE_WORDS:
        if pattern.search(label):
            return "language", code
    script = dominant(script_counts(label))
    if script in SCRIPT_LANGS:
        return "language", SCRIPT_LANGS[script]
    if label and TRADITIONAL_CALLS.search(call) and not re.search(r"简|簡", label):
        return "traditional", "zh-Hant"  # a converter's switch labelled 繁 or an icon's title
    for kind, pattern in KIND_WORDS:
        if pattern.search(label):
            return kind, None
    return None


def _target(raw: dict[str, Any], home_url: str) -> str | None:
    href = raw.get("href")
    if raw.get("tag") == "option":
        value = str(raw.get("value") or "")
        href = value if value.startswith(("http://", "https://", "/", "./", "../")) else None
    if not href or str(href).lower().startswith(("javascript:", "#", "mailto:", "tel:")):
        return None
    url = normalize_url(str(href), home_url)
    if url is None or url == normalize_url(home_url) or url.split("#")[0] == home_url:
        return None
    return url


STATIC_HINT = re.compile(r"<(?:a|option|link|button)\b[^>]*\s(?:hreflang|lang)\s*=|zh_tran|"
                         r"translatePage|StranBody|s2t|t2s", re.IGNORECASE)


def worth_looking(labels: list[str], static_html: str) -> bool:
    """Whether the home page may offer a version at all: a rendered control's label names one,
    or the served HTML has hreflang/lang on a control or a converter script. Most sites have
    none, and then the probe costs no browser time."""
    if STATIC_HINT.search(static_html):
        return True
    return any(classify(label.strip()[:60], "", None, None) for label in labels if label.strip())


def version_candidates(found: list[dict[str, Any]], home_url: str) -> list[Candidate]:
    """One candidate per kind and language, the first visible one in document order."""
    picked: dict[tuple[str, str | None], Candidate] = {}
    for raw in found:
        label = " ".join(x for x in (raw.get("text"), raw.get("aria"), raw.get("title")) if x)
        label = label.strip()[:60] or str(raw.get("hreflang") or "")
        call = " ".join(str(raw.get(k) or "") for k in ("onclick", "href"))
        named = classify(label, call, raw.get("hreflang"),
                         raw.get("lang"))
        if named is None:
            continue
        kind, lang = named
        url = _target(raw, home_url)
        href = str(raw.get("href") or "")
        if url is None and (kind in LINK_ONLY_KINDS or raw.get("tag") == "link" or (
                href.lower().startswith(("http://", "https://")) and not raw.get("onclick"))):
            continue  # a link to this very page is the current version
        reached = how_reached(url, home_url) if url else "toggle"
        how: VersionHow = reached or "link"
        box = raw.get("box")
        candidate = Candidate(
            kind=kind, lang=lang, label=label, how=how, url=url,
            selector=raw.get("selector"),
            box=tuple(float(v) for v in box) if box else None,  # type: ignore[arg-type]
            visible=bool(raw.get("visible")),
            option=str(raw.get("value")) if raw.get("tag") == "option" and url is None else None,
            offsite=reached is None,
        )
        key = (kind, lang)
        if key not in picked or (candidate.visible and not picked[key].visible):
            picked[key] = candidate
    return list(picked.values())
