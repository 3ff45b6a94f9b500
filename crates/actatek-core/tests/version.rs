//! One version for every package: the Rust crates (the workspace's), the Python wheel (maturin
//! takes the binding crate's, which inherits the workspace's), the npm package, the Kotlin jar,
//! and a section of CHANGELOG.md for it.

fn read(path: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    std::fs::read_to_string(format!("{root}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_package_has_the_workspace_version() {
    let version = env!("CARGO_PKG_VERSION");
    let npm: serde_json::Value = serde_json::from_str(&read("web/package.json")).unwrap();
    assert_eq!(npm["version"], version, "web/package.json");
    let pom = read("bindings/kotlin/pom.xml");
    let project_version = pom
        .split("</parent>")
        .last()
        .and_then(|s| s.split("<version>").nth(1))
        .and_then(|s| s.split("</version>").next())
        .expect("the POM's version");
    assert_eq!(project_version, version, "bindings/kotlin/pom.xml");
    assert!(read("python/pyproject.toml").contains("dynamic = [\"version\"]"), "the wheel takes the crate's version");
    for binding in ["bindings/python/Cargo.toml", "bindings/uniffi/Cargo.toml", "bindings/wasm/Cargo.toml"] {
        assert!(read(binding).contains("version.workspace = true"), "{binding} inherits the version");
    }
    assert!(read("CHANGELOG.md").contains(&format!("## [{version}]")), "CHANGELOG.md has a section for {version}");
}
