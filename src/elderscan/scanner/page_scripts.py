"""The capture's page scripts, defined in every document by an init script and called by name.

`page.evaluate(source, arg)` sends the script's source with every call: 94 KB a corpus page
(the DOM pass alone 29 KB) went Python → Playwright's driver → the browser → the renderer, each
hop reading and writing it again, and V8 compiled it afresh in every document. Defined by the
capture tabs' init script (`DEFINE`), the sources cross once a context, and V8 keeps the
compiled script per renderer process (its script cache, as for axe-core's loader in `axe.py`);
a call sends a name and the argument. Every context of the pool has the init script (`BrowserPool
._new_context`); a document without the definitions (one that was there before it ran, a page
outside the pool) is sent the source, as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from playwright.async_api import Frame, Page
from pydantic import TypeAdapter, ValidationError

_JS = resources.files("elderscan.scanner").joinpath("js")

_CALL = """async ([name, arg]) => {
  const scripts = window.__elderscanScripts;
  if (!scripts || typeof scripts[name] !== 'function') return null;
  return [await scripts[name](arg)];
}"""
"""Runs a defined script; null where the document has none (the caller sends the source)."""


@dataclass(frozen=True)
class PageScript:
    """One of our scripts: `source` is a function expression of one argument."""

    name: str
    source: str

    async def __call__(self, target: Page | Frame, arg: Any = None) -> Any:
        found = await target.evaluate(_CALL, [self.name, arg])
        if found is None:
            return await target.evaluate(self.source, arg)
        return found[0]


T = TypeVar("T")


def read_answer(shape: TypeAdapter[T], answer: str) -> T:
    """A script's JSON answer read straight into our models by pydantic's parser, which builds
    them in one pass (`json.loads` and then validating the dicts walked it twice). That parser
    refuses the escape of a lone surrogate, which page text holds where a script cut a string
    between the two halves of an emoji; such an answer is read the slow way."""
    try:
        return shape.validate_json(answer)
    except ValidationError as exc:
        if not any(error["type"] == "json_invalid" for error in exc.errors()):
            raise
        return shape.validate_python(json.loads(answer))


def _read(name: str) -> str:
    return _JS.joinpath(f"{name}.js").read_text("utf-8").strip().rstrip(";")


COLLECT = PageScript("collect", f"(opts) => JSON.stringify(({_read('collect')}\n)(opts))")
"""The DOM pass (`dompass.py`). It returns one JSON string: Playwright validates and converts an
object tree value by value in Python (≈ 0.3 s of CPU for a portal page's thousands of text
runs), a string once."""
MARKS = PageScript("marks", f"""(opts) => {{
  const part = (pass) => {{
    try {{ return pass(opts); }} catch (e) {{ return JSON.stringify({{ error: String(e) }}); }}
  }};
  return '[' + part({_read('anchors')}
) + ',' + part({_read('snippets')}
) + ']';
}}""")
"""The anchors and the snippets of the same selectors in one call (`anchoring.py`), each pass
answering on its own, its error instead of its answer when it threw."""
FOCUS = PageScript("focus", _read("focus"))
REFLOW = PageScript("reflow", _read("reflow"))
MOTION = PageScript("motion", _read("motion"))
FREEZE = PageScript("freeze", _read("freeze"))
IMAGES_READY = PageScript("images_ready", _read("images_ready"))

SCRIPTS = (COLLECT, MARKS, FOCUS, REFLOW, MOTION, FREEZE, IMAGES_READY)

DEFINE = ("if (!window.__elderscanScripts) Object.defineProperty(window, '__elderscanScripts', "
          "{ value: Object.freeze({\n"
          + ",\n".join(f"{json.dumps(s.name)}: ({s.source}\n)" for s in SCRIPTS)
          + "\n}), enumerable: false });")
"""The init script of the capture tabs: defines the scripts, runs none of them."""
