#!/usr/bin/env bash
# The Python package's test command: a venv in .venv (created once), the test tools, the
# extension built and installed into it, then pytest (every operation with both clients against
# the simulator, the shared vectors in tests/vectors) and the stub checks (mypy.stubtest, and
# mypy --strict over the documented examples). Idempotent; quick when already set up.
#
#   ACTATEK_PY_PROFILE=release scripts/test-python.sh   # optimized build (for benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "venv (.venv)"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
PY="$ROOT/.venv/bin/python"
export VIRTUAL_ENV="$ROOT/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
"$PY" --version

step "test tools"
if ! "$PY" - <<'PYCHECK' 2>/dev/null || [ ! -x .venv/bin/maturin ]; then
import importlib.util, sys
need = ["pytest", "pytest_asyncio", "mypy", "requests", "httpx", "orjson"]
sys.exit(any(importlib.util.find_spec(m) is None for m in need))
PYCHECK
    "$PY" -m pip install -q --disable-pip-version-check maturin pytest pytest-asyncio mypy requests httpx orjson
fi
echo "maturin $(maturin --version | awk '{print $2}'), pytest $("$PY" -c 'import pytest; print(pytest.__version__)'), mypy $("$PY" -c 'import mypy.version; print(mypy.version.__version__)')"

step "build and install the extension (maturin develop, ${ACTATEK_PY_PROFILE:-dev} profile)"
profile_flag=()
if [ "${ACTATEK_PY_PROFILE:-dev}" = "release" ]; then
    profile_flag=(--release)
fi
(cd python && maturin develop --quiet "${profile_flag[@]}" 2>&1 | { grep -vE '^\s*(Compiling|Checking)' || true; } | tail -n 3)
"$PY" -c 'import actatek, actatek._actatek as n; print(f"actatek {actatek.__version__} ({n.BUILD_PROFILE} build), {len(actatek.OPERATIONS)} operations")'

step "pytest (python/tests)"
(cd python && "$PY" -m pytest -q -p no:cacheprovider tests)

step "stubs: mypy.stubtest and mypy --strict over the documented examples"
(cd python && "$PY" -m mypy.stubtest actatek && "$PY" -m mypy --strict typing/check_api.py)

step "python: all checks passed"
