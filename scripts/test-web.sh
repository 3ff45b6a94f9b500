#!/usr/bin/env bash
# The browser package (bindings/wasm + web/): installs what is missing (idempotent, quick when
# present), builds the WebAssembly module with the size profile, prints the size report, checks
# the generated TypeScript and the types, and runs the same suite in Node and in headless
# Chromium against the simulator, plus the demo dashboard test.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WEB=$ROOT/web
OUT=$ROOT/target/web
mkdir -p "$OUT"

step() { printf '\n==> %s\n' "$*"; }

# The wasm-bindgen crate is pinned with `=` in Cargo.toml; the CLI must be the same version.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' Cargo.toml)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "no exact wasm-bindgen pin in Cargo.toml" >&2; exit 1; }

step "toolchain"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    # No --locked: a locked dependency version is not in the index here (TOOLCHAIN.md).
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ ! -x /usr/bin/chromium ]; then
    apt-get update && apt-get install -y chromium chromium-driver
fi
if [ ! -d "$WEB/node_modules/typescript" ] || [ ! -d "$WEB/node_modules/playwright-core" ] || [ ! -d "$WEB/node_modules/binaryen" ] || [ ! -d "$WEB/node_modules/esbuild" ] \
    || [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]; then
    (cd "$WEB" && npm ci --no-audit --no-fund)
fi
wasm-bindgen --version; node --version; /usr/bin/chromium --version 2>/dev/null || true

step "generated TypeScript is up to date with the core's table and models"
cargo test -p actatek-wasm --test generated_ts

step "clippy for wasm32 (warnings are errors)"
cargo clippy -p actatek-wasm -p actatek-wasm-probe --target wasm32-unknown-unknown -- -D warnings

step "build the WebAssembly module and the size probe (profile wasm-release: opt-level z, LTO, 1 codegen unit)"
cargo build -p actatek-wasm -p actatek-wasm-probe --target wasm32-unknown-unknown --profile wasm-release
WASM_DIR=$ROOT/target/wasm32-unknown-unknown/wasm-release
rm -rf "$WEB/pkg" "$OUT/probe"
wasm-bindgen --target web --out-dir "$WEB/pkg" "$WASM_DIR/actatek_wasm.wasm"
wasm-bindgen --target web --out-dir "$OUT/probe" "$WASM_DIR/actatek_wasm_probe.wasm"

# wasm-opt -Oz (npm binaryen; Debian's is too old). It is slow (JS build), so its output is
# kept per input hash and a rebuild of unchanged code takes no time.
WASM_OPT="$WEB/node_modules/.bin/wasm-opt"
optimize() {
    local file=$1 hash cache
    hash=$(sha256sum "$file" | cut -c1-24)
    cache=$ROOT/target/wasm-opt-cache/$hash.wasm
    if [ ! -f "$cache" ]; then
        mkdir -p "$(dirname "$cache")"
        "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$file" -o "$cache.tmp"
        mv "$cache.tmp" "$cache"
    fi
    cp "$cache" "$file"
}
step "wasm-opt -Oz"
optimize "$WEB/pkg/actatek_wasm_bg.wasm"
optimize "$OUT/probe/actatek_wasm_probe_bg.wasm"

step "size report"
size_row() {
    local label=$1 file=$2
    printf '%-34s %10d %10d\n' "$label" "$(wc -c <"$file")" "$(gzip -9 -c "$file" | wc -c)"
}
{
    printf '%-34s %10s %10s\n' "artifact" "raw bytes" "gzip -9"
    size_row "actatek_wasm_bg.wasm" "$WEB/pkg/actatek_wasm_bg.wasm"
    size_row "actatek_wasm.js (glue)" "$WEB/pkg/actatek_wasm.js"
    size_row "probe: reqwest+serde .wasm" "$OUT/probe/actatek_wasm_probe_bg.wasm"
    size_row "probe: glue .js" "$OUT/probe/actatek_wasm_probe.js"
} | tee "$OUT/size-report.txt"

step "TypeScript: build dist/, tsc --noEmit over the emitted types and the typed usage example"
(cd "$WEB" && npx tsc -p tsconfig.json && npx tsc --noEmit -p tsconfig.json && npx tsc --noEmit -p examples/tsconfig.json)
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
    (cd "$WEB" && node --test "$file") >"$log" 2>&1 || status=1
    grep -E '^(not ok|ok) ' "$log" || true
    grep -E '^# (tests|pass|fail) ' "$log" | sed "s/^/$name /"
    if grep -qE '^# fail [1-9]' "$log" || ! grep -qE '^# pass ' "$log"; then
        status=1
        grep -vE '^\s*(---|\.\.\.|duration_ms)' "$log" | tail -60
    fi
}
run_suite node test/node.test.js
run_suite chromium test/browser.test.js

passed=$(cat "$OUT/node.log" "$OUT/chromium.log" | sed -n 's/^# pass \([0-9]*\)$/\1/p' | awk '{s+=$1} END {print s+0}')
failed=$(cat "$OUT/node.log" "$OUT/chromium.log" | sed -n 's/^# fail \([0-9]*\)$/\1/p' | awk '{s+=$1} END {print s+0}')
[ -f "$WEB/test-results/demo.png" ] && echo "demo screenshot: web/test-results/demo.png"
echo "web: $passed passed, $failed failed"
exit $status
