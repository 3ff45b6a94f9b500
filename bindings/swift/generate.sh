#!/usr/bin/env bash
# Regenerates the Swift package's sources from a build of actatek-uniffi (the only way they
# change): Sources/Actatek/Actatek.swift, Sources/actatekFFI/actatekFFI.h and its
# module.modulemap. Package.swift, the tests and the README are written by hand.
#
#   bindings/swift/generate.sh [path/to/libactatek_uniffi.so|.dylib] [path/to/uniffi-bindgen]
#
# Defaults: the debug build in the workspace's target directory. scripts/test-kotlin.sh runs it
# and then fails if the committed sources differ (`git diff --exit-code bindings/swift`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
lib="${1:-$target/debug/libactatek_uniffi.so}"
bindgen="${2:-$target/debug/uniffi-bindgen}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Run from the workspace: library mode reads bindings/uniffi/uniffi.toml through cargo metadata.
(cd "$root" && "$bindgen" generate --library "$lib" --language swift --out-dir "$out" --no-format >/dev/null)

install -m 644 "$out/Actatek.swift" "$here/Sources/Actatek/Actatek.swift"
install -m 644 "$out/actatekFFI.h" "$here/Sources/actatekFFI/actatekFFI.h"
# SwiftPM wants a system library's module map under this exact name.
install -m 644 "$out/actatekFFI.modulemap" "$here/Sources/actatekFFI/module.modulemap"
echo "swift: regenerated $(grep -c 'open func' "$here/Sources/Actatek/Actatek.swift") methods into bindings/swift/Sources"
