"""The dashboard's own words, in Chinese and English, from one table.

Both languages render from the same templates, so a page cannot drift between them; rule titles
and finding messages come from the rules' metadata through `elderscan.reports.digest`.
"""

from __future__ import annotations

from elderscan.reports.digest import Lang as Lang

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "app": ("适老化评测", "Elder-friendliness scans"),
    "skip": ("跳到主要内容", "Skip to main content"),
    "nav": ("主导航", "Main navigation"),
    "nav.sites": ("网站列表", "Sites"),
    "nav.rankings": ("排行榜", "Rankings"),
    "nav.compare": ("两次对比", "Compare"),
    "tools": ("阅读辅助", "Reading aids"),
    "elder.on": ("长者模式", "Elder mode"),
    "elder.off": ("标准模式", "Standard mode"),
    "elder.on.hint": ("放大文字和按钮", "larger text and buttons"),
    "elder.off.hint": ("恢复标准字号", "back to standard size"),
    "voice.start": ("语音朗读", "Read aloud"),
    "voice.stop": ("停止朗读", "Stop reading"),
    "voice.hint": ("朗读本页主要内容；选中文字时只读选中部分",
                   "reads the main content aloud; only the selection, if text is selected"),
    "lang.other": ("English", "中文"),
    "logout": ("退出登录", "Sign out"),
    "footer": ("elderscan：检测网站是否方便老年人使用。本页面本身也按同样的标准检测。",
               "elderscan: how well websites serve older people. This page is held to the same "
               "rules."),
    "api": ("接口文档", "API documentation"),
    # common
    "none": ("无", "none"),
    "unknown": ("未知", "unknown"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "all": ("全部", "All"),
    "filter": ("筛选", "Filter"),
    "reset": ("清除筛选", "Clear filters"),
    "points": ("{value} 分", "{value} points"),
    "unscored": ("未评分", "not scored"),
    "pass": ("合格", "pass"),
    "fail": ("不合格", "fail"),
    "category": ("类别", "Category"),
    "region": ("地区", "Region"),
    "site": ("网站", "Site"),
    "score": ("得分", "Score"),
    "total": ("总分", "Total"),
    "grade": ("等级", "Grade"),
    "trend": ("趋势", "Trend"),
    "checked": ("检测时间", "Checked"),
    "status": ("状态", "Status"),
    "page.prev": ("上一页", "Previous page"),
    "page.next": ("下一页", "Next page"),
    "page.of": ("第 {page} 页，共 {pages} 页", "Page {page} of {pages}"),
    "pagination": ("翻页", "Pages"),
    "cat.gov": ("政府", "Government"),
    "cat.bank": ("银行", "Bank"),
    "cat.other": ("其他", "Other"),
    "trend.up": ("上升 {delta}", "up {delta}"),
    "trend.down": ("下降 {delta}", "down {delta}"),
    "trend.same": ("持平", "unchanged"),
    "trend.first": ("首次检测", "first scan"),
    "status.done": ("完成", "done"),
    "status.failed": ("失败", "failed"),
    "status.queued": ("排队中", "queued"),
    "status.running": ("检测中", "running"),
    # sites
    "sites.title": ("网站适老化评测结果", "Elder-friendliness of websites"),
    "sites.intro": ("每个网站最近一次检测的得分（满分 100，60 分合格），"
                    "箭头表示与上一次相比的变化。",
                    "Each site's latest score (out of 100, 60 to pass); the arrow compares it "
                    "with the scan before."),
    "sites.filters": ("筛选网站", "Filter sites"),
    "sites.search": ("名称或网址包含", "Name or address contains"),
    "sites.order": ("排序", "Order"),
    "order.name": ("按名称", "by name"),
    "order.score": ("按得分（高到低）", "by score (best first)"),
    "sites.count": ("共 {total} 个网站", "{total} sites"),
    "sites.empty": ("没有符合条件的网站。", "No site matches."),
    "sites.caption": ("网站及最新得分", "Sites and their latest scores"),
    # rankings
    "rank.title": ("排行榜", "Rankings"),
    "rank.intro": ("批量检测某一轮中各网站的得分排名，并列的网站名次相同。",
                   "Sites of one round of a batch audit, best first; ties share a rank."),
    "rank.batch": ("批量检测", "Batch"),
    "rank.round": ("轮次（留空为最新一轮）", "Round (empty: the latest)"),
    "rank.rank": ("名次", "Rank"),
    "rank.none": ("还没有批量检测。用 elderscan batch 或接口创建后，这里会显示排名。",
                  "No batch audit yet. Once one runs (elderscan batch, or the API), its ranking "
                  "shows here."),
    "rank.nobatch": ("找不到这个批量检测或轮次。", "There is no such batch or round."),
    "rank.heading": ("{name} 第 {round} 轮", "{name}, round {round}"),
    "rank.empty": ("这一轮还没有完成的检测。", "No scan of this round has finished."),
    "rank.caption": ("{name} 第 {round} 轮排名", "Ranking of {name}, round {round}"),
    "round": ("第 {round} 轮", "round {round}"),
    "vetoes": ("否决项", "Vetoes"),
    # site
    "site.address": ("网址", "Address"),
    "site.latest": ("最近一次检测", "Latest scan"),
    "site.charts": ("各维度得分趋势", "Scores by dimension over time"),
    "site.charts.intro": ("每个点是一次完成的检测，虚线是 60 分合格线。"
                          "具体数字见下方的检测记录表。",
                          "Each point is a finished scan; the dashed line is the pass line (60). "
                          "The exact figures are in the table below."),
    "site.history": ("检测记录", "Scans"),
    "site.history.caption": ("{name} 的全部检测", "Every scan of {name}"),
    "site.noscans": ("这个网站还没有完成的检测。", "This site has no finished scan yet."),
    "site.models": ("注意：这些检测用了不同版本的评分模型（{models}），分数不能逐点比较。",
                    "Note: these scans used different scoring models ({models}); their scores are "
                    "not comparable point for point."),
    "site.compare": ("与上一次对比", "Compare with the scan before"),
    "site.open": ("查看报告", "Open report"),
    "chart.desc": ("共 {n} 次检测，从 {first} 分到 {last} 分。",
                   "{n} scans, from {first} to {last}."),
    "chart.empty": ("没有分数。", "No scores."),
    "chart.point": ("{label}：{value} 分", "{label}: {value}"),
    "when": ("时间", "When"),
    "batch": ("批次", "Batch"),
    "oneoff": ("单次检测", "one-off scan"),
    # scan
    "scan.title": ("检测报告：{name}", "Scan report: {name}"),
    "scan.target": ("检测地址", "Address scanned"),
    "scan.finished": ("完成时间", "Finished"),
    "scan.engine": ("检测引擎", "Engine"),
    "scan.pending": ("这次检测还没有结果（{status}）。", "This scan has no result yet ({status})."),
    "scan.failed": ("检测失败：{message}", "The scan failed: {message}"),
    "scan.score": ("得分", "Score"),
    "scan.passline": ("满分 100，60 分合格", "out of 100; 60 to pass"),
    "scan.dimensions": ("六个维度", "Six dimensions"),
    "scan.dimension": ("维度", "Dimension"),
    "scan.weight": ("权重", "Weight"),
    "scan.vetoes": ("否决项", "Vetoes"),
    "scan.noveto": ("没有否决项。", "No veto."),
    "scan.veto": ("{rule}：总分被限制在 {cap} 分", "{rule}: the total is capped at {cap}"),
    "scan.elder": ("适老模式检测", "Elder mode"),
    "scan.voice": ("语音朗读检测", "Read-aloud"),
    "scan.found": ("是否找到", "Found"),
    "scan.entry": ("入口", "Entry"),
    "scan.kind": ("方式", "How"),
    "scan.effective": ("是否有效", "Works"),
    "scan.textpx": ("正文字号（标准 → 适老）", "Main text (standard → elder)"),
    "scan.functional": ("能否发声", "Speaks"),
    "scan.stoppable": ("能否停止", "Can be stopped"),
    "scan.problem": ("问题", "Problem"),
    "scan.rectify": ("整改清单", "What to fix first"),
    "scan.rectify.intro": ("按对总分的影响排序：先改前面的。", "Ordered by what they cost the "
                           "total: fix the first ones first."),
    "scan.rectify.none": ("没有不通过的规则。", "No rule failed."),
    "scan.rectify.item": ("{count} 处不通过，约影响 {impact} 分", "{count} failures, about "
                          "{impact} points"),
    "scan.findings": ("检测发现（按规则）", "Findings by rule"),
    "scan.clause": ("依据", "Clause"),
    "scan.counts": ("不通过 {fail} 处，需复核 {review} 处，通过 {passed} 处",
                    "{fail} failed, {review} to review, {passed} passed"),
    "scan.more": ("还有 {n} 处同类问题未列出。", "{n} more of the same are not listed."),
    "scan.page": ("页面", "Page"),
    "scan.selector": ("元素", "Element"),
    "scan.measured": ("测量值 / 要求", "Measured / required"),
    "scan.shot": ("截图中红框标出了问题位置：{rule}", "Screenshot with the problem outlined in "
                  "red: {rule}"),
    "scan.shot.open": ("打开截图", "Open the screenshot"),
    "scan.shot.none": ("没有可用的截图", "no screenshot available"),
    "scan.passed": ("通过的规则", "Rules passed"),
    "scan.pages": ("检测的页面", "Pages captured"),
    "scan.guard": ("地址防护拦截的连接", "Connections the address guard refused"),
    "scan.guard.intro": ("页面试图连接下列内网或非公网地址，均已拦截，未曾访问。",
                         "The pages tried to connect to these internal or non-public addresses; "
                         "none of the connections was made."),
    "scan.guard.where": ("地址", "Address"),
    "scan.guard.why": ("原因", "Why"),
    "scan.guard.count": ("次数", "Times"),
    "scan.pagetitle": ("页面标题", "Title"),
    "scan.mode": ("模式", "Mode"),
    "mode.standard": ("标准", "standard"),
    "mode.elder": ("适老", "elder"),
    "scan.history": ("这个网站的全部检测", "Every scan of this site"),
    "sev.critical": ("严重", "critical"),
    "sev.serious": ("较重", "serious"),
    "sev.moderate": ("中等", "moderate"),
    "sev.minor": ("轻微", "minor"),
    "severity": ("严重程度", "Severity"),
    "kind.link": ("独立的适老版本（链接）", "a separate elder version (link)"),
    "kind.toggle": ("页面内切换", "an in-page switch"),
    "kind.toolbar": ("无障碍工具条", "an accessibility toolbar"),
    "kind.broken": ("入口无效", "the entry does not work"),
    "kind.none": ("未找到", "not found"),
    "voice.speech-synthesis": ("浏览器语音合成", "the browser's speech synthesis"),
    "voice.tts-request": ("在线语音合成", "an online speech service"),
    "voice.audio": ("音频", "audio"),
    "voice.none": ("没有声音", "no speech"),
    # compare
    "cmp.title": ("两次检测对比", "Compare two scans"),
    "cmp.intro": ("输入两次检测的编号：A 为之前，B 为之后。", "Enter two scan numbers: A before, "
                  "B after."),
    "cmp.a": ("检测 A（之前）", "Scan A (before)"),
    "cmp.b": ("检测 B（之后）", "Scan B (after)"),
    "cmp.go": ("对比", "Compare"),
    "cmp.heading": ("检测 {a} → 检测 {b}", "Scan {a} → scan {b}"),
    "cmp.delta": ("变化", "Change"),
    "cmp.othersite": ("注意：两次检测属于不同的网站。", "Note: the two scans are of different "
                      "sites."),
    "cmp.othermodel": ("注意：两次检测用了不同的评分模型，分数变化不完全可比。",
                       "Note: the scans used different scoring models; score changes are not "
                       "fully comparable."),
    "cmp.fixed": ("已修复", "Fixed"),
    "cmp.new": ("新出现", "New"),
    "cmp.unchanged": ("仍然存在", "Unchanged"),
    "cmp.unverified": ("无法确认（之后的检测未能打开该页面）",
                       "Unverified (the later scan could not load the page)"),
    "cmp.count": ("{n} 个", "{n}"),
    "cmp.emptygroup": ("没有。", "None."),
    "cmp.bad": ("无法对比：{message}", "Cannot compare: {message}"),
    "outcome": ("结果", "Outcome"),
    # login
    "login.title": ("登录", "Sign in"),
    "login.intro": ("查看检测结果需要访问令牌（管理员或只读令牌均可）。令牌由管理员用 "
                    "elderscan token create 生成。",
                    "Reading the results needs an access token (admin or read). An administrator "
                    "makes one with elderscan token create."),
    "login.token": ("访问令牌", "Access token"),
    "login.submit": ("登录", "Sign in"),
    "login.bad": ("令牌无效或已被撤销，请检查后重新输入。", "The token is unknown or revoked; "
                  "check it and try again."),
    "login.origin": ("请求来源不符，请从本站的登录页面登录。", "The request did not come from this "
                     "site's sign-in page."),
    "login.expired": ("登录已超过有效期，请重新登录。", "Your sign-in has expired; please sign "
                      "in again."),
    "login.revoked": ("登录已失效（已退出登录，或所用令牌已被撤销），请重新登录。",
                      "Your sign-in has ended (you signed out, or its token was revoked); please "
                      "sign in again."),
    "login.unknown": ("登录信息无效，请重新登录。", "Your sign-in is not valid here; please sign "
                      "in again."),
    "login.out": ("已退出登录。", "You have signed out."),
    # errors
    "err.404": ("找不到这个页面", "Page not found"),
    "err.404.site": ("没有编号为 {id} 的网站。", "There is no site {id}."),
    "err.404.scan": ("没有编号为 {id} 的检测。", "There is no scan {id}."),
    "err.404.page": ("这个地址没有内容。", "Nothing lives at this address."),
    "err.back": ("返回网站列表", "Back to the sites"),
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The phrase in `lang`; an unknown key shows itself, so a typo is visible, not blank."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    phrase = pair[0] if lang == "zh" else pair[1]
    return phrase.format(**values) if values else phrase
