"""Limits and vocabularies for the accessibility rules, as plain data: no logic."""

# WCAG 2.2.1 (ACT bc659a): a refresh or redirect after a delay fails unless the delay is over
# 20 hours; exactly 20 hours still fails, 0 is an instant redirect and passes.
REFRESH_MAX_DELAY_S = 72000.0

# WCAG 2.5.8 inline exception: a link inside a sentence, whose size the line height sets.
INLINE_TAGS = ("a",)
# Running text around an inline link: the parent's own text beyond the link's.
INLINE_MIN_SURROUNDING_CHARS = 2

# A visual CAPTCHA: an image whose src, alt, id or class says so.
CAPTCHA_WORDS = (
    "captcha",
    "verifycode",
    "verify_code",
    "verify-code",
    "validatecode",
    "validate_code",
    "checkcode",
    "check_code",
    "authcode",
    "imgcode",
    "vcode",
    "yzm",
    "kaptcha",
    "验证码",
    "校验码",
    "图形码",
)
# Its non-visual alternative: a control to hear the code (APP 1.5, WEB 1.4.3).
CAPTCHA_VOICE_WORDS = (
    "语音",
    "听",
    "播放",
    "朗读",
    "audio",
    "voice",
    "speak",
    "listen",
    "sound",
)
# Its magnifier: a control that shows the code at least twice as large.
CAPTCHA_MAGNIFY_WORDS = (
    "放大",
    "大图",
    "看不清大",
    "magnify",
    "enlarge",
    "zoom",
    "bigger",
)
# How far (CSS px, between box edges) a control may sit from the CAPTCHA and still belong to it.
CAPTCHA_NEARBY_PX = 200.0
