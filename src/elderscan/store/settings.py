"""Store settings: where the database and the artifacts live, and how long artifacts are kept.

Same style as the scan settings: `ELDERSCAN_<NAME>` in the environment, frozen once read.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StoreSettings(BaseSettings):
    """Database URL, data directory and artifact retention."""

    model_config = SettingsConfigDict(env_prefix="ELDERSCAN_", frozen=True, extra="ignore")

    DATABASE_URL: str | None = Field(
        None, description="SQLAlchemy URL; unset means the SQLite file elderscan.db in DATA_DIR")
    DATA_DIR: Path = Field(
        Path(".elderscan"), description="database file (SQLite) and artifacts; relative paths "
        "are taken from the current directory")
    RETENTION_DAYS: int | None = Field(
        None, ge=0, description="`elderscan db prune` deletes screenshots of scans older than "
        "this (scores and findings are kept); unset keeps them forever")
