"""What every page shares: language, elder mode, links that keep both, and the HTML response.

Language and elder mode come from the query (`?lang=en`, `?elder=1`) or, failing that, from a
cookie the query set earlier. Links keep them in the query as well, so a page opened in a new
window or by the scanner's fresh browser shows the same mode without relying on cookies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from elderscan import clock
from elderscan.api.dashboard import access
from elderscan.i18n import Lang, text
from elderscan.reports.digest import dimension_name, outcome_name, rule_title
from elderscan.reports.wording import clause_text, value_text, viewport_name

LANG_COOKIE = "elderscan_lang"
ELDER_COOKIE = "elderscan_elder"
PREFERENCE_AGE = 365 * 24 * 3600

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""Scripts and styles only from our own files: page text stored from scanned sites can never
run, even if a template forgot to escape it. `connect-src 'self'` lets the round page poll
its own status JSON."""

ENV = Environment(
    loader=PackageLoader("elderscan.api.dashboard", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _choice(request: Request, name: str, cookie: str, allowed: tuple[str, ...]) -> tuple[str, bool]:
    """(value, came from the query) of a preference; the first allowed value is the default."""
    asked = request.query_params.get(name)
    if asked in allowed:
        return asked, True
    stored = request.cookies.get(cookie)
    return (stored if stored in allowed else allowed[0]), False


@dataclass
class View:
    """One request's reader: the helpers templates call as `v.…`."""

    request: Request
    lang: Lang
    elder: bool
    lang_asked: bool
    elder_asked: bool

    @classmethod
    def of(cls, request: Request) -> View:
        lang, lang_asked = _choice(request, "lang", LANG_COOKIE, ("zh", "en"))
        elder, elder_asked = _choice(request, "elder", ELDER_COOKIE, ("0", "1"))
        return cls(request, "en" if lang == "en" else "zh", elder == "1", lang_asked,
                   elder_asked)

    # -- words
    def t(self, key: str, **values: Any) -> str:
        return text(key, self.lang, **values)

    def dim(self, dimension: str) -> str:
        return dimension_name(dimension, self.lang)

    def rule(self, rule_id: str) -> str:
        return rule_title(rule_id, self.lang)

    def outcome(self, outcome: str) -> str:
        return outcome_name(outcome, self.lang)

    def value(self, value: object) -> str:
        """A measured value or threshold in words (`none`, `partial` are not for people)."""
        return value_text(value, self.lang)

    def viewport(self, viewport: str) -> str:
        return viewport_name(viewport, self.lang)

    def clause(self, clause: str) -> str:
        return clause_text(clause, self.lang)

    def colon(self, label: str) -> str:
        """`label：` in Chinese, `label: ` in English (each language its own punctuation)."""
        return f"{label}：" if self.lang == "zh" else f"{label}: "

    def paren(self, inner: object) -> str:
        return f"（{inner}）" if self.lang == "zh" else f" ({inner})"

    def score(self, value: float | None) -> str:
        return self.t("unscored") if value is None else f"{value:.1f}"

    def when(self, moment: datetime | str | None) -> str:
        """In the configured zone (ELDERSCAN_TIMEZONE), the offset named."""
        if moment is None:
            return self.t("unknown")
        return clock.show(moment, self.lang)

    def yesno(self, value: object) -> str:
        if value is None:
            return self.t("unknown")
        return self.t("yes") if value else self.t("no")

    # -- links
    def _keep(self) -> dict[str, str]:
        kept: dict[str, str] = {}
        if self.lang == "en":
            kept["lang"] = "en"
        if self.elder:
            kept["elder"] = "1"
        return kept

    def link(self, path: str, **params: Any) -> str:
        """`path` with `params` (None and "" dropped) plus the reader's language and mode."""
        query = {k: str(v) for k, v in params.items() if v is not None and v != ""}
        query.update(self._keep())
        return path + ("?" + urlencode(query) if query else "")

    def here(self, **changes: str) -> str:
        """This page's address with some query values changed (the mode and language switches,
        pagination). A switch back keeps its `elder=0` / `lang=zh`: it must outvote the cookie."""
        query = dict(self.request.query_params)
        query.update(self._keep())
        query.update(changes)
        query = {k: v for k, v in query.items() if v != ""}
        return self.request.url.path + ("?" + urlencode(query) if query else "")

    @property
    def signed_in(self) -> bool:
        return access.signed_in(self.request)

    @property
    def admin(self) -> bool:
        """Signed in with an admin token: the page shows its write controls."""
        return access.role(self.request) == "admin"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    view = context.pop("v", None) or View.of(request)
    body = ENV.get_template(template).render(v=view, **context)
    response = HTMLResponse(body, status_code=status)
    secure = request.url.scheme == "https"
    if view.lang_asked:
        response.set_cookie(LANG_COOKIE, view.lang, max_age=PREFERENCE_AGE, path="/",
                            samesite="lax", secure=secure)
    if view.elder_asked:
        response.set_cookie(ELDER_COOKIE, "1" if view.elder else "0", max_age=PREFERENCE_AGE,
                            path="/", samesite="lax", secure=secure)
    response.headers["content-security-policy"] = CSP
    response.headers["referrer-policy"] = "same-origin"
    response.headers["x-frame-options"] = "DENY"
    response.headers["cache-control"] = "no-store"
    return response
