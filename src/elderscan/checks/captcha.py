"""captcha.alternative: can a visual CAPTCHA be enlarged, and heard instead of read?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from elderscan.capture import Image, Interactive
from elderscan.checks._common.reads import ReadsInteractive
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, rule
from elderscan.checks.standards import accessibility as std
from elderscan.geometry import gap

CAPTCHA = RuleMeta(
    id="captcha.alternative",
    clause="WEB (u) 1.4.3; APP 1.5",
    severity="serious",
    title_zh="图形验证码提供放大和语音方式",
    title_en="Visual CAPTCHAs offer magnification and a voice alternative",
    failure_title_zh="图形验证码缺少放大或语音方式",
    failure_title_en="A visual CAPTCHA lacks magnification or a voice alternative",
    why_zh="老年人看不清扭曲的图形验证码；规范要求可放大（至少 2 倍）并提供语音等非视觉方式。",
    why_en="Distorted image codes defeat weak eyes; the specifications ask for magnification "
           "(at least 2×) and a non-visual alternative such as voice.",
    decides=Decides(
        fail="CAPTCHA without voice or magnifier nearby",
        passes="each CAPTCHA with both",
    ),
    reads=("images", "interactive"),
    messages={
        "missing": ("图形验证码缺少{missing_zh}", "the visual CAPTCHA lacks {missing_en}"),
        "ok": ("图形验证码提供了语音和放大方式",
               "the visual CAPTCHA offers voice and magnification"),
    },
)


class CaptchaPage(ReadsInteractive, Protocol):
    """What captcha.alternative reads of a capture."""

    @property
    def images(self) -> list[Image]: ...


_CAPTCHA = re.compile("|".join(re.escape(w) for w in std.CAPTCHA_WORDS), re.IGNORECASE)


def is_captcha(image: Image) -> bool:
    haystack = " ".join(x for x in (image.src, image.alt, image.id, image.classes) if x)
    return bool(_CAPTCHA.search(haystack))


def _control_words(control: Interactive) -> str:
    parts = (control.name, control.text, control.title, control.aria_label, control.id,
             control.href)
    return " ".join(p for p in parts if p).lower()


def _nearby(image: Image, controls: list[Interactive], words: tuple[str, ...]) -> str | None:
    for control in controls:
        if not control.visible or gap(control.box, image.box) > std.CAPTCHA_NEARBY_PX:
            continue
        text = _control_words(control)
        if any(word.lower() in text for word in words):
            return control.selector
    return None


@rule(CAPTCHA)
def captcha_alternative(page: CaptchaPage) -> Iterator[Hit]:
    for image in page.images:
        if not image.visible or not is_captcha(image):
            continue
        voice = _nearby(image, page.interactive, std.CAPTCHA_VOICE_WORDS)
        magnify = _nearby(image, page.interactive, std.CAPTCHA_MAGNIFY_WORDS)
        data = {"voice": voice, "magnify": magnify, "src": image.src[:200], "alt": image.alt}
        if voice and magnify:
            yield passed("ok", selector=image.selector, box=image.box, **data)
            continue
        missing = [name for name, found in (("voice", voice), ("magnify", magnify))
                   if not found]
        zh = {"voice": "语音方式", "magnify": "放大方式"}
        yield fail("missing", selector=image.selector, box=image.box, value=",".join(missing),
                   threshold="voice,magnify", missing=missing,
                   missing_zh="和".join(zh[m] for m in missing),
                   missing_en=" and ".join("a voice alternative" if m == "voice"
                                           else "magnification" for m in missing),
                   **data)
