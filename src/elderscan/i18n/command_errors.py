"""The phrases of a command's own errors about what the user gave it (a file, an option, a
setting, a port), the system's and the validator's common reasons, said in the terminal's
language (`elderscan.terminal_lang.say`, `os_reason`, `field_reason`), and the lines `serve`
and `worker` say as they start."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "terminal.err.config_read": (
        "无法读取配置文件 {path}：{reason}",
        "cannot read the config file {path}: {reason}"),
    "terminal.err.config_line": (
        "{path} 第 {number} 行：应写成 ELDERSCAN_名称=值",
        "{path}:{number}: expected ELDERSCAN_NAME=value"),
    "terminal.err.serve_loglevel": (
        "--log-level 只能是 critical、error、warning、info、debug 或 "
        "trace，不能是 {value}",
        "--log-level must be critical, error, warning, info, debug or trace, not {value}"),
    "terminal.err.listen": (
        "无法在 {address} 上监听：{reason}",
        "cannot listen on {address}: {reason}"),
    "terminal.err.token_role": (
        "--role 只能是 admin 或 read，不能是 {value}",
        "--role must be admin or read, not {value}"),
    "terminal.err.token_name": (
        "--name 最多 200 个字",
        "--name must be at most 200 characters"),
    "terminal.err.no_token": (
        "没有编号为 {id} 的令牌（见 elderscan token list）",
        "no token {id} (see elderscan token list)"),
    "terminal.err.prune_days": (
        "请给出 --older-than DAYS 或设置 ELDERSCAN_RETENTION_DAYS",
        "give --older-than DAYS or set ELDERSCAN_RETENTION_DAYS"),
    "terminal.err.time_zone": (
        "{env}={value} 不是时区：请用 IANA 名称，例如 {example} 或 UTC",
        "{env}={value} is not a time zone; use an IANA name such as {example} or UTC"),
    "terminal.err.dimension_form": (
        "--dimension 要写成 名称=分数（例如 contrast=70），不能是 {value}",
        "--dimension takes NAME=SCORE (e.g. contrast=70), not {value}"),
    "terminal.err.dimension_name": (
        "--dimension：没有维度 {value}；可用的有 {names}",
        "--dimension: unknown dimension {value}; one of {names}"),
    "terminal.err.dimension_number": (
        "--dimension {name}：{value} 不是数字",
        "--dimension {name}: {value} is not a number"),
    "terminal.err.dimension_range": (
        "--dimension {name}：{value} 不在 0 到 100 之间",
        "--dimension {name}: {value} is not between 0 and 100"),
    "terminal.err.baseline_write": (
        "无法写入基线 {path}：{reason}",
        "cannot write baseline {path}: {reason}"),
    "terminal.err.baseline_read": (
        "无法读取基线 {path}：{reason}",
        "cannot read baseline {path}: {reason}"),
    "terminal.err.baseline_json": (
        "基线 {path} 不是 JSON：{where}",
        "baseline {path} is not JSON: {where}"),
    "terminal.err.baseline_kind": (
        "基线 {path} 既不是检测结果，也不是基线文件",
        "baseline {path} is neither a scan result nor a baseline file"),
    "terminal.err.baseline_damaged": (
        "基线 {path} 已损坏：缺少 {field}",
        "baseline {path} is damaged: missing {field}"),
    "terminal.err.baseline_result": (
        "基线 {path} 不是有效的检测结果",
        "baseline {path} is not a valid scan result"),
    "terminal.err.baseline_failed": (
        "基线 {path} 是一次失败的检测：没有可比较的页面",
        "baseline {path} is a failed scan: no page to compare with"),
    "terminal.err.result_read": (
        "无法读取 {path}：{reason}",
        "cannot read {path}: {reason}"),
    "terminal.err.result_json": (
        "{path} 不是 JSON 检测结果：{where}",
        "{path} is not a JSON scan result: {where}"),
    "terminal.err.json_at": (
        "第 {line} 行第 {column} 列有误",
        "line {line} column {column}"),
    "terminal.err.not_utf8": (
        "第 {offset} 个字节不是 UTF-8",
        "byte {offset} is not UTF-8"),
    "terminal.err.result_kind": (
        "{path} 不是检测结果",
        "{path} is not a scan result"),
    "terminal.err.field": (
        "{what}：字段 {field} 不对（{reason}）",
        "{what}: {field}: {reason}"),
    "terminal.err.no_scan": (
        "没有编号为 {id} 的检测",
        "scan {id} does not exist"),
    "terminal.err.no_result_yet": (
        "检测 {id} 还没有结果（{status}）",
        "scan {id} has no result yet ({status})"),
    "terminal.err.not_http": (
        "不是 http(s) 网址：{value}",
        "not an http(s) URL: {value}"),
    "terminal.err.nothing_to_resume": (
        "没有可以继续的：批次 {name} {state}（去掉 --resume 就开始新一轮）",
        "nothing to resume: batch {name} has {state} (leave out --resume to start a new "
        "round)"),
    "terminal.err.resume_no_round": ("还没有任何一轮", "no round yet"),
    "terminal.err.resume_finished": ("的第 {round} 轮已经结束", "round {round} finished"),
    "terminal.field.missing": ("缺少这一项", "Field required"),
    "terminal.field.extra_forbidden": ("没有这一项", "Extra inputs are not permitted"),
    "terminal.field.string_type": ("应是文字", "Input should be a valid string"),
    "terminal.field.int_type": ("应是整数", "Input should be a valid integer"),
    "terminal.field.int_parsing": ("应是整数", "Input should be a valid integer"),
    "terminal.field.int_from_float": ("应是整数", "Input should be a valid integer"),
    "terminal.field.float_type": ("应是数字", "Input should be a valid number"),
    "terminal.field.float_parsing": ("应是数字", "Input should be a valid number"),
    "terminal.field.bool_type": ("应是 true 或 false", "Input should be a valid boolean"),
    "terminal.field.bool_parsing": ("应是 true 或 false", "Input should be a valid boolean"),
    "terminal.field.dict_type": ("应是对象", "Input should be a valid dictionary"),
    "terminal.field.model_type": ("应是对象", "Input should be a valid dictionary"),
    "terminal.field.list_type": ("应是列表", "Input should be a valid list"),
    "terminal.field.tuple_type": ("应是列表", "Input should be a valid tuple"),
    "terminal.field.path_type": ("应是路径", "Input is not a valid path"),
    "terminal.field.bytes_type": ("应是文件内容", "Input should be a valid bytes"),
    # a lone surrogate: half a pair escaped in JSON (\ud800), or bytes of an environment
    # variable that are not UTF-8 (Python keeps them as surrogates)
    "terminal.field.string_unicode": (
        "应是 UTF-8 文字，其中有无法识别的字符",
        "Input should be a valid string, unable to parse raw data as a unicode string"),
    "terminal.field.greater_than": ("应大于 {gt}", "Input should be greater than {gt}"),
    "terminal.field.greater_than_equal": (
        "应不小于 {ge}", "Input should be greater than or equal to {ge}"),
    "terminal.field.less_than": ("应小于 {lt}", "Input should be less than {lt}"),
    "terminal.field.less_than_equal": (
        "应不大于 {le}", "Input should be less than or equal to {le}"),
    "terminal.field.string_too_long": (
        "最多 {max_length} 个字", "String should have at most {max_length} characters"),
    "terminal.field.string_too_short": (
        "至少 {min_length} 个字", "String should have at least {min_length} characters"),
    # the English keeps pydantic's wording with its detail ({field_type}, {error}: English from
    # the parser); the Chinese says what was expected
    "terminal.field.model_attributes_type": (
        "应是对象", "Input should be a valid dictionary or object to extract fields from"),
    "terminal.field.too_long": ("最多 {max_length} 项，而不是 {actual_length} 项",
                                "{field_type} should have at most {max_length} items after "
                                "validation, not {actual_length}"),
    "terminal.field.too_short": ("至少 {min_length} 项，而不是 {actual_length} 项",
                                 "{field_type} should have at least {min_length} items after "
                                 "validation, not {actual_length}"),
    "terminal.field.string_pattern_mismatch": ("格式不对，应符合 {pattern}",
                                               "String should match pattern '{pattern}'"),
    "terminal.field.json_invalid": ("不是有效的 JSON", "JSON decode error"),
    "terminal.field.datetime_from_date_parsing": (
        "应是日期时间或日期，如 2026-12-07T08:00:00+08:00 或 2026-12-07",
        "Input should be a valid datetime or date, {error}"),
    "terminal.field.datetime_parsing": ("应是日期时间，如 2026-12-07T08:00:00+08:00",
                                        "Input should be a valid datetime, {error}"),
    "terminal.field.datetime_type": ("应是日期时间，如 2026-12-07T08:00:00+08:00",
                                     "Input should be a valid datetime"),
    "terminal.field.date_parsing": ("应是日期，如 2026-12-07",
                                    "Input should be a valid date in the format YYYY-MM-DD, "
                                    "{error}"),
    "terminal.field.date_from_datetime_parsing": (
        "应是日期，如 2026-12-07", "Input should be a valid date or datetime, {error}"),
    "terminal.field.date_type": ("应是日期，如 2026-12-07", "Input should be a valid date"),
    "terminal.field.literal_error": ("只能是 {expected}", "Input should be {expected}"),
    "terminal.field.enum": ("只能是 {expected}", "Input should be {expected}"),
    # what serve and worker say as they start
    "terminal.serve.listening": (
        "elderscan API 地址 {address}（文档 /docs）· 数据库 {database} · 检测由{runner}运行"
        "{trusted}",
        "elderscan API on {address} (docs /docs) · database {database} · scans run on "
        "{runner}{trusted}"),
    "terminal.serve.on_celery": ("Celery 工作进程", "Celery workers"),
    "terminal.serve.in_process": ("本进程的检测池", "the in-process pool"),
    "terminal.serve.proxies": (" · 相信 {proxies} 转发的代理头", " · proxy headers from {proxies}"),
    "terminal.worker.sqlite": (
        "elderscan：警告：结果写入 SQLite 文件 {where}；其他机器上的工作进程需要设置 "
        "ELDERSCAN_DATABASE_URL=postgresql://…",
        "elderscan: warning: results go to the SQLite file {where}; workers on other machines "
        "need ELDERSCAN_DATABASE_URL=postgresql://…"),
    "setting.not_network": (
        "不是地址或网段（CIDR）：{value}", "not an address or CIDR: {value}"),
    "setting.cookie_form": (
        "Cookie 要写成 名称=值，名称只能有字母、数字和 !#$%&'*+-.^_`|~",
        "a cookie is name=value, with a name of letters, digits and !#$%&'*+-.^_`|~"),
    "setting.cookie_value": (
        "Cookie {name} 的值里有分号或换行",
        "the value of cookie {name} holds ; or a line break"),
    "setting.empty_entry": ("有一项是空的", "empty entry"),
    "setting.not_host": (
        "{value} 既不是主机名，也不是地址或网段（CIDR）",
        "{value} is neither a host name nor an address or CIDR"),
    "terminal.os.no_such": ("不存在", "No such file or directory"),
    "terminal.os.denied": ("没有权限", "Permission denied"),
    "terminal.os.is_folder": ("这是一个文件夹", "Is a directory"),
    "terminal.os.not_folder": ("路径中有一段不是文件夹", "Not a directory"),
    "terminal.os.disk_full": ("磁盘已满", "No space left on device"),
    "terminal.os.read_only": ("文件系统只读", "Read-only file system"),
    "terminal.os.port_busy": ("端口已被占用", "Address already in use"),
    "terminal.os.no_address": ("这台机器没有这个地址", "Cannot assign requested address"),
}
