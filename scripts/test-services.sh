#!/usr/bin/env bash
# Starts the services the test suite talks to over real connections — PostgreSQL on
# 127.0.0.1:5432 (database `test`) and Redis on 127.0.0.1:6379 — installing them from Debian
# first when they are missing. Does nothing when both already answer.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if command -v pg_isready >/dev/null 2>&1 && pg_up \
   && command -v redis-cli >/dev/null 2>&1 && redis_up; then
  echo "test services: PostgreSQL and Redis answering"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -E bash "$0" "$@"; fi
  echo "test-services.sh: PostgreSQL or Redis is not answering; run me as root to start them" >&2
  exit 2
fi

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test services: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! pg_up; then
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 0.5; done
  pg_up || { echo "test services: PostgreSQL did not start" >&2; exit 2; }
fi
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='test'\"" | grep -q 1; then
  su postgres -c "createdb test"
fi

if ! redis_up; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 0.2; done
  redis_up || { echo "test services: Redis did not start" >&2; exit 2; }
fi
echo "test services: PostgreSQL and Redis answering"
