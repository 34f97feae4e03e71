"""Site lists that cost too much or are broken: alias bombs, forged sheet dimensions, zip bombs,
cut-off sheets and unreadable YAML values are each the file's problem, found quickly and in
words, and never a 500 from the API."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from elderscan import sitelist
from elderscan.sitelist import parse

from .test_sitelist import xlsx

BOMB = b"""sites:
  - url: https://a.gov.cn/
    tags: &a [x, x, x, x, x, x, x, x, x]
  - url: https://b.gov.cn/
    tags: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  - url: https://c.gov.cn/
    tags: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  - url: https://d.gov.cn/
    tags: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  - url: https://e.gov.cn/
    tags: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  - url: https://f.gov.cn/
    tags: [*e, *e, *e, *e, *e, *e, *e, *e, *e]
"""


def rewrite(data: bytes, name: str, change: Any) -> bytes:
    """The zip `data` with entry `name` replaced by change(old bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item.filename, change(body) if item.filename == name else body)
    return out.getvalue()


def forged(ref: str, count: int = 1500) -> bytes:
    """`count` sites in a sheet that claims to be 16,384 columns wide."""
    good = xlsx([["name", "url"], *([f"S{n}", f"https://s{n}.gov.cn/"] for n in range(count))])
    return rewrite(good, "xl/worksheets/sheet1.xml",
                   lambda b: b.replace(f'<dimension ref="A1:B{count + 1}"/>'.encode(),
                                       f'<dimension ref="{ref}"/>'.encode()))


def test_yaml_aliases_are_refused_at_once() -> None:
    started = time.monotonic()
    sites = parse(BOMB, "list.yaml")
    assert time.monotonic() - started < 1
    assert [(p.key, p.line) for p in sites.all_problems] == [("hardening.list.yaml.alias", 5)]
    assert sites.all_problems[0].text("zh").startswith("第 5 行：YAML 中不能使用锚点和别名")


def test_yaml_cells_hold_scalars_or_a_flat_list() -> None:
    data = ("sites:\n  - url: https://a.gov.cn/\n    tags: [老年, 无障碍]\n"
            "  - url: https://b.gov.cn/\n    tags: [[x, [y]]]\n"
            "  - url: https://c.gov.cn/\n    name: {a: 1}\n")
    sites = parse(data.encode(), "list.yaml")
    assert [s.tags for s in sites.good] == [("老年", "无障碍")]
    assert [(r.line, [p.key for p in r.problems]) for r in sites.bad] == [
        (4, ["hardening.list.row.nested"]), (6, ["hardening.list.row.nested"])]
    assert sites.bad[0].problems[0].text("en") == (
        "row 4: tags must be text or a plain list of text, not nested")


@pytest.mark.parametrize("value", ["2001-02-30", "9" * 5000], ids=["date", "digits"])
def test_unreadable_yaml_values_are_the_file_s_problem(value: str) -> None:
    sites = parse(f"- url: https://a.gov.cn/\n  name: {value}\n".encode(), "list.yaml")
    assert [p.key for p in sites.all_problems] == ["hardening.list.yaml.value"]


@pytest.mark.parametrize("ref", ["A1:XFD2000", "A1:XFD1048576"])
def test_a_forged_sheet_dimension_costs_nothing(ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = forged(ref)
    assert len(data) < 60_000
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    widths: list[int] = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(self: ReadOnlyWorksheet, *args: Any, **kwargs: Any) -> Any:
        for row in iter_rows(self, *args, **kwargs):
            widths.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    sites = parse(data, "list.xlsx")
    # Cells read, not seconds: the sheet's header and its 1,500 rows, each cut at the column
    # limit, whatever size the sheet claims (16,384 columns padded out per row, before).
    assert len(widths) == 1501 and max(widths) <= sitelist.MAX_COLUMNS
    assert sites.ok and len(sites.good) == 1500 and sites.good[0].url == "https://s0.gov.cn/"


def test_a_row_far_down_the_sheet_stops_at_the_site_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitelist, "MAX_SITES", 3)
    good = xlsx([["name", "url"], ["A", "https://a.gov.cn/"]])
    far = rewrite(good, "xl/worksheets/sheet1.xml", lambda b: b.replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Z</t></is>'
                         b"</c></row></sheetData>"))
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    produced: list[object] = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(self: ReadOnlyWorksheet, *args: Any, **kwargs: Any) -> Any:
        for row in iter_rows(self, *args, **kwargs):
            produced.append(row)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    sites = parse(far, "list.xlsx")
    # Rows read, not seconds: the reader stops a few rows past the limit instead of walking the
    # million empty rows above the far one (openpyxl fills a gap with empty rows).
    assert 0 < len(produced) <= sitelist.MAX_SITES + 3
    assert [p.key for p in sites.all_problems] == ["too_many"] and not sites.rows
    many = "url\n" + "".join(f"https://s{n}.gov.cn/\n" for n in range(10))
    assert [p.key for p in parse(many.encode(), "l.csv").all_problems] == ["too_many"]
    assert parse(("url\n" + "\n" * 9 + "https://a.gov.cn/\n").encode(), "l.csv").ok


