//! `actatek`: the command-line tool for ACTAtek terminals. See `actatek --help`.

mod cli;
mod connect;
mod desired;
mod error;
mod export;
mod input;
mod output;
mod run;

use error::CliError;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `actatek sim ...` takes the simulator's own flags (some share names with global flags).
    if args.get(1).is_some_and(|a| a == "sim") {
        return run::sim(args);
    }
    let matches = match cli::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    init_logging(matches.get_count("verbose"), matches.get_flag("quiet"));
    if let Some((sub @ ("completions" | "manpage"), sm)) = matches.subcommand() {
        return match cli::print_generated(sub, sm) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("actatek: error: stdout: {e}");
                ExitCode::from(error::code::IO)
            }
        };
    }
    if let Some(("config", cm)) = matches.subcommand() {
        return match cm.subcommand_name() {
            Some("path") => config_path(matches.get_one::<std::path::PathBuf>("config").map(|p| p.as_path())),
            _ => report(&CliError::Usage("config: give a subcommand (path)".into())),
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("actatek: error: cannot start the async runtime: {e}");
            return ExitCode::from(error::code::IO);
        }
    };
    match runtime.block_on(run::run(matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

/// The client's `tracing` events on stderr. `ACTATEK_LOG` (or `RUST_LOG`) is a filter such as
/// `actatek=debug`; without one, `-v`/`-vv`/`-vvv` raise the level and `-q` lowers it. The
/// events carry no password and no session id (the client redacts paths as `***`).
fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let from_env =
        ["ACTATEK_LOG", "RUST_LOG"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    let filter = match from_env {
        Some(spec) => EnvFilter::try_new(&spec).unwrap_or_else(|e| {
            eprintln!("actatek: warning: ignoring the log filter {spec:?}: {e}");
            EnvFilter::new("warn")
        }),
        None => EnvFilter::new(match (quiet, verbose) {
            (true, _) => "error",
            (false, 0) => "warn",
            (false, 1) => "warn,actatek=debug,actatek_cli=debug",
            (false, 2) => "debug",
            (false, _) => "trace",
        }),
    };
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .try_init();
}

/// `actatek config path`: the config file on stdout (only the path, for scripts), whether it
/// exists on stderr. No terminal is involved.
fn config_path(explicit: Option<&std::path::Path>) -> ExitCode {
    let Some(path) = connect::config_file_path(explicit) else {
        return report(&CliError::Usage("no config path: no home directory is known (give --config FILE)".into()));
    };
    println!("{}", path.display());
    if path.is_file() {
        eprintln!("actatek: {} exists", path.display());
    } else {
        eprintln!(
            "actatek: {} does not exist yet (a TOML file of [terminals.NAME] tables: url, user, password_env, ca_file, pin_sha256)",
            path.display()
        );
    }
    ExitCode::SUCCESS
}

fn report(e: &CliError) -> ExitCode {
    if let CliError::Validation { lines, .. } = e {
        for line in lines {
            eprintln!("actatek: {line}");
        }
    }
    eprintln!("actatek: error: {e}");
    e.exit_code()
}
