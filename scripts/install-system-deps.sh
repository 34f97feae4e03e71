#!/usr/bin/env bash
# System packages elderscan needs, from Debian: Chromium (driven by Playwright; its headless
# shell is what scans run in, a third less CPU a page than the full browser), CJK fonts so
# Chinese text renders with real metrics, and Python with venv. The Dockerfile, CI and the
# quick start all run this same script, so it cannot drift from what they install.
set -euo pipefail

PACKAGES=(
  chromium
  chromium-headless-shell
  fonts-noto-cjk
  fonts-noto-core
  fontconfig
  python3
  python3-venv
  python3-pip
  ca-certificates
  openssl
)

# What is missing is found without root: a machine that has everything needs no sudo.
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -E bash "$0" "$@"
  fi
  echo "install-system-deps.sh: ${missing[*]} missing; run as root (or install sudo): it uses apt-get" >&2
  exit 2
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
echo "system packages: done"
