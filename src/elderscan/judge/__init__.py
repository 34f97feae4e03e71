"""The judge: captures in; findings, page metrics and the site's sections out.

It runs the check engine on each page and on the site, anchors findings to their elements and
lays the verdicts out as the contract's page results. Scoring the findings is not its job: the
runner hands them to `elderscan.scoring` (`judge_site` takes its tally) and lays out the report.
"""

from elderscan.judge.pages import PageJudge, Shots, anchored, load_failure_finding, page_result
from elderscan.judge.site import FindingSink, Judgement, failed_report, judge_site

__all__ = ["FindingSink", "Judgement", "PageJudge", "Shots", "anchored", "failed_report",
           "judge_site", "load_failure_finding", "page_result"]