def test_a_zip_that_unpacks_too_far_is_refused_in_words() -> None:
    good = xlsx([["name", "url"], ["A", "https://a.gov.cn/"]])
    bomb = rewrite(good, "docProps/app.xml", lambda b: b + b" " * (sitelist.MAX_UNPACKED + 1))
    assert len(bomb) < 200_000
    sites = parse(bomb, "list.xlsx")
    assert [p.key for p in sites.all_problems] == ["hardening.list.xlsx.big"]
    assert sites.all_problems[0].text("en") == (
        "the Excel file is over 50 MB unpacked; split it into smaller files")


def test_a_cut_off_sheet_or_a_book_without_sheets_is_the_file_s_problem() -> None:
    good = xlsx([["name", "url"], ["A", "https://a.gov.cn/"]] * 3)
    cut = rewrite(good, "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2])
    assert [p.key for p in parse(cut, "l.xlsx").all_problems] == ["hardening.list.xlsx.broken"]
    empty = rewrite(good, "xl/workbook.xml", lambda b: b.split(b"<sheets>")[0]
                    + b"<sheets/>" + b.split(b"</sheets>")[1])
    problems = parse(empty, "l.xlsx").all_problems
    assert [p.key for p in problems] in (["hardening.list.xlsx.broken"], ["xlsx"])


def test_api_upload_of_a_broken_or_forged_file_is_a_422(client: TestClient,
                                                         admin: dict[str, str]) -> None:
    for name, data in [("list.yaml", b"- url: https://a.gov.cn/\n  name: 2001-02-30\n"),
                       ("list.yaml", BOMB), ("list.xlsx", forged("A1:XFD1048576", 2))]:
        response = client.post("/api/v1/batches?lang=zh", headers=admin, data={"name": "x"},
                               files={"file": (name, data)})
        if name == "list.xlsx":
            assert response.status_code == 202, response.text
        else:
            assert response.status_code == 422, response.text
            assert response.json()["details"][0]["type"].startswith("hardening.list.yaml")


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ["无法读取表单：只能带 1 个文件", "无法读取表单：字段超过 10 个",
            "无法读取表单：其中一个字段过大", "无法读取表单：不是有效的 multipart/form-data 内容"]),
    ("en", ["cannot read the form: it may carry only 1 file",
            "cannot read the form: it has more than 10 fields",
            "cannot read the form: one of its fields is too large",
            "cannot read the form: it is not valid multipart/form-data"]),
])
def test_a_form_the_parser_refuses_is_a_400_in_the_askers_language(
        client: TestClient, admin: dict[str, str], lang: str, said: list[str]) -> None:
    """The multipart parser's refusals are English ("Too many files. Maximum number of files
    is 1."): the answer says which limit in the request's language instead."""
    csv = b"url\nhttps://a.gov.cn/\n"
    two_files = client.post(f"/api/v1/batches?lang={lang}", headers=admin, data={"name": "x"},
                            files=[("file", ("a.csv", csv)), ("file", ("b.csv", csv))])
    many_fields = client.post(f"/api/v1/batches?lang={lang}", headers=admin,
                              data={f"f{n}": "x" for n in range(11)},
                              files={"file": ("a.csv", csv)})
    big_field = client.post(f"/api/v1/batches?lang={lang}", headers=admin,
                            data={"name": "x" * (1024 * 1024 + 1)}, files={"file": ("a.csv", csv)})
    no_boundary = client.post(f"/api/v1/batches?lang={lang}", content=b"--x\r\n",
                              headers={**admin, "Content-Type": "multipart/form-data"})
    for response, words in zip((two_files, many_fields, big_field, no_boundary), said,
                               strict=True):
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "bad_request"
        assert response.json()["message"] == words
