"""motion.timing on hand-made captures (no browser)."""

from __future__ import annotations

import pytest

from captures import judge, make_capture, media, moving, outcomes
from elderscan.refresh import Refresh, parse_refresh


@pytest.mark.parametrize(
    ("content", "parsed"),
    [("30", (30.0, "")), ("0; URL='https://w3.org'", (0.0, "https://w3.org")),
     ("72001; https://w3.org", (72001.0, "https://w3.org")),
     ("5.9, http://x", (5.0, "http://x")), ("  3 ;url=/a", (3.0, "/a")), (".5", (0.0, "")),
     ("5;URL = \"home.html\" x", (5.0, "home.html")),
     ("5; url=index.html?a='b'", (5.0, "index.html?a='b'")), ("3; 'quoted'", (3.0, "quoted")),
     ("3; urn:x", (3.0, "urn:x")), ("3; url", (3.0, "url")), ("3; url /a", (3.0, "url /a")),
     ("0: https://w3.org", None), ("-00.12 foo", None), ("; 30", None), ("", None),
     ("+5; https://w3.org", None), ("foo; URL='https://w3.org'", None), (None, None)],
)
def test_meta_refresh_parses_as_the_html_standard(content: str | None,
                                                  parsed: tuple[float, str] | None) -> None:
    assert parse_refresh(content) == (Refresh(*parsed) if parsed else None)


@pytest.mark.parametrize(
    ("content", "outcome", "key"),
    [("30", "fail", "refresh"), ("30; URL=/news", "fail", "refresh"),
     ("72000; /x", "fail", "refresh"), ("0; URL=/new", "pass", "redirect"),
     ("72001; /x", "pass", "refresh-late")],
)
def test_meta_refresh_with_a_delay_fails(content: str, outcome: str, key: str) -> None:
    [hit] = judge("motion.timing", make_capture(meta_refresh=content))
    assert hit.outcome == outcome and hit.message_key == f"motion.timing.{key}"
    assert hit.selector == 'meta[http-equiv="refresh"]'


def test_refresh_message_says_reload_or_redirect() -> None:
    [reload] = judge("motion.timing", make_capture(meta_refresh="30"))
    assert reload.value == 30 and "reloads after 30 s" in reload.message
    [zh] = judge("motion.timing", make_capture(meta_refresh="30; url=/x"), "zh")
    assert "30 秒后自动跳转" in zh.message


def test_invalid_or_absent_refresh_is_not_applicable() -> None:
    assert judge("motion.timing", make_capture(meta_refresh="0: /x")) == []
    assert judge("motion.timing", make_capture()) == []


def test_media_playing_sound_without_controls_fails() -> None:
    page = make_capture(media=[
        media(selector="#bgm"),                                   # plays, no controls: fail
        media(selector="#with-controls", controls=True),          # has controls: pass
        media(selector="#muted", tag="video", muted=True),        # silent: n/a
        media(selector="#paused", paused=True, autoplay=False),   # not playing: n/a
    ])
    found = judge("motion.timing", page)
    assert outcomes(found) == [("fail", "#bgm"), ("pass", "#with-controls")]
    assert found[0].message_key == "motion.timing.audio"


def test_moving_content_over_five_seconds_needs_a_pause_control() -> None:
    page = make_capture(motion=[
        moving(selector="#banner"),
        moving(selector="#news-scroll", pause_control=True),
        moving(selector="#short", window_ms=4000),
        moving(selector="#loaded-once", changes=1),
    ])
    found = judge("motion.timing", page)
    assert outcomes(found) == [("fail", "#banner"), ("pass", "#news-scroll"),
                               ("review", "#short")]
    assert found[0].data == {"changes": 4, "seconds": 12.0}
    assert found[0].threshold == 5.0


def test_motion_not_observed_is_not_applicable() -> None:
    assert judge("motion.timing", make_capture(motion=None)) == []
