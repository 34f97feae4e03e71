"""The `lang-*` fixture sites (fixtures/versions/): served on loopback, each with its truth.

`lang-trad` links its English version on another server (another port: a separate host of
the same registrable domain, as `en.` sub-domains are); its pages name that origin as
`__EN_ORIGIN__`, replaced here in a copy of the site.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from conftest import ROOT
from elderscan.devserver import SiteServer

LANG_SITES = ROOT / "fixtures" / "versions"
EN_ORIGIN = "__EN_ORIGIN__"
SLUGS = sorted(p.parent.name for p in LANG_SITES.glob("lang-*/truth.json"))


def truth(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LANG_SITES / slug / "truth.json").read_text("utf-8"))
    return data


class LangFarm:
    """One server per lang-* site (and the English one), started on first use."""

    def __init__(self, tmp: Path) -> None:
        self._tmp = tmp
        self._stack = ExitStack()
        self._urls: dict[str, str] = {}
        self.en_origin = self.url("lang-trad-en").rstrip("/")

    def url(self, slug: str) -> str:
        if slug not in self._urls:
            copy = self._tmp / slug
            shutil.copytree(LANG_SITES / slug, copy)
            for page in copy.rglob("*.html"):
                text = page.read_text("utf-8")
                if EN_ORIGIN in text:
                    page.write_text(text.replace(EN_ORIGIN, self.en_origin), "utf-8")
            self._urls[slug] = self._stack.enter_context(SiteServer(copy)).url
        return self._urls[slug]

    def close(self) -> None:
        self._stack.close()


def lang_farm(tmp: Path) -> Iterator[LangFarm]:
    farm = LangFarm(tmp)
    try:
        yield farm
    finally:
        farm.close()
