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

# uniffi writes the cases of error enums in UpperCamelCase (uniffi-rs issue 2262, no setting
# for it yet); the Swift API guidelines want lowerCamelCase, as uniffi already writes the cases
# of every other enum. Rename the cases of each `enum X: Swift.Error` where they are declared and
# where the generated converter builds and matches them (`.Validation(` → `.validation(`); a
# case that is a Swift keyword (`protocol`) is declared in backticks.
python3 - "$out/Actatek.swift" <<'PY'
import re, sys
path = sys.argv[1]
src = open(path, encoding="utf-8").read()
keywords = {"protocol", "default", "import", "class", "struct", "enum", "func", "init", "self", "case"}
for m in re.finditer(r"public\s+(?:indirect\s+)?enum (\w+): Swift\.Error\b.*?\n}\n", src, re.S):
    enum, body = m.group(1), m.group(0)
    for name in re.findall(r"^    case ([A-Z]\w*)\b", body, re.M):
        lower = name[0].lower() + name[1:]
        declared = f"`{lower}`" if lower in keywords else lower
        src = re.sub(rf"^(    case ){name}\b", rf"\g<1>{declared}", src, flags=re.M)
        src = re.sub(rf"(?<=[ (])\.{name}(?=[(:\s])", f".{lower}", src)
open(path, "w", encoding="utf-8").write(src)
PY
install -m 644 "$out/Actatek.swift" "$here/Sources/Actatek/Actatek.swift"
install -m 644 "$out/actatekFFI.h" "$here/Sources/actatekFFI/actatekFFI.h"
# SwiftPM wants a system library's module map under this exact name.
install -m 644 "$out/actatekFFI.modulemap" "$here/Sources/actatekFFI/module.modulemap"
echo "swift: regenerated $(grep -c 'open func' "$here/Sources/Actatek/Actatek.swift") methods into bindings/swift/Sources"
