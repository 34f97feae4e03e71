#!/usr/bin/env bash
# Installs elderscan into a virtual environment: PREFIX (default .venv) with the package from
# this source tree. EXTRAS=dev adds the test tools. Used by the quick start and the Dockerfile.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${1:-$here/.venv}"
extras="${EXTRAS:-}"
mode="${INSTALL_MODE:-editable}"

if [ ! -x "$prefix/bin/python" ]; then
  python3 -m venv "$prefix"
fi
"$prefix/bin/python" -m pip install -q --upgrade pip >/dev/null
spec="$here"
[ -n "$extras" ] && spec="$here[$extras]"
if [ "$mode" = "editable" ]; then
  "$prefix/bin/python" -m pip install -q -e "$spec"
else
  "$prefix/bin/python" -m pip install -q "$spec"
fi
echo "elderscan installed in $prefix ($("$prefix/bin/elderscan" --version))"
