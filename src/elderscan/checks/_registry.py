"""The rule registry: each rule's metadata beside its check, and the runner that enforces `reads`.

A check is a pure function over captured data. It returns `Hit`s (outcome + evidence + a message
key with data); the runner turns them into `Finding`s with the rule's id, severity, clause and a
message rendered from the rule's own zh/en catalogue. A check may only read the capture fields it
declares: the runner hands it a view that raises on anything else, and its parameter is typed as a
protocol of exactly those fields, so the type checker holds it to the same limit. When a declared
field is missing (axe-core failed on that page, say) the rule records an error instead of running,
so a missing input is never a silent pass; a message that cannot be rendered is an error too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from elderscan.dimensions import RULE_DIMENSIONS, Dimension
from elderscan.directions import RULE_DIRECTIONS, Better
from elderscan.finding import Finding, Outcome, Severity
from elderscan.i18n import Lang as Lang
from elderscan.i18n import english, singular

SEVERITIES: tuple[Severity, ...] = ("critical", "serious", "moderate", "minor")
Scope = Literal["page", "site"]


@dataclass(frozen=True)
class Decides:
    """How a rule decides, a phrase per outcome, as docs/rules.md's tables say it ("—": the
    rule never gives that outcome)."""

    fail: str
    passes: str
    review: str = "—"


@dataclass(frozen=True)
class RuleMeta:
    """What a rule is, for people and for the registry test. Ids are `prefix.noun`; the
    dimension a rule counts in is `elderscan.dimensions`' to say, which way its value improves
    `elderscan.directions`'."""

    id: str
    clause: str
    severity: Severity
    title_zh: str
    title_en: str
    failure_title_zh: str
    failure_title_en: str
    why_zh: str
    why_en: str
    reads: tuple[str, ...]
    messages: dict[str, tuple[str, str]]
    """message key → (zh template, en template); templates use str.format fields from data."""
    scope: Scope = "page"
    viewports: tuple[str, ...] = ("desktop", "mobile")
    modes: tuple[str, ...] = ("standard",)
    reads_if_captured: tuple[str, ...] = ()
    """Fields the check uses as extra evidence when they were captured and does without when a
    probe failed or was off (the ads rule reads the motion probe's drifting boxes)."""
    decides: Decides | None = None
    """What fails, what asks for review and what passes, for docs/rules.md (required of every
    registered rule; the registry test checks)."""

    @property
    def dimension(self) -> Dimension:
        return RULE_DIMENSIONS[self.id]

    @property
    def better(self) -> Better | None:
        """Which way the finding's `value` moves towards passing (`elderscan.directions`);
        None: the value is a label or a verdict, not a measure."""
        direction = RULE_DIRECTIONS.get(self.id)
        return direction.better if direction else None

    @property
    def also_measured(self) -> tuple[str, ...]:
        """`data` fields compared when the values tie (`elderscan.directions`)."""
        direction = RULE_DIRECTIONS.get(self.id)
        return direction.also_measured if direction else ()


@dataclass(frozen=True)
class Hit:
    """One verdict from a check, before the runner dresses it as a Finding."""

    outcome: Outcome
    key: str
    selector: str | None = None
    box: tuple[float, float, float, float] | None = None
    value: float | str | None = None
    threshold: float | str | None = None
    weight: float = 1.0
    data: dict[str, Any] = field(default_factory=dict)
    rule: str | None = None
    """Only for rule families (`wcag.*`): the concrete id, e.g. `wcag.image-alt`."""
    severity: Severity | None = None
    clause: str | None = None


def fail(key: str, **kw: Any) -> Hit:
    return _hit("fail", key, kw)


def review(key: str, **kw: Any) -> Hit:
    return _hit("review", key, kw)


def passed(key: str, **kw: Any) -> Hit:
    return _hit("pass", key, kw)


_HIT_FIELDS = ("selector", "box", "value", "threshold", "weight", "rule", "severity", "clause")


def _hit(outcome: Outcome, key: str, kw: dict[str, Any]) -> Hit:
    fields = {k: kw.pop(k) for k in _HIT_FIELDS if k in kw}
    if "box" in fields and fields["box"] is not None:
        fields["box"] = tuple(float(v) for v in fields["box"])
    return Hit(outcome=outcome, key=key, data=kw, **fields)


Check = Callable[[Any], Iterable[Hit]]
"""A check takes the `View` of its declared fields (typed, in its module, as a protocol of them)."""


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    check: Check


REGISTRY: dict[str, Rule] = {}

RUN_ORDER = (
    "target.size", "focus.visible", "motion.timing", "captcha.alternative", "zoom.reflow",
    "ads.popup", "ads.elder-mode", "ads.inducement", "wcag.*",
    "contrast.text", "contrast.over-image", "contrast.enhanced",
    "font.size", "font.line-spacing", "font.text-spacing", "zoom.allowed",
    "elder.entry", "elder.entry-prominent", "elder.effective", "elder.max-scale",
    "lang.version-required", "voice.readaloud", "voice.functional", "voice.screenreader",
)
"""The order rules run in, and so the order of a page's findings in a result. Stated, not left
to the order modules happen to be imported in: users' scripts and stored results compare
findings by position, so moving a rule to another module must not reorder them."""


