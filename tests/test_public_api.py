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


def test_a_command_loads_its_own_modules_and_not_the_others() -> None:
    # `elderscan scan URL` is what a developer runs most: it must not import the API server,
    # the store or the workers, which cost half its start-up before a browser could launch.
    import json
    import subprocess
    import sys

    code = ("import json, sys\nfrom elderscan.cli import root\nroot.build('scan')\n"
            "print(json.dumps(sorted({m.split('.')[1] for m in sys.modules"
            " if m.startswith('elderscan.')})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    loaded = set(json.loads(done.stdout))
    assert {"cli", "settings"} <= loaded, loaded  # the runner comes as the scan starts,
    # imported in a thread while the browser's driver starts (cli/scanning.py)
    assert not loaded & {"api", "store", "gate", "schedules"}, loaded
    # while the whole command (what `--help` lists) still has every command
    from elderscan.cli import root

    whole = root.build()
    names = {c.name for c in whole.registered_commands}
    for group in whole.registered_groups:
        names |= {c.name for c in group.typer_instance.registered_commands}
    assert {"scan", "serve", "report", "ci", "scheduler", "batch", "worker"} <= names


def test_the_command_a_command_line_names() -> None:
    from elderscan.cli.root import _command_named

    assert _command_named(["scan", "https://a.gov.cn", "--help"]) == "scan"
    assert _command_named(["db", "upgrade"]) == "db"
    # help before the command, no command, an unknown one: the whole command is built
    assert _command_named(["--help", "scan"]) is None
    assert _command_named([]) is None and _command_named(["nosuch"]) is None
