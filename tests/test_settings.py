"""Settings layer defaults < environment < request, and stay frozen."""

from __future__ import annotations

import pydantic
import pytest

from elderscan.settings import ScanSettings, load_settings


def test_defaults() -> None:
    s = ScanSettings()
    assert (s.MAX_PAGES, s.VIEWPORT, s.OBEY_ROBOTS, s.CONCURRENCY) == (10, "desktop", True, 2)
    assert s.viewports == ("desktop",)


def test_environment_then_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELDERSCAN_MAX_PAGES", "25")
    monkeypatch.setenv("ELDERSCAN_EXCLUDE", r"/old/,\.pdf$")
    s = load_settings()
    assert s.MAX_PAGES == 25
    assert s.EXCLUDE == ("/old/", r"\.pdf$")
    s2 = load_settings(max_pages=3, viewport="both", concurrency=None)
    assert s2.MAX_PAGES == 3
    assert s2.viewports == ("desktop", "mobile")
    assert s2.CONCURRENCY == 2  # None means "not given"


def test_frozen_and_validated() -> None:
    s = ScanSettings()
    with pytest.raises(pydantic.ValidationError):
        s.MAX_PAGES = 5  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        load_settings(viewport="tablet")
    with pytest.raises(pydantic.ValidationError):
        load_settings(max_pages=0)


def test_settings_doc_is_the_generated_table() -> None:
    from pathlib import Path

    from elderscan.settings import settings_table

    doc = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text("utf-8")
    assert settings_table() in doc, "run: python -m elderscan.settings"
