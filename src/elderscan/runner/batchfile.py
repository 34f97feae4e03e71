"""Reading a batch's site list: CSV or YAML, columns name, url, category, region (and tags).

CSV: a header row naming the columns (any order; `url` required; separated by commas, or by
semicolons or tabs as the header shows), one site per row, UTF-8 (with or without BOM;
GB18030, as Excel saves it in China, is accepted too). YAML: a list of mappings with the same
keys, or a mapping with `sites:` holding that list. Every error names the file and the row, so a
list of thousands can be fixed: `sites.csv row 7: not a web address: 'gov'`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elderscan.errors import UsageError

COLUMNS = ("name", "url", "category", "region", "tags")
CATEGORIES = ("gov", "bank", "other")
MAX_SITES = 100_000


@dataclass(frozen=True)
class SiteRow:
    """One site of a batch file; `where` says where it came from, for messages."""

    url: str
    name: str | None = None
    category: str | None = None
    region: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    where: str = ""


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a CSV or YAML file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{path}: not UTF-8 or GB18030 text")  # pragma: no cover - gb18030 total


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _check_url(url: str | None, where: str) -> str:
    from elderscan.store.repo import site_url_key

    if not url:
        raise UsageError(f"{where}: no url")
    try:
        norm, _ = site_url_key(url)
    except ValueError:
        raise UsageError(f"{where}: not a web address: {url!r} "
                         "(expected e.g. https://www.example.gov.cn/)") from None
    if "://" not in url:
        host = norm.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
        if "." not in host and host != "localhost":
            raise UsageError(f"{where}: not a web address: {url!r} "
                             "(expected e.g. https://www.example.gov.cn/)")
    return url.strip()


def _row(values: dict[str, Any], where: str) -> SiteRow:
    category = _clean(values.get("category"))
    if category is not None:
        category = category.lower()
        if category not in CATEGORIES:
            raise UsageError(f"{where}: category must be gov, bank or other, not {category!r}")
    tags_value = values.get("tags")
    if isinstance(tags_value, list | tuple):
        tags = tuple(t for t in (_clean(v) for v in tags_value) if t)
    else:
        text = _clean(tags_value) or ""
        tags = tuple(t.strip() for t in text.replace("；", ";").split(";") if t.strip())
    return SiteRow(url=_check_url(_clean(values.get("url")), where),
                   name=_clean(values.get("name")), category=category,
                   region=_clean(values.get("region")), tags=tags, where=where)


def _read_csv(path: Path) -> list[SiteRow]:
    text = _text(path)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ";\t") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UsageError(f"{path}: empty file (expected a header row: "
                         f"{', '.join(COLUMNS[:4])})") from None
    except csv.Error as exc:
        raise UsageError(f"{path} row 1: {exc}") from None
    names = [h.strip().lower() for h in header]
    for position, name in enumerate(names, 1):
        if name not in COLUMNS:
            shown = header[position - 1].strip() or "(empty)"
            raise UsageError(f"{path}: unknown column {shown!r} in column {position} of the "
                             f"header (expected {', '.join(COLUMNS)})")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise UsageError(f"{path}: column {duplicated[0]!r} appears twice in the header")
    if "url" not in names:
        raise UsageError(f"{path}: no 'url' column in the header "
                         f"(expected {', '.join(COLUMNS[:4])})")
    rows: list[SiteRow] = []
    try:
        for cells in reader:
            where = f"{path} row {reader.line_num}"
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(names):
                raise UsageError(f"{where}: {len(cells)} fields but the header has "
                                 f"{len(names)} columns")
            rows.append(_row(dict(zip(names, cells, strict=False)), where))
            if len(rows) > MAX_SITES:
                raise UsageError(f"{path}: more than {MAX_SITES} sites")
    except csv.Error as exc:
        raise UsageError(f"{path} row {reader.line_num}: {exc}") from None
    return rows


def _read_yaml(path: Path) -> list[SiteRow]:
    import yaml

    text = _text(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UsageError(f"{path}{line}: not valid YAML: {problem}") from None
    if isinstance(data, dict) and "sites" in data:
        data = data["sites"]
    if not isinstance(data, list):
        raise UsageError(f"{path}: expected a list of sites (or a mapping with 'sites:'), "
                         "each with name, url, category, region")
    rows: list[SiteRow] = []
    for index, item in enumerate(data, 1):
        where = f"{path} site {index}"
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            raise UsageError(f"{where}: expected a mapping with name, url, category, region")
        unknown = [str(k) for k in item if str(k).lower() not in COLUMNS]
        if unknown:
            raise UsageError(f"{where}: unknown key {unknown[0]!r} "
                             f"(expected {', '.join(COLUMNS)})")
        rows.append(_row({str(k).lower(): v for k, v in item.items()}, where))
    if len(rows) > MAX_SITES:
        raise UsageError(f"{path}: more than {MAX_SITES} sites")
    return rows


def read_sites(path: Path) -> list[SiteRow]:
    """The sites of a `.csv`, `.yaml` or `.yml` file. Raises UsageError (one line: file, row,
    problem) for a missing file, an unknown column, a bad URL or category, a site listed twice,
    or an empty list."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows = _read_yaml(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        rows = _read_csv(path)
    else:
        if not path.exists():
            raise UsageError(f"no such file: {path}")
        raise UsageError(f"{path}: expected a .csv or .yaml file")
    if not rows:
        raise UsageError(f"{path}: no sites listed")
    from elderscan.store.repo import site_url_key

    seen: dict[str, SiteRow] = {}
    for row in rows:
        key = site_url_key(row.url)[1]
        first = seen.get(key)
        if first is not None:
            raise UsageError(f"{row.where}: the same site as {first.where.rsplit(' ', 2)[-2]} "
                             f"{first.where.rsplit(' ', 1)[-1]} ({row.url})")
        seen[key] = row
    return rows
