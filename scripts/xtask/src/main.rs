//! `cargo xtask codegen [--check] [GENERATOR…]`: every file in the tree that a program writes,
//! regenerated from the Rust core (or, with `--check`, regenerated and compared with what is
//! committed, failing with the list of stale files). CI runs `cargo xtask codegen --check`.
//!
//! The generators, each from the core's operation table and models:
//!
//! | name | writes | by |
//! |---|---|---|
//! | `description` | `docs/api.json` | `actatek_core::describe::description()`: every operation and record |
//! | `reference` | `docs/API.md` | `reference.rs`, the API reference from that description |
//! | `openapi` | `docs/openapi.json` | `openapi.rs`, the OpenAPI 3.1 document from that description |
//! | `python` | `python/actatek/_models.py`, `python/actatek/_operations.py` | `python.rs`, from that description |
//! | `typescript` | `web/src/generated.ts` | `bindings/wasm/tests/generated_ts.rs` (tsify + the table) |
//! | `swift` | `bindings/swift/Sources/Actatek/Actatek.swift`, `bindings/swift/Sources/actatekFFI/*` | uniffi-bindgen from a debug build of `bindings/uniffi`, then `bindings/swift/generate.sh` |
//!
//! Kotlin is generated too, into `bindings/kotlin/target` at build time (never committed).
//! Every committed generated path is marked `linguist-generated` in `.gitattributes`; the check
//! fails when one is not.

mod openapi;
mod python;
mod reference;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

struct Generator {
    name: &'static str,
    /// Committed paths it writes (files, or directories whose files it all writes).
    outputs: &'static [&'static str],
    /// Regenerate into the tree.
    run: fn(&Path) -> Result<(), String>,
}

const GENERATORS: &[Generator] = &[
    Generator { name: "description", outputs: &["docs/api.json"], run: description },
    Generator { name: "reference", outputs: &["docs/API.md"], run: api_reference },
    Generator { name: "openapi", outputs: &["docs/openapi.json"], run: openapi_document },
    Generator { name: "python", outputs: &["python/actatek/_models.py", "python/actatek/_operations.py"], run: python },
    Generator { name: "typescript", outputs: &["web/src/generated.ts"], run: typescript },
    Generator {
        name: "swift",
        outputs: &["bindings/swift/Sources/Actatek/Actatek.swift", "bindings/swift/Sources/actatekFFI"],
        run: swift,
    },
];

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) }
}

fn write(root: &Path, path: &str, text: &str) -> Result<(), String> {
    let full = root.join(path);
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{path}: {e}"))?;
    }
    std::fs::write(&full, text).map_err(|e| format!("{path}: {e}"))
}

fn description(root: &Path) -> Result<(), String> {
    let d = actatek_core::describe::description();
    let text = serde_json::to_string_pretty(&d).map_err(|e| e.to_string())?;
    write(root, "docs/api.json", &(text + "\n"))
}

fn api_reference(root: &Path) -> Result<(), String> {
    write(root, "docs/API.md", &reference::reference(&actatek_core::describe::description()))
}

fn openapi_document(root: &Path) -> Result<(), String> {
    write(root, "docs/openapi.json", &openapi::openapi(&actatek_core::describe::description()))
}

fn python(root: &Path) -> Result<(), String> {
    let d = actatek_core::describe::description();
    write(root, "python/actatek/_models.py", &python::models(&d))?;
    write(root, "python/actatek/_operations.py", &python::operations(&d))
}

fn typescript(root: &Path) -> Result<(), String> {
    run(cargo().current_dir(root).env("UPDATE_GENERATED", "1").args([
        "test",
        "-q",
        "-p",
        "actatek-wasm",
        "--test",
        "generated_ts",
    ]))
}

fn swift(root: &Path) -> Result<(), String> {
    run(cargo().current_dir(root).args(["build", "-q", "-p", "actatek-uniffi", "-p", "uniffi-bindgen"]))?;
    run(Command::new("bash").current_dir(root).arg("bindings/swift/generate.sh"))
}

/// Paths under `outputs` that differ from the index, or are not in it.
fn stale(root: &Path, outputs: &[&str]) -> Result<Vec<String>, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--untracked-files=all", "--"])
        .args(outputs)
        .output()
        .map_err(|e| format!("git status: {e}"))?;
    if !out.status.success() {
        return Err(format!("git status failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(|l| l.get(3..).unwrap_or(l).to_string()).collect())
}

/// Generated paths that `.gitattributes` does not mark `linguist-generated`.
fn unmarked(root: &Path) -> Result<Vec<String>, String> {
    let paths: Vec<&str> = GENERATORS.iter().flat_map(|g| g.outputs.iter().copied()).collect();
    let mut files = Vec::new();
    for p in paths {
        let full = root.join(p);
        if full.is_dir() {
            for e in std::fs::read_dir(&full).map_err(|e| format!("{p}: {e}"))? {
                let e = e.map_err(|e| format!("{p}: {e}"))?;
                files.push(format!("{p}/{}", e.file_name().to_string_lossy()));
            }
        } else {
            files.push(p.to_string());
        }
    }
    let out = Command::new("git")
        .current_dir(root)
        .args(["check-attr", "linguist-generated", "--"])
        .args(&files)
        .output()
        .map_err(|e| format!("git check-attr: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.ends_with(": true") && !l.ends_with(": set"))
        .map(|l| l.split(':').next().unwrap_or(l).to_string())
        .collect())
}

fn codegen(root: &Path, check: bool, only: &[String]) -> Result<(), String> {
    let chosen: Vec<&Generator> =
        GENERATORS.iter().filter(|g| only.is_empty() || only.iter().any(|o| o == g.name)).collect();
    if let Some(unknown) = only.iter().find(|o| !GENERATORS.iter().any(|g| g.name == o.as_str())) {
        let names: Vec<&str> = GENERATORS.iter().map(|g| g.name).collect();
        return Err(format!("unknown generator {unknown:?} (expected one of {})", names.join(", ")));
    }
    let mut problems = Vec::new();
    for g in &chosen {
        if check {
            let before = stale(root, g.outputs)?;
            if !before.is_empty() {
                problems.push(format!("{}: uncommitted changes before the check: {}", g.name, before.join(", ")));
                continue;
            }
        }
        eprintln!("codegen: {}", g.name);
        (g.run)(root).map_err(|e| format!("{}: {e}", g.name))?;
        if check {
            let after = stale(root, g.outputs)?;
            if !after.is_empty() {
                problems.push(format!("{}: stale, regenerated: {} (commit them)", g.name, after.join(", ")));
            }
        }
    }
    if check {
        let unmarked = unmarked(root)?;
        if !unmarked.is_empty() {
            problems.push(format!(".gitattributes does not mark as linguist-generated: {}", unmarked.join(", ")));
        }
    }
    if problems.is_empty() {
        let names: Vec<&str> = chosen.iter().map(|g| g.name).collect();
        println!("codegen: {} {}", names.join(", "), if check { "up to date" } else { "regenerated" });
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => {
            let check = args.iter().any(|a| a == "--check");
            let only: Vec<String> = args[1..].iter().filter(|a| !a.starts_with("--")).cloned().collect();
            codegen(&root, check, &only)
        }
        _ => Err("usage: cargo xtask codegen [--check] [description|reference|openapi|python|typescript|swift …]"
            .to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