def put_in_run_order() -> None:
    """Reorder REGISTRY by RUN_ORDER once every rule module is imported; a rule missing from
    either is a programming error, not a rule silently dropped."""
    if set(RUN_ORDER) != set(REGISTRY) or len(RUN_ORDER) != len(set(RUN_ORDER)):
        raise ValueError(f"RUN_ORDER and the registered rules differ: "
                         f"{sorted(set(RUN_ORDER) ^ set(REGISTRY))}")
    ordered = {rule_id: REGISTRY[rule_id] for rule_id in RUN_ORDER}
    REGISTRY.clear()
    REGISTRY.update(ordered)


def rule(meta: RuleMeta) -> Callable[[Check], Check]:
    """Register `check` under `meta.id`; a duplicate id is a programming error."""

    def register(check: Check) -> Check:
        if meta.id in REGISTRY:
            raise ValueError(f"duplicate rule id {meta.id}")
        if meta.id not in RULE_DIMENSIONS:
            raise ValueError(f"rule {meta.id} has no dimension in elderscan.dimensions")
        REGISTRY[meta.id] = Rule(meta=meta, check=check)
        return check

    return register


class UndeclaredRead(AttributeError):
    pass


class MissingInput(Exception):
    pass


class View:
    """The capture as one rule may see it: only the fields the rule declared. A capture names
    its screenshot relative to the scan's screenshot folder; a rule that reads it is handed the
    file to open, under `screenshots` (the folder, when the engine was given one)."""

    def __init__(self, source: Any, reads: tuple[str, ...], rule_id: str,
                 screenshots: Path | None = None) -> None:
        self._source = source
        self._reads = frozenset(reads)
        self._rule_id = rule_id
        self._screenshots = screenshots

    def __getattr__(self, name: str) -> Any:
        if name not in self._reads:
            raise UndeclaredRead(f"rule {self._rule_id} reads {name!r} without declaring it")
        value = getattr(self._source, name)
        if name == "screenshot" and value and self._screenshots is not None:
            return str(self._screenshots / value)
        return value


def _missing(source: Any, reads: tuple[str, ...]) -> str | None:
    errors: dict[str, str] = getattr(source, "errors", {}) or {}
    for name in reads:
        if name in errors:  # English, said again in the reader's language where shown
            return english("reasons.not_captured", part=name, why=errors[name])
        if getattr(source, name, None) is None and name not in OPTIONAL_READS:
            return english("reasons.not_captured_bare", part=name)
    return None


OPTIONAL_READS = frozenset({"meta_viewport", "meta_refresh", "lang", "screenshot",
                            "elder", "voice", "focus", "reflow", "motion",
                            "versions"})
"""Fields whose None is a fact (no meta viewport, no elder mode), not a capture failure."""


BLANK = "-blank"
"""A message whose `text` is empty and whose data says `where` the element is reads from its
`-blank` twin (an image-only pop-up is named by its place, never as “”)."""


class TemplateError(ValueError):
    """A rule's message cannot be said: no template for the key, or data that does not fill it.
    A bug in the rule, never shown to a reader as a raw template."""


def said_key(meta: RuleMeta, key: str, data: dict[str, Any]) -> str:
    """The message key `render` says for a hit's `key` and data: its `-blank` twin where the
    element has no words."""
    if (key + BLANK in meta.messages and "text" in data and "where" in data
            and not str(data["text"] or "").strip()):
        return key + BLANK
    return key


def render(meta: RuleMeta, key: str, data: dict[str, Any], lang: Lang) -> str:
    """The message `key` of `meta` in `lang`, filled from `data`; raises `TemplateError`."""
    key = said_key(meta, key, data)
    templates = meta.messages.get(key)
    if templates is None:
        raise TemplateError(f"rule {meta.id} has no message {key!r}")
    template = templates[0] if lang == "zh" else templates[1]
    try:
        said = template.format(**data)
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        raise TemplateError(f"rule {meta.id} cannot fill its {lang} message {key!r}: "
                            f"{type(exc).__name__}: {exc}") from exc
    return singular(said) if lang == "en" else said


@dataclass(frozen=True)
class RuleError:
    rule: str
    message: str


def run_rule(entry: Rule, source: Any, lang: Lang = "zh",
             screenshots: Path | None = None) -> list[Finding] | RuleError:
    """`screenshots`: the folder the capture's screenshot is named in (see `View`)."""
    meta = entry.meta
    missing = _missing(source, meta.reads)
    if missing:
        return RuleError(meta.id, missing)
    try:
        hits = list(entry.check(View(source, meta.reads + meta.reads_if_captured, meta.id,
                                     screenshots)))
        return [to_finding(meta, hit, lang) for hit in hits]
    except UndeclaredRead:
        raise
    except Exception as exc:  # a check bug on odd data must not sink the scan
        return RuleError(meta.id, f"{type(exc).__name__}: {exc}")


def to_finding(meta: RuleMeta, hit: Hit, lang: Lang) -> Finding:
    return Finding(
        rule=hit.rule or meta.id,
        outcome=hit.outcome,
        severity=hit.severity or meta.severity,
        clause=hit.clause or meta.clause,
        selector=hit.selector,
        box=hit.box,
        value=hit.value,
        threshold=hit.threshold,
        message=render(meta, hit.key, {**hit.data, "value": hit.value,
                                       "threshold": hit.threshold}, lang),
        message_key=f"{meta.id}.{hit.key}",
        data=hit.data,
        weight=hit.weight,
    )


def applies(meta: RuleMeta, viewport: str, mode: str) -> bool:
    return viewport in meta.viewports and mode in meta.modes
