#!/usr/bin/env bash
# Builds every artifact a user installs, into target/dist/, then SHA256SUMS over them:
#   actatek-<v>-cp39-abi3-manylinux_2_17_x86_64.whl (and aarch64), actatek-<v>.tar.gz (sdist)
#   actatek-web-<v>.tgz                        npm pack of web/ (optimized .wasm inside)
#   actatek-<v>.jar, -sources.jar, .pom       Kotlin/JVM, linux-x86-64 native library inside;
#   maven/                                     the same as a file repository (io.actatek:actatek)
#   actatek-<v>-x86_64-unknown-linux-musl.tar.gz   static CLI, man page, bash/zsh/fish completions
#
#   bash scripts/dist.sh                 every artifact (x86_64 and aarch64 wheels)
#   bash scripts/dist.sh --host          only the x86_64 ones (what CI installs and tests)
#   bash scripts/dist.sh --host python   some parts only: python, npm, jvm, cli
#
# Installs its own tools (idempotent): a venv in target/dist-tools with maturin, ziglang (the
# C toolchain and linker for manylinux2014 wheels, aarch64 and musl: one cross toolchain from
# PyPI instead of per-target gcc packages) and cargo-zigbuild; rustup targets; Maven for the jar.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=$ROOT/target/dist
TOOLS=$ROOT/target/dist-tools

all_arches=1
parts=()
for arg in "$@"; do
    case "$arg" in
        --host) all_arches=0 ;;
        python | npm | jvm | cli) parts+=("$arg") ;;
        *) echo "dist.sh: unknown argument $arg (--host, python, npm, jvm, cli)" >&2; exit 2 ;;
    esac
