"""The probes' words: what the elder-mode probe says about each candidate it tried
(`checks/elder_trials.py`), and the probe outcomes shown as words.

Keys are `probes.<probe>.<name>`.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # elder-mode candidates (checks/elder_trials.py)
    "probes.elder.sep": ('；', '; '),
    "probes.elder.list": ('、', ', '),
    "probes.elder.calls": ('“{label}”调用 {handler}', '“{label}” calls {handler}'),
    "probes.elder.clicked": ('点击“{label}”', 'clicking “{label}”'),
    "probes.elder.leads": ('“{label}”指向 {url}', '“{label}” leads to {url}'),
    "probes.elder.opened": ('打开 {url}（HTTP {status}）', 'opened {url} (HTTP {status})'),
    "probes.elder.new-window": ('在新窗口打开 {url}', 'opened {url} in a new window'),
    "probes.elder.navigated": ('跳转到 {url}（HTTP {status}）', 'went to {url} (HTTP {status})'),
    "probes.elder.went": ('跳转到 {url}', 'went to {url}'),
    "probes.elder.reloaded": ('页面重新加载', 'the page reloaded'),
    "probes.elder.changed": ('改变了 {changes}', 'changed {changes}'),
    "probes.elder.it-changed": ('设置了 {changes}', 'it set {changes}'),
    "probes.elder.requests": (
        "发出 {count} 个请求，{failed} 个失败",
        "{count} requests, {failed} failed"),
    "probes.elder.text": ('正文 {before} → {after}', 'text {before} → {after}'),
    "probes.elder.not-tried": ('未尝试', 'not tried'),
    "probes.elder.nothing": ('页面无任何变化', 'nothing changed'),
    "probes.elder.answered": ('{file} 返回 HTTP {status}', '{file} answered HTTP {status}'),
    "probes.elder.never": ('{file} 未能加载（{failure}）', '{file} never arrived ({failure})'),
    "probes.elder.vendor-but": (
        "页面已引入 {vendor}，但 {failed}",
        "{vendor} is on the page, but {failed}"),
    "probes.elder.but": ('但 {failed}', 'but {failed}'),
    "probes.elder.stayed": ('正文仍为 {px}', 'text stayed {px}'),
    "probes.elder.too-small": (
        "正文只从 {before} 变为 {after}（要求 ≥18 px）",
        "text went from {before} to {after} only (needs ≥ 18 px)"),
    "probes.elder.effective": (
        "有效：正文从 {before} 变为 {after}",
        "it works: text goes from {before} to {after}"),
    "probes.elder.no-change": (
        "页面没有任何变化（无跳转、无重新加载、无 class/属性/Cookie/本地存储变化）",
        "nothing changed on the page (no navigation, reload, class, attribute, cookie or "
        "storage change)"),
    "probes.elder.http-error": ('该页面返回 HTTP {status}', 'which answered HTTP {status}'),
    "probes.elder.page-failed": (
        "该页面无法加载（{error}）",
        "which could not be loaded ({error})"),
    "probes.elder.no-text": ('该页面没有文字', 'a page without text'),
    "probes.elder.click-failed": (
        "“{label}”无法点击（{error}）",
        "“{label}” could not be clicked ({error})"),
    "probes.elder.proven-earlier": (
        "未尝试：“{winner}”已证实有效",
        "not tried: “{winner}” was already proven to work"),
    "probes.elder.try-limit": (
        "未尝试：只依次尝试排名最前的几个入口，已达上限",
        "not tried: only the best few candidates are activated, and they were"),
    "probes.elder.unknown-px": ('未知', 'unknown'),
    "probes.elder.how.follow-link": ('打开链接', 'followed the link'),
    "probes.elder.how.click": ('点击', 'clicked'),
    "probes.elder.how.click-new-window": ('点击（打开新窗口）', 'clicked (new window)'),
    "probes.elder.how.toolbar-call": ('调用工具条的关怀模式', "called the toolbar's care mode"),
    "probes.elder.how.not-tried": ('未尝试', 'not tried'),
    "probes.elder.then": ("，", ", "),
    # voice candidates: what pressing each control did
    "probes.voice.silent": ("按下后没有声音", "silent when pressed"),
    "probes.voice.speech": ("开始朗读", "started reading aloud"),
    "probes.voice.not-pressed": ("未能按下", "could not be pressed"),
    "probes.voice.not-tried": ("未尝试", "not tried"),
    "probes.voice.only-input": ("只是输入框", "only an input field"),
    "probes.voice.tts-unreachable": ("语音服务无法访问", "the speech service could not be "
                                     "reached"),
}
