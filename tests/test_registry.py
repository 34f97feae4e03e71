"""The rule registry is validated as a whole: a bad rule fails CI, not a scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elderscan.capture import Capture, SiteCapture
from elderscan.checks import REGISTRY
from elderscan.checks._registry import DIMENSIONS, SEVERITIES
from elderscan.scoring.weights import DIMENSION_WEIGHTS, RULE_WEIGHTS, VETO_RULES

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT.parent / "shared" / "spec" / "rules.md"
"""The design's rule catalogue, beside the repository in the project's workspace only."""
DOCS_RULES = ROOT / "docs" / "rules.md"
"""How each rule decides: in the repository, so every clone checks against it."""
ID = re.compile(r"^[a-z]+\.([a-z0-9]+(-[a-z0-9]+)*|\*)$")
CATALOGUE = [
    "elder.entry", "elder.entry-prominent", "elder.effective", "elder.max-scale", "font.size",
    "font.line-spacing", "contrast.text", "contrast.over-image", "contrast.enhanced",
    "voice.readaloud", "voice.functional", "voice.screenreader", "ads.elder-mode", "ads.popup",
    "ads.inducement", "captcha.alternative", "zoom.allowed", "zoom.reflow", "target.size",
    "focus.visible", "motion.timing", "wcag.*",
    "font.text-spacing",  # added beyond rules.md: WCAG 1.4.12 with !important (ACT 78fd32 & co)
    "lang.version-required",  # added beyond rules.md: regional plans (藏汉双语, issue 18)
]


def test_every_catalogue_rule_is_registered_and_nothing_else() -> None:
    assert sorted(REGISTRY) == sorted(CATALOGUE)


def test_metadata_is_complete() -> None:
    for rule_id, entry in REGISTRY.items():
        meta = entry.meta
        assert meta.id == rule_id
        assert ID.match(rule_id), rule_id
        assert "no-" not in rule_id.split(".")[1], "ids are nouns, no negations"
        assert meta.dimension in DIMENSIONS
        assert meta.severity in SEVERITIES
        assert meta.clause.strip()
        for text in (meta.title_zh, meta.title_en, meta.failure_title_zh, meta.failure_title_en,
                     meta.why_zh, meta.why_en):
            assert text.strip(), rule_id
        assert meta.messages, rule_id
        for key, (zh, en) in meta.messages.items():
            assert zh.strip() and en.strip(), f"{rule_id}.{key}"
        assert meta.reads, rule_id


def test_reads_name_real_capture_fields() -> None:
    for rule_id, entry in REGISTRY.items():
        model = SiteCapture if entry.meta.scope == "site" else Capture
        for name in entry.meta.reads + entry.meta.reads_if_captured:
            assert name in model.model_fields, f"{rule_id} reads unknown field {name!r}"


def test_each_weight_names_a_real_rule_of_its_dimension() -> None:
    assert set(DIMENSION_WEIGHTS) == set(DIMENSIONS)
    assert sum(DIMENSION_WEIGHTS.values()) == 100
    weighted = set()
    for dimension, rules in RULE_WEIGHTS.items():
        for rule_id in rules:
            assert rule_id in REGISTRY, rule_id
            assert REGISTRY[rule_id].meta.dimension == dimension, rule_id
            weighted.add(rule_id)
    assert weighted == set(REGISTRY), "every rule has a weight (0 for informational ones)"
    assert all(rule in REGISTRY for rule in VETO_RULES)


def _documented() -> list[str]:
    """The rule ids of docs/rules.md's tables: a row's first cell starts with `id`."""
    found = []
    for line in DOCS_RULES.read_text("utf-8").splitlines():
        match = re.match(r"^\|\s*`([a-z]+\.[a-z0-9*-]+)`", line)
        if match:
            found.append(match.group(1))
    return found


def test_every_rule_is_documented_in_docs_rules_md_and_nothing_else() -> None:
    documented = _documented()
    assert len(documented) == len(set(documented)), "a rule documented twice"
    assert sorted(documented) == sorted(REGISTRY)
    count = re.search(r"^(\d+) rules", DOCS_RULES.read_text("utf-8"), re.M)
    assert count is not None and int(count.group(1)) == len(REGISTRY)


def test_clauses_come_from_the_catalogue() -> None:
    """Each rule's clause cites what rules.md cites for it (the catalogue is the source)."""
    if not RULES_MD.is_file():
        pytest.skip(f"the design's rule catalogue is not there: {RULES_MD} (spec/rules.md of "
                    "the shared design folder beside the repository)")
    table = {}
    for line in RULES_MD.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and ID.match(cells[0]):
            table[cells[0]] = cells[4]
    assert table, f"no rule rows read from {RULES_MD}"
    for rule_id, entry in REGISTRY.items():
        if rule_id in table and rule_id != "wcag.*":
            first = re.split(r"[;,]", entry.meta.clause)[0].strip()
            assert first.split(" (")[0] in table[rule_id], (rule_id, entry.meta.clause)
