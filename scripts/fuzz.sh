#!/usr/bin/env bash
# Fuzzes every reply reader and the JSON repair (not part of CI): 10 million mutated replies by
# default. Prints the count, panics, throughput and peak memory; exits 1 on any panic (inputs in
# target/fuzz-crashes/).
#
#   bash scripts/fuzz.sh [INPUTS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --release -p actatek-core --example fuzz_replies -- "${1:-10000000}" "${2:-24301}"
