"""The two sides of `--ignore-robots/--no-ignore-robots` and `--no-sitemap/--sitemap`: either
side given overrides ELDERSCAN_OBEY_ROBOTS / ELDERSCAN_SITEMAP; neither leaves the setting."""

from __future__ import annotations

import pytest

from elderscan.cli.options import ScanArgs
from elderscan.cli.scanning import _settings


@pytest.mark.parametrize(("env", "args", "obey", "sitemap"), [
    ({}, {}, True, True),
    ({"ELDERSCAN_OBEY_ROBOTS": "false", "ELDERSCAN_SITEMAP": "false"}, {}, False, False),
    ({}, {"ignore_robots": True, "no_sitemap": True}, False, False),
    ({"ELDERSCAN_OBEY_ROBOTS": "false", "ELDERSCAN_SITEMAP": "false"},
     {"ignore_robots": False, "no_sitemap": False}, True, True),  # --no-ignore-robots --sitemap
])
def test_either_side_of_a_flag_pair_wins_over_the_environment(
        env: dict[str, str], args: dict[str, bool], obey: bool, sitemap: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = _settings(ScanArgs(**args))
    read = (settings.OBEY_ROBOTS, settings.SITEMAP)
    assert read == (obey, sitemap)
