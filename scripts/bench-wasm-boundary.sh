#!/usr/bin/env bash
# The JS boundary benchmark (issue 14): JSON text against serde-wasm-bindgen, both ways, in one
# Node run (web/bench/boundary.mjs), and what serde-wasm-bindgen adds to the .wasm. Builds
# actatek-wasm with the `boundary-bench` feature in the size profile into target/wasm-bench
# (the npm package is never built with it). Needs what scripts/build-web.sh installs.
#
#   bash scripts/bench-wasm-boundary.sh [LOGS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/wasm-bench
LOGS=${1:-100000}

cargo build -q -p actatek-sim
export ACTATEK_SIM_BIN=${ACTATEK_SIM_BIN:-$ROOT/target/debug/actatek-sim}
[ -d web/node_modules/binaryen ] || (cd web && npm ci --no-audit --no-fund)

# The bench build lands in its own target directory so that it does not overwrite the package's.
# Built exactly as the package's .wasm is (scripts/wasm-toolchain.sh).
. "$ROOT/scripts/wasm-toolchain.sh"
CARGO_TARGET_DIR=$ROOT/target/wasm-bench-build wasm_build -q -p actatek-wasm --features boundary-bench
rm -rf "$OUT"
wasm-bindgen --target nodejs --out-dir "$OUT" "$ROOT/target/wasm-bench-build/wasm32-unknown-unknown/wasm-release/actatek_wasm.wasm"
web/node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$OUT/actatek_wasm_bg.wasm" -o "$OUT/actatek_wasm_bg.wasm"

node web/bench/boundary.mjs "$OUT/actatek_wasm.js" "$LOGS"

if [ -f web/pkg/actatek_wasm_bg.wasm ]; then
    with=$(gzip -9 -c "$OUT/actatek_wasm_bg.wasm" | wc -c)
    without=$(gzip -9 -c web/pkg/actatek_wasm_bg.wasm | wc -c)
    echo "bench: browser .wasm with serde-wasm-bindgen and the bench exports, gzip | $with B | the package's .wasm $without B | $(awk -v a="$with" -v b="$without" 'BEGIN {printf "%.3f", a / b}') | smaller is better"
else
    echo "(no web/pkg: run scripts/build-web.sh first for the size comparison)"
fi
