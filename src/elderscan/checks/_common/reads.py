"""Capture fields several rules read, one protocol each: a rule's parameter type combines them
with what else it declares, so that each field's type is written once."""

from __future__ import annotations

from typing import Protocol

from elderscan.capture import Capture, Interactive, Overlay, PageFailure, TextRun


class ReadsTextRuns(Protocol):
    @property
    def text_runs(self) -> list[TextRun]: ...


class ReadsInteractive(Protocol):
    @property
    def interactive(self) -> list[Interactive]: ...


class ReadsOverlays(Protocol):
    @property
    def overlays(self) -> list[Overlay]: ...


class ReadsPages(Protocol):
    """A site's captures, elder mode's and failed pages' among them."""

    @property
    def pages(self) -> list[Capture | PageFailure]: ...
