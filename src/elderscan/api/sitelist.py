"""Site lists uploaded as CSV: `name,url,category,region` (a header row may name and order the
columns; Chinese headers and category names from spreadsheets are understood)."""

from __future__ import annotations

import csv
import io
from typing import Any

HEADER_ALIASES = {
    "name": "name", "名称": "name", "网站名称": "name", "单位": "name", "单位名称": "name",
    "url": "url", "网址": "url", "地址": "url", "链接": "url", "域名": "url",
    "category": "category", "类别": "category", "类型": "category", "分类": "category",
    "region": "region", "地区": "region", "区域": "region", "省份": "region", "地域": "region",
    "tags": "tags", "标签": "tags",
}
POSITIONAL = ("name", "url", "category", "region")
CATEGORY_ALIASES = {"政府": "gov", "政务": "gov", "gov": "gov", "government": "gov",
                    "银行": "bank", "bank": "bank", "其他": "other", "其它": "other",
                    "other": "other"}


class SiteListError(ValueError):
    """Bad lines of an uploaded list; `details` are API error details (loc, msg, type)."""

    def __init__(self, message: str, details: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.details = details


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 (what Excel on a Chinese Windows saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SiteListError("the file is neither UTF-8 nor GB18030 text", [
            {"loc": ["body", "file"], "msg": "not UTF-8 or GB18030 text",
             "type": "encoding"}]) from exc


def parse_csv(data: bytes) -> list[dict[str, Any]]:
    """Rows as dicts with keys name, url, category, region (and tags, split on `;`).

    Blank lines and lines starting with `#` are skipped; unknown categories are kept as given
    (the site model rejects them with the line number)."""
    text = decode(data)
    if "\x00" in text:
        raise SiteListError("the file contains NUL bytes: not a CSV text file", [
            {"loc": ["body", "file"], "msg": "NUL bytes in the file", "type": "encoding"}])
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise SiteListError(f"not a CSV file: {exc}", [
            {"loc": ["body", "file"], "msg": str(exc), "type": "csv"}]) from exc
    numbered = [(n, [c.strip() for c in row]) for n, row in enumerate(rows, start=1)
                if any(c.strip() for c in row) and not row[0].strip().startswith("#")]
    if not numbered:
        raise SiteListError("the file lists no sites", [
            {"loc": ["body", "file"], "msg": "no sites", "type": "empty"}])
    first = [HEADER_ALIASES.get(c.lower()) for c in numbered[0][1]]
    if "url" in first:
        columns: list[str | None] = first
        numbered = numbered[1:]
    else:
        columns = list(POSITIONAL)
    sites = []
    for line, row in numbered:
        site: dict[str, Any] = {}
        for column, value in zip(columns, row, strict=False):
            if column is None or not value:
                continue
            if column == "category":
                value = CATEGORY_ALIASES.get(value.lower(), value)
            if column == "tags":
                site["tags"] = [t.strip() for t in value.split(";") if t.strip()]
                continue
            site[column] = value
        site["_line"] = line
        sites.append(site)
    return sites
