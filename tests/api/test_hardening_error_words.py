"""One table of scan error codes in words: every code the round page or the ranking knew is
said by both in the same phrase, in both languages, and the round page and the ranking page
show the same reason for the same failed scan. Real app, real SQLite store."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from elderscan.i18n import CATALOGUE, text
from elderscan.reports.error_words import error_reason
from elderscan.store import claim_scan, create_batch, fail_scan, session_scope, upsert_site

from .test_workbench_dashboard import sign_in

NOT_CODES = {"other", "failed", "queued", "running", "unscored", "refused", "dispatch-later"}
CODES = sorted({k.split(".", 2)[2] for k in CATALOGUE
                if k.startswith(("workbench.error.", "rankings.reason."))} - NOT_CODES)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_known_code_has_its_own_phrase(lang: str) -> None:
    assert {"bad-target", "error", "no-pages", "http-status", "options"} <= set(CODES)
    for code in CODES:
        said = error_reason(code, lang)  # type: ignore[arg-type]
        unknown = text("rankings.reason.other", lang, code=code)  # type: ignore[arg-type]
        assert said not in (unknown, code) and "{" not in said, (code, said)


def test_the_round_page_and_the_ranking_say_the_same(client: TestClient, engine: Engine,
                                                     tokens: dict[str, str]) -> None:
    with session_scope(engine) as session:
        site = upsert_site(session, "坏网址", "https://bad.gov.cn/")
        batch = create_batch(session, "原因", [site])
        batch_id, scan_id = batch.id, batch.scans[0].id
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
    with session_scope(engine) as session:
        fail_scan(session, scan_id, "bad-target", "ValueError: unsupported URL")
    sign_in(client, tokens["admin"])
    for lang, words in (("zh", "网址无法检测"), ("en", "The address cannot be scanned")):
        round_page = client.get(f"/rounds/{batch_id}?lang={lang}").text
        ranking = client.get(f"/rankings?batch=原因&round=1&lang={lang}").text
        assert words in round_page and words in ranking
        assert not re.search(r">\s*bad-target\s*<", round_page + ranking)
