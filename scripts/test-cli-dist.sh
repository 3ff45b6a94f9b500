#!/usr/bin/env bash
# The CLI as a user installs it: the static musl archive from scripts/dist.sh unpacked into a
# scratch directory and run there with no Rust toolchain on PATH, no terminal and no config:
# `--demo logs export` writes the demo logs, `completions bash` prints a script bash accepts,
# the man page renders, and without a terminal it refuses with exit 2.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
TRIPLE=x86_64-unknown-linux-musl

step() { printf '\n==> %s\n' "$*"; }
bash scripts/dist.sh --host cli
ARCHIVE=$ROOT/target/dist/actatek-$VERSION-$TRIPLE.tar.gz

step "the archive unpacked in a scratch directory, run with no Rust on PATH"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar -C "$scratch" -xzf "$ARCHIVE"
dir=$scratch/actatek-$VERSION-$TRIPLE
ls "$dir" "$dir/completions" | tr '\n' ' '; echo
cd "$scratch"
run() { env -i HOME="$scratch" PATH=/usr/bin:/bin XDG_CONFIG_HOME="$scratch/config" "$dir/actatek" "$@"; }
passed=0 failed=0
check() {
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "not ok - $name"; fi
}
static_binary() { file "$dir/actatek" | grep -q 'statically linked\|static-pie linked'; }
no_rust() { ! env -i PATH=/usr/bin:/bin sh -c 'command -v cargo || command -v rustc' >/dev/null; }
demo_export() {
    run --demo logs export --out logs.csv 2>demo.err && [ "$(($(wc -l <logs.csv) - 1))" = 5000 ] && grep -q 'bundled simulator' demo.err
}
completions() { run completions bash >c.bash && bash -n c.bash && grep -q 'get-full-logs' c.bash && cmp -s c.bash "$dir/completions/actatek.bash"; }
man_page() { grep -q '^\.TH actatek' "$dir/actatek.1" && { ! command -v man >/dev/null || MANWIDTH=80 man -l "$dir/actatek.1" 2>/dev/null | grep -qE 'Exit +codes'; }; }
licences() { [ -s "$dir/LICENSE-MIT" ] && [ -s "$dir/LICENSE-APACHE" ]; }
no_terminal() { set +e; run logs export --out none.csv 2>none.err; local c=$?; set -e; [ "$c" = 2 ] && [ ! -e none.csv ] && grep -q -- '--demo' none.err; }
version() { [ "$(run --version)" = "actatek $VERSION" ]; }
check "a static binary" static_binary
check "no Rust toolchain on the test's PATH" no_rust
check "actatek --version" version
check "actatek --demo logs export writes the 5000 demo logs" demo_export
check "actatek completions bash is valid bash and matches the archive's" completions
check "the man page" man_page
check "the licences" licences
check "no terminal given: exit 2, nothing written" no_terminal
echo "cli-artifact: $passed passed, $failed failed"
[ "$failed" = 0 ]
