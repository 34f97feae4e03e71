"""The rule registry is validated as a whole: a bad rule fails CI, not a scan."""

from __future__ import annotations

import ast
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from elderscan.capture import Capture, SiteCapture
from elderscan.checks import REGISTRY
from elderscan.checks._registry import SEVERITIES, TemplateError, render, said_key
from elderscan.checks.rulesdoc import generate
from elderscan.dimensions import DIMENSIONS, RULE_DIMENSIONS
from elderscan.scoring.weights import DIMENSION_WEIGHTS, RULE_WEIGHT, RULE_WEIGHTS, VETO_RULES
from rulecases import case_file, cases_of

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT.parent / "shared" / "spec" / "rules.md"
"""The design's rule catalogue, beside the repository in the project's workspace only."""
CATALOGUE_COPY = ROOT / "docs" / "spec" / "rules-catalogue.md"
"""Its rule table, committed, so that every clone checks the clauses against it."""
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
        assert meta.decides is not None and meta.decides.fail and meta.decides.passes, rule_id


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
    assert set(RULE_WEIGHT) == set(REGISTRY) == set(RULE_DIMENSIONS)
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


def _catalogue(path: Path) -> dict[str, list[str]]:
    """The rows of a catalogue's rule table: id → its cells (dimension, what, threshold,
    clause)."""
    table = {}
    for line in path.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and ID.match(cells[0]):
            table[cells[0]] = cells[1:]
    assert table, f"no rule rows read from {path}"
    return table


def catalogue() -> dict[str, list[str]]:
    """The design's catalogue where it sits beside the repository, else the committed copy."""
    return _catalogue(RULES_MD if RULES_MD.is_file() else CATALOGUE_COPY)


def test_the_committed_catalogue_copy_matches_the_design() -> None:
    if not RULES_MD.is_file():
        pytest.skip(f"the design's rule catalogue is not there: {RULES_MD}; the other tests "
                    f"read the committed copy, {CATALOGUE_COPY.name}")
    assert _catalogue(CATALOGUE_COPY) == _catalogue(RULES_MD)


def test_the_catalogue_is_the_registry_but_for_the_two_additions() -> None:
    assert set(catalogue()) == set(CATALOGUE) - {"font.text-spacing", "lang.version-required"}


def test_docs_rules_md_is_the_registry_s_tables() -> None:
    """The rule tables of docs/rules.md are generated (`python -m elderscan.checks.rulesdoc
    docs/rules.md`); the prose around them is kept as written."""
    current = DOCS_RULES.read_text("utf-8")
    assert generate(current) == current, "run python -m elderscan.checks.rulesdoc docs/rules.md"


def test_clauses_come_from_the_catalogue() -> None:
    """Each rule's clause cites what rules.md cites for it (the catalogue is the source)."""
    table = {rule_id: cells[3] for rule_id, cells in catalogue().items()}
    for rule_id, entry in REGISTRY.items():
        if rule_id in table and rule_id != "wcag.*":
            first = re.split(r"[;,]", entry.meta.clause)[0].strip()
            assert first.split(" (")[0] in table[rule_id], (rule_id, entry.meta.clause)


def test_dimensions_come_from_the_catalogue() -> None:
    for rule_id, cells in catalogue().items():
        assert REGISTRY[rule_id].meta.dimension == cells[0].replace(" ", "_"), rule_id


def _reads(protocol: type) -> set[str]:
    """The fields a check's parameter type lets it read: the protocol's properties."""
    return {name for klass in protocol.__mro__ if klass not in (object, typing.Protocol)
            and typing.Protocol in klass.__mro__
            for name, member in vars(klass).items() if isinstance(member, property)}


