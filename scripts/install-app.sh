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
  # pip compiles what it installs, but an editable install leaves the sources as they are:
  # where Python may not write its cache (PYTHONDONTWRITEBYTECODE, a read-only checkout) it
  # would compile them again at every start, ~0.2 s of each scan.
  "$prefix/bin/python" -m compileall -q "$here/src/elderscan" >/dev/null
else
  "$prefix/bin/python" -m pip install -q "$spec"
fi
echo "elderscan installed in $prefix ($("$prefix/bin/elderscan" --version))"
