"""Scripts, languages and version labels: the pure half of the version probe."""

from __future__ import annotations

import pytest

from elderscan.langscripts import lang_matches, script_counts, scripts_for, share
from elderscan.scanner.version_entries import (
    classify,
    how_reached,
    registrable_domain,
    version_candidates,
    worth_looking,
)


@pytest.mark.parametrize(("text", "lang", "low", "high"), [
    ("བོད་ལྗོངས་རང་སྐྱོང་ལྗོངས།", "bo", 0.99, 1.0),
    ("西藏自治区 བོད་ལྗོངས།", "bo", 0.6, 0.8),
    ("ئۇيغۇرچە تور بېكىتى", "ug", 0.99, 1.0),
    ("ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", "mn", 0.99, 1.0),
    ("조선어 판", "ko", 0.99, 1.0),
    ("ꆈꌠꁱꂷ", "ii", 0.99, 1.0),
    ("Vahcuengh banj", "za", 0.99, 1.0),
    ("國務院辦公廳", "zh-Hant", 0.99, 1.0),
    ("国务院办公厅", "zh-Hant", 0.0, 0.0),
    ("中文页面 English", "en", 0.5, 0.65),
])
def test_share_of_the_expected_script(text: str, lang: str, low: float, high: float) -> None:
    value = share(script_counts(text), scripts_for(lang))
    assert value is not None and low <= value <= high, value


def test_nothing_to_count_is_not_a_share() -> None:
    assert share(script_counts("123 —— ！"), scripts_for("bo")) is None
    assert scripts_for(None) == ()


@pytest.mark.parametrize(("tag", "lang", "ok"), [
    ("bo", "bo", True), ("bo-CN", "bo", True), ("zh-CN", "bo", False), (None, "bo", False),
    ("zh-TW", "zh-Hant", True), ("zh-Hant-HK", "zh-Hant", True), ("zh-CN", "zh-Hant", False),
    ("ug-Arab", "ug", True), ("en-US", "en", True),
])
def test_lang_attribute_marks_the_language(tag: str | None, lang: str, ok: bool) -> None:
    assert lang_matches(tag, lang) is ok


@pytest.mark.parametrize(("label", "call", "hreflang", "lang", "want"), [
    ("藏文版", "", None, None, ("language", "bo")),
    ("བོད་ཡིག", "", None, None, ("language", "bo")),
    ("ئۇيغۇرچە", "", None, None, ("language", "ug")),
    ("维吾尔文", "", None, None, ("language", "ug")),
    ("ᠮᠣᠩᠭᠣᠯ", "", None, None, ("language", "mn")),
    ("蒙古文", "", None, None, ("language", "mn")),
    ("조선어", "", None, None, ("language", "ko")),
    ("哈萨克文", "", None, None, ("language", "kk")),
    ("彝文", "", None, None, ("language", "ii")),
    ("Vahcuengh", "", None, None, ("language", "za")),
    ("English", "", None, None, ("language", "en")),
    ("EN", "", None, None, ("language", "en")),
    ("日本語", "", None, None, ("language", "ja")),
    ("Русский", "", None, None, ("language", "ru")),
    ("العربية", "", None, None, ("language", "ar")),
    ("繁體", "", None, None, ("traditional", "zh-Hant")),
    ("繁", "zh_tran('t')", None, None, ("traditional", "zh-Hant")),
    ("简", "zh_tran('s')", None, None, None),
    ("简洁版", "", None, None, ("simple", None)),
    ("纯文本版", "", None, None, ("text-only", None)),
    ("Tibetan", "", "bo", None, ("language", "bo")),
    ("下一页", "", None, "ug", ("language", "ug")),
    ("中文", "", "zh-CN", None, None),
    ("香港", "", "zh-HK", None, ("traditional", "zh-Hant")),
    ("西藏自治区召开藏文信息化工作推进会议", "", None, None, None),
    ("政务公开", "", None, None, None),
])
def test_labels_name_versions(label: str, call: str, hreflang: str | None, lang: str | None,
                              want: tuple[str, str | None] | None) -> None:
    assert classify(label, call, hreflang, lang) == want


def test_registrable_domain_and_how_a_version_is_reached() -> None:
    assert registrable_domain("http://en.www.xizang.gov.cn/") == "xizang.gov.cn"
    assert registrable_domain("https://english.beijing.gov.cn/x") == "beijing.gov.cn"
    assert registrable_domain("http://www.example.com/") == "example.com"
    assert registrable_domain("http://127.0.0.1:8080/") == "127.0.0.1"
    home = "http://www.xizang.gov.cn/"
    assert how_reached("http://www.xizang.gov.cn/bo/", home) == "link"
    assert how_reached("http://tb.xizang.gov.cn/", home) == "subdomain"
    assert how_reached("http://www.xizang.gov.cn:8443/", home) == "subdomain"
    assert how_reached("http://www.tibet.cn/", home) is None


def _raw(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"tag": "a", "text": "", "aria": None, "title": None,
                               "hreflang": None, "lang": None, "href": None, "onclick": "",
                               "value": None, "selector": "a", "visible": True,
                               "box": [0, 0, 10, 10]}
    base.update(kw)
    return base


def test_candidates_one_per_language_links_toggles_and_drop_downs() -> None:
    home = "http://www.xizang.gov.cn/"
    found = [
        _raw(text="藏文版", href="http://www.xizang.gov.cn/bo/", selector="#bo"),
        _raw(text="藏文", href="http://www.xizang.gov.cn/bo/index.html", visible=False),
        _raw(text="繁體", href="javascript:void(0)", onclick="zh_tran('t')", selector="#t"),
        _raw(text="English", href="http://en.xizang.gov.cn/", selector="#en"),
        _raw(text="Русский", tag="option", value="/ru/", selector="#langs"),
        _raw(text="日本語", tag="option", value="ja", onclick="translatePage(this.value)",
             selector="#langs2"),
        _raw(text="中文", href="http://www.xizang.gov.cn/", hreflang="zh-CN"),
        _raw(text="藏文", href="http://www.xizang.gov.cn/", selector="#self"),
        _raw(text="Tibet Daily", href="http://www.tibet.cn/", hreflang="bo", visible=False),
        _raw(tag="link", href="http://www.xizang.gov.cn/mn/", hreflang="mn", visible=False,
             selector=None, box=None),
        _raw(text="大字版", href="javascript:void(0)", onclick="big()"),
    ]
    got = [(c.kind, c.lang, c.how, c.url, c.selector, c.option, c.offsite)
           for c in version_candidates(found, home)]
    assert got == [
        ("language", "bo", "link", "http://www.xizang.gov.cn/bo/", "#bo", None, False),
        ("traditional", "zh-Hant", "toggle", None, "#t", None, False),
        ("language", "en", "subdomain", "http://en.xizang.gov.cn/", "#en", None, False),
        ("language", "ru", "link", "http://www.xizang.gov.cn/ru/", "#langs", None, False),
        ("language", "ja", "toggle", None, "#langs2", "ja", False),
        ("language", "mn", "link", "http://www.xizang.gov.cn/mn/", None, None, False),
    ]


def test_the_browser_is_used_only_where_a_version_may_be() -> None:
    assert not worth_looking(["首页", "政务公开", "关怀版", "无障碍"], "<a href='/'>首页</a>")
    assert worth_looking(["首页", "English"], "")
    assert worth_looking(["繁"], "")
    assert worth_looking([], '<a href="/bo/" hreflang="bo">ཀ</a>')
    assert worth_looking([], "<script>function zh_tran(t){}</script>")
    assert worth_looking([], '<select><option value="/ru/" lang="ru">RU</option></select>')
