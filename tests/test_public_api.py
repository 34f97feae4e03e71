"""The names users import from `elderscan` are a promise."""

import elderscan


def test_public_names() -> None:
    assert sorted(elderscan.__all__) == [
        "Capture", "Finding", "PageFailure", "ScanReport", "ScanSettings", "SiteCapture",
        "__version__", "scan_site",
    ]
    for name in elderscan.__all__:
        assert getattr(elderscan, name) is not None
