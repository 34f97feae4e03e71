"""What the `elderscan` command prints: progress, summaries, verdicts, rankings, db and tokens."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # common words
    "terminal.yes": ("是", "yes"),
    "terminal.no": ("否", "no"),
    "terminal.unknown": ("未知", "unknown"),
    "terminal.never": ("从未", "never"),
    "terminal.ok": ("成功", "ok"),
    "terminal.failed": ("失败", "FAILED"),
    "terminal.desktop": ("桌面", "desktop"),
    "terminal.mobile": ("手机", "mobile"),
    "terminal.elder": ("·适老", "+elder"),
    "terminal.error": ("elderscan：错误：{message}", "elderscan: error: {message}"),
    "terminal.internal": ("elderscan：内部错误：{message}（加 --debug 运行可看详情）",
                          "elderscan: internal error: {message} (run with --debug for details)"),
    "terminal.interrupted": ("elderscan：已中断", "elderscan: interrupted"),
    "terminal.bad_lang": ("--lang 只能是 zh 或 en，不能是 {value}",
                          "--lang must be zh or en, not {value}"),
    # scan: progress
    "terminal.scan.fixture": ("未给网址：检测内置示例网站“{name}”（{url}）",
                              "No URL given: scanning the bundled fixture site '{name}' at {url}"),
    "terminal.scan.bar": ("检测中", "scanning"),
    "terminal.phase.loading": ("加载页面", "loading pages"),
    "terminal.phase.probes": ("检查适老模式和语音", "probing elder mode and read-aloud"),
    "terminal.phase.elder": ("试用适老模式", "trying elder mode"),
    "terminal.phase.voice": ("试用语音朗读", "trying read-aloud"),
    "terminal.phase.scoring": ("检查与评分", "checks and scoring"),
    "terminal.scan.page": ("[{done}] {viewport} {url} {mark}", "[{done}] {viewport} {url} {mark}"),
    # scan: page table
    "terminal.table.title": ("elderscan · {target}", "elderscan · {target}"),
    "terminal.col.page": ("页面", "page"),
    "terminal.col.view": ("视图", "view"),
    "terminal.col.http": ("HTTP", "HTTP"),
    "terminal.col.text_px": ("字号", "px"),
    "terminal.col.share18": ("大字占比", ">=18px"),
    "terminal.col.contrast": ("低对比", "contrast"),
    "terminal.col.worst": ("最低", "worst"),
    "terminal.col.popup": ("弹窗", "pop-up"),
    "terminal.col.float": ("漂浮", "floats"),
    "terminal.floating": ("{ads}（{boxes} 个框）", "{ads} ({boxes} boxes)"),
    # scan: verdict
    "terminal.score.none": ("总分：未能计算（{dims} 无法判定）",
                            "score: not computed ({dims} could not be judged)"),
    "terminal.score.line": ("总分 {total}/100 · 等级 {grade} · {verdict}（达标线 {line}）",
                            "score {total}/100 · grade {grade} · {verdict} (pass line {line})"),
    "terminal.score.passed": ("达标", "passed"),
    "terminal.score.failed": ("不达标", "FAILED"),
    "terminal.veto": ("一票否决 {rule}：{message}", "veto {rule}: {message}"),
    "terminal.elder.line": ("适老模式：{kind}{entry}{effect}", "elder mode: {kind}{entry}{effect}"),
    "terminal.elder.entry": ("，入口“{text}”", " via \"{text}\""),
    "terminal.elder.effect": ("，{effective}（正文 {before} → {after} 像素）",
                              ", {effective} ({before} -> {after} px)"),
    "terminal.elder.effective": ("有效", "effective"),
    "terminal.elder.ineffective": ("无效", "not effective"),
    "terminal.elder.undecided": ("效果未能判定", "effect not judged"),
    "terminal.elder.kind.link": ("链接入口", "link"),
    "terminal.elder.kind.toggle": ("页内开关", "toggle"),
    "terminal.elder.kind.toolbar": ("无障碍工具条", "accessibility toolbar"),
    "terminal.elder.kind.broken": ("入口失效", "broken entry"),
    "terminal.elder.kind.none": ("没有", "none"),
    "terminal.voice.line": ("语音朗读：{found}，{functional}，方式：{kind}",
                            "read-aloud: {found}, {functional}, kind: {kind}"),
    "terminal.voice.found": ("找到入口", "entry found"),
    "terminal.voice.missing": ("没有入口", "no entry"),
    "terminal.voice.works": ("能朗读", "reads aloud"),
    "terminal.voice.silent": ("不能朗读", "does not read aloud"),
    "terminal.voice.untried": ("未能验证", "not verified"),
    "terminal.voice.kind.speech-synthesis": ("浏览器语音合成", "speech synthesis"),
    "terminal.voice.kind.audio": ("音频", "audio"),
    "terminal.voice.kind.tts-request": ("在线语音服务", "TTS service"),
    "terminal.voice.kind.screen-reader-only": ("仅屏幕阅读器", "screen reader only"),
    "terminal.voice.kind.none": ("无", "none"),
    "terminal.versions": ("语言版本：{list}", "versions: {list}"),
    "terminal.version": ("{name}（{how}，HTTP {status}，文字相符 {verified}，字形 {glyphs}）",
                         "{name} ({how}, HTTP {status}, {verified} in its script, "
                         "glyphs {glyphs})"),
    "terminal.status.line": (
        "状态 {status} · 共 {pages} 次页面采集（{failed} 次失败，跳过 {skipped} 个链接），用时 "
        "{seconds} 秒 = 每秒 {rate} 页 · 内存峰值 {mb} MB · Chromium {chromium} · axe-core {axe}",
        "status {status} · {pages} page captures ({failed} failed, {skipped} links skipped) in "
        "{seconds}s = {rate} pages/s · peak memory {mb} MB · Chromium {chromium} · "
        "axe-core {axe}"),
    "terminal.status.ok": ("完成", "ok"),
    "terminal.status.partial": ("部分完成", "partial"),
    "terminal.status.failed": ("失败", "failed"),
    "terminal.page.failed": ("  失败：{url}（{viewport}）：{message}",
                             "  failed: {url} ({viewport}): {message}"),
    "terminal.scan.failed": ("检测失败", "the scan failed"),
    # why a site could not be scanned (the scanner's error codes), for the Chinese terminal;
    # English lines keep the scanner's own sentence, which carries the detail
    "terminal.reason.dns": ("域名无法解析", "the host name does not resolve"),
    "terminal.reason.connect": ("服务器拒绝连接或没有响应", "the server refused or did not "
                                "answer the connection"),
    "terminal.reason.tls": ("TLS 握手或证书失败", "the TLS handshake or certificate failed"),
    "terminal.reason.timeout": ("超时未响应", "it did not answer in time"),
    "terminal.reason.too-many-redirects": ("首页循环重定向", "the start page redirects in a loop"),
    "terminal.reason.not-html": ("首页不是 HTML 网页", "the start page is not an HTML page"),
    "terminal.reason.download": ("首页是文件下载", "the start page is a file download"),
    "terminal.reason.too-large": ("首页超过 HTML 大小上限",
                                  "the start page is larger than the HTML size limit"),
    "terminal.reason.http": ("首页返回 HTTP 错误", "the start page answered with an HTTP error"),
    "terminal.reason.protocol": ("服务器的回答不是有效的 HTTP", "the server's answer was not "
                                 "valid HTTP"),
    "terminal.reason.no-pages": ("没有一个页面能够打开", "no page could be captured"),
    "terminal.reason.robots": ("robots.txt 禁止访问首页", "robots.txt forbids the start page"),
    "terminal.reason.blocked": ("地址防护拒绝了该地址", "the address guard refused it"),
    "terminal.reason.browser-missing": ("找不到浏览器", "no browser was found"),
    "terminal.reason.browser-unavailable": ("浏览器无法使用", "the browser could not be used"),
    "terminal.reason.bad-target": ("网址无效", "the address is not valid"),
    "terminal.reason.internal": ("内部错误", "internal error"),
    "terminal.reason.first_page": ("{reason}；第一个页面：{why}",
                                   "{reason}; the first page: {why}"),
    "terminal.reason.with_code": ("{reason}（{code}）", "{reason} ({code})"),
    # files written
    "terminal.written.report": ("报告已写入 {path}", "report written to {path}"),
    "terminal.written.result": ("结果已写入 {path}", "result written to {path}"),
    "terminal.written.baseline": ("基线已写入 {path}（{count} 个问题）",
                                  "baseline written to {path} ({count} problems)"),
    "terminal.ranking.empty": ("elderscan：警告：没有符合条件的已完成检测，排行为空",
                               "elderscan: warning: no completed scans match; the ranking is "
                               "empty"),
    # ci gate
    "terminal.gate.head": ("门槛：", "gate:"),
    "terminal.gate.total": ("总分", "total"),
    "terminal.gate.new": ("新出现的不合格项", "new failing findings"),
    "terminal.gate.vetoes": ("没有一票否决", "no veto"),
    "terminal.gate.unscored": ("未评分", "not scored"),
    "terminal.gate.ok": ("通过", "ok"),
    "terminal.gate.fail": ("未通过", "FAILED"),
    "terminal.gate.baseline": ("基线 {source}：已知问题仍在 {known} 个，已修复 {fixed} 个，"
                               "新出现 {new} 个",
                               "baseline {source}: {known} known problems still there, "
                               "{fixed} fixed, {new} new"),
    "terminal.gate.not_compared": ("  未比较：{page}", "  not compared: {page}"),
    "terminal.gate.new_head": ("新出现的不合格项（{count} 个）：",
                               "new failing findings ({count}):"),
    "terminal.gate.more": ("  …… 另有 {count} 个", "  ... and {count} more"),
    "terminal.gate.threshold": ("（门槛 {threshold}）", " (threshold {threshold})"),
    "terminal.gate.passed": ("门槛通过", "gate passed"),
    "terminal.gate.failed": ("门槛未通过：{reasons}", "gate FAILED: {reasons}"),
    "terminal.gate.reason.veto": ("一票否决（{rules}）", "veto ({rules})"),
    "terminal.gate.reason.new": ("新出现 {count} 个不合格项（最多允许 {limit} 个）",
                                 "{count} new failing {noun} (at most {limit} allowed)"),
    "terminal.gate.finding": ("个不合格项", "finding"),
    "terminal.gate.reason.unscored": ("{name} 未评分（需要 ≥ {limit}）",
                                      "{name} not scored (needs >= {limit})"),
    "terminal.gate.reason.low": ("{name} {value} < {limit}", "{name} {value} < {limit}"),
    "terminal.gate.findings": ("个不合格项", "findings"),
    "terminal.gate.separator": ("，", ", "),
    # batch
    "terminal.batch.resuming": ("批次“{name}”第 {round} 轮：继续未完成的检测，{total} 个网站中还剩 "
                                "{left} 个（存储 {store}）",
                                "batch '{name}' round {round}: resuming, {left} of {total} sites "
                                "left (store {store})"),
    "terminal.batch.start": ("批次“{name}”第 {round} 轮：{total} 个网站（存储 {store}）",
                             "batch '{name}' round {round}: {total} sites (store {store})"),
    "terminal.batch.enqueued": ("已把 {count} 个检测交给 {broker}",
                                "enqueued {count} scans to {broker}"),
    "terminal.batch.follow": ("稍后查看：elderscan batch {file} --name {name} --resume",
                              "follow it with: elderscan batch {file} --name {name} --resume"),
    "terminal.batch.bar": ("{name} 第 {round} 轮", "{name} #{round}"),
    "terminal.batch.idle": ("等待中", "waiting"),
    "terminal.batch.running": ("{site}：{phase}", "{site}: {phase}"),
    "terminal.batch.more": ("等 {count} 个", "+{count} more"),
    "terminal.batch.pages": ("{phase} {done}/{total}", "{phase} {done}/{total}"),
    "terminal.batch.done": ("完成", "done"),
    "terminal.batch.done_line": ("{site}  得分 {score}{grade}", "{site}  score {score}{grade}"),
    "terminal.batch.grade": (" 等级 {grade}", " grade {grade}"),
    "terminal.batch.failed_line": ("{site}（{url}）：{message}", "{site} ({url}): {message}"),
    "terminal.batch.failed_after": ("失败：{site}（{url}）：{message}",
                                    "failed: {site} ({url}): {message}"),
    "terminal.batch.no_worker": ("一分钟内没有工作进程领取检测：是否以相同的 ELDERSCAN_BROKER_URL "
                                 "和 ELDERSCAN_QUEUE 运行了 `elderscan worker`？",
                                 "no worker has taken a scan for a minute: is `elderscan worker` "
                                 "running with the same ELDERSCAN_BROKER_URL and "
                                 "ELDERSCAN_QUEUE?"),
    "terminal.batch.summary": ("批次 {name} 第 {round} 轮：完成 {done} 个，失败 {failed} 个，"
                               "共 {total} 个；本次检测 {scanned} 个，用时 {seconds} 秒 = "
                               "每分钟 {rate} 个网站（{runner}）",
                               "batch {name} round {round}: {done} done, {failed} failed of "
                               "{total}; {scanned} scanned in {seconds} s = {rate} sites/min "
                               "({runner})"),
    "terminal.batch.workers": ("工作进程", "workers"),
    "terminal.batch.local": ("本机运行", "local runner"),
    "terminal.batch.interrupted": ("elderscan：已中断：本轮已保存；再次运行同一命令即可继续",
                                   "elderscan: interrupted: the round is kept; run the same "
                                   "command to resume it"),
    "terminal.worker.stopped": ("elderscan：工作进程已停止", "elderscan: worker stopped"),
    "terminal.rank.title": ("{name} · 第 {round} 轮 · 排行", "{name} · round {round} · ranking"),
    "terminal.rank.col.rank": ("#", "#"),
    "terminal.category.gov": ("政府", "gov"),
    "terminal.category.bank": ("银行", "bank"),
    "terminal.category.other": ("其他", "other"),
    "terminal.rank.col.site": ("网站", "site"),
    "terminal.rank.col.category": ("类别", "category"),
    "terminal.rank.col.region": ("地区", "region"),
    "terminal.rank.col.score": ("得分", "score"),
    "terminal.rank.col.grade": ("等级", "grade"),
    "terminal.rank.dim.elder_mode": ("适老", "eld"),
    "terminal.rank.dim.font": ("字号", "font"),
    "terminal.rank.dim.contrast": ("对比", "con"),
    "terminal.rank.dim.voice": ("语音", "voi"),
    "terminal.rank.dim.ads": ("广告", "ads"),
    "terminal.rank.dim.accessibility": ("无障碍", "a11y"),
    "terminal.rank.legend": ("适老=适老模式 字号=字体大小 对比=色彩对比 语音=语音朗读 "
                             "广告=广告弹窗 无障碍=无障碍",
                             "eld=elder mode con=contrast voi=read-aloud ads=ads and pop-ups "
                             "a11y=accessibility"),
    # db
    "terminal.db.already": ("{url}：已是 {revision}", "{url}: already at {revision}"),
    "terminal.db.upgraded": ("{url}：已从 {before} 升级到 {after}",
                             "{url}: upgraded {before} -> {after}"),
    "terminal.db.empty_schema": ("空", "empty"),
    "terminal.db.current.empty": ("{url}：空库（请运行 `elderscan db upgrade`）",
                                  "{url}: empty (run `elderscan db upgrade`)"),
    "terminal.db.current.head": ("{url}：{revision}（最新）", "{url}: {revision} (head)"),
    "terminal.db.current.behind": ("{url}：{revision}（最新为 {head}：请运行 "
                                   "`elderscan db upgrade`）",
                                   "{url}: {revision} (head is {head}: run "
                                   "`elderscan db upgrade`)"),
    "terminal.db.check.ok": ("{url}：正常，版本 {revision}（{checked}）",
                             "{url}: ok at {revision} ({checked})"),
    "terminal.db.check.tables": ("每张表都可读", "every table reads"),
    "terminal.db.check.sqlite": ("每张表都可读，quick_check 通过",
                                 "every table reads, quick_check passed"),
    "terminal.db.pruned": ("已删除 {days} 天前的 {scans} 次检测的 {files} 个文件（{mb} MB）",
                           "pruned {files} files ({mb} MB) of {scans} scans older than {days} "
                           "days"),
    # tokens
    "terminal.token.created": ("已创建 {role} 令牌 {id}（{name}）；只在此显示一次：",
                               "created {role} token {id} ({name}); it is shown only now:"),
    "terminal.token.none": ("没有令牌（创建一个：elderscan token create --role admin）",
                            "no tokens (create one: elderscan token create --role admin)"),
    "terminal.token.head": ("编号\t角色\t状态\t创建时间\t最后使用\t名称",
                            "id\trole\tstate\tcreated\tlast used\tname"),
    "terminal.token.admin": ("管理", "admin"),
    "terminal.token.read": ("只读", "read"),
    "terminal.token.active": ("有效", "active"),
    "terminal.token.revoked": ("已吊销", "revoked"),
    "terminal.token.revoked_one": ("已吊销令牌 {id}", "revoked token {id}"),
    # errors the command line finds in its options
    "terminal.err.not_url": (
        "不是网址：{url}（应类似 "
        "https://www.example.gov.cn/）",
        "not a URL: {url} (expected e.g. https://www.example.gov.cn/)"),
    "terminal.err.scheme": (
        "只能检测 http(s) 网址，不能检测 {scheme}:",
        "only http(s) URLs can be scanned, not {scheme}:"),
    "terminal.err.fixture": (
        "没有名为 {name} 的内置示例网站；可用：{available}",
        "no bundled fixture site {name}; available: {available}"),
    "terminal.err.region": (
        "--region 必须是省、自治区或地区的名称",
        "--region must name a province, autonomous region or prefecture"),
    "terminal.err.viewport": (
        "--viewport 只能是 desktop、mobile 或 "
        "both，不能是 {value}",
        "--viewport must be desktop, mobile or both, not {value}"),
    "terminal.err.no_folder": (
        "无法写入 {path}：文件夹 {folder} 不存在",
        "cannot write {path}: folder {folder} does not exist"),
    "terminal.err.shots": (
        "无法创建截图文件夹 {path}：{reason}",
        "cannot create screenshot folder {path}: {reason}"),
    "terminal.err.setting": (
        "设置有误：{detail}",
        "bad setting: {detail}"),
    "terminal.err.set": (
        "--set 的格式是 NAME=VALUE（例如 --set "
        "settle_ms=300），不能是 {value}",
        "--set expects NAME=VALUE (e.g. --set settle_ms=300), not {value}"),
    "terminal.err.resume_new": (
        "--resume 与 --new-round 互相矛盾：只能给一个",
        "--resume and --new-round contradict each other: give one"),
    "terminal.err.scan_option": (
        "检测选项有误：{detail}",
        "bad scan option: {detail}"),
    "terminal.err.empty_name": (
        "--name 不能为空",
        "--name must not be empty"),
    "terminal.err.no_wait": (
        "--no-wait "
        "需要消息队列（ELDERSCAN_BROKER_URL）和工作进程："
        "没有时检测在本进程内运行",
        "--no-wait needs a broker (ELDERSCAN_BROKER_URL) and workers: without one the "
        "scans run in this process"),
    "terminal.err.loglevel": (
        "--loglevel 只能是 debug、info、warning "
        "或 error，不能是 {value}",
        "--loglevel must be debug, info, warning or error, not {value}"),
    "terminal.err.worker_broker": (
        "elderscan worker 需要消息队列：请设置 "
        "ELDERSCAN_BROKER_URL（例如 "
        "redis://127.0.0.1:6379/0）",
        "elderscan worker needs a broker: set ELDERSCAN_BROKER_URL (e.g. "
        "redis://127.0.0.1:6379/0)"),
    "terminal.err.broker": ("无法连接消息队列 {broker}：{detail}",
                            "cannot reach the broker {broker}: {detail}"),
    "terminal.err.report_format": (
        "没有 {name} 这种报告格式；可选：{choices}",
        "unknown report format {name}; choose from {choices}"),
    "terminal.err.no_report_format": (
        "没有给出报告格式；可选：{choices}",
        "no report format given; choose from {choices}"),
    "terminal.err.report_folder": (
        "无法创建报告文件夹 {path}：{reason}",
        "cannot create report folder {path}: {reason}"),
    "terminal.err.report_folder_write": (
        "无法写入报告文件夹 {path}",
        "cannot write to report folder {path}"),
    "terminal.err.report_write": (
        "无法写入 {path}：{reason}",
        "cannot write {path}: {reason}"),
    "terminal.err.out_needs_report": (
        "--out 需要同时给 --report 格式（例如 "
        "--report html,json）",
        "--out needs --report FORMATS (e.g. --report html,json)"),
    "terminal.err.not_scan": (
        "{target} 既不是检测编号，也不是结果 JSON 文件",
        "{target} is neither a scan id nor a result JSON file"),
    "terminal.err.ranking_formats": (
        "批次排行只能写成 csv 或 xlsx，不能是 {formats}",
        "a batch ranking is written as csv or xlsx, not {formats}"),
    "terminal.err.no_batch": (
        "存储中没有名为 {name} 的批次",
        "no batch named {name} in the store"),
    "terminal.err.no_batch_round": (
        "存储中没有名为 {name} 的批次的第 {round} 轮",
        "no round {round} of batch named {name} in the store"),
    "terminal.err.cannot_write": (
        "无法写入 {path}：{reason}",
        "cannot write {path}: {reason}"),
    "terminal.err.scan_and_batch": (
        "只能给一个检测（编号或文件）或 --batch，不能都给",
        "give a scan (id or file) or --batch, not both"),
    "terminal.err.no_target": (
        "请给出检测编号、结果 JSON 文件或 --batch NAME",
        "name a scan id or a result JSON file, or --batch NAME"),
    "terminal.err.batch_only": (
        "--round、--category 和 --region 只能和 "
        "--batch 一起用",
        "--round, --category and --region go with --batch"),
    "terminal.err.max_new": (
        "--max-new-failures 需要 --baseline "
        "FILE",
        "--max-new-failures needs --baseline FILE"),
    "terminal.err.max_worsened": (
        "--max-worsened 需要 --baseline FILE",
        "--max-worsened needs --baseline FILE"),
}
