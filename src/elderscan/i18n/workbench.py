"""The workbench's phrases: site lists and their problems, adding and editing sites, starting,
watching and cancelling a round, and the write guards (admin, CSRF)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # -- site lists (CLI, API upload, dashboard preview)
    "workbench.list.row": ("第 {line} 行", "row {line}"),
    "workbench.list.count": ("{source}：有 {count} 处问题", "{source}: {count} problems"),
    "workbench.list.missing": ("找不到文件：{path}", "no such file: {path}"),
    "workbench.list.folder": ("{path} 是文件夹，不是 CSV、XLSX 或 YAML 文件",
                              "{path} is a folder, not a CSV, XLSX or YAML file"),
    "workbench.list.unreadable": ("无法读取 {path}：{problem}", "cannot read {path}: {problem}"),
    "workbench.list.empty": ("文件里没有列出网站", "no sites listed"),
    "workbench.list.encoding": ("文件不是 UTF-8 或 GB18030 编码的文本",
                                "not UTF-8 or GB18030 text"),
    "workbench.list.format": ("文件须为 .csv、.xlsx 或 .yaml 格式",
                              "expected a .csv, .xlsx or .yaml file"),
    "workbench.list.csv": ("不是有效的 CSV 文件（{problem}）", "not a valid CSV file ({problem})"),
    "workbench.list.xlsx": ("不是可以读取的 Excel（.xlsx）文件",
                            "not a readable Excel (.xlsx) file"),
    "workbench.list.yaml": ("YAML 格式有误（{problem}）", "not valid YAML ({problem})"),
    "workbench.list.yaml.shape": (
        "应为网站列表（或以“sites:”开头的列表），每项含名称、网址、类别、地区",
        "expected a list of sites (or a mapping with 'sites:'), each with name, url, "
        "category, region"),
    "workbench.list.too_many": ("网站超过 {limit} 个", "more than {limit} sites"),
    "workbench.list.header.unknown": (
        "表头第 {column} 列“{name}”不是可识别的列名（可用：名称、网址、类别、地区、标签，"
        "或 name、url、category、region、tags）",
        "unknown column '{name}' in column {column} of the header (expected name, url, "
        "category, region, tags, or the same names in Chinese)"),
    "workbench.list.header.twice": ("表头中“{name}”列出现了两次",
                                    "column '{name}' appears twice in the header"),
    "workbench.list.header.no_url": (
        "表头没有网址列（例如：名称,网址,类别,地区）",
        "no 'url' column in the header (expected e.g. name,url,category,region)"),
    "workbench.list.row.fields": ("有 {count} 个值，但表头只有 {columns} 列",
                                  "{count} fields but the header has {columns} columns"),
    "workbench.list.row.url.missing": ("没有网址", "no url"),
    "workbench.list.row.url.bad": (
        "不是网址：“{url}”（应如 https://www.example.gov.cn/）",
        "not a web address: '{url}' (expected e.g. https://www.example.gov.cn/)"),
    "workbench.list.row.category": (
        "类别“{value}”无法识别（可用：政府、银行、其他，或 gov、bank、other；交通、医疗、"
        "公用事业等归入“其他”）",
        "category must be gov, bank or other (or their Chinese names; sectors such as "
        "transport or health count as other), not '{value}'"),
    "workbench.list.row.too_long": ("{field} 超过 {limit} 个字符",
                                    "{field} is longer than {limit} characters"),
    "workbench.list.row.tags": ("标签最多 {count} 个，每个最多 {limit} 个字符",
                                "at most {count} tags of at most {limit} characters each"),
    "workbench.list.row.control": ("文字中含有控制字符",
                                   "text must not contain control characters"),
    "workbench.list.row.same": ("与第 {other} 行是同一个网站",
                                "the same site as row {other}"),
    "workbench.list.row.key": ("无法识别的字段“{name}”（可用：name、url、category、region、tags）",
                               "unknown key '{name}' (expected name, url, category, region, "
                               "tags)"),
    "workbench.list.row.shape": ("应为含名称、网址、类别、地区的条目",
                                 "expected a mapping with name, url, category, region"),

    # -- guards
    "workbench.admin.title": ("需要管理员权限", "Admin rights needed"),
    "workbench.admin.body": (
        "这项操作会修改数据，需要用管理员令牌登录。当前登录的是只读令牌。",
        "This changes data and needs a sign-in with an admin token. You are signed in with a "
        "read-only token."),
    "workbench.csrf.title": ("表单已失效", "The form has expired"),
    "workbench.csrf.body": (
        "这个表单不是从本站页面提交的，或者登录已更换。请回到上一页，刷新后再提交一次。",
        "This form was not sent from one of our pages, or the sign-in has changed. Go back, "
        "reload the page and send it again."),
    "workbench.back": ("返回", "Back"),

    # -- nav and workbench page
    "workbench.nav": ("工作台", "Workbench"),
    "workbench.title": ("工作台：上传名单、开始检测", "Workbench: upload a list, start a round"),
    "workbench.intro": (
        "上传网站名单（CSV 或 Excel），先预览每一行的检查结果；没有问题再开始新一轮检测。",
        "Upload a list of sites (CSV or Excel) and preview every row's verdict first; start "
        "the round when it is right."),
    "workbench.readonly": ("只读令牌只能查看。要上传名单或开始检测，请用管理员令牌登录。",
                           "A read token can only look. Sign in with an admin token to upload "
                           "a list or start a round."),
    "workbench.upload.legend": ("上传网站名单", "Upload a site list"),
    "workbench.upload.file": ("名单文件（CSV、XLSX 或 YAML）", "List file (CSV, XLSX or YAML)"),
    "workbench.upload.hint": (
        "第一行为表头：名称,网址,类别,地区,标签（英文表头也可以）。类别可填政府、银行、其他。",
        "The first row is the header: name,url,category,region,tags (Chinese headers work "
        "too). Category is gov, bank or other."),
    "workbench.upload.name": ("检测名称（同名再次检测即为下一轮）",
                              "Audit name (the same name again starts its next round)"),
    "workbench.upload.pages": ("每个网站最多检测的页面数", "Most pages per site"),
    "workbench.upload.pages.bad": ("页面数须为 1 到 {limit} 之间的整数",
                                   "most pages must be a whole number from 1 to {limit}"),
    "workbench.upload.submit": ("预览名单", "Preview the list"),
    "workbench.preview.title": ("名单预览", "List preview"),
    "workbench.preview.summary": ("共 {total} 行：{good} 行可以检测，{bad} 行有问题。",
                                  "{total} rows: {good} can be scanned, {bad} rows have problems."),
    "workbench.preview.file": ("整个文件的问题", "Problems with the whole file"),
    "workbench.preview.bad": ("有问题的行", "Rows with problems"),
    "workbench.preview.fix": ("请修改文件后重新上传；也可以只检测没有问题的行。",
                              "Fix the file and upload it again, or start the round with the "
                              "good rows only."),
    "workbench.preview.caption": ("每一行的检查结果", "Every row's verdict"),
    "workbench.preview.line": ("行号", "Row"),
    "workbench.preview.verdict": ("结果", "Verdict"),
    "workbench.preview.good": ("可以检测", "OK"),
    "workbench.preview.start": ("开始检测（{count} 个网站）", "Start the round ({count} sites)"),
    "workbench.preview.start_good": ("只检测没有问题的 {count} 个网站",
                                     "Start with the {count} good sites only"),
    "workbench.preview.nothing": ("没有可以检测的网站。", "No site can be scanned."),
    "workbench.preview.expired": ("预览已过期，请重新上传名单。",
                                  "The preview has expired; upload the list again."),
    "workbench.again.legend": ("再检测一轮", "Run another round"),
    "workbench.again.hint": ("用该检测最近一轮的全部网站开始新一轮。",
                             "Starts a new round with the sites of the audit's last round."),
    "workbench.again.batch": ("检测名称", "Audit"),
    "workbench.again.submit": ("开始新一轮", "Start a new round"),
    "workbench.again.none": ("还没有检测可以重跑。", "No audit to run again yet."),
    "workbench.rounds.caption": ("最近的检测轮次", "Recent rounds"),
    "workbench.rounds.started": ("开始时间", "Started"),
    "workbench.rounds.result": ("结果", "Result"),
    "workbench.rounds.counts": ("完成 {done}，失败 {failed}，共 {total}",
                                "{done} done, {failed} failed of {total}"),
    "workbench.rounds.none": ("还没有检测轮次。", "No rounds yet."),
    "workbench.round.label": ("{name} 第 {round} 轮", "{name}, round {round}"),

    # -- sites
    "workbench.site.add": ("添加网站", "Add a site"),
    "workbench.site.edit": ("修改网站信息", "Edit the site"),
    "workbench.site.name": ("网站名称", "Site name"),
    "workbench.site.url": ("网址", "Address (URL)"),
    "workbench.site.category": ("类别", "Category"),
    "workbench.site.region": ("地区", "Region"),
    "workbench.site.tags": ("标签（用分号分隔）", "Tags (separated by semicolons)"),
    "workbench.site.save": ("保存", "Save"),
    "workbench.site.open": ("打开那个网站", "Open that site"),
    "workbench.site.problems": ("请修改以下问题后再保存：", "Please fix these and save again:"),
    "workbench.site.taken": ("这个网址已属于另一个网站：{name}",
                             "This address belongs to another site: {name}"),

    # -- a round
    "workbench.round.title": ("{name} 第 {round} 轮", "{name}, round {round}"),
    "workbench.round.status": ("状态", "Status"),
    "workbench.round.progress": ("已完成 {finished} / {total}：成功 {done}，失败 {failed}，"
                                 "进行中 {running}，排队 {queued}。",
                                 "{finished} of {total} finished: {done} done, {failed} failed, "
                                 "{running} running, {queued} queued."),
    "workbench.round.caption": ("每个网站的检测状态", "Each site's status"),
    "workbench.round.reason": ("原因", "Reason"),
    "workbench.round.reload": ("刷新", "Reload"),
    "workbench.round.auto": ("本页每 {seconds} 秒自动更新。", "This page updates every "
                             "{seconds} seconds."),
    "workbench.round.finished": ("这一轮已经结束。", "This round has finished."),
    "workbench.round.cancel": ("取消这一轮", "Cancel this round"),
    "workbench.round.cancel.hint": ("排队中的网站不再检测；正在检测的会做完。",
                                    "Queued sites will not be scanned; running ones finish."),
    "workbench.round.cancelled": ("这一轮已取消（{count} 个排队中的网站未检测）。",
                                  "This round was cancelled ({count} queued sites not scanned)."),
    "workbench.round.missing": ("没有编号为 {id} 的检测轮次。", "There is no round {id}."),
    "workbench.round.ranking": ("查看排名", "See the ranking"),
    "workbench.round.pages": ("检测中（第 {done} / {total} 页）",
                              "running (page {done} of {total})"),
    "workbench.status.queued": ("排队中", "queued"),
    "workbench.status.running": ("检测中", "running"),
    "workbench.status.done": ("已完成", "done"),
    "workbench.status.failed": ("失败", "failed"),
    "workbench.status.cancelled": ("已取消", "cancelled"),
    "workbench.batch.queued": ("排队中", "queued"),
    "workbench.batch.running": ("进行中", "running"),
    "workbench.batch.done": ("已完成", "finished"),
    "workbench.batch.cancelled": ("已取消", "cancelled"),
    "workbench.error.cancelled": ("这一轮被取消，未检测", "the round was cancelled before this "
                                  "scan started"),
    "workbench.error.dns": ("找不到这个域名（DNS 解析失败）",
                            "the domain name was not found (DNS)"),
    "workbench.error.connect": ("无法连接网站", "could not connect to the site"),
    "workbench.error.tls": ("网站的安全证书（HTTPS）有问题",
                            "the site's HTTPS certificate failed"),
    "workbench.error.timeout": ("网站响应超时", "the site took too long to answer"),
    "workbench.error.http": ("网站返回了错误页面", "the site answered with an error page"),
    "workbench.error.blocked": ("地址保护拒绝了这个地址（内部地址）",
                                "the address guard refused it (an internal address)"),
    "workbench.error.too-many-redirects": ("首页不断循环跳转", "the start page redirects in a "
                                           "loop"),
    "workbench.error.not-html": ("首页不是网页", "the start page is not an HTML page"),
    "workbench.error.download": ("首页是一个下载文件", "the start page is a file download"),
    "workbench.error.too-large": ("首页太大，超过了限制", "the start page is larger than the "
                                  "limit"),
    "workbench.error.protocol": ("服务器的回答不是有效的 HTTP", "the server's answer was not "
                                 "valid HTTP"),
    "workbench.error.robots": ("网站的 robots.txt 不允许检测首页",
                               "the site's robots.txt forbids the start page"),
    "workbench.error.browser-missing": ("检测用的浏览器没有安装", "the scanning browser is not "
                                        "installed"),
    "workbench.error.browser-unavailable": ("检测用的浏览器暂时不可用", "the scanning browser "
                                            "was not available"),
    "workbench.error.bad-target": ("网址无法检测", "the address cannot be scanned"),
    "workbench.error.error": ("检测出错", "the scan ran into an error"),
    "workbench.error.internal": ("检测程序内部出错", "the scanner failed internally"),
    "workbench.error.database-unavailable": ("数据库暂时不可用，结果没有保存",
                                             "the database was not available to keep the "
                                             "result"),
    "workbench.error.attempts": ("多次尝试后仍然失败", "failed after several attempts"),
    "workbench.error.dispatch": ("检测服务暂时不可用", "the scan runner was not available"),
    "workbench.error.refused": ("这个地址不允许检测（只能检测公开的 http 或 https 网站）",
                                "this address may not be scanned (only public http and https "
                                "sites can be)"),
    "workbench.error.other": ("检测失败（代码 {code}）", "the scan failed (code {code})"),
}
