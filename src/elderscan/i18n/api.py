"""The API's and the service's own messages (errors), in Chinese and English.

The API answers in the request's language (`?lang=`, else Accept-Language; see `api/lang.py`);
the machine-readable `error` code of a response never changes with it. Keys are `api.<name>`.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # sign-in and roles
    "api.token-required": ("需要访问令牌：Authorization: Bearer <令牌>",
                           "a bearer token is required: Authorization: Bearer <token>"),
    "api.token-unknown": ("令牌不存在或已撤销", "unknown or revoked token"),
    "api.admin-only": ("此操作需要管理员令牌；当前令牌的角色是{role}",
                       "this needs an admin token; this one is {role}"),
    "api.role.read": ("只读", "read"),
    "api.role.admin": ("管理员", "admin"),
    # not found, not finished
    "api.no-scan": ("没有编号为 {id} 的检测", "no scan {id}"),
    "api.no-site": ("没有编号为 {id} 的网站", "no site {id}"),
    "api.no-batch": ("没有这个批量检测：{id}", "no batch {id}"),
    "api.no-finding": ("检测 {scan} 中没有编号为 {finding} 的发现",
                       "scan {scan} has no finding {finding}"),
    "api.site-taken": ("这个地址属于网站 {id}", "the address belongs to site {id}"),
    "api.max-pages-cap": ("options.max_pages：本服务最多 {cap}",
                          "options.max_pages: at most {cap} on this service"),
    "api.body-too-large": ("请求内容超过 {limit} 字节",
                           "the request body is larger than {limit} bytes"),
    "api.bad-content-length": ("Content-Length 请求头无效", "invalid Content-Length header"),
    "api.sites-refused": ("{n} 个网站被拒绝；第一个：sites.{index}：{reason}",
                          "{n} site(s) refused; first: sites.{index}: {reason}"),
    "api.not-finished": ("检测 {id} 还没有结果（状态：{status}）",
                         "scan {id} has no result yet (status: {status})"),
    # requests
    "api.url-too-long": ("网址超过 2000 个字符", "the URL is longer than 2000 characters"),
    "api.bad-url": ("{where}：{reason}", "{where}: {reason}"),
    "api.bad-field": ("{field}：{reason}", "{field}: {reason}"),
    "text.not_unicode": ("文字必须是有效的 Unicode", "text must be valid Unicode"),
    "text.control": ("文字里不能有控制字符", "text must not contain control characters"),
    "api.address-refused": ("拒绝检测这个地址：{reason}", "refused to scan this address: {reason}"),
    "api.runner-down": ("检测服务暂时不可用，这些检测已标为失败，请稍后再试",
                        "the scan runner is not available; the scans were marked failed, try "
                        "again later"),
    "api.idempotency-bad": ("Idempotency-Key 无效：{reason}", "Idempotency-Key: {reason}"),
    "api.idempotency-other-site": ("Idempotency-Key {value} 已用于另一个网站",
                                   "the Idempotency-Key {value} was used for another site"),
    "api.not-json": ("请求内容不是 JSON：{detail}", "the body is not JSON: {detail}"),
    "api.json-too-deep": ("嵌套层数太多", "it is nested too deeply"),
    "api.media-type": ("请发送 application/json，或带 CSV 文件的 multipart/form-data",
                       "send application/json, or multipart/form-data with a CSV file"),
    "api.too-many-sites": ("共 {n} 个网站；本服务每批最多 {cap} 个",
                           "{n} sites; this service takes at most {cap} per batch"),
    "api.bad-form": ("无法读取表单：{detail}", "cannot read the form: {detail}"),
    "api.form.files": ("只能带 {max} 个文件", "it may carry only {max} file"),
    "api.form.fields": ("字段超过 {max} 个", "it has more than {max} fields"),
    "api.form.part-size": ("其中一个字段过大", "one of its fields is too large"),
    "api.form.broken": ("不是有效的 multipart/form-data 内容",
                        "it is not valid multipart/form-data"),
    "api.file-required": ("file：需要一个 CSV 或 XLSX 文件",
                          "file: a CSV or XLSX file is required"),
    "api.min-over-max": ("min_score 大于 max_score", "min_score is greater than max_score"),
    "api.invalid": ("请求有误：{summary}", "invalid request: {summary}"),
    "api.where.body": ("请求内容", "request body"),
    "api.invalid.more": ("（另有 {n} 处）", " (and {n} more)"),
    "api.internal": (
        "服务器内部错误（详情见服务器日志）",
        "internal error (the server log has details)"),
    # HTTP statuses without a message of their own
    "api.status.400": ("请求有误", "Bad request"),
    "api.status.401": ("需要登录", "Unauthorized"),
    "api.status.403": ("无权访问", "Forbidden"),
    "api.status.404": ("找不到", "Not found"),
    "api.status.405": ("不支持这种请求方法", "Method not allowed"),
    "api.status.406": ("无法提供所要的格式", "Not acceptable"),
    "api.status.408": ("请求超时", "Request timeout"),
    "api.status.409": ("与当前状态冲突", "Conflict"),
    "api.status.413": ("请求太大", "Request too large"),
    "api.status.415": ("不支持的内容类型", "Unsupported media type"),
    "api.status.422": ("请求内容无效", "Invalid request"),
    "api.status.429": ("请求太频繁", "Too many requests"),
    "api.status.500": ("服务器内部错误", "Internal server error"),
    "api.status.503": ("服务暂时不可用", "Service unavailable"),
    "api.status.other": ("出错了", "Error"),
    # the dashboard's compare form
    "api.compare.need-ids": ("请填写两次检测的编号", "enter the numbers of two scans"),
    "api.compare.not-done": ("只能对比已完成的检测", "only finished scans can be compared"),
}
