"""A finding: one rule's verdict on one element (or one page, or the site), with its evidence."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from elderscan.capture import Anchor

Outcome = Literal["fail", "review", "pass"]
Severity = Literal["critical", "serious", "moderate", "minor"]


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    outcome: Outcome
    severity: Severity
    clause: str
    selector: str | None = None
    box: tuple[float, float, float, float] | None = None
    value: float | str | None = None
    threshold: float | str | None = None
    message: str
    message_key: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    weight: float = Field(1.0, description="how much this finding counts in its rule's score")
    anchor: Anchor | None = Field(
        None, description="the element as a person names it (role, text, landmark, index): its "
        "identity across scans when the markup changes; None for page and site findings")
    snippet: str | None = Field(
        None, description="a short piece of the element's HTML (opening tag, a little text, "
        "closing tag; ≤ 300 characters) so a developer can find it; None for page and site "
        "findings")
