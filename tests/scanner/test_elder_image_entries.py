"""A care-mode entry that is only an image — no text, no alt, no title — is named by its link,
its id or its image file (`/ghb/`, `zzb.svg`, `care.png`): it becomes a candidate, and it
counts only if it proves to switch an elder mode on. One that does not (a nameless image
linking to a `/care/` page that is an ordinary page) leaves the verdict "none", not "broken"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from captures import control, image, make_capture
from conftest import ELDER_TEXT, serve_pages, settings
from elderscan.capture import Capture, Entry, Image, Interactive
from elderscan.checks.elder import main_text_px
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.elder import probe_elder
from elderscan.scanner.entries import elder_candidates
from elderscan.scanner.page import capture_page

HEAD = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{}</title>"
        "<style>main p{{font-size:15px}} .care main p, .big main p{{font-size:24px}}</style>"
        "</head>")
GREY = "<svg xmlns='http://www.w3.org/2000/svg' width='60' height='24'><rect width='60' " \
       "height='24' fill='%23c00'/></svg>"
ICON = f"data:image/svg+xml,{GREY}"


def _page(title: str, header: str, cls: str = "") -> str:
    return (HEAD.format(title) + f"<body class='{cls}'><header>{header}</header>"
            f"<main>{ELDER_TEXT}</main></body>")


PAGES = {
    # a link to the elder version, named by its folder only
    "link/index.html": _page("县政府", "<a href='/link/ghb/index.html'><img src='/i.svg'></a>"),
    "link/ghb/index.html": _page("关怀版", "", "big"),
    # a toggle on an image named care.png
    "toggle/index.html": _page("县政府", "<span style='cursor:pointer' onclick=\"document."
                               "documentElement.className='care'\"><img src='/care.svg'></span>"),
    # a nameless image linking to an ordinary /care/ page (a hospital's care services)
    "decoy/index.html": _page("县政府", "<a href='/decoy/care/index.html'><img src='/i.svg'></a>"),
    "decoy/care/index.html": _page("护理服务", ""),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("elder-images")
    for folder in ("link/ghb", "toggle", "decoy/care"):
        (root / folder).mkdir(parents=True)
    for name in ("i.svg", "care.svg"):
        (root / name).write_text(GREY.replace("%23", "#"), "utf-8")
    yield from serve_pages(root, PAGES)


def _link(selector: str, href: str | None, name: str = "") -> Interactive:
    return control(name, tag="a" if href else "span", selector=selector, href=href)


def _candidates(controls: list[Interactive], images: list[Image]) -> list[Entry]:
    return elder_candidates(make_capture(interactive=controls, images=images))


def test_a_nameless_image_is_named_by_its_link_its_id_or_its_file() -> None:
    found = _candidates(
        [_link("header > a:nth-of-type(1)", "https://a.gov.cn/ghb/index.html"),
         _link("header > span", None),
         _link("header > a:nth-of-type(2)", "https://a.gov.cn/news/careers.html"),
         _link("header > a:nth-of-type(3)", "https://a.gov.cn/x.html", name="首页")],
        [image("https://a.gov.cn/img/zzb.svg", alt=None, selector="header > span > img")])
    assert [(e.selector, e.keyword, e.source) for e in found] == [
        ("header > a:nth-of-type(1)", "ghb", "attribute"),
        ("header > span", "zzb", "attribute")]


def test_a_named_entry_outranks_a_hinted_image_even_hidden() -> None:
    hidden = control("关怀版", selector="#care", href="https://a.gov.cn/v2/", visible=False)
    found = _candidates([_link("header > a:nth-of-type(1)", "https://a.gov.cn/care/"), hidden],
                        [])
    assert [e.keyword for e in found] == ["关怀版", "care"]


def test_only_whole_tokens_of_the_path_query_id_or_file_name_an_entry() -> None:
    """Not a host (组织部's zzb.…), not part of a word (health-care, child_care, careers)."""
    found = _candidates(
        [_link("header > a:nth-of-type(1)", "https://zzb.a.gov.cn/index.html"),
         _link("header > a:nth-of-type(2)", "https://a.gov.cn/health-care/index.html"),
         _link("header > a:nth-of-type(3)", "https://a.gov.cn/child_care.html"),
         _link("header > a:nth-of-type(4)", "https://a.gov.cn/index.html?mode=care")], [])
    assert [e.selector for e in found] == ["header > a:nth-of-type(4)"]


def test_an_image_is_found_inside_its_control_by_box_where_selectors_are_cut() -> None:
    found = _candidates([control("", selector="div:nth-of-type(9) > a", box=(10, 10, 80, 30))],
                        [image("https://a.gov.cn/img/ghb.png", alt=None, box=(12, 12, 76, 26),
                               selector="span > img")])
    assert [(e.keyword, e.source) for e in found] == [("ghb", "attribute")]


async def _probe(url: str) -> tuple[object, list[Capture]]:
    scan = settings(concurrency=2)
    async with BrowserPool(scan) as pool:
        home = await capture_page(pool, url, "desktop", scan)
        assert isinstance(home, Capture)
        probe, captures = await probe_elder(pool, home, scan)
    return probe, [c for c in captures if isinstance(c, Capture)]


@pytest.mark.browser
@pytest.mark.parametrize(("site", "kind", "keyword"), [("link", "link", "ghb"),
                                                       ("toggle", "toggle", "care")])
async def test_an_image_only_entry_that_works_is_the_elder_mode(base: str, site: str, kind: str,
                                                                keyword: str) -> None:
    probe, captures = await _probe(f"{base}{site}/index.html")
    assert (probe.kind, probe.entry.keyword, probe.entry.source) == (  # type: ignore[attr-defined]
        kind, keyword, "attribute")
    assert captures and main_text_px(captures[0]) == 24.0


@pytest.mark.browser
async def test_an_image_only_link_to_an_ordinary_page_is_no_elder_mode(base: str) -> None:
    probe, captures = await _probe(f"{base}decoy/index.html")
    assert (probe.kind, probe.entry, captures) == ("none", None, [])  # type: ignore[attr-defined]
    assert [t.verdict for t in probe.trials] == ["not-effective"]  # type: ignore[attr-defined]
