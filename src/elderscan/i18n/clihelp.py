"""The command line's help: each command's and option's description in Chinese and English.

`cli/helptext.py` puts them on the commands as they are built; the English in the code that
declares an option is the same text, and `tests/test_cli_help.py` keeps the two equal and
every description of every command in here. Keys: `clihelp.cmd.<command path>` for a command,
`clihelp.opt.<parameter>` for an option that reads the same wherever it is, else
`clihelp.<command path>.<parameter>`."""

TEXT: dict[str, tuple[str, str]] = {
    "clihelp.cmd.elderscan": (
        "评测网站的适老化程度：字号、对比度、语音朗读、长者模式、广告和无障碍。",
        "Scores how well websites serve older people (适老化): font size, contrast, voice, elder "
        "mode, ads and accessibility."),
    "clihelp.cmd.serve": (
        "运行 HTTP API（文档在 /docs，接口描述在 /openapi.json）。\n\n"
        "检测在本进程的后台池中运行；设置了 ELDERSCAN_BROKER_URL 时交给 Celery 工作进程。\n"
        "数据库须为最新结构（--upgrade）。",
        "Run the HTTP API (docs at /docs, schema at /openapi.json).\n\nScans run in a background "
        "pool in this process, or on Celery workers when\nELDERSCAN_BROKER_URL is set. The "
        "database must be at the newest schema (--upgrade)."),
    "clihelp.cmd.report": (
        "为已存储的检测、结果文件或批次排名生成报告。",
        "Write reports of a stored scan, a result file, or a batch ranking."),
    "clihelp.cmd.ci": (
        "检测网站；得分过低或出现基线中没有的问题时，让构建失败。",
        "Scan a site and fail the build on a low score or on problems the baseline lacks."),
    "clihelp.cmd.scheduler": (
        "按定时计划表启动到期的批次轮次（见 docs/batch.md）。\n\n轮次的去向与 `POST "
        "/api/v1/batches` 相同：设置了 ELDERSCAN_BROKER_URL 时交给 Celery，\n"
        "否则由本进程自己运行检测。",
        "Start the batch rounds that are due, as the schedules table says (see docs/batch.md).\n"
        "\nRounds go where `POST /api/v1/batches` sends them: Celery when ELDERSCAN_BROKER_URL "
        "is\nset, else this process runs the scans itself."),
    "clihelp.cmd.scan": (
        "检测网站：抓取页面，在 Chromium 中采集每个页面，写出结果和报告。",
        "Scan a site: crawl it, capture each page in Chromium, write the result and reports."),
    "clihelp.cmd.db": (
        "结果数据库：创建或升级结构、显示版本、清理截图等文件。",
        "The result database: create or upgrade its schema, show its revision, prune artifacts."),
    "clihelp.cmd.db.upgrade": (
        "创建数据库结构，或升级到最新（可重复运行）。",
        "Create the schema, or bring it up to date (safe to run again)."),
    "clihelp.cmd.db.current": (
        "显示数据库的结构版本（以及是否为最新）。",
        "Show the schema revision of the database (and whether it is the newest)."),
    "clihelp.cmd.db.check": (
        "检查存储可否使用：能连接、结构与本版本一致、每张表可读，\n且（SQLite）整个文件通过 "
        "`PRAGMA quick_check`。否则以一行说明退出，退出码 2。",
        "Check the store can be used: it answers, is at this version's schema, every table "
        "reads,\nand (SQLite) the whole file passes `PRAGMA quick_check`. Exit 2 with one line "
        "if not."),
    "clihelp.cmd.db.prune": (
        "删除 N 天前检测的截图；得分和检测项保留。",
        "Delete screenshots of scans older than N days; scores and findings are kept."),
    "clihelp.cmd.batch": (
        "批量评测一组网站：每个网站运行（或排队）一次检测，然后显示排名。\n\n"
        "再次运行同一批次会开始新的一轮；被中断的一轮会接着运行。",
        "Audit a list of sites: run (or enqueue) one scan per site, then print the ranking.\n\n"
        "Running the same batch again starts a new round; an interrupted round is resumed."),
    "clihelp.cmd.worker": (
        "运行处理排队检测的 Celery 工作进程（需要 ELDERSCAN_BROKER_URL）。\n\n它运行 `elderscan "
        "batch` 和 API 排入队列的检测，并把结果写入\nELDERSCAN_DATABASE_URL；见 docs/batch.md。",
        "Run a Celery worker for enqueued scans (needs ELDERSCAN_BROKER_URL).\n\nIt runs the "
        "scans `elderscan batch` and the API enqueue and writes their results to\n"
        "ELDERSCAN_DATABASE_URL; see docs/batch.md."),
    "clihelp.cmd.token": (
        "API 令牌：创建（只显示一次）、列出、吊销。",
        "API tokens: create (printed once), list, revoke."),
    "clihelp.cmd.token.create": (
        "创建令牌。它只显示一次，单独在最后一行；只保存其哈希值。",
        "Create a token. It is printed once, alone on the last line; only its hash is kept."),
    "clihelp.cmd.token.list": (
        "列出令牌（从不显示令牌值）。",
        "List tokens (never their values)."),
    "clihelp.cmd.token.revoke": (
        "吊销令牌：此后用它发出的请求得到 401，用它打开的看板会话也随之结束。",
        "Revoke a token: requests with it get 401 from now on, and the dashboard sessions\n"
        "opened with it end."),
    "clihelp.opt.baseline": (
        "已知问题：以前某次检测的结果 JSON，或 --write-baseline 写出的文件。",
        "Known problems: a result JSON of an earlier scan, or a --write-baseline file."),
    "clihelp.opt.batch": (
        "生成该批次的排名（csv、xlsx），而不是单次检测的报告。",
        "Write the ranking of this batch (csv, xlsx) instead of one scan's report."),
    "clihelp.opt.category": (
        "排名：只含此类别。",
        "Ranking: only this category."),
    "clihelp.batch.concurrency": (
        "本进程同时运行的检测数（默认：ELDERSCAN_RUNNER_CONCURRENCY，2）；使用消息队列时，"
        "以各工作进程的 --concurrency 为准。",
        "Scans at once in this process (default: ELDERSCAN_RUNNER_CONCURRENCY, 2); with a "
        "broker, each worker's --concurrency counts instead."),
    "clihelp.ci.concurrency": (
        "同时检测的页面数 [2]。",
        "Pages at once [2]."),
    "clihelp.scan.concurrency": (
        "同时检测的页面数 [2]。",
        "Pages at once [2]."),
    "clihelp.worker.concurrency": (
        "同时运行的检测数，每个检测一个池进程（默认：ELDERSCAN_RUNNER_CONCURRENCY，2）。",
        "Scans at once, one pool process each (default: ELDERSCAN_RUNNER_CONCURRENCY, 2)."),
    "clihelp.opt.config": (
        "由 ELDERSCAN_名称=值 各行组成的配置文件；环境变量优先。",
        "A file of ELDERSCAN_NAME=value lines; the environment wins."),
    "clihelp.opt.cookies": (
        "向被检测网站自己的主机发送此 Cookie（可重复）：用于检测登录后的页面。不会写入结果。",
        "Send this cookie to the scanned site's own host (repeatable): scan pages behind a "
        "sign-in. Never written to the result."),
    "clihelp.opt.debug": (
        "显示异常堆栈。",
        "Show tracebacks."),
    "clihelp.opt.delay": (
        "对同一主机两次请求之间的秒数 [0]。",
        "Seconds between requests to one host [0]."),
    "clihelp.opt.dimension": (
        "某一维度得分低于限值时失败：名称=分数，例如 contrast=70（可重复）。名称：elder_mode、"
        "font、contrast、voice、ads、accessibility。",
        "Fail when a dimension scores below a limit: NAME=SCORE, e.g. contrast=70 (repeatable). "
        "Names: elder_mode, font, contrast, voice, ads, accessibility."),
    "clihelp.opt.exclude": (
        "跳过匹配的网址（正则表达式）。",
        "Skip URLs matching (regex)."),
    "clihelp.opt.fail_on_veto": (
        "出现任何一票否决项即失败，不论得分（一票否决已将总分封顶为 59）。",
        "Fail on any veto, whatever the score (a veto already caps the total at 59)."),
    "clihelp.opt.fail_under": (
        "总分低于此值时失败。",
        "Fail when the total score is below this."),
    "clihelp.opt.file": (
        "网站清单：带表头行、列为 name,url,category,region 的 .csv，或 .yaml。",
        "Sites: a .csv with columns name,url,category,region (header row), or .yaml."),
    "clihelp.opt.fixture": (
        "未给出网址时要检测的内置示例网站。",
        "Bundled fixture site to scan when no URL is given."),
    "clihelp.opt.fmt": (
        "以逗号分隔：html、json、csv、xlsx、junit、sarif、md。",
        "Comma-separated: html, json, csv, xlsx, junit, sarif, md."),
    "clihelp.opt.host": (
        "监听地址。",
        "Address to listen on."),
    "clihelp.opt.hostname": (
        "Celery 节点名，每个工作进程唯一（默认 elderscan-进程号@主机名）。",
        "Celery node name, unique per worker (default elderscan-PID@HOST)."),
    "clihelp.opt.ignore_robots": (
        "忽略 robots.txt（用于自己的网站）[ELDERSCAN_OBEY_ROBOTS，否则遵守]。",
        "Ignore robots.txt (for your own site) [ELDERSCAN_OBEY_ROBOTS, else obey it]."),
    "clihelp.opt.include": (
        "只检测匹配的网址（正则表达式）。",
        "Only URLs matching (regex)."),
    "clihelp.opt.interval": (
        "两次查看定时计划之间的秒数 [ELDERSCAN_SCHEDULER_INTERVAL，30]。",
        "Seconds between two looks at the schedules [ELDERSCAN_SCHEDULER_INTERVAL, 30]."),
    "clihelp.opt.json_file": (
        "把结果写到此文件。",
        "Write the result here."),
    "clihelp.batch.lang": (
        "终端、消息和报告的语言：zh 或 en [ELDERSCAN_LANG，否则按系统区域设置：除非指明其他语言，"
        "均为 zh]。",
        "Language of the terminal, messages and reports: zh or en [ELDERSCAN_LANG, else the "
        "locale: zh unless it names another language]."),
    "clihelp.ci.lang": (
        "终端、消息和报告的语言：zh 或 en [ELDERSCAN_LANG，否则按系统区域设置：除非指明其他语言，"
        "均为 zh]。",
        "Language of the terminal, messages and reports: zh or en [ELDERSCAN_LANG, else the "
        "locale: zh unless it names another language]."),
    "clihelp.report.lang": (
        "终端、消息和报告的语言：zh 或 en [ELDERSCAN_LANG，否则按系统区域设置：除非指明其他语言，"
        "均为 zh]。",
        "Language of the terminal, messages and reports: zh or en [ELDERSCAN_LANG, else the "
        "locale: zh unless it names another language]."),
    "clihelp.scan.lang": (
        "终端、消息和报告的语言：zh 或 en [ELDERSCAN_LANG，否则按系统区域设置：除非指明其他语言，"
        "均为 zh]。",
        "Language of the terminal, messages and reports: zh or en [ELDERSCAN_LANG, else the "
        "locale: zh unless it names another language]."),
    "clihelp.scheduler.lang": (
        "输出各行的语言。",
        "Language of its lines."),
    "clihelp.opt.log_level": (
        "uvicorn 日志级别。",
        "uvicorn log level."),
    "clihelp.opt.loglevel": (
        "debug、info、warning 或 error。",
        "debug, info, warning or error."),
    "clihelp.opt.max_depth": (
        "从起始页算起的链接层数 [3]。",
        "Link hops from start [3]."),
    "clihelp.opt.max_new_failures": (
        "配合 --baseline：允许出现的、基线中没有的不通过项数量 [0]。",
        "With --baseline: failing findings allowed that the baseline lacks [0]."),
    "clihelp.batch.max_pages": (
        "每个网站的页面数（默认 10）。",
        "Pages per site (default 10)."),
    "clihelp.ci.max_pages": (
        "每次检测的页面数 [10]。",
        "Pages per scan [10]."),
    "clihelp.scan.max_pages": (
        "每次检测的页面数 [10]。",
        "Pages per scan [10]."),
    "clihelp.opt.max_worsened": (
        "配合 --baseline：允许比基线测得更差的已知问题数量（对比度更低、字号更小）[0]。",
        "With --baseline: known failing problems allowed to measure worse than in the baseline "
        "(a lower contrast, a smaller font) [0]."),
    "clihelp.batch.name": (
        "批次名称；每次运行是它的新一轮（默认：文件名）。",
        "Batch name; each run is a new round of it (default: the file name)."),
    "clihelp.token.create.name": (
        "令牌的用途。",
        "What the token is for."),
    "clihelp.opt.new_round": (
        "即使最后一轮未完成，也开始新的一轮。",
        "Start a new round even if the last one is unfinished."),
    "clihelp.opt.no_sitemap": (
        "不读取 sitemap.xml [ELDERSCAN_SITEMAP，否则读取]。",
        "Do not read sitemap.xml [ELDERSCAN_SITEMAP, else read it]."),
    "clihelp.opt.older_than": (
        "天数 [ELDERSCAN_RETENTION_DAYS]。",
        "Days [ELDERSCAN_RETENTION_DAYS]."),
    "clihelp.opt.once": (
        "启动此刻到期的轮次后退出（用于 cron 或测试）。",
        "Start what is due now, then exit (for cron or a test)."),
    "clihelp.opt.out_dir": (
        "--report 文件的存放文件夹 [./elderscan-report]。",
        "Folder for --report files [./elderscan-report]."),
    "clihelp.opt.per_template": (
        "每种网址模板检测的页面数，例如新闻文章 [3]。",
        "Pages per URL template, e.g. news articles [3]."),
    "clihelp.opt.port": (
        "端口。",
        "Port."),
    "clihelp.opt.proxy_headers": (
        "位于反向代理之后：采信其 X-Forwarded-Proto 和 X-Forwarded-For（来自 "
        "ELDERSCAN_API_TRUSTED_PROXIES，默认本机）[ELDERSCAN_API_PROXY_HEADERS]。",
        "Behind a reverse proxy: believe its X-Forwarded-Proto and X-Forwarded-For (from "
        "ELDERSCAN_API_TRUSTED_PROXIES, default this machine) [ELDERSCAN_API_PROXY_HEADERS]."),
    "clihelp.batch.quiet": (
        "只显示错误和最后一行摘要。",
        "Print only errors and the final one-line summary."),
    "clihelp.ci.quiet": (
        "只显示错误和最后一行结论。",
        "Print only errors and the final one-line verdict."),
    "clihelp.scan.quiet": (
        "只显示错误和最后一行结论。",
        "Print only errors and the final one-line verdict."),
    "clihelp.ci.region": (
        "省、自治区或地区（西藏、新疆、内蒙古、延边……）：检查当地要求的语言版本（规则 "
        "lang.version-required）。",
        "Province, autonomous region or prefecture (西藏, 新疆, 内蒙古, 延边 …): the language "
        "versions it requires are checked (rule lang.version-required)."),
    "clihelp.report.region": (
        "排名：只含此地区。",
        "Ranking: only this region."),
    "clihelp.scan.region": (
        "省、自治区或地区（西藏、新疆、内蒙古、延边……）：检查当地要求的语言版本（规则 "
        "lang.version-required）。",
        "Province, autonomous region or prefecture (西藏, 新疆, 内蒙古, 延边 …): the language "
        "versions it requires are checked (rule lang.version-required)."),
    "clihelp.opt.report": (
        "同时生成报告：以逗号分隔的 html,json,csv,xlsx,junit,sarif,md。",
        "Also write reports: comma-separated html,json,csv,xlsx,junit,sarif,md."),
    "clihelp.opt.resume": (
        "只接着运行未完成的最后一轮（没有则报错）。",
        "Only resume the unfinished last round (error if there is none)."),
    "clihelp.opt.revision": (
        "目标版本。",
        "Target revision."),
    "clihelp.opt.role": (
        "admin（可启动检测和批次）或 read（只读）。",
        "admin (may start scans and batches) or read."),
    "clihelp.opt.round_": (
        "--batch 的轮次 [最新一轮]。",
        "Round of --batch [latest]."),
    "clihelp.opt.scheduler": (
        "由本进程启动定时轮次（与同一数据库上的其他调度器并存也安全；见 docs/batch.md）。",
        "Start scheduled rounds from this process (safe beside other schedulers on the same "
        "database; see docs/batch.md)."),
    "clihelp.ci.screenshots": (
        "把页面截图保存在此文件夹。",
        "Keep page screenshots in this folder."),
    "clihelp.report.screenshots": (
        "结果 JSON 中截图路径所相对的文件夹 [JSON 所在文件夹]。",
        "Folder a result JSON's screenshot paths are relative to [the JSON's folder]."),
    "clihelp.scan.screenshots": (
        "把页面截图保存在此文件夹。",
        "Keep page screenshots in this folder."),
    "clihelp.opt.set_": (
        "本批次的任一检测设置（见 docs/settings.md），例如 --set settle_ms=300。可重复。",
        "Any scan setting for this batch (see docs/settings.md), e.g. --set settle_ms=300. "
        "Repeatable."),
    "clihelp.opt.target": (
        "已存储检测的编号，或 `scan --json` 写出的结果 JSON。",
        "A stored scan's id, or a result JSON written by `scan --json`."),
    "clihelp.opt.timeout": (
        "每个页面的时间上限（秒）[60]。",
        "Hard limit per page, in seconds [60]."),
    "clihelp.opt.token_id": (
        "令牌编号（见 token list）。",
        "Token id (see token list)."),
    "clihelp.opt.upgrade": (
        "先迁移数据库（`elderscan db upgrade`）；不加此项时，不是最新结构的数据库会被拒绝。",
        "Migrate the database first (`elderscan db upgrade`); without it a database that is not "
        "at the newest schema is refused."),
    "clihelp.ci.url": (
        "要检测的网站。省略时检测在本机提供的内置示例网站。",
        "Site to scan. Omit it to scan a bundled fixture site served locally."),
    "clihelp.db.check.url": (
        "数据库网址 [ELDERSCAN_DATABASE_URL，否则为 ELDERSCAN_DATA_DIR 中的 SQLite]。",
        "Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR]."),
    "clihelp.db.current.url": (
        "数据库网址 [ELDERSCAN_DATABASE_URL，否则为 ELDERSCAN_DATA_DIR 中的 SQLite]。",
        "Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR]."),
    "clihelp.db.prune.url": (
        "数据库网址 [ELDERSCAN_DATABASE_URL，否则为 ELDERSCAN_DATA_DIR 中的 SQLite]。",
        "Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR]."),
    "clihelp.db.upgrade.url": (
        "数据库网址 [ELDERSCAN_DATABASE_URL，否则为 ELDERSCAN_DATA_DIR 中的 SQLite]。",
        "Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR]."),
    "clihelp.scan.url": (
        "要检测的网站。省略时检测在本机提供的内置示例网站。",
        "Site to scan. Omit it to scan a bundled fixture site served locally."),
    "clihelp.token.create.url": (
        "数据库网址 [ELDERSCAN_DATABASE_URL，否则为 ELDERSCAN_DATA_DIR 中的 SQLite]。",
        "Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR]."),
    "clihelp.token.list.url": (
        "数据库网址 [ELDERSCAN_DATABASE_URL，否则为 ELDERSCAN_DATA_DIR 中的 SQLite]。",
        "Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR]."),
    "clihelp.token.revoke.url": (
        "数据库网址 [ELDERSCAN_DATABASE_URL，否则为 ELDERSCAN_DATA_DIR 中的 SQLite]。",
        "Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR]."),
    "clihelp.opt.version": (
        "显示版本号后退出。",
        "Print the version and exit."),
    "clihelp.batch.viewport": (
        "desktop（桌面）、mobile（手机）或 both（两者）（默认 desktop）。",
        "desktop, mobile or both (default desktop)."),
    "clihelp.ci.viewport": (
        "desktop（桌面）、mobile（手机）或 both（两者）[desktop]。",
        "desktop, mobile or both [desktop]."),
    "clihelp.scan.viewport": (
        "desktop（桌面）、mobile（手机）或 both（两者）[desktop]。",
        "desktop, mobile or both [desktop]."),
    "clihelp.opt.wait": (
        "使用消息队列时：等待工作进程完成并显示排名，或只排队。",
        "With a broker: wait for the workers and print the ranking, or only enqueue."),
    "clihelp.opt.write_baseline_to": (
        "把本次检测的问题写成紧凑、便于比对差异的基线文件。",
        "Write this scan's problems as a compact, diff-friendly baseline file."),
    "clihelp.opt.help": (
        "显示本帮助后退出。",
        "Show this message and exit."),
    "clihelp.word.arguments": ("参数", "Arguments"),
    "clihelp.word.options": ("选项", "Options"),
    "clihelp.word.commands": ("命令", "Commands"),
    "clihelp.word.default": ("[默认：{}]", "[default: {}]"),
    "clihelp.word.envvar": ("[环境变量：{}]", "[env var: {}]"),
    "clihelp.word.required": ("[必填]", "[required]"),
    "clihelp.word.deprecated": ("（已弃用）", "(deprecated) "),
    "clihelp.word.usage": ("用法：", "Usage: "),
    "clihelp.error.title": ("错误", "Error"),
    "clihelp.error.help": ("运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
                           "Try [blue]'{command_path} {help_option}'[/] for help."),
    "clihelp.error.no_command": ("没有 '{name}' 这个命令。", "No such command '{name}'."),
    "clihelp.error.no_command_given": ("缺少命令。", "Missing command."),
    "clihelp.error.no_option": ("没有 {name} 这个选项。", "No such option: {name}."),
    "clihelp.error.did_you_mean": ("是不是要用 {names}？", "Did you mean {names}?"),
    "clihelp.error.missing_argument": ("缺少参数 {name}。", "Missing argument {name}."),
    "clihelp.error.missing_option": ("缺少选项 {name}。", "Missing option {name}."),
    "clihelp.error.needs_value": ("选项 '{name}' 后面要有一个值。",
                                  "Option '{name}' requires a value."),
    "clihelp.error.no_value": ("选项 '{name}' 不带值。", "Option '{name}' does not take a value."),
    "clihelp.error.extra": ("多出了参数：{args}。", "Unexpected extra arguments: {args}."),
    "clihelp.error.bad_value": ("{name} 的值 {value} 无效：{reason}。",
                                "Invalid value for {name}: {value}: {reason}."),
    "clihelp.error.bad_value_other": ("{name} 的值无效（{detail}）。",
                                      "Invalid value for {name}: {detail}"),
    "clihelp.error.expected_int": ("应为整数", "a whole number is expected"),
    "clihelp.error.expected_float": ("应为数字", "a number is expected"),
    "clihelp.error.expected_bool": ("应为 true 或 false", "true or false is expected"),
    "clihelp.error.expected_choice": ("应为 {choices} 之一", "one of {choices} is expected"),
    "clihelp.error.other": ("命令行有误：{detail}", "{detail}"),
}
