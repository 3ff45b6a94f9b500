#!/usr/bin/env bash
# Installs what the tests need (idempotent, quick when present) and runs every test suite.
# This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

START=$SECONDS
step() { printf '\n==> %s (at %d min %02d s)\n' "$*" $(((SECONDS - START) / 60)) $(((SECONDS - START) % 60)); }

# CI builds each thing once: incremental caches would only take disk.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
cargo --version

step "format"
cargo fmt --all -- --check

# Every generated file (TypeScript models and methods, the Swift package) regenerated from the
# core and compared with what is committed.
step "generated code is up to date (cargo xtask codegen --check)"
cargo xtask codegen --check

# The Rust crates (the workspace's default members); each binding's script below runs its own.
step "clippy (warnings are errors)"
cargo clippy --all-targets -- -D warnings

step "Rust tests (core vectors and properties, simulator, client and CLI over loopback)"
mkdir -p target
cargo test 2>&1 | tee target/rust-tests.log
grep -E "^test result:" target/rust-tests.log | awk '{p+=$4; f+=$6} END {printf "rust: %d passed, %d failed\n", p, f}'
# The firmware-drift figure (issue 10): every reply vector mutated as other firmware would send it.
cargo test -q -p actatek-core --test drift -- --nocapture 2>&1 | grep -E "^firmware drift:"

# The browser package reads replies with the core's compact reader (feature compact-replies,
# crates/actatek-core/src/record.rs): the same vectors, drift and properties run against it.
step "core with the browser's compact reply reader (--features compact-replies)"
cargo clippy -p actatek-core --all-targets --features compact-replies -- -D warnings
cargo test -p actatek-core --features compact-replies 2>&1 | tee target/rust-compact-tests.log
grep -E "^test result:" target/rust-compact-tests.log | awk '{p+=$4; f+=$6} END {printf "rust (compact-replies): %d passed, %d failed\n", p, f}'

# The simulator binary that cargo test just built serves the other languages' suites too
# (building it again alone would resolve other features and recompile its dependencies).
mkdir -p target/sim && cp target/debug/actatek-sim target/sim/actatek-sim
export ACTATEK_SIM_BIN=$PWD/target/sim/actatek-sim

step "core and client build for wasm32-unknown-unknown"
cargo build -p actatek-core -p actatek --target wasm32-unknown-unknown

# Each package is tested as its user installs it: the artifacts come from scripts/dist.sh
# (x86_64 only here; `bash scripts/dist.sh` alone also builds the aarch64 wheel).
step "Python package (the manylinux wheel from dist.sh, installed in a fresh venv)"
bash scripts/test-python.sh

step "browser package (source suites, then the npm tarball in a scratch project)"
bash scripts/test-web.sh

step "OpenAPI document (openapi-spec-validator, Schemathesis, a generated client, the reference page)"
bash scripts/test-openapi.sh

step "Kotlin and Swift packages (then the dist jar from a consumer project)"
bash scripts/test-kotlin.sh

step "CLI (the static musl archive from dist.sh, unpacked and run)"
bash scripts/test-cli-dist.sh

step "artifacts in target/dist (SHA256SUMS checked)"
(cd target/dist && sha256sum --quiet -c SHA256SUMS && ls -l --time-style=+ | awk 'NR>1 {print $5, $NF}')

step "all suites passed"
du -sh target 2>/dev/null | awk '{print "target/ holds " $1}'