done
[ ${#parts[@]} -gt 0 ] || parts=(python npm jvm cli)
want() { [[ " ${parts[*]} " == *" $1 "* ]]; }

step() { printf '\n==> dist: %s\n' "$*"; }
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
mkdir -p "$DIST"

tools() {
    if [ ! -x "$TOOLS/bin/maturin" ] || [ ! -x "$TOOLS/bin/cargo-zigbuild" ] || [ ! -x "$TOOLS/bin/auditwheel" ] \
        || ! "$TOOLS/bin/python" -c 'import ziglang' 2>/dev/null; then
        step "build tools (venv target/dist-tools: maturin, ziglang, cargo-zigbuild, auditwheel)"
        python3 -m venv "$TOOLS"
        "$TOOLS/bin/pip" install -q --disable-pip-version-check "maturin>=1.16,<2" ziglang cargo-zigbuild auditwheel
    fi
    export PATH="$TOOLS/bin:$PATH"
}
target() {
    rustup target list --installed | grep -qx "$1" || rustup target add "$1"
}

if want python; then
    tools
    arches=(x86_64)
    [ "$all_arches" = 1 ] && arches+=(aarch64)
    rm -f "$DIST"/actatek-"$VERSION"-*.whl "$DIST/actatek-$VERSION.tar.gz"
    for arch in "${arches[@]}"; do
        step "Python wheel, $arch (abi3, manylinux2014 via zig)"
        target "$arch-unknown-linux-gnu"
        (cd python && maturin build --release --zig --compatibility manylinux2014 \
            --target "$arch-unknown-linux-gnu" -o "$DIST" 2>&1 | grep -vE '^\s*(Compiling|Checking|Downloaded|Downloading)' )
    done
    step "Python sdist"
    (cd python && maturin sdist -o "$DIST" 2>&1 | tail -n 2)
    for whl in "$DIST"/actatek-"$VERSION"-*.whl; do
        auditwheel show "$whl" | tr '\n' ' ' | sed 's/  */ /g' | cut -c1-220; echo
    done
fi

if want npm; then
    step "npm package (web/)"
    bash scripts/build-web.sh
    rm -f "$DIST"/actatek-web-*.tgz
    # Everything was just built: skip `prepack` (it is for packing by hand and would build the
    # TypeScript a second time).
    (cd web && npm pack --silent --ignore-scripts --pack-destination "$DIST" >/dev/null)
    ls "$DIST"/actatek-web-"$VERSION".tgz
fi

if want jvm; then
    step "Kotlin/JVM jar (release native library for linux-x86-64)"
    if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
        apt-get update -q && apt-get install -y -q maven openjdk-17-jdk-headless
    fi
    # The library in release; uniffi-bindgen reads its metadata (release keeps symbols: strip
    # is "debuginfo" at most), and uniffi-bindgen itself in debug (a build tool).
    cargo build --release -p actatek-uniffi
    cargo build -p uniffi-bindgen
    gen=bindings/kotlin/target/generated-sources/uniffi
    tmp=$(mktemp -d)
    target/debug/uniffi-bindgen generate --library target/release/libactatek_uniffi.so --language kotlin --out-dir "$tmp" --no-format >/dev/null
    # Replaced only when it changed, so Kotlin's incremental compilation can skip it.
    if ! diff -rq "$tmp" "$gen" >/dev/null 2>&1; then
        rm -rf "$gen" && mkdir -p "$(dirname "$gen")" && cp -r "$tmp" "$gen"
    fi
    rm -rf "$tmp"
    # The jar gets a stripped copy (JNA needs only the dynamic symbols).
    native=$ROOT/target/jvm-native
    mkdir -p "$native" && cp target/release/libactatek_uniffi.so "$native/" && strip --strip-unneeded "$native/libactatek_uniffi.so"
    (cd bindings/kotlin && mvn -B -q --no-transfer-progress package -Dmaven.test.skip=true -Dmaven.resources.overwrite=true \
        -Dactatek.native.dir="$native" -Djna.platform=linux-x86-64)
    cp "bindings/kotlin/target/actatek-$VERSION.jar" "bindings/kotlin/target/actatek-$VERSION-sources.jar" "$DIST/"
    cp bindings/kotlin/pom.xml "$DIST/actatek-$VERSION.pom"
    rm -rf "$DIST/maven"
    (cd bindings/kotlin && mvn -B -q --no-transfer-progress deploy:deploy-file -Durl="file://$DIST/maven" \
        -Dfile="$DIST/actatek-$VERSION.jar" -Dsources="$DIST/actatek-$VERSION-sources.jar" -DpomFile="$DIST/actatek-$VERSION.pom")
    unzip -l "$DIST/actatek-$VERSION.jar" | grep -E 'linux-x86-64/|META-INF/LICENSE' | awk '{print $1, $4}'
fi

if want cli; then
    tools
    triple=x86_64-unknown-linux-musl
    step "CLI, static binary for $triple (cargo-zigbuild)"
    target "$triple"
    cargo zigbuild --release -p actatek-cli --target "$triple" 2>&1 | grep -vE '^\s*(Compiling|Checking|Downloaded|Downloading)' || true
    bin=target/$triple/release/actatek
    [ -x "$bin" ] || { echo "dist.sh: the CLI build failed" >&2; exit 1; }
    stage=$(mktemp -d)/actatek-$VERSION-$triple
    mkdir -p "$stage/completions"
    cp "$bin" "$stage/actatek"
    "$bin" manpage >"$stage/actatek.1"
    "$bin" completions bash >"$stage/completions/actatek.bash"
    "$bin" completions zsh >"$stage/completions/_actatek"
    "$bin" completions fish >"$stage/completions/actatek.fish"
    cp LICENSE-MIT LICENSE-APACHE crates/actatek-cli/README.md "$stage/"
    tar -C "$(dirname "$stage")" -czf "$DIST/actatek-$VERSION-$triple.tar.gz" "$(basename "$stage")"
    rm -rf "$(dirname "$stage")"
    file "$bin" | sed 's/, BuildID[^,]*//'
fi

step "SHA256SUMS"
(cd "$DIST" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | sort | xargs sha256sum >SHA256SUMS && cat SHA256SUMS)
