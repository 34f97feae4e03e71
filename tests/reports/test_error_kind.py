"""A scan's error in a report is said by its code where the catalogue knows the code, before any
guess from the words of its message: a scan that reached no page carries its first page's
failure in its message ("… refused again …"), and is not a refused connection."""

from __future__ import annotations

import pytest

from elderscan.capture import PageFailure
from elderscan.judge.pages import load_failure_finding
from elderscan.reports.digest import message
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


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "服务器返回 HTTP 412：网站的机器人验证没有让浏览器通过"),
    ("en", "the server answered HTTP 412: the site's bot check did not let the browser through"),
])
def test_a_page_a_bot_check_kept_out_is_said_so(lang: str, said: str) -> None:
    failure = PageFailure(url="https://a.gov.cn/", final_url=None, http_status=412,
                          mode="standard", viewport="desktop", reason="http",
                          message=FIRST.split("http: ", 1)[1].rstrip(")"))
    assert message(load_failure_finding(failure), lang) == said  # type: ignore[arg-type]
    plain = failure.model_copy(update={"message": "HTTP 412"})
    assert message(load_failure_finding(plain), lang) != said  # type: ignore[arg-type]
