"""The names users import from `elderscan` are a promise."""

import elderscan


def test_public_names() -> None:
    assert sorted(elderscan.__all__) == [
        "Capture", "Finding", "PageFailure", "ScanReport", "ScanSettings", "SiteCapture",
        "__version__", "scan_site",
    ]
    for name in elderscan.__all__:
        assert getattr(elderscan, name) is not None


def test_commands_that_never_scan_do_not_load_the_scanner() -> None:
    # `elderscan gate` runs in every CI job and `--help` on every typo: importing the CLI (and
    # the package) must not pull in Playwright, which the scanner alone needs.
    import subprocess
    import sys

    code = ("import sys, elderscan, elderscan.cli.root, elderscan.cli.ci\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'playwright'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
    # The lazy names still resolve, to the same objects as their homes.
    from elderscan.runner.scan import scan_site

    assert elderscan.scan_site is scan_site
