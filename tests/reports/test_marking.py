"""Marked screenshots: where the box lands, that the decoded page a report shares between its
crops is never drawn on, and that a report decodes each screenshot once."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from elderscan.reports import marking
from elderscan.reports.marking import MARK, Marked, Marks, marked_crop, page_jpeg

WHITE = (255, 255, 255)


def _page(path: Path, size: tuple[int, int] = (1280, 3000)) -> Path:
    Image.new("RGB", size, WHITE).save(path)
    return path


def _png(data: bytes | None, kind: str = "PNG") -> Image.Image:
    """A crop (PNG) or, with kind JPEG, a page view, decoded."""
    assert data is not None
    image = Image.open(io.BytesIO(data))
    assert image.format == kind
    return image.convert("RGB")


def _red_rows(image: Image.Image) -> tuple[int, int] | None:
    """The first and last rows with a marked (red) pixel, or None."""
    red = image.getchannel("R").point(lambda v: 255 if v > 150 else 0)
    not_green = image.getchannel("G").point(lambda v: 255 if v < 120 else 0)
    box = ImageChops.multiply(red, not_green).getbbox()
    return (box[1], box[3] - 1) if box else None


def test_a_page_overview_is_scaled_with_its_box_where_the_element_is(tmp_path: Path) -> None:
    shot = _page(tmp_path / "a.png")
    with Image.open(shot) as opened:
        page = opened.convert("RGB")
    image = _png(page_jpeg(page, [[640, 1500, 200, 100]], max_width=320), "JPEG")
    assert image.size == (320, 750)
    rows = _red_rows(image)
    # The box spans y 1500–1600 of 3000, a quarter scale: rows ~375–400, outline included.
    assert rows is not None and 368 <= rows[0] <= 376 and 399 <= rows[1] <= 407
    assert image.getpixel((10, 10)) == WHITE


def _drawn(marked: Marked, mime: str = "image/png") -> bytes:
    assert marked, "nothing drawn"
    prefix = f"data:{mime};base64,"
    assert str(marked).startswith(prefix) and marked.__html__() == str(marked)
    return base64.b64decode(str(marked)[len(prefix):])


@pytest.mark.parametrize("width", [640, 1280])  # scaled down, and at full size (a copy drawn on)
def test_marks_on_one_decoded_page_leave_no_trace_on_each_other(tmp_path: Path,
                                                                width: int) -> None:
    shot = _page(tmp_path / "a.png")
    marks = Marks()
    scale = width / 1280
    first = marks.page(shot, [[100, 100, 200, 100]], max_width=width)
    second = marks.page(shot, [[100, 2000, 200, 100]], max_width=width)
    crop = marks.crop(shot, [100, 100, 200, 100])
    untouched = marks.page(shot, [], max_width=width)
    assert not first  # nothing is drawn before `draw`
    marks.draw()
    first_rows = _red_rows(_png(_drawn(first, "image/jpeg"), "JPEG"))
    second_rows = _red_rows(_png(_drawn(second, "image/jpeg"), "JPEG"))
    assert first_rows is not None and first_rows[1] < 220 * scale
    assert second_rows is not None and second_rows[0] > 1900 * scale  # not the first box
    cropped = _png(_drawn(crop))
    assert cropped.getpixel((cropped.width - 1, cropped.height - 1)) == WHITE
    assert _red_rows(_png(_drawn(untouched, "image/jpeg"), "JPEG")) is None


def test_a_report_decodes_each_screenshot_once(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked rule by rule, drawn screenshot by screenshot (a 50-page report took 9.3 s when
    a page was decoded again for each rule that named it)."""
    shots = [_page(tmp_path / f"{n}.png", (1280, 1500)) for n in range(6)]
    read: list[Path] = []
    real = marking._read

    def counted(path: Path) -> Image.Image | None:
        read.append(path)
        return real(path)

    monkeypatch.setattr(marking, "_read", counted)
    marks = Marks()
    asked = [marks.crop(shot, [10 * rule, 300, 80, 20]) for rule in range(5) for shot in shots]
    asked += [marks.page(shot, [[0, 0, 10, 10]], max_width=360) for shot in shots]
    marks.draw()
    assert sorted(read) == sorted(shots)
    assert all(asked)


def test_what_cannot_be_drawn_is_false_and_empty(tmp_path: Path) -> None:
    shot = _page(tmp_path / "a.png")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    marks = Marks()
    asked = [marks.crop(shot, [5000, 1000, 100, 40]), marks.crop(shot, None),
             marks.crop(broken, [0, 0, 10, 10]), marks.page(tmp_path / "missing.png", [])]
    marks.draw()
    assert not any(asked) and all(str(m) == "" for m in asked)


def test_a_crop_outlines_the_element_and_an_unusable_box_or_file_gives_none(
        tmp_path: Path) -> None:
    shot = _page(tmp_path / "a.png")
    crop = _png(marked_crop(shot, [500, 1000, 100, 40]))
    colours = crop.getcolors(1 << 16)
    assert colours is not None and MARK in {c for _, c in colours}
    assert crop.width >= 360 and crop.height >= 160
    assert marked_crop(shot, [5000, 1000, 100, 40]) is None  # off the page
    assert marked_crop(shot, None) is None
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    assert marked_crop(broken, [0, 0, 10, 10]) is None
    marks = Marks()
    missing = marks.page(tmp_path / "missing.png", [])
    marks.draw()
    assert not missing
