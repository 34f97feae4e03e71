"""Site lists: the one reader of CSV, XLSX and YAML lists of sites, for the CLI (`elderscan
batch`), the API upload (`POST /api/v1/batches`) and the dashboard's upload preview.

One header vocabulary and one category vocabulary, English and Chinese (`名称,网址,类别,地区`,
`政府/银行/其他`; sector words such as 交通, 医疗, 公用事业 are category `other` and the word
becomes a tag). Nothing is refused at the first problem: `parse` returns every row with its
verdict, so a list of thousands is fixed in one go, and each problem names its row (the line
of the file; for XLSX the sheet row) and is worded from the catalogue in zh and en.

CSV is UTF-8 (with or without BOM) or GB18030/GBK, separated by commas, or by semicolons or tabs
as the header shows. A header row names the columns in any order; a file whose first row names
no column but holds a web address is read positionally as name,url,category,region,tags.

The module is longer than most: its three readers feed one row judge and one problem
vocabulary, and a reader of site lists is easiest to check when all of it is in one place.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elderscan.errors import UsageError
from elderscan.i18n import COLON, Lang, text
from elderscan.siteaddress import site_url_key
from elderscan.terminal_lang import os_reason

COLUMNS = ("name", "url", "category", "region", "tags")
CATEGORIES = ("gov", "bank", "other")
MAX_SITES = 100_000
LIMITS = {"name": 200, "region": 100, "url": 2000}
MAX_TAGS = 20
MAX_TAG = 50
MAX_COLUMNS = 20
"""Columns of a sheet read at most: a list has five; more is a mistake, not a site."""
MAX_UNPACKED = 50 * 1024 * 1024
"""Bytes an XLSX may unpack to: a small zip must not become gigabytes of sheet XML."""
FORMATS = ("csv", "xlsx", "yaml")

HEADERS: dict[str, str] = {
    "name": "name", "名称": "name", "网站名称": "name", "单位": "name", "单位名称": "name",
    "站点名称": "name", "网站": "name",
    "url": "url", "网址": "url", "地址": "url", "链接": "url", "域名": "url", "网站地址": "url",
    "category": "category", "类别": "category", "类型": "category", "分类": "category",
    "行业": "category",
    "region": "region", "地区": "region", "区域": "region", "省份": "region", "地域": "region",
    "省市": "region",
    "tags": "tags", "tag": "tags", "标签": "tags",
}
"""Header words (lower-cased) to columns."""

CATEGORY_WORDS: dict[str, str] = {
    "gov": "gov", "government": "gov", "政府": "gov", "政务": "gov", "政府网站": "gov",
    "政府机关": "gov", "党政机关": "gov",
    "bank": "bank", "银行": "bank", "金融": "bank",
    "other": "other", "其他": "other", "其它": "other",
}
SECTOR_WORDS = ("交通", "医疗", "卫生", "医院", "公用事业", "教育", "社保", "通信", "电力",
                "水务", "燃气", "transport", "health", "healthcare", "utility", "utilities",
                "education", "telecom")
"""Sectors without a category of their own: category `other`, and the word is kept as a tag."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a list: a catalogue key, its values and the row (None: the file)."""

    key: str
    line: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    column: str | None = None

    def phrase(self, lang: Lang) -> str:
        """The problem in words (keys of the hardening fixes carry their own prefix)."""
        key = self.key if self.key.startswith("hardening.") else f"workbench.list.{self.key}"
        return text(key, lang, **self.values)

    def text(self, lang: Lang) -> str:
        """The problem in words, prefixed by its row."""
        phrase = self.phrase(lang)
        if self.line is None:
            return phrase
        return text("workbench.list.row", lang, line=self.line) + COLON[lang] + phrase


@dataclass(frozen=True)
class SiteRow:
    """One site of a list; `line` is its row in the file, `where` names both for messages."""

    url: str
    name: str | None = None
    category: str | None = None
    region: str | None = None
    tags: tuple[str, ...] = ()
    where: str = ""
    line: int = 0

    def fields(self) -> dict[str, Any]:
        """The site as a row of a batch request (no tags: None)."""
        return {"url": self.url, "name": self.name, "category": self.category,
                "region": self.region, "tags": list(self.tags) or None}


