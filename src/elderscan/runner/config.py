"""Runner settings: where tasks go and how long a scan may hold its claim.

Same style as the scan and store settings: `ELDERSCAN_<NAME>` in the environment, frozen once
read. (`ELDERSCAN_CONCURRENCY` is the scan setting "pages at once"; scans at once is
`ELDERSCAN_RUNNER_CONCURRENCY`.)
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RunnerSettings(BaseSettings):
    """Broker, scans at once, the hard limit of one scan, and retry policy."""

    model_config = SettingsConfigDict(env_prefix="ELDERSCAN_", frozen=True, extra="ignore")

    BROKER_URL: str | None = Field(
        None, description="Celery broker (redis://host:6379/0); set, the CLI and the API "
        "enqueue scans for `elderscan worker` instead of running them in process")
    RUNNER_CONCURRENCY: int = Field(
        2, ge=1, le=64, description="scans at once in the local runner (and the default "
        "`elderscan worker --concurrency`)")
    SCAN_TIMEOUT: float = Field(
        1800.0, gt=0, description="hard limit of one scan, seconds; past it the scan fails "
        "with code `timeout`")
    SCAN_LEASE_GRACE: float = Field(
        120.0, ge=0, description="a running scan whose claim is older than SCAN_TIMEOUT plus "
        "this is abandoned and may be taken over by another runner")
    SCAN_MAX_ATTEMPTS: int = Field(
        3, ge=1, description="claims of one scan before it is failed with code `attempts` "
        "(a site that crashes its worker every time must not loop forever)")
    TASK_RETRIES: int = Field(
        5, ge=0, description="retries of a scan task after a transient error (database or "
        "browser unavailable), with exponential backoff")
    TASK_RETRY_BACKOFF: float = Field(
        10.0, gt=0, description="first retry delay, seconds; doubles each time (max 10 min)")
    BROKER_VISIBILITY_TIMEOUT: float = Field(
        600.0, gt=0, description="seconds before Redis hands a task that was never acknowledged "
        "(its worker died) to another worker; a scan still running past it is left to its "
        "live worker, so this bounds how late a lost scan is redone, not how long one may take")
    BROKER_RESTORE_INTERVAL: float = Field(
        10.0, gt=0, description="seconds between a worker's sweeps for such abandoned tasks")
    KEEP_BROWSERS: bool = Field(
        True, description="keep each runner's Chromium between scans (one launch per worker, "
        "not per site); off, every scan launches and closes its own")
    STORE_RETRY_SECONDS: float = Field(
        900.0, ge=0, description="how long a runner keeps retrying the write of a finished "
        "scan (its result, or its failure) while the store refuses writes (disk full, "
        "read-only, unreachable, corrupt): the scan ends as soon as a write succeeds; past "
        "this it stays `running` until a restarted runner or another worker takes it over")
    QUEUE: str = Field("elderscan", min_length=1, description="Celery queue of scan tasks")

    @property
    def lease(self) -> float:
        """Seconds after its claim when a running scan counts as abandoned."""
        return self.SCAN_TIMEOUT + self.SCAN_LEASE_GRACE

    @property
    def visibility_timeout(self) -> float:
        return self.BROKER_VISIBILITY_TIMEOUT


def runner_settings() -> RunnerSettings:
    return RunnerSettings()
