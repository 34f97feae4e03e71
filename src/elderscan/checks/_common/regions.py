"""Which region requires which language version, and from which share of its script a version
counts as in its language: read from the data file `standards/regions.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Requirement:
    """One required version of a region: its language, its name, the clause it comes from."""

    region: str
    lang: str
    name_zh: str
    name_en: str
    clause: str


@cache
def _regions() -> dict[str, Any]:
    text = resources.files("elderscan.checks.standards").joinpath("regions.json").read_text(
        "utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def verified_share() -> float:
    """The share of the expected script from which a version counts as in its language."""
    return float(_regions()["verified_share"])


def requirements(region: str | None) -> list[Requirement]:
    """The versions `region` requires (a row's region matches when it contains a name)."""
    if not region:
        return []
    low = region.lower()
    for entry in _regions()["regions"]:
        if any(name.lower() in low for name in entry["names"]):
            return [Requirement(entry["names"][0], lang, entry["label_zh"], entry["label_en"],
                                entry["clause"]) for lang in entry["required"]]
    return []


def known_region(region: str) -> bool:
    """Whether the data file names the region (for a warning on a mistyped --region)."""
    low = region.lower()
    return any(name.lower() in low for e in _regions()["regions"] for name in e["names"])