def test_each_check_is_typed_with_the_fields_it_may_read() -> None:
    """A check gets a view of the capture that raises on undeclared fields: its parameter is a
    protocol of exactly the declared ones, so the type checker sees the same limit."""
    for rule_id, entry in REGISTRY.items():
        first = next(iter(inspect.signature(entry.check).parameters))
        kind = typing.get_type_hints(entry.check)[first]
        assert getattr(kind, "_is_protocol", False), (rule_id, kind)
        assert _reads(kind) == set(entry.meta.reads + entry.meta.reads_if_captured), rule_id


NEVER_FAILS = {"ads.inducement": "keywords are leads for a person, never proof"}


def test_every_rule_has_cases_that_say_each_of_its_messages_in_both_languages() -> None:
    """Each rule's case file makes it say every message it has (its `-blank` twins included)
    in zh and en, filled from what the rule produced; each rule fails in one case at least, and
    passes or asks for review in another."""
    for rule_id, entry in REGISTRY.items():
        assert case_file(rule_id).is_file(), f"{rule_id} has no case file {case_file(rule_id)}"
        said: set[str] = set()
        outcomes: set[str] = set()
        for case in cases_of(rule_id):
            for lang in ("zh", "en"):
                for finding in case.run(lang):  # type: ignore[arg-type]
                    key = (finding.message_key or "")[len(rule_id) + 1:]
                    said.add(said_key(entry.meta, key, finding.data))
                    outcomes.add(finding.outcome)
        assert said == set(entry.meta.messages), (rule_id, set(entry.meta.messages) - said)
        assert ("fail" in outcomes) != (rule_id in NEVER_FAILS), (rule_id, outcomes)
        assert outcomes & {"pass", "review"}, (rule_id, outcomes)


def test_a_bad_template_raises_instead_of_showing_itself() -> None:
    meta = REGISTRY["target.size"].meta
    with pytest.raises(TemplateError, match="small"):
        render(meta, "small", {"value": "30×30"}, "en")  # no name, no threshold
    with pytest.raises(TemplateError, match="no message"):
        render(meta, "tiny", {}, "zh")


NOT_THRESHOLDS = {
    "len(run.color) > 3": "a colour with an alpha channel",
    "seen * 2 >= total": "the median character (main_text_px)",
}
"""Numbers compared in rule modules that are not thresholds, each with what it is."""


def _bare_numbers(tree: ast.Module) -> Iterator[ast.AST]:
    """Numbers other than 0 and 1 in comparisons (indices aside) and module-level constants."""
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, int | float) \
                and not isinstance(node.value.value, bool):
            yield node
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        indices = {id(n) for sub in ast.walk(node) if isinstance(sub, ast.Subscript)
                   for n in ast.walk(sub.slice)}
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and type(sub.value) in (int, float) \
                    and sub.value not in (0, 1) and id(sub) not in indices:
                yield node
                break


def test_rule_modules_hold_no_threshold_numbers() -> None:
    """Thresholds live in checks/standards/, with where each comes from; a rule module compares
    against their names."""
    modules = {sys.modules[entry.check.__module__] for entry in REGISTRY.values()}
    for module in modules:
        source = Path(str(module.__file__)).read_text("utf-8")
        for node in _bare_numbers(ast.parse(source)):
            said = ast.get_source_segment(source, node) or ""
            assert said in NOT_THRESHOLDS, f"{module.__name__}:{node.lineno}: {said}"


def test_rules_run_in_the_stated_order_whatever_the_import_order() -> None:
    """A page's findings keep their positions when a rule moves to another module."""
    from elderscan.checks._registry import RUN_ORDER, put_in_run_order

    assert tuple(REGISTRY) == RUN_ORDER
    moved = REGISTRY.pop("zoom.reflow")
    REGISTRY["zoom.reflow"] = moved  # as if its module were imported last
    put_in_run_order()
    assert tuple(REGISTRY) == RUN_ORDER
    del REGISTRY["zoom.reflow"]
    try:
        with pytest.raises(ValueError, match=r"zoom\.reflow"):
            put_in_run_order()
    finally:
        REGISTRY["zoom.reflow"] = moved
        put_in_run_order()
