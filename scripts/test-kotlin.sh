#!/usr/bin/env bash
# The Kotlin and Swift packages (bindings/kotlin, bindings/swift; issue #7), idempotent and quick
# when already set up:
#   1. build the uniffi library (debug: uniffi-bindgen reads its metadata), uniffi-bindgen and
#      the simulator, in one cargo call;
#   2. generate Kotlin into bindings/kotlin/target/generated-sources/uniffi (not committed);
#   3. regenerate the committed Swift (`cargo xtask codegen --check swift`, which runs
#      bindings/swift/generate.sh) and fail if it differs from what is committed;
#   4. run the Kotlin tests on the JVM with Maven (downloads from Maven Central on first run);
#      they start the simulator binary themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    step "install Maven and a JDK (Debian packages)"
    apt-get update -q && apt-get install -y -q maven openjdk-17-jdk-headless
fi

target="${CARGO_TARGET_DIR:-$(pwd)/target}"
case "$(uname -s)" in
    Darwin) lib="$target/debug/libactatek_uniffi.dylib"; platform="darwin-$(uname -m | sed 's/arm64/aarch64/')" ;;
    *) lib="$target/debug/libactatek_uniffi.so"; platform="linux-$(uname -m | sed 's/x86_64/x86-64/')" ;;
esac

if [ -n "${ACTATEK_SIM_BIN:-}" ]; then
    step "build actatek-uniffi (debug cdylib), uniffi-bindgen"
    cargo build -p actatek-uniffi -p uniffi-bindgen
    sim_bin=$ACTATEK_SIM_BIN
else
    step "build actatek-uniffi (debug cdylib), uniffi-bindgen, actatek-sim"
    cargo build -p actatek-uniffi -p uniffi-bindgen -p actatek-sim
    sim_bin=$target/debug/actatek-sim
fi

step "generate Kotlin (bindings/kotlin/target/generated-sources/uniffi, not committed)"
kotlin_out=bindings/kotlin/target/generated-sources/uniffi
kotlin_tmp="$(mktemp -d)"
trap 'rm -rf "$kotlin_tmp"' EXIT
"$target/debug/uniffi-bindgen" generate --library "$lib" --language kotlin --out-dir "$kotlin_tmp" --no-format >/dev/null
# Replaced only when it changed, so Kotlin's incremental compilation can skip it.
if ! diff -rq "$kotlin_tmp" "$kotlin_out" >/dev/null 2>&1; then
    rm -rf "$kotlin_out"
    mkdir -p "$(dirname "$kotlin_out")"
    cp -r "$kotlin_tmp" "$kotlin_out"
fi
echo "kotlin: $(grep -c 'override suspend fun' "$kotlin_out/io/actatek/actatek.kt") suspend funs (72 operations + closeSession) in $kotlin_out"

step "regenerate Swift (committed) and check it is up to date"
cargo xtask codegen --check swift

# `mvn test` in DIR with its output in LOG; prints Surefire's per-class lines and summary, and
# the log's tail when Maven fails (the whole log stays in bindings/kotlin/target).
mvn_test() {
    local dir=$1 log=$2 status
    shift 2
    mkdir -p bindings/kotlin/target
    set +e
    # No Kotlin compile daemon: it would stay behind holding a gigabyte while later suites run.
    (cd "$dir" && mvn -B --no-transfer-progress -Dkotlin.compiler.daemon=false test "$@" >"$log" 2>&1)
    status=$?
    set -e
    grep -E "Tests run:|FAIL|ERROR|BUILD" "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "test-kotlin: Maven failed in $dir (exit $status); the last lines of $log:" >&2
        tail -n 60 "$log" >&2
        exit "$status"
    fi
}

step "Kotlin tests (Maven, JUnit 5) against the simulator"
mvn_test bindings/kotlin "$(pwd)/bindings/kotlin/target/mvn-test.log" \
    -Dactatek.native.dir="$target/debug" -Dactatek.sim="$sim_bin" -Djna.library.path="$target/debug" -Djna.platform="$platform"

step "the dist jar from a consumer project (bindings/kotlin/consumer), no Rust on PATH"
bash scripts/dist.sh --host jvm
# A release already in the local repository is never fetched again: drop ours so the consumer
# resolves the jar just built.
rm -rf "${HOME}/.m2/repository/io/actatek"
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    mvn_test bindings/kotlin/consumer "$(pwd)/bindings/kotlin/target/mvn-consumer.log" \
    -Dactatek.repo="file://$(pwd)/target/dist/maven" -Dactatek.sim="$sim_bin"
