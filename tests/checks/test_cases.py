"""Every rule on its cases (`tests/checks/cases/<rule-id>.json`): captures in, findings out, in
both languages, every message rendered from the data the rule really produced."""

from __future__ import annotations

import pytest

from rulecases import Case, all_cases, said


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: f"{c.rule}: {c.name}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rule_says_what_its_case_expects(case: Case, lang: str) -> None:
    found = case.run(lang)  # type: ignore[arg-type]
    assert [said(f, case.rule) for f in found] == case.findings
    for finding in found:
        assert finding.message.strip() and "{" not in finding.message, finding
