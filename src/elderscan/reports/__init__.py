"""Reports: one scan result (or one batch ranking) rendered for people and for tools.

Every format is a pure function of a `ReportSource` (the result contract plus the folder its
screenshot paths are relative to), so a report of a stored scan and a report written right after
`elderscan scan` are the same file. `formats.write_reports` writes several at once.
"""

from elderscan.reports.source import ReportSource, load_report_file, load_stored_scan

__all__ = ["ReportSource", "load_report_file", "load_stored_scan"]