@dataclass
class Row:
    """A row as read (its cells by column) and its verdict: a site, or the problems."""

    line: int
    cells: dict[str, str]
    site: SiteRow | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class SiteList:
    """Every row of a list with its verdict, and the problems of the file as a whole."""

    source: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def good(self) -> list[SiteRow]:
        return [r.site for r in self.rows if r.site is not None]

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if r.problems]

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for r in self.rows for p in r.problems)]

    @property
    def ok(self) -> bool:
        return not self.all_problems and bool(self.rows)


class SiteListError(UsageError):
    """A list with problems; the message lists every one (first line: the count)."""

    def __init__(self, sites: SiteList, lang: Lang = "en") -> None:
        self.sites = sites
        problems = sites.all_problems
        self.lines = [f"{sites.source}: {p.text(lang)}" if p.line is None
                      else f"{sites.source} {p.text(lang)}" for p in problems]
        head = self.lines[0] if len(self.lines) == 1 else text(
            "workbench.list.count", lang, source=sites.source, count=len(self.lines))
        super().__init__(head if len(self.lines) == 1 else "\n".join([head, *self.lines]))


# ------------------------------------------------------------------------------ decoding


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - gb18030 decodes almost anything


def _scalar(value: Any) -> bool:
    """A value a cell can hold: no list or mapping, whose `str()` could be any size."""
    return not isinstance(value, list | tuple | dict | set)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_table(data: bytes, out: SiteList) -> list[tuple[int, list[str]]] | None:
    decoded = _decode(data)
    if decoded is None or "\x00" in decoded:
        out.problems.append(Problem("encoding"))
        return None
    first = decoded.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ";\t") else ","
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    table: list[tuple[int, list[str]]] = []
    listed = 0
    try:
        for cells in reader:
            table.append((reader.line_num, [c.strip() for c in cells]))
            if _listed(table[-1][1]):
                listed += 1
                if listed > MAX_SITES + 1:  # the header and one site too many: enough to say so
                    break
    except csv.Error as exc:
        out.problems.append(Problem("csv", reader.line_num, {"problem": str(exc)}))
        return None
    return table


def _listed(cells: list[str]) -> bool:
    """A row that is neither blank nor a `#` comment."""
    return any(cells) and not (cells[0] if cells else "").startswith("#")


