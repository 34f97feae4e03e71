"""The scoring model: each dimension, best mode, vetoes, errors, grades, determinism."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from elderscan.finding import Finding
from elderscan.scoring import Judged, Tally, compute, grade
from elderscan.scoring import weights as w


def f(rule: str, outcome: str, weight: float = 1.0, severity: str = "serious") -> Finding:
    return Finding(rule=rule, outcome=outcome, severity=severity, clause="test",  # type: ignore[arg-type]
                   message=rule, weight=weight)


def j(rule: str, outcome: str, mode: str = "standard", page: str = "p1",
      weight: float = 1.0, severity: str = "serious") -> Judged:
    return Judged(f(rule, outcome, weight, severity), mode, page)


def perfect_site() -> list[Judged]:
    """One passing finding for every weighted rule."""
    items = []
    for rules in w.RULE_WEIGHTS.values():
        for rule, weight in rules.items():
            if weight:
                items.append(j("wcag.image-alt" if rule == "wcag.*" else rule, "pass"))
    return items


def test_a_site_passing_everything_scores_100() -> None:
    score = compute(perfect_site())
    assert score["total"] == 100.0
    assert score["grade"] == "A" and score["passed"] is True
    assert all(v == 100.0 for v in score["dimensions"].values())
    assert score["model"] == w.MODEL_VERSION


@pytest.mark.parametrize("dimension", list(w.RULE_WEIGHTS))
def test_each_dimension_is_the_weighted_mean_of_its_rules(dimension: str) -> None:
    rules = {r: wt for r, wt in w.RULE_WEIGHTS[dimension].items() if wt and r != "wcag.*"}
    first = next(iter(rules))
    items = [i for i in perfect_site() if i.finding.rule != first]
    items.append(j(first, "fail"))
    if dimension in w.BEST_MODE_DIMENSIONS:
        items = [i for i in items if i.finding.rule not in rules or i.mode == "standard"]
    score = compute(items)
    weight_sum = sum(wt for r, wt in w.RULE_WEIGHTS[dimension].items() if wt)
    expected = 100 * (weight_sum - rules[first]) / weight_sum
    assert score["dimensions"][dimension] == pytest.approx(expected, abs=0.05)
    others = [v for d, v in score["dimensions"].items() if d != dimension]
    assert all(v == 100.0 for v in others)
    total = sum(w.DIMENSION_WEIGHTS[d] * (expected if d == dimension else 100.0)
                for d in w.DIMENSION_WEIGHTS) / 100
    assert score["total"] == pytest.approx(total, abs=0.05)


def test_rule_score_weighs_findings_and_ignores_review() -> None:
    items = [i for i in perfect_site() if i.finding.rule != "contrast.text"]
    items += [j("contrast.text", "pass", weight=300), j("contrast.text", "fail", weight=100),
              j("contrast.text", "review", weight=1000)]
    score = compute(items)
    # contrast = (4 × 0.75 + 2 × 1) / 6
    assert score["dimensions"]["contrast"] == pytest.approx(100 * 5 / 6, abs=0.05)


def test_axe_rules_count_once_per_page_and_weigh_by_impact() -> None:
    base = [i for i in perfect_site() if not i.finding.rule.startswith("wcag.")]
    items = [
        *base,
        j("wcag.image-alt", "fail", severity="critical"),
        j("wcag.image-alt", "fail", severity="critical"),  # a second node: same rule, same page
        j("wcag.label", "pass"),
        j("wcag.list", "pass"),
    ]
    score = compute(items)
    axe = 2 * w.AXE_PASS_WEIGHT / (2 * w.AXE_PASS_WEIGHT + w.AXE_IMPACT_WEIGHTS["critical"])
    rules = w.RULE_WEIGHTS["accessibility"]
    expected = 100 * (rules["wcag.*"] * axe + sum(v for k, v in rules.items()
                                                   if k != "wcag.*")) / sum(rules.values())
    assert score["dimensions"]["accessibility"] == pytest.approx(expected, abs=0.05)


def test_best_mode_judges_font_on_the_elder_version() -> None:
    items = [i for i in perfect_site() if i.finding.rule != "font.size"]
    items += [j("font.size", "fail", mode="standard"), j("font.size", "pass", mode="elder")]
    score = compute(items)
    assert score["dimensions"]["font"] == 100.0
    assert score["best_mode"]["font"] == "elder"
    only_standard = [i for i in items if i.mode != "elder"]
    assert compute(only_standard)["dimensions"]["font"] < 100


def test_ads_in_elder_mode_veto_caps_below_the_pass_line() -> None:
    items = [*perfect_site(), j("ads.elder-mode", "fail", mode="elder")]
    score = compute(items)
    assert score["vetoes"] and score["vetoes"][0]["rule"] == "ads.elder-mode"
    assert score["total"] == w.VETO_CAP
    assert score["passed"] is False and score["grade"] == "E"


@dataclass(frozen=True)
class Unrun:
    rule: str
    message: str


def test_a_rule_that_could_not_run_is_named_and_the_rest_is_scored() -> None:
    """motion.timing could not run: accessibility is scored from its other rules, the total
    from every dimension, and `unjudged` says which rule and why."""
    items = [i for i in perfect_site() if i.finding.rule not in ("target.size", "motion.timing")]
    items.append(j("target.size", "fail"))
    reason = "motion was not captured: the page navigated away"
    score = compute(items, [Unrun("motion.timing", reason), Unrun("motion.timing", "other")])
    assert score["unjudged"] == [{"rule": "motion.timing", "dimension": "accessibility",
                                  "reason": reason, "count": 2}]
    weights = {r: wt for r, wt in w.RULE_WEIGHTS["accessibility"].items()
               if wt and r != "motion.timing"}
    expected = 100 * (sum(weights.values()) - weights["target.size"]) / sum(weights.values())
    assert score["dimensions"]["accessibility"] == pytest.approx(expected, abs=0.05)
    assert score["total"] is not None and score["unscored"] == []
    informational = compute(perfect_site(), errored_rules=["contrast.enhanced"])
    assert informational["total"] == 100.0
    assert [e["rule"] for e in informational["unjudged"]] == ["contrast.enhanced"]


def test_a_dimension_whose_every_rule_could_not_run_is_unscored_not_the_total() -> None:
    items = [i for i in perfect_site() if not i.finding.rule.startswith("contrast.")]
    score = compute(items, [Unrun("contrast.text", "text_runs was not captured"),
                            Unrun("contrast.over-image", "screenshot was not captured")])
    assert score["dimensions"]["contrast"] is None
    assert score["unscored"] == ["contrast"]
    assert score["total"] == 100.0 and score["passed"] is True
    assert {e["rule"] for e in score["unjudged"]} == {"contrast.text", "contrast.over-image"}


def test_only_review_on_an_ads_rule_still_scores_what_it_proved() -> None:
    """An unexplained fixed box is for review; no pop-up, promotion or ad request was found,
    which is what a clean page proves: the ads dimension is scored, not dropped."""
    items = [i for i in perfect_site() if not i.finding.rule.startswith("ads.")]
    items.append(j("ads.popup", "review"))
    score = compute(items)
    assert score["dimensions"]["ads"] == 100.0
    assert score["total"] == 100.0
    # Beside a proven failure on the same page, the review adds nothing.
    failing = [*items, j("ads.popup", "fail")]
    assert compute(failing)["dimensions"]["ads"] == 0.0
    # Two pages: one clean but for the box, one with a pop-up.
    two = [*items, j("ads.popup", "fail", page="p2")]
    assert compute(two)["dimensions"]["ads"] == 50.0
    # A rule outside the list gains nothing from reviews alone.
    review_only = [i for i in perfect_site() if i.finding.rule != "contrast.over-image"]
    review_only.append(j("contrast.over-image", "review"))
    assert compute(review_only)["dimensions"]["contrast"] == 100.0


def test_inapplicable_dimension_is_left_out_of_the_total() -> None:
    items = [i for i in perfect_site() if not i.finding.rule.startswith("voice.")]
    items.append(j("elder.entry", "fail"))
    score = compute(items)
    assert score["dimensions"]["voice"] is None
    scored = {d: v for d, v in score["dimensions"].items() if v is not None}
    expected = sum(w.DIMENSION_WEIGHTS[d] * v for d, v in scored.items()) / sum(
        w.DIMENSION_WEIGHTS[d] for d in scored)
    assert score["total"] == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize(("total", "letter"),
                         [(100, "A"), (90, "A"), (89.9, "B"), (71.5, "C"), (60, "D"), (59.9, "E")])
def test_grades(total: float, letter: str) -> None:
    assert grade(total) == letter


def test_same_findings_in_any_order_give_the_same_score() -> None:
    items = [
        *perfect_site(),
        j("contrast.text", "fail", weight=40),
        j("ads.popup", "fail"),
        j("wcag.label", "fail", severity="minor", page="p2"),
    ]
    first = compute(items)
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert compute(shuffled) == first


@pytest.mark.parametrize("seed", range(20))
def test_findings_folded_into_a_tally_score_as_the_findings_do(seed: int) -> None:
    """A long scan keeps a `Tally`, not its findings; the score must not notice: weights sum
    per rule, axe rules keep their first failure's impact per page, vetoes their order."""
    rng = random.Random(seed)
    rules = [r for rules in w.RULE_WEIGHTS.values() for r in rules if r != "wcag.*"]
    rules += ["wcag.image-alt", "wcag.label", "wcag.list", *w.VETO_RULES]
    items = [
        Judged(Finding(rule=rng.choice(rules), outcome=rng.choice(("pass", "fail", "review")),
                       severity=rng.choice(("critical", "serious", "moderate", "minor")),
                       clause="test", message=f"m{rng.randrange(8)}",
                       weight=rng.choice((0.5, 1.0, 3.0, 40.0))),
               rng.choice(("standard", "elder", "site")), rng.choice(("p1", "p2", "p3")))
        for _ in range(rng.randrange(1, 400))]
    tally = Tally()
    for item in items:
        tally.add([item.finding], item.mode, item.page)
    errors = [Unrun("wcag.list", "axe was not captured")][: seed % 2]
    assert compute(tally.judged(), errors) == compute(items, errors)
    assert len(tally.judged()) < len(items) or len(items) < 40
