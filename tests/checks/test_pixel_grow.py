"""The glyph mask's growth (`pixels._grow`) must be the square dilation MaxFilter gives, pixel
for pixel: the halo it draws decides which background pixels `contrast.over-image` reads."""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageFilter

from elderscan.checks._common.pixels import _grow


def _mask(rnd: random.Random, width: int, height: int, density: float) -> Image.Image:
    mask = Image.new("L", (width, height), 0)
    pixels = mask.load()
    assert pixels is not None
    for x in range(width):
        for y in range(height):
            if rnd.random() < density:
                pixels[x, y] = 255
    return mask


@pytest.mark.parametrize("px", [0, 1, 2, 5, 10, 11, 21, 26])
def test_growth_is_the_max_filter_square(px: int) -> None:
    rnd = random.Random(px)
    for _ in range(25):
        width, height = rnd.randint(1, 90), rnd.randint(1, 50)
        mask = _mask(rnd, width, height, rnd.choice([0.002, 0.02, 0.1, 0.4]))
        want = mask.filter(ImageFilter.MaxFilter(2 * px + 1)) if px else mask
        assert _grow(mask, px).tobytes() == want.tobytes(), (width, height)


def test_one_pixel_at_a_corner_grows_to_the_whole_square_and_no_further() -> None:
    mask = Image.new("L", (40, 40), 0)
    mask.putpixel((0, 39), 255)
    grown = _grow(mask, 12)
    assert grown.getbbox() == (0, 27, 13, 40)
    assert grown.histogram()[255] == 13 * 13