def _unpacked_size(data: bytes) -> int | None:
    """What the zip's entries say they unpack to; None for a file that is no zip."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _xlsx_table(data: bytes, out: SiteList) -> list[tuple[int, list[str]]] | None:
    """The first sheet's rows, bounded: the sheet's own `dimension` is ignored (a forged one
    would pad every row to 16,384 columns), at most MAX_COLUMNS columns and one row more than
    MAX_SITES allows are read, and a zip that unpacks to more than MAX_UNPACKED is refused."""
    from openpyxl import load_workbook

    size = _unpacked_size(data)
    if size is None:
        out.problems.append(Problem("xlsx"))
        return None
    if size > MAX_UNPACKED:
        out.problems.append(Problem("hardening.list.xlsx.big", None,
                                    {"limit": MAX_UNPACKED // (1024 * 1024)}))
        return None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook: all are the file's
        out.problems.append(Problem("xlsx"))
        return None
    table: list[tuple[int, list[str]]] = []
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        most = MAX_SITES + 2  # rows read at most: a header, every site allowed and a blank
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, max_row=most + 1, values_only=True)
        for n, values in enumerate(rows, 1):
            cells = [_cell(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            table.append((n, cells))
    except Exception:  # a cut-off sheet fails only while its rows are read; no sheet at all
        out.problems.append(Problem("hardening.list.xlsx.broken"))
        return None
    finally:
        book.close()
    if len(table) > most:
        out.problems.append(Problem("too_many", None, {"limit": MAX_SITES}))
        return None
    return table


# -------------------------------------------------------------------------------- tables


def _looks_like_url(cell: str) -> bool:
    return "://" in cell or ("." in cell and " " not in cell and not cell.startswith("#"))


def _read_table(table: list[tuple[int, list[str]]], out: SiteList) -> None:
    """Header, then one site per row; blank rows and `#` comments are skipped."""
    numbered = [(n, cells) for n, cells in table if _listed(cells)]
    if not numbered:
        return
    line, first = numbered[0]
    named = [HEADERS.get(c.lower()) if c else None for c in first]
    columns: list[str | None]
    if "url" in named or (any(named) and not any(_looks_like_url(c) for c in first)):
        columns = named
        numbered = numbered[1:]
        for position, (cell, column) in enumerate(zip(first, named, strict=True), 1):
            if cell and column is None:
                out.problems.append(Problem("header.unknown", line,
                                            {"name": cell, "column": position}))
        seen: set[str] = set()
        for column in named:
            if column is not None and column in seen:
                out.problems.append(Problem("header.twice", line, {"name": column}))
            if column is not None:
                seen.add(column)
        if "url" not in seen:
            out.problems.append(Problem("header.no_url", line))
        width = len(first)
    elif any(_looks_like_url(c) for c in first):
        columns = list(COLUMNS)
        width = len(COLUMNS)
    else:
        out.problems.append(Problem("header.no_url", line))
        return
    for line, cells in numbered:
        row = Row(line, {c: v for c, v in zip(columns, cells, strict=False) if c and v})
        if any(cells[width:]):
            row.problems.append(Problem("row.fields", line,
                                        {"count": len(cells), "columns": width}))
        out.rows.append(row)


def _yaml_document(decoded: str) -> tuple[Any, Any]:
    """(value, node) of a YAML text, composed once by a safe loader that refuses aliases: a
    few hundred bytes of nested aliases would otherwise expand to gigabytes."""
    import yaml

    class Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types here
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise _YamlAlias(self.peek_event().start_mark)
            return super().compose_node(parent, index)

    loader = Loader(decoded)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


class _YamlAlias(Exception):
    """An alias (`*name`) in a site list; `mark` is where."""

    def __init__(self, mark: Any) -> None:
        super().__init__("alias")
        self.mark = mark


def _read_yaml(data: bytes, out: SiteList) -> None:
    import yaml

    decoded = _decode(data)
    if decoded is None:
        out.problems.append(Problem("encoding"))
        return
    try:
        loaded, node = _yaml_document(decoded)
    except _YamlAlias as exc:
        out.problems.append(Problem("hardening.list.yaml.alias", exc.mark.line + 1))
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        out.problems.append(Problem("yaml", mark.line + 1 if mark is not None else None,
                                    {"problem": problem}))
        return
    except (ValueError, OverflowError, RecursionError, TypeError):
        # a date that does not exist (2001-02-30), an int over Python's digit limit, ...
        out.problems.append(Problem("hardening.list.yaml.value"))
        return
    items, nodes = loaded, node
    if isinstance(loaded, dict) and "sites" in loaded and isinstance(node, yaml.MappingNode):
        items = loaded["sites"]
        nodes = next((v for k, v in node.value if k.value == "sites"), None)
    if not isinstance(items, list) or not isinstance(nodes, yaml.SequenceNode):
        out.problems.append(Problem("yaml.shape"))
        return
    for item, item_node in zip(items, nodes.value, strict=True):
        line = item_node.start_mark.line + 1
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            out.rows.append(Row(line, {}, problems=[Problem("row.shape", line)]))
            continue
        cells: dict[str, str] = {}
        row = Row(line, cells)
        for key, value in item.items():
            column = HEADERS.get(str(key).strip().lower())
            if column is None:
                row.problems.append(Problem("row.key", line, {"name": str(key)}))
                continue
            if isinstance(value, list | tuple) and all(_scalar(v) for v in value):
                cells[column] = ";".join(_cell(v) for v in value if _cell(v))
            elif not _scalar(value):
                row.problems.append(Problem("hardening.list.row.nested", line,
                                            {"name": str(key)[:100]}, column))
            elif _cell(value):
                cells[column] = _cell(value)
        out.rows.append(row)


# --------------------------------------------------------------------------------- sites


def category_of(value: str) -> tuple[str | None, str | None]:
    """(category, sector tag) of a category word in either language; (None, None) if unknown."""
    word = value.strip().lower()
    if word in CATEGORY_WORDS:
        return CATEGORY_WORDS[word], None
    if word in SECTOR_WORDS:
        return "other", value.strip()
    return None, None


def check_url(url: str) -> str | None:
    """The catalogue key of what is wrong with a site address, or None. A bare host must look
    like one (`gov` is not an address)."""
    if not url:
        return "row.url.missing"
    try:
        norm, _ = site_url_key(url)
    except ValueError:
        return "row.url.bad"
    if len(norm) > LIMITS["url"]:
        return "row.too_long"
    host = norm.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    if "." not in host and host != "localhost" and not host.startswith("["):
        return "row.url.bad"
    return None


def _control(value: str) -> bool:
    return any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in value)


def _judge(row: Row, source: str) -> None:
    cells, line = row.cells, row.line
    problems = row.problems
    url = cells.get("url", "")
    bad_url = check_url(url)
    if bad_url is not None:
        problems.append(Problem(bad_url, line, {"url": url[:200], "field": "url",
                                                "limit": LIMITS["url"]}, "url"))
    category = None
    tags = [t.strip() for t in cells.get("tags", "").replace("；", ";").split(";") if t.strip()]
    if cells.get("category"):
        category, sector = category_of(cells["category"])
        if category is None:
            problems.append(Problem("row.category", line, {"value": cells["category"][:100]},
                                    "category"))
        elif sector and sector not in tags:
            tags.append(sector)
    for column in ("name", "region"):
        value = cells.get(column, "")
        if len(value) > LIMITS[column]:
            problems.append(Problem("row.too_long", line,
                                    {"field": column, "limit": LIMITS[column]}, column))
    if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG for t in tags):
        problems.append(Problem("row.tags", line, {"count": MAX_TAGS, "limit": MAX_TAG},
                                "tags"))
    if any(_control(v) for v in cells.values()):
        problems.append(Problem("row.control", line))
    if problems:
        return
    row.site = SiteRow(url=url, name=cells.get("name") or None, category=category,
                       region=cells.get("region") or None, tags=tuple(dict.fromkeys(tags)),
                       where=f"{source} row {line}", line=line)


def _judge_all(out: SiteList) -> None:
    if len(out.rows) > MAX_SITES:
        out.problems.append(Problem("too_many", None, {"limit": MAX_SITES}))
        return
    seen: dict[str, int] = {}
    for row in out.rows:
        _judge(row, out.source)
        if row.site is None:
            continue
        key = site_url_key(row.site.url)[1]
        if key in seen:
            row.problems.append(Problem("row.same", row.line, {"other": seen[key]}, "url"))
            row.site = None
            continue
        seen[key] = row.line
    if not out.rows and not out.problems:
        out.problems.append(Problem("empty"))


def kind_of(filename: str, data: bytes) -> str | None:
    """csv, xlsx or yaml, from the file's first bytes and name; None for anything else."""
    suffix = Path(filename).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".csv", ".tsv", ".txt", ""):
        return "csv"
    return None


