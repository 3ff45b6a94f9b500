#!/usr/bin/env bash
# The Python package's test command, run the way a user installs it: the abi3 manylinux wheel
# from scripts/dist.sh installed into a fresh venv (target/py-installed) whose PATH has no cargo
# or rustc, then pytest (every operation with both clients against the simulator, the shared
# vectors in tests/vectors, firmware drift) and the stub checks (mypy.stubtest, and
# mypy --strict over the documented examples), all importing the installed package, never the
# source tree. Idempotent; quick when the wheel is up to date.
#
#   ACTATEK_WHEEL=path/to.whl scripts/test-python.sh   # test a wheel built elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)

step() { printf '\n==> %s\n' "$*"; }

if [ -z "${ACTATEK_WHEEL:-}" ]; then
    bash scripts/dist.sh --host python
    ACTATEK_WHEEL=$(ls "$ROOT"/target/dist/actatek-"$VERSION"-cp39-abi3-manylinux*x86_64.whl)
fi

step "fresh venv with the wheel and the test tools (target/py-installed)"
VENV=$ROOT/target/py-installed
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "$ACTATEK_WHEEL" pytest pytest-asyncio mypy requests httpx orjson
# No Rust toolchain from here on: the installed wheel is all there is.
export PATH="$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
unset CARGO_HOME RUSTUP_HOME
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    echo "test-python: a Rust toolchain is still on PATH" >&2
    exit 1
fi
export ACTATEK_EXPECT_INSTALLED=$VENV
RUN=$ROOT/target/py-run
mkdir -p "$RUN"
cd "$RUN"
python -c 'import actatek, actatek._actatek as n; print(f"{actatek.__file__}: actatek {actatek.__version__} ({n.BUILD_PROFILE} build), {len(actatek.OPERATIONS)} operations")'
echo "$(basename "$ACTATEK_WHEEL"), $(pytest --version 2>&1), $(mypy --version)"

step "pytest (python/tests against the installed wheel)"
python -m pytest -q -p no:cacheprovider -c "$ROOT/python/pyproject.toml" --rootdir "$ROOT/python" "$ROOT/python/tests"

step "stubs: mypy.stubtest and mypy --strict over the documented examples (installed package)"
python -m mypy.stubtest actatek --mypy-config-file "$ROOT/python/pyproject.toml"
python -m mypy --strict --config-file "$ROOT/python/pyproject.toml" --cache-dir "$RUN/.mypy_cache" "$ROOT/python/typing/check_api.py"

step "python: all checks passed"
