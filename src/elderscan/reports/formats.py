"""Which report formats exist, what their files are called, and writing several at once.

Each format is `render(source, lang) -> bytes` in its own module, imported only when asked
for (openpyxl and Jinja2 cost start-up time a JSON-only CI run need not pay).
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from elderscan.errors import UsageError
from elderscan.reports.digest import Lang
from elderscan.reports.source import ReportSource
from elderscan.terminal_lang import os_reason, say

Render = Callable[[ReportSource, Lang], bytes]


@dataclass(frozen=True)
class Format:
    name: str
    filename: str
    target: str
    """`module:function` of the renderer."""
    description: str

    def renderer(self) -> Render:
        module, _, function = self.target.partition(":")
        render: Render = getattr(importlib.import_module(module), function)
        return render


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", "report.html", "elderscan.reports.html:render",
           "self-contained page with marked screenshots and the rectification list"),
    Format("json", "report.json", "elderscan.reports.contract:render",
           "the result contract (schemas/scan-result.v1.json)"),
    Format("csv", "report.csv", "elderscan.reports.tabular:render_csv",
           "one row per finding"),
    Format("xlsx", "report.xlsx", "elderscan.reports.tabular:render_xlsx",
           "workbook: summary, findings, pages"),
    Format("junit", "report.junit.xml", "elderscan.reports.junit:render",
           "JUnit XML, one test case per rule per page"),
    Format("sarif", "report.sarif", "elderscan.reports.sarif:render",
           "SARIF 2.1.0, locations = page URL + selector"),
    Format("md", "report.md", "elderscan.reports.markdown:render",
           "Markdown summary for a pull-request comment"),
)}


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """`"html,json"` or `["html", "json"]` → known format names, in order, without repeats."""
    items = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    names: list[str] = []
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        if item not in FORMATS:
            raise UsageError(say("err.report_format", name=repr(item),
                                 choices=", ".join(FORMATS)))
        if item not in names:
            names.append(item)
    if not names:
        raise UsageError(say("err.no_report_format", choices=", ".join(FORMATS)))
    return names


def prepare_out_dir(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(say("err.report_folder", path=out_dir,
                             reason=os_reason(exc))) from exc
    if not os.access(out_dir, os.W_OK):
        raise UsageError(say("err.report_folder_write", path=out_dir))
    return out_dir


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, so a reader never sees half a report."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_reports(source: ReportSource, formats: Iterable[str], out_dir: Path,
                  lang: Lang = "zh") -> list[Path]:
    """Render each format and write it into `out_dir`; returns the files written."""
    prepare_out_dir(out_dir)
    written: list[Path] = []
    for name in formats:
        fmt = FORMATS[name]
        path = out_dir / fmt.filename
        try:
            write_atomic(path, fmt.renderer()(source, lang))
        except OSError as exc:
            raise UsageError(say("err.report_write", lang, path=path,
                                 reason=os_reason(exc))) from exc
        written.append(path)
    return written
