#!/usr/bin/env bash
# NOT RUN HERE (no Android NDK can be installed on this project's machines: Debian, PyPI and npm
# serve none). Builds the Android AAR: libactatek_uniffi.so for every ABI with cargo-ndk into
# src/main/jniLibs/<abi>/, the Kotlin bindings generated from a host build of the same crate,
# then Gradle's assembleRelease. Needs ANDROID_NDK_HOME, cargo-ndk, the four Rust Android targets,
# a JDK 17 and Gradle (the release workflow's runner has them).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -t x86 -o bindings/android/src/main/jniLibs \
    build --release -p actatek-uniffi
cargo build -p actatek-uniffi -p uniffi-bindgen
rm -rf bindings/android/build/generated/uniffi
target/debug/uniffi-bindgen generate --library target/debug/libactatek_uniffi.so --language kotlin \
    --out-dir bindings/android/build/generated/uniffi --no-format
cp "$ROOT/bindings/kotlin/src/main/kotlin/io/actatek/"*.kt bindings/android/build/generated/uniffi/io/actatek/
(cd bindings/android && gradle --no-daemon assembleRelease)
ls bindings/android/build/outputs/aar/
