//! `uniffi-bindgen generate --library <libactatek_uniffi.so> --language kotlin|swift --out-dir …`
//! with exactly the workspace's uniffi version (the generator and the scaffolding must match).

fn main() {
    uniffi::uniffi_bindgen_main()
}
