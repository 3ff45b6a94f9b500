//! `actatek`: the command-line tool for ACTAtek terminals. See `actatek --help`.

mod cli;
mod connect;
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
    if let Some((sub @ ("completions" | "manpage"), sm)) = matches.subcommand() {
        return match cli::print_generated(sub, sm) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("actatek: error: stdout: {e}");
                ExitCode::from(error::code::IO)
            }
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

fn report(e: &CliError) -> ExitCode {
    if let CliError::Validation { lines, .. } = e {
        for line in lines {
            eprintln!("actatek: {line}");
        }
    }
    eprintln!("actatek: error: {e}");
    e.exit_code()
}
