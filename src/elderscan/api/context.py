"""What the routes share: the engine, the settings, the guard, the dispatcher, the metrics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from sqlalchemy import Engine

from elderscan.api.errors import ApiError
from elderscan.api.metrics import Metrics
from elderscan.api.schemas import ScanOptions
from elderscan.api.settings import ApiSettings
from elderscan.netguard import AddressGuard
from elderscan.settings import ScanSettings

if TYPE_CHECKING:
    from elderscan.api.reportcache import ReportCache
    from elderscan.api.storehealth import StoreWatch

Submit = Callable[[list[int]], None]


@dataclass
class AppContext:
    engine: Engine
    settings: ApiSettings
    scan_settings: ScanSettings
    guard: AddressGuard
    submit: Submit
    metrics: Metrics
    runner: str
    store: StoreWatch
    reports: ReportCache

    def scan_options(self, options: ScanOptions) -> dict[str, Any]:
        """The options stored with a scan: what the request chose, within this service's
        limits, plus the address guard, which every scan the API starts runs with (and the
        allow-list in force when it was requested)."""
        chosen = options.model_dump(exclude_none=True)
        cap = self.settings.MAX_PAGES
        if chosen.get("max_pages", 0) > cap:
            raise ApiError(422, "invalid_request",
                           details=[{"loc": ["body", "options", "max_pages"],
                             "msg": f"at most {cap} on this service",
                             "type": "less_than_equal"}], key="api.max-pages-cap",
                           values={"cap": cap})
        chosen["guard_addresses"] = True
        chosen["allow_hosts"] = list(self.scan_settings.ALLOW_HOSTS)
        return chosen


USER_OPTIONS = frozenset(ScanOptions.model_fields)


def ctx(request: Request) -> AppContext:
    context: AppContext = request.app.state.elderscan
    return context
