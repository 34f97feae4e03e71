"""A scan's error in a report is said by its code where the catalogue knows the code, before any
guess from the words of its message: a scan that reached no page carries its first page's
failure in its message ("… refused again …"), and is not a refused connection."""

from __future__ import annotations

import pytest

from elderscan.reports.wording import error_kind, error_text

FIRST = ("no page could be captured (the first: http: HTTP 412 (the page's script loaded it "
         "again and was refused again: a bot check the browser did not pass))")


@pytest.mark.parametrize(("lang", "said"), [("zh", "没有一个页面能够打开"),
                                            ("en", "no page could be captured")])
def test_a_scan_that_reached_no_page_is_said_by_its_code(lang: str, said: str) -> None:
    assert error_kind("no-pages", FIRST) == "no-pages"
    assert error_text("no-pages", FIRST, lang).startswith(said)  # type: ignore[arg-type]


def test_a_code_the_catalogue_does_not_know_is_read_from_its_words() -> None:
    assert error_kind("error", "connect ECONNREFUSED: connection refused") == "refused"
