"""Marked screenshots: where the box lands, and that the decoded page a report shares between
its crops is never drawn on."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageChops

from elderscan.reports.marking import MARK, decoded_kept, marked_crop, marked_page

WHITE = (255, 255, 255)


def _page(path: Path, size: tuple[int, int] = (1280, 3000)) -> Path:
    Image.new("RGB", size, WHITE).save(path)
    return path


def _png(data: bytes | None) -> Image.Image:
    assert data is not None
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def _red_rows(image: Image.Image) -> tuple[int, int] | None:
    """The first and last rows with a marked (red) pixel, or None."""
    red = image.getchannel("R").point(lambda v: 255 if v > 150 else 0)
    not_green = image.getchannel("G").point(lambda v: 255 if v < 120 else 0)
    box = ImageChops.multiply(red, not_green).getbbox()
    return (box[1], box[3] - 1) if box else None


def test_a_page_overview_is_scaled_with_its_box_where_the_element_is(tmp_path: Path) -> None:
    shot = _page(tmp_path / "a.png")
    image = _png(marked_page(shot, [[640, 1500, 200, 100]], max_width=320))
    assert image.size == (320, 750)
    rows = _red_rows(image)
    # The box spans y 1500–1600 of 3000, a quarter scale: rows ~375–400, outline included.
    assert rows is not None and 368 <= rows[0] <= 376 and 399 <= rows[1] <= 407
    assert image.getpixel((10, 10)) == WHITE


def test_marking_one_page_twice_leaves_no_mark_from_the_first_time(tmp_path: Path) -> None:
    shot = _page(tmp_path / "a.png")
    with decoded_kept():  # the page decoded once, shared by every call
        _marked_twice(shot)
    _marked_twice(shot)


def _marked_twice(shot: Path) -> None:
    for width in (640, 1280):  # scaled down, and at full size (a copy of the page drawn on)
        scale = width / 1280
        first = _png(marked_page(shot, [[100, 100, 200, 100]], max_width=width))
        second = _png(marked_page(shot, [[100, 2000, 200, 100]], max_width=width))
        first_rows, second_rows = _red_rows(first), _red_rows(second)
        assert first_rows is not None and first_rows[1] < 220 * scale
        assert second_rows is not None and second_rows[0] > 1900 * scale  # not the first box
    crop = _png(marked_crop(shot, [100, 100, 200, 100]))
    assert crop.getpixel((crop.width - 1, crop.height - 1)) == WHITE
    untouched = _png(marked_page(shot, [], max_width=1280))
    assert _red_rows(untouched) is None


def test_a_screenshot_written_again_is_read_again(tmp_path: Path) -> None:
    shot = _page(tmp_path / "a.png", (1280, 2000))
    with decoded_kept():
        assert _png(marked_page(shot, [], max_width=640)).size == (640, 1000)
        _page(shot, (1280, 1000))
        os.utime(shot, ns=(1, 1))  # a new time even on a file system with coarse times
        assert _png(marked_page(shot, [], max_width=640)).size == (640, 500)


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
    assert marked_page(tmp_path / "missing.png", []) is None
