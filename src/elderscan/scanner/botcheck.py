"""Bot checks in front of portals: an error status whose page is there only to run a script.

瑞数 answers a first request with 412 and a page of `$_ts` and a script file, 加速乐 with 521
and an inline cookie, cloud WAFs with 403 "checking your browser": the script sets a cookie and
loads the same address again, and then the server sends the page. A browser gets through, an
HTTP client cannot, so the preflight sends such an answer on to the browser
(`FetchResult.bot_check`) and the load waits for the page to pass (`navigation.navigate`).

What marks one is what it lacks: a reader's error page says something ("页面不存在", "404 Not
Found"); a check says next to nothing and runs a script. Pages that merely share the pattern (a
blank 404 with a script) cost one browser load and still end as the error they are.
"""

from __future__ import annotations

import html
import re

MAX_BYTES = 256 * 1024
"""A bigger answer is a page for reading (瑞数's, with its inline code, is ~10–40 KB)."""
MAX_TEXT_CHARS = 200
"""Visible characters at most: a check's "Just a moment… checking your browser" fits."""

REFUSED_AGAIN = ("the page's script loaded it again and was refused again: a bot check the "
                 "browser did not pass")
"""What a refused check's page failure says after its status; the judge marks such a failure
(`bot_check` in its finding's data) so that reports say it in words."""

_SCRIPT = re.compile(rb"<script\b", re.IGNORECASE)
_UNSEEN = re.compile(r"<(script|style|noscript|template|title)\b.*?</\1\s*>|<!--.*?-->",
                     re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def looks_like_bot_check(body: bytes) -> bool:
    """Whether an HTML error answer is a script's page with next to nothing to read."""
    if not body or len(body) > MAX_BYTES or not _SCRIPT.search(body):
        return False
    text = _TAG.sub(" ", _UNSEEN.sub(" ", body.decode("utf-8", "replace")))
    visible = "".join(html.unescape(text).split())
    return len(visible) <= MAX_TEXT_CHARS
