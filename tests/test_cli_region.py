"""`scan --region`: a blank region is a usage error (exit 2, one line, no traceback)."""

from __future__ import annotations

import os

from incli import elderscan


def test_blank_region_is_a_usage_error() -> None:
    run = elderscan(["scan", "http://127.0.0.1:9/", "--region", "  ", "--lang", "en"],
                    os.environ)
    assert run.returncode == 2
    assert run.stderr.strip() == ("elderscan: error: --region must name a province, "
                                  "autonomous region or prefecture")


def test_usage_errors_speak_the_chosen_language() -> None:
    run = elderscan(["scan", "http://127.0.0.1:9/", "--region", "  ", "--lang", "zh"],
                    os.environ)
    assert run.returncode == 2
    assert run.stderr.strip() == "elderscan：错误：--region 必须是省、自治区或地区的名称"
