"""`Shelf` keeps page results compressed and gives them back unchanged; a report whose pages
are shelved writes the same JSON, byte for byte, a page at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from elderscan.contract import PageResult, ScanReport, json_bytes
from elderscan.finding import Finding
from elderscan.shelf import Shelf


def page(n: int, findings: int = 170, text: str = "正文") -> PageResult:
    return PageResult(
        url=f"https://www.example.gov.cn/news/{n}.html", final_url=None, http_status=200,
        mode="standard", viewport="desktop", title=f"{text} {n}", screenshot=None,
        metrics={"font": {"dominant_px": 14, "share_ge_18px": 0.25}},
        findings=[Finding(rule="font.size", outcome="fail" if k % 3 else "pass",
                          severity="serious", clause="WEB (u) 1.2.3",
                          selector=f"main > p:nth-of-type({k})", box=(40.0, 10.0 * k, 1190, 41),
                          value=13, threshold=18.0, message=f"{text} 字号 13px，要求 ≥18px",
                          data={"examples": [{"box": (1, 2, 3, 4), "font_px": 13}]}, weight=k)
                  for k in range(findings)])


def as_json(item: PageResult) -> Any:
    return item.model_dump(mode="json")


def test_a_shelved_page_comes_back_as_it_went_in_and_takes_a_fraction_of_its_json() -> None:
    original = page(1)
    blob = Shelf.freeze(original)
    assert len(blob) * 8 < len(original.model_dump_json())
    shelf: Shelf[PageResult] = Shelf(PageResult)
    shelf.shelve(blob)
    assert as_json(shelf[0]) == as_json(original)


def test_a_lone_surrogate_survives_the_shelf() -> None:
    """A JS string cut between the halves of an emoji reaches the result as a lone surrogate,
    which pydantic's JSON writer refuses."""
    odd = page(2, findings=3, text="快讯\ud83d")
    shelf: Shelf[PageResult] = Shelf(PageResult)
    shelf.shelve(odd)
    assert shelf[0].title == "快讯\ud83d 2"
    assert as_json(shelf[0]) == as_json(odd)


def test_a_page_read_by_index_stays_decoded_and_one_met_while_iterating_is_shelved_again() -> None:
    shelf: Shelf[PageResult] = Shelf(PageResult)
    for n in range(3):
        shelf.shelve(page(n, findings=2))
    shelf[1].title = "改过"
    assert [p.title for p in shelf] == ["正文 0", "改过", "正文 2"]
    for item in shelf:
        item.title = "kept"  # the page read by index is held; the others go back compressed
    assert [p.title for p in shelf] == ["kept", "kept", "kept"]
    assert repr(shelf) == "Shelf[PageResult](3 items, 2 shelved)"
    item = shelf.peek(2)
    item.title = "kept compressed"
    shelf.reshelve(2, item)
    assert shelf.peek(2).title == "kept compressed"
    assert repr(shelf) == "Shelf[PageResult](3 items, 2 shelved)"
    shelf.append(page(9, findings=1))
    del shelf[0]
    assert [p.url.rsplit("/", 1)[1] for p in shelf] == ["1.html", "2.html", "9.html"]
    assert shelf[-2:] == [shelf[1], shelf[2]]


def test_changes_made_while_iterating_are_kept() -> None:
    shelf: Shelf[PageResult] = Shelf(PageResult)
    for n in range(3):
        shelf.shelve(page(n, findings=2, text="快讯\ud83d" if n == 2 else "正文"))
    untouched = shelf._entries[1]
    for item in shelf:
        if item.url.endswith("/0.html"):
            item.findings.append(item.findings[0])
        if item.url.endswith("/2.html"):
            item.title = "改过"
            break  # a loop left on the changed item keeps it too
    assert [len(p.findings) for p in shelf] == [3, 2, 2]
    assert shelf.peek(2).title == "改过"
    assert shelf._entries[1] is untouched  # an unchanged page is not compressed again
    assert repr(shelf) == "Shelf[PageResult](3 items, 3 shelved)"
    report = report_with([], shelved=False)
    report.pages = shelf
    for result in report.pages:
        result.warnings.append("seen")
    assert all(p.warnings == ["seen"] for p in report.pages)


def report_with(pages: list[PageResult], shelved: bool) -> ScanReport:
    held: Shelf[PageResult] | list[PageResult] = pages
    if shelved:
        held = Shelf(PageResult)
        for item in pages:
            held.shelve(item)
    return ScanReport.model_validate({
        "target": "https://www.example.gov.cn/", "started_at": "2026-11-24T08:00:00Z",
        "finished_at": "2026-11-24T08:01:00Z", "status": "ok", "error": None,
        "engine": {"elderscan": "0.1.0", "chromium": "156.0", "axe_core": "4.12.1"},
        "voice": {"pages": [], "found": False},
        "pages": held, "summary": {"pages": len(pages), "fail": 0, "review": 0, "pass": 0}})


def test_a_report_takes_a_list_or_a_shelf_and_dumps_its_pages_as_a_list() -> None:
    pages = [page(1, findings=4), page(2, findings=0, text="首页\ud83d")]
    listed, shelved = report_with(pages, shelved=False), report_with(pages, shelved=True)
    assert isinstance(listed.pages, Shelf) and isinstance(shelved.pages, Shelf)
    assert listed.to_json_dict() == shelved.to_json_dict()
    assert listed.to_json_dict()["pages"][1]["title"] == "首页\ud83d 2"
    again = ScanReport.model_validate(json.loads(json.dumps(listed.to_json_dict())))
    assert again.to_json_dict() == listed.to_json_dict()


def test_the_streamed_json_is_the_whole_json_byte_for_byte(tmp_path: Path) -> None:
    pages = [page(1, findings=5), page(2, findings=0, text="行\n新\ud83d\x00"), page(3, 1)]
    for held in (pages, pages[:1], []):
        report = report_with(held, shelved=True)
        whole = json_bytes(report.to_json_dict())
        assert b"".join(report.json_chunks()) == whole
        report.write_json(tmp_path / "r.json")
        assert (tmp_path / "r.json").read_bytes() == whole
        assert json.loads(whole)["voice"] == {"pages": [], "found": False}
