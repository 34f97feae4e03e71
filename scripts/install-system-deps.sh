#!/usr/bin/env bash
# System packages elderscan needs, from Debian: Chromium (driven by Playwright; its headless
# shell is what scans run in, a third less CPU a page than the full browser), CJK fonts so
# Chinese text renders with real metrics, fonts for the minority-language versions (Tibetan,
# Mongolian, Yi, Arabic-script Uyghur and Kazakh, Hangul) so a 藏文版 renders as a reader's
# system would show it and missing-glyph boxes mean the site's fault, and Python with venv. The Dockerfile, CI and the
# quick start all run this same script, so it cannot drift from what they install.
set -euo pipefail

PACKAGES=(
  chromium
  chromium-headless-shell
  fonts-noto-cjk
  fonts-noto-core
  fonts-tibetan-machine
  fonts-sil-nuosusil
  fonts-ukij-uyghur
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
# Which installed fonts cover each script the version probe checks (U+0F40 ཀ, U+1820 ᠠ,
# U+A000 ꀀ, U+0626 ئ, U+AC00 가, U+4E2D 中): what the scanner has to render them with.
say_fonts() {
  local script char families
  for script in tibetan:0f40 mongolian:1820 yi:a000 arabic:0626 hangul:ac00 han:4e2d; do
    char=${script#*:}
    families=$(fc-list ":charset=${char}" family 2>/dev/null | cut -d, -f1 | sort -u)
    echo "fonts for ${script%%:*}: $(echo "$families" | grep -c . || true) —" \
      "$(echo "$families" | head -4 | paste -sd ';' -)"
  done
}

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  say_fonts
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
say_fonts
