# Sourced by scripts/build-web.sh and scripts/bench-wasm-boundary.sh: how the browser .wasm is
# compiled. Everything else in the project builds on stable Rust; the .wasm alone is built by a
# pinned nightly, because only nightly can rebuild the standard library for size (`-Z build-std`
# with the `optimize_for_size` feature), drop panic messages and locations that nothing in a
# browser can print (`-C panic=immediate-abort`, `-Z location-detail=none`): 25 KB gzip less than
# the same code built on stable (web/README.md, Size). Behaviour is unchanged: on
# wasm32-unknown-unknown a panic's message already went nowhere (std has no stderr there), and
# the module traps as before. The web suites (Node, Chromium, the packed tarball) run on this
# build.
#
# wasm_build ARGS...   cargo build for wasm32-unknown-unknown, profile wasm-release, with ARGS
WASM_NIGHTLY=nightly-2026-05-20

wasm_toolchain() {
    # Installs the pinned nightly (minimal profile) and its rust-src once: about 10 s.
    if ! rustup component list --toolchain "$WASM_NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
        rustup toolchain install "$WASM_NIGHTLY" --profile minimal --component rust-src
    fi
}

wasm_build() {
    wasm_toolchain
    # std is compiled at the profile's opt-level z, except its allocator (dlmalloc): at z it
    # made a 50-user reply read 1.15x and an add_user input 1.25x as slow as with the
    # prebuilt std's; at 3, 1.10x and 1.16x for +19 B gzip (web/README.md, Size). Given here,
    # not in Cargo.toml, where every other build would warn that no package matches.
    RUSTFLAGS="-Z location-detail=none -Z unstable-options -C panic=immediate-abort" \
        cargo "+$WASM_NIGHTLY" build --target wasm32-unknown-unknown --profile wasm-release \
        --config 'profile.wasm-release.package.dlmalloc.opt-level=3' \
        -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size "$@"
}
