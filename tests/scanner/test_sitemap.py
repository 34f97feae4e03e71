"""Sitemaps come from untrusted servers: parse the common shapes, refuse the hostile ones."""

from __future__ import annotations

import gzip

from elderscan.scanner.sitemap import MAX_DECOMPRESSED, parse_sitemap, robots_sitemaps

BASE = "http://127.0.0.1:5000/sitemap.xml"

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>http://127.0.0.1:5000/a.html</loc><lastmod>2024-01-01</lastmod></url>
  <url><loc> /b.html </loc>
    <image:image><image:loc>http://127.0.0.1:5000/pic.jpg</image:loc></image:image></url>
  <url><loc>c/d.html</loc></url>
  <url><loc>http://127.0.0.1:5000/a.html#dup</loc></url>
  <url><loc>mailto:x@y.cn</loc></url>
  <url><loc>http://127.0.0.1:5000/q?b=1&amp;a=2</loc></url>
</urlset>
"""

EXPECTED = (
    "http://127.0.0.1:5000/a.html",
    "http://127.0.0.1:5000/b.html",
    "http://127.0.0.1:5000/c/d.html",
    "http://127.0.0.1:5000/q?a=2&b=1",
)


def test_urlset_namespaced() -> None:
    doc = parse_sitemap(URLSET, BASE)
    assert doc.kind == "urlset"
    assert doc.locs == EXPECTED


def test_urlset_without_namespace_and_with_bom() -> None:
    xml = b"\xef\xbb\xbf\n  <urlset><url><loc>/x.html</loc></url><url><loc>/y.html</loc></url>"
    xml += b"</urlset>"
    doc = parse_sitemap(xml, BASE)
    assert doc.kind == "urlset"
    assert doc.locs == ("http://127.0.0.1:5000/x.html", "http://127.0.0.1:5000/y.html")


def test_sitemapindex() -> None:
    xml = b"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>http://127.0.0.1:5000/sitemap-pages.xml.gz</loc></sitemap>
</sitemapindex>"""
    doc = parse_sitemap(xml, BASE)
    assert doc.kind == "sitemapindex"
    assert doc.locs == (
        "http://127.0.0.1:5000/sitemap-news.xml",
        "http://127.0.0.1:5000/sitemap-pages.xml.gz",
    )


def test_gzip_body() -> None:
    doc = parse_sitemap(gzip.compress(URLSET), BASE)
    assert doc.kind == "urlset"
    assert doc.locs == EXPECTED


def test_gzip_bomb_is_invalid() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_DECOMPRESSED + 10) + b"</urlset>")
    assert len(bomb) < MAX_DECOMPRESSED // 100
    assert parse_sitemap(bomb, BASE).kind == "invalid"


def test_corrupt_gzip_is_invalid() -> None:
    assert parse_sitemap(b"\x1f\x8b\x08\x00garbage", BASE).kind == "invalid"


def test_html_and_garbage_are_invalid() -> None:
    html = b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"
    assert parse_sitemap(html, BASE).kind == "invalid"
    assert parse_sitemap(b"", BASE).kind == "invalid"
    assert parse_sitemap(b"<<<>>>", BASE).kind == "invalid"
    assert parse_sitemap(b"User-agent: *\nDisallow: /", BASE).kind == "invalid"


def test_recovers_from_unescaped_ampersand() -> None:
    xml = b"<urlset><url><loc>/list?a=1&b=2</loc></url><url><loc>/z.html</loc></url></urlset>"
    doc = parse_sitemap(xml, BASE)
    assert doc.kind == "urlset"
    assert "http://127.0.0.1:5000/z.html" in doc.locs


def test_plain_text_sitemap() -> None:
    text = b"http://127.0.0.1:5000/a.html\n\nhttp://127.0.0.1:5000/b.html\n"
    doc = parse_sitemap(text, BASE)
    assert doc.kind == "urlset"
    assert doc.locs == ("http://127.0.0.1:5000/a.html", "http://127.0.0.1:5000/b.html")


def test_entities_are_not_expanded() -> None:
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<urlset><url><loc>/p/&e;</loc></url><url><loc>/ok.html</loc></url></urlset>"""
    assert parse_sitemap(laughs, BASE).kind == "invalid"


def test_external_entities_are_refused() -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<urlset><url><loc>/leak/&secret;</loc></url></urlset>"""
    assert parse_sitemap(xxe, BASE).kind == "invalid"


def test_doctype_without_entities_is_fine() -> None:
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE urlset>\n<urlset><url><loc>/a</loc></url></urlset>'
    assert parse_sitemap(xml, BASE).locs == ("http://127.0.0.1:5000/a",)


def test_robots_sitemaps() -> None:
    robots = (
        "\ufeffUser-agent: *\n"
        "Disallow: /admin/\n"
        "Sitemap: http://127.0.0.1:5000/sitemap.xml\n"
        "sitemap:/relative-map.xml   # our news\n"
        "SITEMAP :  https://cdn.example.cn/map.xml\n"
        "# Sitemap: /commented.xml\n"
        "Sitemap:\n"
        "Sitemap: http://127.0.0.1:5000/sitemap.xml\n"
    )
    assert robots_sitemaps(robots, "http://127.0.0.1:5000/robots.txt") == [
        "http://127.0.0.1:5000/sitemap.xml",
        "http://127.0.0.1:5000/relative-map.xml",
        "https://cdn.example.cn/map.xml",
    ]


def test_robots_without_sitemaps() -> None:
    assert robots_sitemaps("User-agent: *\nDisallow:\n", "http://h/robots.txt") == []
