"""Batch files and the `batch` command's input errors: one line on stderr naming the file and
the row, exit code 2, never a traceback. (No browser, no database.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from elderscan.cli.root import app as runner_app
from elderscan.errors import UsageError
from elderscan.runner.batchfile import read_sites

from .conftest import BATCHES, materialise_csv, materialise_yaml

FIXTURE_SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"


def test_fixture_batches_list_every_fixture_site(sites: Any, tmp_path: Path) -> None:
    names = sorted(p.name for p in FIXTURE_SITES.iterdir() if (p / "truth.json").is_file())
    csv_rows = read_sites(materialise_csv(tmp_path / "all.csv", sites, names))
    yaml_rows = read_sites(materialise_yaml(tmp_path / "all.yaml", sites))
    assert len(csv_rows) == len(yaml_rows) == len(names) >= 16
    for site, row, yrow in zip(names, csv_rows, yaml_rows, strict=True):
        truth = sites.truth(site)
        assert (row.name, row.url, row.category, row.region) == \
            (truth["name"], sites.url(site), truth["category"], truth["region"])
        assert (yrow.name, yrow.url, yrow.category, yrow.region) == \
            (row.name, row.url, row.category, row.region)


@pytest.mark.parametrize("name", ["sites.csv", "sites.yaml"])
def test_placeholders_are_not_urls(name: str) -> None:
    with pytest.raises(UsageError, match=r"row \d+: not a web address: '\{fixture:"):
        read_sites(BATCHES / name)


def test_csv_variants(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("URL;Name;category;tags\r\nwww.a.gov.cn;甲;GOV;\"老年;便民\"\r\n\r\n"
                     "http://b.example.com/x;乙;;\r\n".encode("gb18030"))
    rows = read_sites(path)
    assert [(r.url, r.name, r.category, r.region) for r in rows] == [
        ("www.a.gov.cn", "甲", "gov", None), ("http://b.example.com/x", "乙", None, None)]
    assert rows[0].tags == ("老年", "便民")


def test_yaml_plain_list(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("- https://www.a.gov.cn/\n- {url: b.gov.cn, name: 乙, category: bank, "
                    "tags: [x, y]}\n", "utf-8")
    rows = read_sites(path)
    assert [r.url for r in rows] == ["https://www.a.gov.cn/", "b.gov.cn"]
    assert rows[1].tags == ("x", "y") and rows[1].category == "bank"


BAD_FILES = [
    ("a.csv", "name,website,url\nx,y,https://a.gov.cn/\n",
     "unknown column 'website' in column 2 of the header"),
    ("a.csv", "name,region\nx,y\n", "no 'url' column in the header"),
    ("a.csv", "name,url\nx,https://a.gov.cn/\ny,gov\n", "a.csv row 3: not a web address: 'gov'"),
    ("a.csv", "name,url\nx,ftp://a.gov.cn/\n", "a.csv row 2: not a web address: 'ftp://"),
    ("a.csv", "name,url,category\nx,https://a.gov.cn/,school\n",
     "a.csv row 2: category must be gov, bank or other (or their Chinese names; sectors such "
     "as transport or health count as other), not 'school'"),
    ("a.csv", "url\nhttps://a.gov.cn/\nhttp://www.a.gov.cn\n",
     "a.csv row 3: the same site as row 2"),
    ("a.csv", "name,url\n", "no sites listed"),
    ("a.csv", "", "no sites listed"),
    ("a.csv", "name,url\nx,https://a.gov.cn/,extra\n", "a.csv row 2: 3 fields but the header"),
    ("a.yaml", "sites: [", "not valid YAML"),
    ("a.yaml", "name: x\n", "expected a list of sites"),
    ("a.yaml", "- {url: a.gov.cn, colour: red}\n", "a.yaml row 1: unknown key 'colour'"),
    ("a.txt.json", "[]", "expected a .csv, .xlsx or .yaml file"),
    ("a.csv", "nmae,url\nx,https://a.gov.cn/\n", "unknown column 'nmae' in column 1"),
    ("a.csv", "名称,网址,类别\n甲,https://a.gov.cn/,学校\n", "row 2: category must be gov"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_files_are_one_line(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    result = CliRunner().invoke(runner_app, ["batch", str(path)], env={"ELDERSCAN_LANG": "en"})
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("elderscan: error: "), result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv"], "no such file: missing.csv"),
    (["{good}", "--no-wait"], "--no-wait needs a broker"),
    (["{good}", "--viewport", "tablet"], "--viewport must be desktop, mobile or both"),
    (["{good}", "--set", "max_pages=lots"], "bad scan option: max_pages (ELDERSCAN_MAX_PAGES)"),
    (["{good}", "--set", "colour=red"], "bad scan option: unknown scan option colour"),
    (["{good}", "--set", "chromium=/bin/sh"], "unknown scan option chromium"),
    (["{good}", "--set", "novalue"], "--set expects NAME=VALUE"),
    (["{good}", "--resume", "--new-round"], "--resume and --new-round contradict"),
])
def test_bad_options_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ELDERSCAN_BROKER_URL", raising=False)
    good = tmp_path / "good.csv"
    good.write_text("name,url\nx,https://a.gov.cn/\n", "utf-8")
    result = CliRunner().invoke(runner_app, ["batch", *(a.replace("{good}", str(good))
                                                        for a in args)],
                                env={"ELDERSCAN_LANG": "en"})
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not (tmp_path / "data").exists()  # nothing stored for a rejected command


def test_a_chinese_terminal_names_bad_rows_in_chinese(tmp_path: Path) -> None:
    """The list's problems are said in the terminal's language, like every other line."""
    path = tmp_path / "名单.csv"
    path.write_text("名称,网址,类别\n甲,https://a.gov.cn/,学校\n乙,gov,政府\n", "utf-8")
    result = CliRunner().invoke(runner_app, ["batch", str(path)], env={"ELDERSCAN_LANG": "zh"})
    assert result.exit_code == 2, result.output
    said = result.stderr
    assert said.startswith("elderscan：错误：") and "第 2 行" in said and "第 3 行" in said, said
    assert " row " not in said and "category must" not in said, said
