"""Phrases of the hardening fixes: what a site list, a round or a schedule refuses, in words."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "hardening.list.yaml.alias": (
        "YAML 中不能使用锚点和别名（&、*），请把内容直接写出",
        "YAML anchors and aliases (&, *) are not accepted; write the values out"),
    "hardening.list.yaml.value": (
        "YAML 中有无法读取的值（例如不存在的日期或过长的数字）",
        "YAML holds a value that cannot be read (such as a date that does not exist or an "
        "over-long number)"),
    "hardening.list.row.nested": (
        "“{name}”只能是文字，或一列文字，不能再嵌套",
        "{name} must be text or a plain list of text, not nested"),
    "hardening.list.xlsx.big": (
        "Excel 文件解压后超过 {limit} MB，请拆分后再上传",
        "the Excel file is over {limit} MB unpacked; split it into smaller files"),
    "hardening.list.xlsx.broken": (
        "Excel（.xlsx）文件已损坏或没有工作表",
        "the Excel (.xlsx) file is damaged or has no worksheet"),
}
TEXT.update({
    "hardening.review.reason_text": (
        "理由中不能含有控制字符或无效字符，请重新输入。",
        "The reason must not contain control characters or invalid text; type it again."),
})
TEXT.update({
    "hardening.round.idle": (
        "这一轮没有排队或正在进行的检测，无需取消。",
        "Nothing in this round is queued or running, so there is nothing to cancel."),
    "hardening.round.idle.title": ("无法取消", "Cannot cancel"),
})
TEXT.update({
    "hardening.status.cancelled": ("已取消", "cancelled"),
})
TEXT.update({
    "hardening.schedule.busy": (
        "这个计划上一次开始的检测还在进行，请等它结束后再运行",
        "the last round this schedule started is still running; run it again once that "
        "round has finished"),
})
TEXT.update({
    "hardening.schedule.stopped": ("{last}；已自动停用：{reason}",
                                   "{last}; switched off: {reason}"),
})
TEXT.update({
    "hardening.reason.bad-target": ("网址无法检测", "The address cannot be scanned"),
    "hardening.reason.error": ("检测出错", "The scan ran into an error"),
})
