"""URL normalisation decides what counts as one page, so its rules are pinned here."""

from __future__ import annotations

import pytest

from elderscan.urls import (
    clean_href,
    link_scheme_skip,
    looks_like_non_html,
    matches_patterns,
    normalize_url,
    same_site,
    site_key,
    template_key,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://WWW.Example.COM/", "http://www.example.com/"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("http://127.0.0.1:8001/x", "http://127.0.0.1:8001/x"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com/a#frag", "http://example.com/a"),
        ("http://example.com/a/./b/../c", "http://example.com/a/c"),
        ("http://example.com/a/b/..", "http://example.com/a/"),
        ("http://example.com/../../x", "http://example.com/x"),
        ("http://example.com/%2e%2E/x", "http://example.com/x"),
        ("http://example.com/?", "http://example.com/"),
        ("http://example.com/p?b=2&a=1", "http://example.com/p?a=1&b=2"),
        ("http://example.com/p?b=&a", "http://example.com/p?a&b="),
        ("http://example.com/p?x=2&a=1&x=1", "http://example.com/p?a=1&x=2&x=1"),
        ("http://example.com/p?a=1&&b=2", "http://example.com/p?a=1&b=2"),
        ("http://example.com/%7euser/%41", "http://example.com/~user/A"),
        ("http://example.com/a%2fb%3F", "http://example.com/a%2Fb%3F"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com/100%", "http://example.com/100%25"),
        ("http://example.com/新闻", "http://example.com/%E6%96%B0%E9%97%BB"),
        ("http://例子.中国/", "http://xn--fsqu00a.xn--fiqs8s/"),
        ("http://EXAMPLE.com./", "http://example.com/"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("  http://example.com/a\\b\n  ", "http://example.com/a/b"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_normalize_is_idempotent() -> None:
    once = normalize_url("HTTP://例子.中国:80/a/../b c/%7e?z=1&a=%zz#x")
    assert once is not None
    assert normalize_url(once) == once


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("../x/./y?z=1", "http://h:8001/a/b/c.html", "http://h:8001/a/x/y?z=1"),
        ("/sitemap.xml", "http://127.0.0.1:5000/robots.txt", "http://127.0.0.1:5000/sitemap.xml"),
        ("//other.org/p", "https://h/", "https://other.org/p"),
        ("?page=2", "http://h/list.html?page=1", "http://h/list.html?page=2"),
        ("#top", "http://h/a.html", "http://h/a.html"),
        ("..\\news\\a.html", "http://h/col/x/index.html", "http://h/col/news/a.html"),
    ],
)
def test_normalize_url_with_base(href: str, base: str, expected: str) -> None:
    assert normalize_url(href, base) == expected


@pytest.mark.parametrize(
    "url",
    [
        "mailto:a@b.cn",
        "javascript:void(0)",
        "ftp://h/file",
        "data:text/html,hi",
        "/relative/without/base",
        "http:///nohost",
        "http://h:notaport/",
        "http://[::1/",
        "http://bad host/",
    ],
)
def test_normalize_url_rejects(url: str) -> None:
    assert normalize_url(url) is None


def test_relative_against_non_http_base_is_rejected() -> None:
    assert normalize_url("x.html", "file:///tmp/a.html") is None


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("mailto:office@gov.cn", "scheme"),
        ("tel:12345", "scheme"),
        ("  JavaScript:void(0)", "scheme"),
        ("java\nscript:alert(1)", "scheme"),
        ("data:image/png;base64,AAAA", "scheme"),
        ("ftp://files.gov.cn/a", "scheme"),
        ("sms:10086", "scheme"),
        ("weixin://dl/chat", "scheme"),
        ("http://gov.cn/", None),
        ("HTTPS://gov.cn/", None),
        ("/a/b.html", None),
        ("b.html?x=1:2", None),
        ("//gov.cn/x", None),
        ("#top", None),
        ("", None),
    ],
)
def test_link_scheme_skip(href: str, expected: str | None) -> None:
    assert link_scheme_skip(href) == expected


def test_clean_href_keeps_backslashes_in_query() -> None:
    assert clean_href(" a\\b.html?q=c\\d ") == "a/b.html?q=c\\d"
    assert clean_href("javascript:a\\b") == "javascript:a\\b"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.gov.cn/x", "gov.cn"),
        ("https://gov.cn:443/", "gov.cn"),
        ("http://WWW.GOV.CN:80/", "gov.cn"),
        ("http://sub.www.gov.cn/", "sub.www.gov.cn"),
        ("http://127.0.0.1:8001/", "127.0.0.1:8001"),
        ("http://user:pw@www.gov.cn/", "gov.cn"),
        ("www.gov.cn", "gov.cn"),
    ],
)
def test_site_key(url: str, expected: str) -> None:
    assert site_key(url) == expected


def test_same_site() -> None:
    assert same_site("http://www.gov.cn/a", "https://gov.cn/b")
    assert not same_site("http://127.0.0.1:8001/", "http://127.0.0.1:8002/")
    assert not same_site("http://gov.cn/", "http://www.beijing.gov.cn/")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h/art/2024/art_123.html", "/art/<n>/art_<n>.html"),
        ("http://h/col/col1234/index.html", "/col/col<n>/index.html"),
        ("http://h/content/post_8a9f7c2e1b3d4e5f.html", "/content/post_<id>.html"),
        ("http://h/a/550e8400-e29b-41d4-a716-446655440000.html", "/a/<id>.html"),
        ("http://h/view?id=55", "/view?id=<v>"),
        ("http://h/view?page=2&id=55&id=56", "/view?id=<v>&page=<v>"),
        ("http://h/deadbeefcafe/x", "/deadbeefcafe/x"),
        ("http://h/about/index.html", "/about/index.html"),
        ("http://h/", "/"),
        ("http://h/新闻/123.html", "/新闻/<n>.html"),
    ],
)
def test_template_key(url: str, expected: str) -> None:
    assert template_key(url) == expected


def test_template_key_groups_look_alikes() -> None:
    a = template_key("http://h/art/2023/art_9.html?id=1")
    b = template_key("http://h/art/2024/art_12345.html?id=777")
    assert a == b
    assert a != template_key("http://h/col/2024/art_9.html")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h/files/report.PDF", True),
        ("http://h/a.docx", True),
        ("http://h/a.xls", True),
        ("http://h/a.wps", True),
        ("http://h/a.ofd", True),
        ("http://h/app.apk", True),
        ("http://h/pic.jpg?x=1", True),
        ("http://h/a.pdf;jsessionid=ABC", True),
        ("http://h/%E9%80%9A%E7%9F%A5.pdf", True),
        ("http://h/index.html", False),
        ("http://h/index.shtml", False),
        ("http://h/list.jsp?file=a.pdf", False),
        ("http://h/view.do", False),
        ("http://h/dir.pdf/", False),
        ("http://h/", False),
    ],
)
def test_looks_like_non_html(url: str, expected: bool) -> None:
    assert looks_like_non_html(url) is expected


def test_matches_patterns() -> None:
    url = "http://h/news/2024/a.html?print=1"
    assert matches_patterns(url, [], [])
    assert matches_patterns(url, [r"/news/"], [])
    assert not matches_patterns(url, [r"^http://h/about"], [])
    assert matches_patterns(url, [r"/about/", r"/news/"], [])
    assert not matches_patterns(url, [], [r"print=1"])
    assert not matches_patterns(url, [r"/news/"], [r"\?print"])
