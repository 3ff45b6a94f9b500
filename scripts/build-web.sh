#!/usr/bin/env bash
# Builds the browser package in web/ from the Rust sources: the WebAssembly module (profile
# wasm-release: opt-level z, LTO, one codegen unit; then wasm-opt, below) into web/pkg/, the size
# probe beside it, the ESM build (tsc) and the CommonJS bundle (esbuild) into web/dist/, and the
# licence files npm packs. Installs what is missing (idempotent, quick when present).
# Called by scripts/test-web.sh, scripts/dist.sh and web's `prepack` (`--if-missing`: only
# when web/pkg/ is absent, so that `npm pack` of a built tree needs no Rust).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WEB=$ROOT/web
OUT=$ROOT/target/web
mkdir -p "$OUT"

step() { printf '\n==> %s\n' "$*"; }
# shellcheck source=scripts/wasm-toolchain.sh
. "$ROOT/scripts/wasm-toolchain.sh"

wasm_needed=1
if [ "${1:-}" = "--if-missing" ] && [ -f "$WEB/pkg/actatek_wasm_bg.wasm" ] && [ -f "$WEB/pkg/actatek_wasm.js" ]; then
    wasm_needed=0
fi

if [ ! -d "$WEB/node_modules/typescript" ] || [ ! -d "$WEB/node_modules/playwright-core" ] || [ ! -d "$WEB/node_modules/binaryen" ] || [ ! -d "$WEB/node_modules/esbuild" ] \
    || [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]; then
    step "npm ci (web/)"
    (cd "$WEB" && npm ci --no-audit --no-fund)
fi

if [ "$wasm_needed" = 1 ]; then
    # The wasm-bindgen crate is pinned with `=` in Cargo.toml; the CLI must be the same version.
    WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' Cargo.toml)
    [ -n "$WASM_BINDGEN_VERSION" ] || { echo "no exact wasm-bindgen pin in Cargo.toml" >&2; exit 1; }
    step "wasm toolchain"
    if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
        # No --locked: a locked dependency version is not in the index here (TOOLCHAIN.md).
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
    fi
    wasm-bindgen --version

    # The pinned nightly that rebuilds std for size (scripts/wasm-toolchain.sh), into its own
    # target directory: its artifacts never mix with the stable builds'.
    step "build the WebAssembly module and the size probe (profile wasm-release, $WASM_NIGHTLY, build-std)"
    CARGO_TARGET_DIR=$ROOT/target/wasm-nightly wasm_build -p actatek-wasm -p actatek-wasm-probe
    WASM_DIR=$ROOT/target/wasm-nightly/wasm32-unknown-unknown/wasm-release
    rm -rf "$WEB/pkg" "$OUT/probe"
    wasm-bindgen --target web --out-dir "$WEB/pkg" "$WASM_DIR/actatek_wasm.wasm"
    wasm-bindgen --target web --out-dir "$OUT/probe" "$WASM_DIR/actatek_wasm_probe.wasm"

    # wasm-opt (npm binaryen; Debian's is too old): the control flow flattened and rebuilt
    # (--flatten --rereloop), then -Oz three times: 3.3 KB gzip less than the flags before,
    # -Oz --converge (web/README.md, Size). It is slow (JS build), so its output is kept per
    # hash of the input and the flags, and a rebuild of unchanged code takes no time.
    WASM_OPT="$WEB/node_modules/.bin/wasm-opt"
    WASM_OPT_FLAGS=(--flatten --rereloop -Oz -Oz -Oz --enable-bulk-memory --enable-nontrapping-float-to-int)
    optimize() {
        local file=$1 hash cache
        hash=$( (cat "$file"; echo "${WASM_OPT_FLAGS[*]}") | sha256sum | cut -c1-24)
        cache=$ROOT/target/wasm-opt-cache/$hash.wasm
        if [ ! -f "$cache" ]; then
            mkdir -p "$(dirname "$cache")"
            "$WASM_OPT" "${WASM_OPT_FLAGS[@]}" "$file" -o "$cache.tmp"
            mv "$cache.tmp" "$cache"
        fi
        cp "$cache" "$file"
    }
    step "wasm-opt ${WASM_OPT_FLAGS[*]}"
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
fi

step "TypeScript: ESM build (dist/), CommonJS bundle (dist/index.cjs)"
(cd "$WEB" && rm -rf dist && npx tsc -p tsconfig.json)
# CommonJS: one bundle of the ESM build and the wasm-bindgen glue. `import.meta.url` becomes the
# bundle's own file URL, so the package still finds its .wasm at ../pkg/ from dist/.
(cd "$WEB" && npx esbuild dist/index.js --bundle --format=cjs --platform=node --target=node20 \
    --outfile=dist/index.cjs --define:import.meta.url=__actatek_module_url \
    --banner:js='const __actatek_module_url = require("node:url").pathToFileURL(__filename).href;' \
    --log-level=warning)
# npm packs the licence files only from the package's own directory.
cp "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$WEB/"
