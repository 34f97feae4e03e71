"""Chromium now and then refuses a capture outright ("Unable to capture screenshot") and takes
the same picture when asked again: the shot is asked for once more, and only for that."""

from __future__ import annotations

import pytest
from playwright.async_api import Error as PlaywrightError

from elderscan.scanner.screenshot import REFUSED, again_if_refused

REFUSAL = f"Protocol error (Page.captureScreenshot): {REFUSED}"


class Shots:
    """A shot that fails with `errors`, one per call, then succeeds."""

    def __init__(self, *errors: str) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> None:
        self.calls += 1
        if self.errors:
            raise PlaywrightError(self.errors.pop(0))


async def test_a_refused_capture_is_asked_for_once_more() -> None:
    shots = Shots(REFUSAL)
    await again_if_refused(shots)
    assert shots.calls == 2


async def test_a_second_refusal_is_the_callers() -> None:
    shots = Shots(REFUSAL, REFUSAL)
    with pytest.raises(PlaywrightError, match=REFUSED):
        await again_if_refused(shots)
    assert shots.calls == 2


async def test_other_errors_are_not_retried() -> None:
    shots = Shots("Target page, context or browser has been closed")
    with pytest.raises(PlaywrightError, match="closed"):
        await again_if_refused(shots)
    assert shots.calls == 1


async def test_a_shot_that_works_is_taken_once() -> None:
    shots = Shots()
    await again_if_refused(shots)
    assert shots.calls == 1
