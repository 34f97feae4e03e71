"""Page scripts' JSON answers read into our models, a lone surrogate in page text included."""

from __future__ import annotations

import json

import pytest
from pydantic import TypeAdapter, ValidationError

from elderscan.capture import Capture
from elderscan.scanner.dompass import DomPass
from elderscan.scanner.page_scripts import read_answer

RUN = {"text": "", "length": 1, "selector": "p", "tag": "p", "font_px": 16, "font_weight": 400,
       "font_family": "serif", "line_height_px": None, "color": [0, 0, 0, 1],
       "background": [255, 255, 255], "over_image": False, "box": [0, 0, 10, 10],
       "in_first_screen": True, "landmark": None}
PASS = {"title": "t", "lang": "zh-CN", "meta_viewport": None, "meta_refresh": None,
        "charset": "UTF-8", "document_url": "http://x/", "document_size": [1280, 900],
        "text_runs": [], "text_runs_truncated": False, "interactive": [], "overlays": [],
        "iframes": [], "media": [], "links": [], "images": [], "scripts": [], "spacing": [],
        "dialogs": [], "collect_ms": 12.5}


def _answer(text: str) -> str:
    """As JSON.stringify writes it: a lone surrogate as its escape."""
    return json.dumps({**PASS, "text_runs": [{**RUN, "text": text}]})


def test_an_answer_is_read_into_the_models() -> None:
    data = read_answer(TypeAdapter(DomPass), _answer("办事服务"))
    assert data.text_runs[0].text == "办事服务" and data.document_size == (1280, 900)


def test_a_lone_surrogate_in_page_text_is_kept_not_refused() -> None:
    """A script that cut a string inside an emoji: pydantic's parser refuses the escape."""
    cut = "新闻\ud83d"
    with pytest.raises(ValidationError):
        TypeAdapter(DomPass).validate_json(_answer(cut))
    assert read_answer(TypeAdapter(DomPass), _answer(cut)).text_runs[0].text == cut


def test_an_answer_of_the_wrong_shape_is_still_an_error() -> None:
    broken = json.dumps({**PASS, "document_size": "wide"})
    with pytest.raises(ValidationError):
        read_answer(TypeAdapter(DomPass), broken)


def test_the_dom_pass_answer_has_the_capture_s_types() -> None:
    """The DOM pass's fields go into the capture as they are: the same type for each name."""
    capture = Capture.model_fields
    for name, field in DomPass.model_fields.items():
        if name != "document_url":  # where the pass ran, not part of the capture
            assert field.annotation == capture[name].annotation, name
