"""The published JSON Schema and the contract's models describe the same result: every field a
model writes is in the schema and every property of the schema is a model's field, at every
level the two both describe; what the schema requires, a model always writes; what a model
requires on reading, the schema requires (so a valid result always reads back)."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel
from typing_extensions import is_typeddict

from elderscan.contract import PageMetrics, ScanReport, load_schema

SCHEMA = load_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        return dict(SCHEMA["$defs"][ref.rsplit("/", 1)[1]])
    return node


def _objects(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas a property's value may be (through `$ref`, `anyOf` and `items`)."""
    node = _resolve(node)
    if "properties" in node:
        return [node]
    found: list[dict[str, Any]] = []
    for alternative in node.get("anyOf", []) + node.get("oneOf", []):
        found += _objects(alternative)
    if isinstance(node.get("items"), dict):
        found += _objects(node["items"])
    return found


Described = type[BaseModel] | type  # a pydantic model or a TypedDict


def _described(annotation: Any) -> list[Described]:
    """The models and TypedDicts a field's annotation holds (in lists, optionals, shelves)."""
    if isinstance(annotation, type) and (issubclass(annotation, BaseModel)
                                         or is_typeddict(annotation)):
        return [annotation]
    if get_origin(annotation) in (Union, types.UnionType) or get_args(annotation):
        return [m for arg in get_args(annotation) for m in _described(arg)]
    return []


def _fields(kind: Described) -> tuple[dict[str, Any], set[str]]:
    """A model's fields as written (by alias) with their annotations, and those it requires."""
    if is_typeddict(kind):
        hints = get_type_hints(kind)
        return hints, set(kind.__required_keys__)  # type: ignore[attr-defined]
    assert issubclass(kind, BaseModel)
    named = {(f.alias or name): f for name, f in kind.model_fields.items()}
    return ({key: f.annotation for key, f in named.items()},
            {key for key, f in named.items() if f.is_required()})


def _walk(kind: Described, node: dict[str, Any], where: str,
          seen: dict[str, Described]) -> list[str]:
    seen[where] = kind
    fields, required = _fields(kind)
    properties = set(node["properties"])
    wanted = set(node.get("required", []))
    problems = [f"{where}: {name} is written but not in the schema"
                for name in sorted(set(fields) - properties)]
    problems += [f"{where}: the schema has {name}, no model field"
                 for name in sorted(properties - set(fields))]
    problems += [f"{where}: the schema requires {name}, never written"
                 for name in sorted(wanted - set(fields))]
    problems += [f"{where}: {name} must be given to read a result, the schema lets it out"
                 for name in sorted(required - wanted)]
    for name, annotation in fields.items():
        inner, objects = _described(annotation), _objects(node["properties"].get(name, {}))
        if inner and objects:
            problems += _walk(inner[0], objects[0], f"{where}.{name}", seen)
    return problems


def test_the_schema_and_the_models_name_the_same_fields() -> None:
    seen: dict[str, Described] = {}
    assert _walk(ScanReport, SCHEMA, "result", seen) == []
    # Every level of the result that the schema spells out is compared, not only the top.
    assert {"result.engine", "result.error", "result.summary", "result.score",
            "result.score.vetoes", "result.score.unjudged", "result.elder_mode", "result.voice",
            "result.versions", "result.pages", "result.pages.findings",
            "result.pages.findings.anchor", "result.skipped", "result.guard",
            "result.guard.refused"} <= set(seen)


def test_the_schema_and_the_page_metrics_name_the_same_fields() -> None:
    # `pages[].metrics` stays a plain dict on the model (readers look groups up by name).
    metrics = SCHEMA["$defs"]["page"]["properties"]["metrics"]
    assert _walk(PageMetrics, metrics, "result.pages.metrics", {}) == []
