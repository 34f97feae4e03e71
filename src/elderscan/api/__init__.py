"""The HTTP API (FastAPI): `create_app()`, served by `elderscan serve`. See docs/api.md.

Importing this package is cheap: FastAPI and the store load when `create_app` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from elderscan.api.app import create_app
    from elderscan.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from elderscan.api.app import create_app

        return create_app
    if name == "ApiSettings":
        from elderscan.api.settings import ApiSettings

        return ApiSettings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
