"""A worker killed while it sweeps Redis for abandoned tasks leaves the sweep's lock behind:
the lock must expire within seconds, not kombu's five minutes, or no worker redoes a killed
worker's scan for that long (seen: a SIGKILLed worker's scan redelivered after 301 s)."""

from __future__ import annotations

import redis
from kombu.transport.redis import Mutex

from elderscan.runner.celery_app import create_app, restore_lock_seconds
from elderscan.runner.config import RunnerSettings

OWN_DB = 12
"""A Redis database of this test's own: the sweep lock is one key per database, and the Celery
tests of other test processes sweep database 11 meanwhile."""


def test_the_sweep_lock_of_a_dead_worker_expires_within_five_sweeps(redis_url: str) -> None:
    redis_url = f"{redis_url.rsplit('/', 1)[0]}/{OWN_DB}"
    cfg = RunnerSettings(BROKER_URL=redis_url, BROKER_VISIBILITY_TIMEOUT=10,
                         BROKER_RESTORE_INTERVAL=1, QUEUE="restore-lock-test")
    app = create_app(cfg)
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        client = redis.Redis.from_url(redis_url)
        key = channel.unacked_mutex_key
        client.delete(key)
        held = Mutex(client, key, channel.unacked_mutex_expire)
        held.__enter__()  # taken as a sweep takes it, and never released: the worker died
        try:
            ttl = client.ttl(key)
            assert 0 < ttl <= restore_lock_seconds(cfg) == 5
        finally:
            client.delete(key)
    assert restore_lock_seconds(RunnerSettings()) == 50  # the defaults: sweeps every 10 s
