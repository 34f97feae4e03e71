"""Human review of `review` findings: decisions, their audit trail, the score after review."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # a decision, beside its finding
    "review.label": ("人工复核", "Human review"),
    "review.kind.confirm": ("已确认为不合格", "Confirmed as failing"),
    "review.kind.waive": ("已豁免", "Waived"),
    "review.open": ("待人工复核，尚未决定", "Awaiting review, not decided yet"),
    "review.by": ("{by}，{at}", "{by}, {at}"),
    "review.reason": ("理由：{reason}", "Reason: {reason}"),
    "review.from": ("在检测 #{scan} 上作出", "made on scan #{scan}"),
    "review.carried": ("沿用检测 #{scan} 上作出的决定", "carried over from scan #{scan}"),
    "review.from.gone": ("作出决定的检测已删除", "the scan it was made on has been deleted"),
    "review.labelled": ("人工复核：{kind}", "Human review: {kind}"),
    # audit trail
    "review.history": ("复核记录", "Review history"),
    "review.history.count": ("复核记录（{n} 条）", "Review history ({n})"),
    "review.action.confirm": ("确认为不合格", "confirmed as failing"),
    "review.action.waive": ("豁免", "waived"),
    "review.action.withdraw": ("撤回决定", "withdrew the decision"),
    "review.event": ("{at}　{by}　{action}", "{at}  {by}  {action}"),
    "review.event.scan": ("（检测 #{scan}）", " (scan #{scan})"),
    "review.event.previous": ("，此前为：{previous}", "; before: {previous}"),
    # forms
    "review.form.legend": ("复核这一项", "Review this finding"),
    "review.form.confirm": ("确认为不合格", "Confirm as failing"),
    "review.form.waive": ("豁免", "Waive"),
    "review.form.reason": ("豁免理由（必填）", "Reason for the waiver (required)"),
    "review.form.withdraw": ("撤回决定", "Withdraw the decision"),
    "review.readonly": ("只有管理员账号可以作出复核决定。",
                        "Only an administrator can decide reviews."),
    "review.saved.confirm": ("已确认为不合格。以后各轮检测中相同的问题沿用这一决定。",
                             "Confirmed as failing. The same finding in later rounds carries "
                             "this decision."),
    "review.saved.waive": ("已豁免。以后各轮检测中相同的问题沿用这一决定。",
                           "Waived. The same finding in later rounds carries this decision."),
    "review.saved.withdraw": ("决定已撤回，这一项重新等待人工复核。",
                              "The decision was withdrawn; the finding awaits review again."),
    "review.refused": ("复核决定没有保存", "The review decision was not saved"),
    # refusals (API messages and dashboard notices)
    "review.problem.reason_required": ("豁免必须填写理由。", "A waiver needs a reason."),
    "review.problem.reason_too_long": ("理由太长，最多 {n} 个字。",
                                       "The reason is too long: at most {n} characters."),
    "review.problem.not_review": ("只有“待人工复核”的问题可以确认或豁免。",
                                  "Only a finding awaiting review can be confirmed or waived."),
    "review.problem.no_decision": ("这一项没有可撤回的决定。",
                                   "This finding carries no decision to withdraw."),
    "review.problem.bad_kind": ("决定只能是“确认”或“豁免”。",
                                "The decision must be confirm or waive."),
    "review.problem.csrf": ("表单已过期或不是从本站提交的，请刷新页面后重试。",
                            "The form has expired or did not come from this site. Reload the "
                            "page and try again."),
    "review.problem.forbidden": ("只有管理员账号可以作出复核决定。",
                                 "Only an administrator can decide reviews."),
    "review.problem.not_found": ("找不到这一项问题。", "No such finding."),
    # the score after review
    "review.summary": ("人工复核后", "After review"),
    "review.summary.counts": ("待复核 {review} 项：确认为不合格 {confirmed} 项，豁免 {waived} 项，"
                              "尚未决定 {open} 项。",
                              "{review} to review: {confirmed} confirmed as failing, {waived} "
                              "waived, {open} not decided yet."),
    "review.summary.none": ("本次检测没有需要人工复核的问题。",
                            "This scan has no finding awaiting review."),
    "review.score.engine": ("引擎评分（复核前）", "Engine score (before review)"),
    "review.score.reviewed": ("复核后评分", "Score after review"),
    "review.score.note": ("复核后评分按本次检测的评分模型重新计算："
                          "确认的问题计为不合格，豁免的计为合格。检测结果本身不改动。",
                          "The score after review is recomputed with this scan's scoring "
                          "model: confirmed findings count as failing, waived ones as passing. "
                          "The stored result itself is not changed."),
    "review.score.unavailable": ("无法重算：本次检测使用的评分模型（{model}）不是当前版本的。",
                                 "Cannot be recomputed: this scan was scored with another "
                                 "model ({model}) than this version's."),
    "review.pair": ("{label}：{value}", "{label}: {value}"),
    "review.score.none": ("无评分", "not scored"),
    # the site page
    "review.site": ("人工复核决定", "Review decisions"),
    "review.site.none": ("这个网站还没有人工复核决定。", "This site has no review decisions yet."),
    "review.site.audit": ("复核审计记录", "Review audit trail"),
    "review.site.audit.count": ("复核审计记录（{n} 条）", "Review audit trail ({n})"),
    "review.site.audit.none": ("还没有复核记录。", "No review actions yet."),
    "review.col.rule": ("检查项", "Rule"),
    "review.col.decision": ("决定", "Decision"),
    "review.col.reason": ("理由", "Reason"),
    "review.col.by": ("决定人", "By"),
    "review.col.at": ("时间", "When"),
    "review.col.scan": ("检测", "Scan"),
    "review.col.action": ("操作", "Action"),
    "review.scan": ("检测 #{scan}", "scan #{scan}"),
    # time
    "review.zone.Asia/Shanghai": ("北京时间", "Beijing time"),
    "review.time": ("{time}（{zone}）", "{time} ({zone})"),
}
