"""docs/rules.md's rule tables, generated from the registry so that they cannot drift from it.

`python -m elderscan.checks.rulesdoc docs/rules.md` rewrites the part of the file between the two
markers below and keeps the prose around it; `--check` only says whether the file is current.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from elderscan.checks import REGISTRY
from elderscan.checks._registry import Rule, RuleMeta

BEGIN = ("<!-- The rule tables are generated from the rule registry: edit a rule's metadata "
         "and run `python -m elderscan.checks.rulesdoc docs/rules.md`. -->")
END = "<!-- End of the generated rule tables. -->"
VIEWPORTS = ("desktop", "mobile")


def _module(entry: Rule) -> str:
    return "checks/" + entry.check.__module__.rsplit(".", 1)[-1] + ".py"


def _reads(meta: RuleMeta) -> str:
    said = ", ".join(meta.reads)
    if meta.reads_if_captured:
        said += " (+ " + ", ".join(meta.reads_if_captured) + " when captured)"
    return f"{meta.scope}: {said}"


def _where(meta: RuleMeta) -> str:
    if meta.scope == "site":
        return "once per scan"
    viewports = "both" if set(meta.viewports) == set(VIEWPORTS) else ", ".join(meta.viewports)
    return f"{', '.join(meta.modes)} / {viewports}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(meta: RuleMeta) -> str:
    decides = meta.decides
    if decides is None:
        raise ValueError(f"rule {meta.id} does not say how it decides (RuleMeta.decides)")
    cells = (f"`{meta.id}`", meta.dimension, _reads(meta), _where(meta), meta.severity,
             decides.fail, decides.review, decides.passes)
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def tables(rules: Iterable[Rule]) -> str:
    """One table per rule module, modules in name order, rules in registry order."""
    by_module: dict[str, list[Rule]] = {}
    for entry in rules:
        by_module.setdefault(_module(entry), []).append(entry)
    count = sum(len(entries) for entries in by_module.values())
    lines = [f"{count} rules (the `wcag.*` family counts as one) in {len(by_module)} modules, "
             "one per rule-id prefix, under `src/elderscan/checks/`."]
    for module in sorted(by_module):
        lines += ["", f"### `{module}`", "",
                  "| rule | dimension | scope: reads | modes / viewports | severity | fail "
                  "| review | pass |",
                  "|---|---|---|---|---|---|---|---|"]
        lines += [_row(entry.meta) for entry in by_module[module]]
    return "\n".join(lines)


def generate(current: str) -> str:
    """`current` with the text between the markers replaced by the registry's tables."""
    head, begin, rest = current.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError("docs/rules.md has lost its generated-table markers")
    return f"{head}{BEGIN}\n{tables(REGISTRY.values())}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m elderscan.checks.rulesdoc",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="docs/rules.md")
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args(argv)
    current = args.path.read_text("utf-8")
    wanted = generate(current)
    if args.check:
        if wanted != current:
            print(f"{args.path} is out of date: run without --check", file=sys.stderr)
            return 1
        return 0
    args.path.write_text(wanted, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
