"""The one site-list reader: CSV (UTF-8, BOM, GB18030), XLSX and YAML, one header and category
vocabulary in English and Chinese, and every bad row named at once, through the CLI and the API
(the dashboard's preview is tested in tests/api/test_workbench_dashboard.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from typer.testing import CliRunner

from elderscan.cli.root import app as runner_app
from elderscan.sitelist import SiteListError, parse, read_sites

GOOD_ZH = ("名称,网址,类别,地区,标签\n某市人民政府,www.a.gov.cn,政府,甲省,老年\n"
           "某银行,https://b-bank.com.cn/,银行,乙省,\n某地铁,metro.example.cn,交通,甲省,\n")
BAD = ("name,url,category,region\n"
       "Good,https://a.gov.cn/,gov,North\n"
       "Typo,gov,gov,North\n"
       "School,https://s.edu.cn/,school,North\n"
       "Twice,http://www.a.gov.cn,gov,North\n")


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_csv_in_every_encoding(encoding: str) -> None:
    sites = parse(GOOD_ZH.encode(encoding), "list.csv")
    assert sites.ok, [p.text("en") for p in sites.all_problems]
    assert [(s.name, s.url, s.category, s.region, s.tags) for s in sites.good] == [
        ("某市人民政府", "www.a.gov.cn", "gov", "甲省", ("老年",)),
        ("某银行", "https://b-bank.com.cn/", "bank", "乙省", ()),
        ("某地铁", "metro.example.cn", "other", "甲省", ("交通",)),
    ]
    assert [s.line for s in sites.good] == [2, 3, 4]


def test_every_bad_row_is_named_at_once_in_both_languages() -> None:
    sites = parse(BAD.encode(), "list.csv")
    assert not sites.ok
    assert [s.line for s in sites.good] == [2]
    assert [(r.line, [p.key for p in r.problems]) for r in sites.bad] == [
        (3, ["row.url.bad"]), (4, ["row.category"]), (5, ["row.same"])]
    en = [p.text("en") for p in sites.all_problems]
    zh = [p.text("zh") for p in sites.all_problems]
    assert en[0] == "row 3: not a web address: 'gov' (expected e.g. https://www.example.gov.cn/)"
    assert zh[0].startswith("第 3 行：不是网址：“gov”")
    assert "school" in en[1] and en[2] == "row 5: the same site as row 2"
    assert all(":" not in z.split("：", 1)[0] for z in zh)  # full-width in Chinese


@pytest.mark.parametrize("header", ["nmae,url", "name,ulr", "名称,网站地址,类型,地区区"])
def test_a_header_typo_is_refused_not_read_as_a_site(header: str) -> None:
    sites = parse(f"{header}\nA,https://a.gov.cn/\n".encode(), "list.csv")
    assert not sites.ok
    assert sites.problems and sites.problems[0].line == 1
    assert all(s.name != header.split(",")[0] for s in sites.good)


@pytest.mark.parametrize("first", ["hello", "某市人民政府,政府", "x,,y"])
def test_a_first_row_that_is_neither_header_nor_site_is_refused(first: str) -> None:
    """No header word and no address in the first row: the list is refused at line 1 rather
    than read by position (a row of names would be sites without URLs)."""
    sites = parse(f"{first}\nA,https://a.gov.cn/\n".encode(), "list.csv")
    assert not sites.ok and sites.good == []
    assert [(p.key, p.line) for p in sites.problems] == [("header.no_url", 1)]


def test_a_list_without_header_is_positional() -> None:
    sites = parse(b"Site A,https://e.gov.cn/,gov,Region\n", "list.csv")
    assert sites.ok and sites.good[0].name == "Site A" and sites.good[0].region == "Region"


def test_xlsx_good_and_bad_rows() -> None:
    data = xlsx([["名称", "网址", "类别", "地区"], ["甲", "https://a.gov.cn/", "政府", "北京"],
                 [None, None, None, None], ["乙", "gov", "银行", "上海"],
                 ["丙", "https://c.com.cn/", "医疗", 2026]])
    sites = parse(data, "upload.bin")
    assert [(s.name, s.category, s.region, s.line) for s in sites.good] == [
        ("甲", "gov", "北京", 2), ("丙", "other", "2026", 5)]
    assert [(r.line, r.problems[0].key) for r in sites.bad] == [(4, "row.url.bad")]
    assert parse(b"PK\x03\x04garbage", "x.xlsx").problems[0].key == "xlsx"


def test_yaml_names_the_line() -> None:
    data = ("# audit\nsites:\n  - {name: 甲, url: a.gov.cn, category: 政府}\n"
            "  - name: 乙\n    url: gov\n")
    sites = parse(data.encode(), "list.yaml")
    assert [s.category for s in sites.good] == ["gov"]
    assert sites.bad[0].line == 4 and sites.bad[0].problems[0].key == "row.url.bad"


def test_cli_prints_every_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(BAD, "utf-8")
    with pytest.raises(SiteListError):
        read_sites(path)
    result = CliRunner().invoke(runner_app, ["batch", str(path)],
                                env={"ELDERSCAN_LANG": "en"})
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"elderscan: error: {path}: 3 problems"
    assert [line.split(" row ")[1].split(":")[0] for line in lines[1:]] == ["3", "4", "5"]
    assert "Traceback" not in result.output


def test_api_upload_lists_every_bad_row(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post("/api/v1/batches?lang=zh", headers=admin, data={"name": "x"},
                           files={"file": ("list.csv", BAD.encode("gb18030"), "text/csv")})
    assert response.status_code == 422, response.text
    details = response.json()["details"]
    assert [d["loc"][2] for d in details] == ["line 3", "line 4", "line 5"]
    assert details[0]["msg"].startswith("不是网址：“gov”")
    header = client.post("/api/v1/batches", headers=admin,
                         files={"file": ("list.csv", b"nmae,url\nA,https://a.gov.cn/\n")})
    assert header.status_code == 422
    assert header.json()["details"][0]["type"] == "header.unknown"


def test_api_upload_takes_xlsx(client: TestClient, admin: dict[str, str], recorder: Any) -> None:
    data = xlsx([["name", "url", "category"], ["A", "https://a.gov.cn/", "政府"],
                 ["B", "https://b.gov.cn/", "gov"]])
    response = client.post("/api/v1/batches", headers=admin, data={"name": "xl"},
                           files={"file": ("list.xlsx", data)})
    assert response.status_code == 202, response.text
    assert response.json()["total"] == 2 and len(recorder.ids) == 2


def test_workbench_phrases_use_each_language_s_punctuation() -> None:
    from elderscan.i18n import CATALOGUE

    mine = {k: v for k, v in CATALOGUE.items() if k.startswith("workbench.")}
    assert len(mine) > 50
    full_width = set("：，。；（）“”！？、")
    for key, (zh, en) in mine.items():
        assert not full_width & set(en), (key, en)
        assert ": " not in zh and "; " not in zh, (key, zh)
        assert any("\u4e00" <= c <= "\u9fff" for c in zh), (key, zh)


def test_cli_reads_xlsx_and_names_its_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx([["名称", "网址", "类别"], ["甲", "https://a.gov.cn/", "政府"],
                           ["乙", "gov", "学校"]]))
    result = CliRunner().invoke(runner_app, ["batch", str(path)],
                                env={"ELDERSCAN_LANG": "en"})
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"elderscan: error: {path}: 2 problems"
    assert lines[1].endswith("row 3: not a web address: 'gov' (expected e.g. "
                             "https://www.example.gov.cn/)")
    assert "row 3: category must be gov, bank or other" in lines[2]
    path.write_bytes(xlsx([["名称", "网址", "类别"], ["甲", "https://a.gov.cn/", "政府"]]))
    assert [(r.name, r.category) for r in read_sites(path)] == [("甲", "gov")]
