#!/usr/bin/env bash
# The browser package (bindings/wasm + web/): installs what is missing (idempotent, quick when
# present), builds the WebAssembly module with the size profile, prints the size report, checks
# the generated TypeScript and the types, and runs the same suite in Node and in headless
# Chromium against the simulator, plus the demo dashboard test; then the packed tarball installed
# into a scratch project (ESM, CommonJS, TypeScript, an esbuild bundle in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WEB=$ROOT/web
OUT=$ROOT/target/web
mkdir -p "$OUT"

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
if [ ! -x /usr/bin/chromium ]; then
    apt-get update && apt-get install -y chromium chromium-driver
fi
node --version; /usr/bin/chromium --version 2>/dev/null || true

step "generated TypeScript is up to date with the core's table and models"
cargo xtask codegen --check typescript

step "clippy for wasm32 (warnings are errors)"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
cargo clippy -p actatek-wasm -p actatek-wasm-probe --target wasm32-unknown-unknown -- -D warnings
# The boundary benchmark's exports (scripts/bench-wasm-boundary.sh) are linted too.
cargo clippy -p actatek-wasm --features boundary-bench --target wasm32-unknown-unknown -- -D warnings

step "the binding's own unit tests (natively: its hand-written readers against serde's)"
cargo clippy -p actatek-wasm --lib --tests -- -D warnings
cargo test -p actatek-wasm --lib

# The package itself (wasm, wasm-opt, size report, ESM and CommonJS builds), packed by npm.
bash scripts/dist.sh --host npm
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
export ACTATEK_WEB_TARBALL=$ROOT/target/dist/actatek-web-$VERSION.tgz

step "TypeScript: tsc --noEmit over the emitted types and the typed usage example"
(cd "$WEB" && npx tsc --noEmit -p tsconfig.json && npx tsc --noEmit -p examples/tsconfig.json)
if grep -nwE ':\s*any\b|<any>|any\[\]' "$WEB"/dist/*.d.ts; then
    echo "the public types must not use any" >&2
    exit 1
fi

if [ -z "${ACTATEK_SIM_BIN:-}" ]; then
    step "simulator binary"
    cargo build -p actatek-sim
    export ACTATEK_SIM_BIN=$ROOT/target/debug/actatek-sim
fi

status=0
run_suite() {
    local name=$1 file=$2 log=$OUT/$1.log
    step "$name tests"
    # A hung call (a promise the wasm module never settles) fails its test instead of hanging CI.
    (cd "$WEB" && node --test --test-timeout=180000 "$file") >"$log" 2>&1 || status=1
    grep -E '^(not ok|ok) ' "$log" || true
    grep -E '^# (tests|pass|fail) ' "$log" | sed "s/^/$name /"
    if grep -qE '^# fail [1-9]' "$log" || ! grep -qE '^# pass ' "$log"; then
        status=1
        grep -vE '^\s*(---|\.\.\.|duration_ms)' "$log" | tail -60
    fi
}
rm -f "$OUT/demo.png" # the Chromium suite writes it anew
run_suite node test/node.test.js
run_suite chromium test/browser.test.js
run_suite package test/package.test.js

passed=$(cat "$OUT/node.log" "$OUT/chromium.log" "$OUT/package.log" | sed -n 's/^# pass \([0-9]*\)$/\1/p' | awk '{s+=$1} END {print s+0}')
failed=$(cat "$OUT/node.log" "$OUT/chromium.log" "$OUT/package.log" | sed -n 's/^# fail \([0-9]*\)$/\1/p' | awk '{s+=$1} END {print s+0}')
[ -f "$OUT/demo.png" ] && echo "demo screenshot: target/web/demo.png"
echo "web: $passed passed, $failed failed"
exit $status
