//! `actatek-sim`: a simulated ACTAtek terminal on loopback, for tests and demos.

use clap::Parser;
use std::process::ExitCode;

/// A simulated ACTAtek terminal (all 72 REST operations) for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "actatek-sim", version, about)]
struct Cli {
    #[command(flatten)]
    sim: actatek_sim::SimArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("actatek-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(actatek_sim::run_cli(cli.sim)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("actatek-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