def parse(data: bytes, filename: str = "sites.csv", kind: str | None = None) -> SiteList:
    """Every row of a list with its verdict. Never raises for what is in the file."""
    out = SiteList(source=Path(filename).name or filename)
    kind = kind or kind_of(filename, data)
    if kind == "csv":
        table = _csv_table(data, out)
        if table is not None:
            _read_table(table, out)
    elif kind == "xlsx":
        table = _xlsx_table(data, out)
        if table is not None:
            _read_table(table, out)
    elif kind == "yaml":
        _read_yaml(data, out)
    else:
        out.problems.append(Problem("format"))
        return out
    if not any(p.key == "header.no_url" for p in out.problems):
        _judge_all(out)
    return out


def read_sites(path: Path, lang: Lang = "en") -> list[SiteRow]:
    """The sites of a `.csv`, `.xlsx`, `.yaml` or `.yml` file; SiteListError naming every bad
    row (UsageError for a file that cannot be read)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(text("workbench.list.missing", lang, path=path)) from None
    except IsADirectoryError:
        raise UsageError(text("workbench.list.folder", lang, path=path)) from None
    except OSError as exc:
        raise UsageError(text("workbench.list.unreadable", lang, path=path,
                              problem=os_reason(exc, lang))) from None
    sites = parse(data, str(path))
    sites.source = str(path)
    if not sites.ok:
        raise SiteListError(sites, lang)
    return sites.good


def as_api_details(problems: Iterable[Problem], lang: Lang) -> list[dict[str, Any]]:
    """Problems as the API's error details: loc names the file, the row and the column."""
    details = []
    for p in problems:
        loc: list[str | int] = ["body", "file"]
        if p.line is not None:
            loc.append(f"line {p.line}")
        if p.column:
            loc.append(p.column)
        details.append({"loc": loc, "msg": p.phrase(lang), "type": p.key})
    return details
