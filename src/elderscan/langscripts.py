"""Which writing system a text is in: the measurement behind a language version's `verified`.

A 藏文版 that shows Chinese, or a 繁體 toggle that converts nothing, is a version in name only;
the share of its visible letters in the expected script tells. Pure functions, no browser.
Traditional and simplified Han share most characters, so they are told apart by a small map of
frequent characters that differ (国/國, 务/務 …): the share is traditional-only characters over
all characters that have a differing form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

Script = str
"""tibetan, mongolian, arabic, hangul, yi, latin, cyrillic, kana, han, pua, other"""

_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x005A, "latin"), (0x0061, 0x007A, "latin"), (0x00C0, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"), (0x0400, 0x04FF, "cyrillic"), (0x0500, 0x052F, "cyrillic"),
    (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x08A0, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0x0F00, 0x0FFF, "tibetan"), (0x1800, 0x18AF, "mongolian"), (0x11660, 0x1167F, "mongolian"),
    (0x1100, 0x11FF, "hangul"), (0x3130, 0x318F, "hangul"), (0xAC00, 0xD7AF, "hangul"),
    (0xA000, 0xA48F, "yi"), (0xA490, 0xA4CF, "yi"),
    (0x3040, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"),
    (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xF900, 0xFAFF, "han"),
    (0x20000, 0x2FA1F, "han"), (0xE000, 0xF8FF, "pua"), (0xF0000, 0x10FFFF, "pua"),
)

# Frequent characters whose simplified and traditional forms differ (simplified, traditional).
_PAIRS = (
    "国國 会會 时時 对對 学學 说說 这這 们們 来來 个個 为為 与與 发發 经經 开開 关關 问問 闻聞 "
    "区區 务務 门門 长長 东東 车車 电電 业業 实實 体體 当當 点點 从從 动動 处處 过過 机機 还還 "
    "页頁 网網 讯訊 书書 华華 广廣 传傳 办辦 党黨 报報 导導 级級 单單 项項 设設 计計 证證 "
    "请請 应應 资資 产產 农農 银銀 行 员員 县縣 乡鄉 镇鎮 园園 图圖 馆館 听聽 读讀 语語 "
    "简簡 繁繁 视視 览覽 频頻 询詢 举舉 报報 节節 约約 统統 协協 议議 组組 织織 领領 "
    "政 务 财財 税稅 医醫 疗療 险險 养養 卫衛 健 环環 护護 劳勞 纪紀 检檢 监監 审審 "
    "认認 识識 难難 买買 卖賣 钱錢 贷貸 储儲 汇匯 账賬 户戶 续續 费費 缴繳 纳納 "
    "时時 间間 岁歲 历歷 变變 万萬 亿億 无無 见見 现現 规規 划劃 预預 备備 满滿 "
    "进進 选選 运運 边邊 远遠 达達 连連 适適 递遞 号號 码碼 电電 话話 帮幫 助 "
    "标標 准準 样樣 种種 类類 热熱 线線 络絡 馈饋 联聯 系係 复復 杂雜 总總 结結"
)
SIMPLIFIED: frozenset[str] = frozenset(p[0] for p in _PAIRS.split() if len(p) == 2
                                       and p[0] != p[1])
TRADITIONAL: frozenset[str] = frozenset(p[1] for p in _PAIRS.split() if len(p) == 2
                                        and p[0] != p[1])

LANG_SCRIPTS: dict[str, tuple[Script, ...]] = {
    "bo": ("tibetan",), "dz": ("tibetan",), "mn": ("mongolian", "cyrillic"),
    "ug": ("arabic",), "kk": ("arabic", "cyrillic"), "ar": ("arabic",), "fa": ("arabic",),
    "ko": ("hangul",), "ii": ("yi",), "ru": ("cyrillic",), "ja": ("kana",),
    "en": ("latin",), "za": ("latin",), "fr": ("latin",), "de": ("latin",), "es": ("latin",),
    "pt": ("latin",), "it": ("latin",), "vi": ("latin",), "zh": ("han",),
    "zh-Hant": ("traditional",),
}
"""The script(s) a version in this language is written in (Kazakh in Xinjiang is written in
Arabic script, in Kazakhstan in Cyrillic; Mongolian in China in its own script)."""
RTL_SCRIPTS = frozenset({"arabic"})


def script_of(char: str) -> Script | None:
    """The script of one character, None for digits, punctuation, spaces and symbols."""
    code = ord(char)
    for low, high, name in _RANGES:
        if low <= code <= high:
            return name
    return "other" if char.isalpha() else None


def script_counts(text: str) -> Counter[Script]:
    """Letters per script; traditional- and simplified-only Han counted apart as well."""
    counts: Counter[Script] = Counter()
    for char in text:
        name = script_of(char)
        if name is None:
            continue
        counts[name] += 1
        if char in TRADITIONAL:
            counts["traditional"] += 1
        elif char in SIMPLIFIED:
            counts["simplified"] += 1
    return counts


def scripts_for(lang: str | None) -> tuple[Script, ...]:
    """The scripts a BCP 47 tag is expected in: `zh-Hant`, `zh-TW`, `zh-HK` are traditional."""
    if not lang:
        return ()
    tag = lang.replace("_", "-")
    low = tag.lower()
    if low.startswith("zh") and any(x in low for x in ("-hant", "-tw", "-hk", "-mo")):
        return LANG_SCRIPTS["zh-Hant"]
    return LANG_SCRIPTS.get(low.split("-")[0], ())


def share(counts: Counter[Script], scripts: Iterable[Script]) -> float | None:
    """Share of letters in the best of `scripts` (0–1); None when there is nothing to count."""
    best: float | None = None
    for name in scripts:
        if name == "traditional":
            total = counts["traditional"] + counts["simplified"]
        else:
            total = sum(v for k, v in counts.items() if k not in ("traditional", "simplified"))
        if total:
            value = counts[name] / total
            best = value if best is None else max(best, value)
    return None if best is None else round(best, 3)


def dominant(counts: Counter[Script]) -> Script | None:
    """The script most letters are in (traditional/simplified not counted apart)."""
    plain = {k: v for k, v in counts.items() if k not in ("traditional", "simplified")}
    return max(plain, key=lambda k: plain[k]) if plain else None


def lang_matches(tag: str | None, lang: str) -> bool:
    """Whether a `lang` attribute marks text of `lang`: `bo-CN` marks `bo`, `zh-TW` marks
    `zh-Hant`, `zh-CN` does not."""
    if not tag:
        return False
    low = tag.replace("_", "-").lower()
    want = lang.lower()
    if want == "zh-hant":
        return scripts_for(tag) == LANG_SCRIPTS["zh-Hant"]
    return low.split("-")[0] == want.split("-")[0]
