#!/usr/bin/env bash
# Installs what the tests need (idempotent, quick when present) and runs every test suite.
# This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
cargo --version

step "format"
cargo fmt --all -- --check

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "Rust tests (core vectors and properties, simulator, client over loopback)"
mkdir -p target
cargo test --workspace 2>&1 | tee target/rust-tests.log
grep -E "^test result:" target/rust-tests.log | awk '{p+=$4; f+=$6} END {printf "rust: %d passed, %d failed\n", p, f}'

step "core and client build for wasm32-unknown-unknown"
cargo build -p actatek-core -p actatek --target wasm32-unknown-unknown

step "all suites passed"
