//! The command line, shared by the `actatek-sim` binary and `actatek sim` (the SDK's CLI
//! flattens [`SimArgs`] into its own subcommand).

use crate::{DEFAULT_SERIAL, DriftConfig, DriftKind, Fleet, Simulator, start_fleet_on};
use actatek_core::Secret;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Flags of `actatek-sim` (and `actatek sim`).
#[derive(Debug, Clone, clap::Args)]
pub struct SimArgs {
    /// Address to listen on; port 0 picks a free port. With --terminals N and a fixed port,
    /// the terminals take N consecutive ports.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Demo users (U0001 …, password = user id) besides the admin.
    #[arg(long, default_value_t = 10)]
    pub users: usize,
    /// Demo event logs over the days before now.
    #[arg(long, default_value_t = 1000)]
    pub logs: usize,
    /// Seed of the demo data: same seed, same terminal.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Answer like real terminals: trailing commas, numbers as strings, "succes".
    #[arg(long)]
    pub quirks: bool,
    /// Send no CORS headers (browsers then refuse the replies).
    #[arg(long)]
    pub no_cors: bool,
    /// Serve HTTPS with a self-signed certificate for localhost and 127.0.0.1.
    #[arg(long)]
    pub tls: bool,
    /// Write the TLS certificate (PEM) to this file.
    #[arg(long, requires = "tls")]
    pub cert_out: Option<PathBuf>,
    /// How many terminals to simulate (serials 00111D000001 …).
    #[arg(long, default_value_t = 1)]
    pub terminals: usize,
    /// The SUPERADMIN user name.
    #[arg(long, default_value = "admin")]
    pub admin_user: String,
    /// The SUPERADMIN password (better: set ACTATEK_SIM_PASSWORD).
    #[arg(long, env = "ACTATEK_SIM_PASSWORD", hide_env_values = true, default_value = "admin")]
    pub admin_password: Secret,
    /// Accept relay delays up to 1800 s (§11.5); otherwise 1–20 s.
    #[arg(long)]
    pub door_open_schedule: bool,
    /// Drift mode: write every reply as another firmware version might (fields left out,
    /// unknown fields, numbers as strings, off-format values, SOAP names, …), reproducibly
    /// for this seed.
    #[arg(long, value_name = "SEED")]
    pub drift: Option<u64>,
    /// Only these drift mutations (comma-separated): drop_field, extra_field,
    /// number_as_string, off_format, unknown_enum, soap_names, single_object, trailing_comma.
    #[arg(long, value_name = "KINDS", value_delimiter = ',', requires = "drift")]
    pub drift_kinds: Option<Vec<DriftKind>>,
    /// Milliseconds to wait before every answer, as a real terminal does (loopback answers in
    /// microseconds); also `POST /_sim/config {"latency_ms": N}`.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
}

/// Start the terminals the flags describe. A single terminal keeps the serial 00111D000000;
/// several are numbered from 00111D000001.
pub async fn start_from_args(args: &SimArgs) -> io::Result<Fleet> {
    let builder = Simulator::builder()
        .users(args.users)
        .logs(args.logs)
        .seed(args.seed)
        .quirks(args.quirks)
        .cors(!args.no_cors)
        .tls(args.tls)
        .admin(args.admin_user.clone(), args.admin_password.clone())
        .door_open_schedule(args.door_open_schedule)
        .latency(std::time::Duration::from_millis(args.latency));
    let builder = match (args.drift, &args.drift_kinds) {
        (Some(seed), Some(kinds)) => builder.drift_config(DriftConfig::only(seed, kinds.iter().copied())),
        (Some(seed), None) => builder.drift(seed),
        (None, _) => builder,
    };
    let builder = match &args.cert_out {
        Some(path) => builder.cert_out(path.clone()),
        None => builder,
    };
    if args.terminals <= 1 {
        let running = builder.build().start(args.listen).await?;
        return Ok(Fleet { terminals: vec![running] });
    }
    start_fleet_on(args.terminals, builder.serial(DEFAULT_SERIAL), args.listen).await
}

/// One line per terminal: `actatek-sim: terminal 00111D000001 at http://127.0.0.1:PORT`,
/// plus ` sha256=<fingerprint>` with TLS.
pub fn announce(fleet: &Fleet, out: &mut impl Write) -> io::Result<()> {
    for t in fleet {
        write!(out, "actatek-sim: terminal {} at {}", t.serial(), t.url())?;
        if let Some(fp) = t.fingerprint() {
            write!(out, " sha256={fp}")?;
        }
        writeln!(out)?;
    }
    out.flush()
}

/// Run the simulator until Ctrl-C: start, announce on stdout, serve, shut down.
pub async fn run_cli(args: SimArgs) -> io::Result<()> {
    let fleet = start_from_args(&args).await?;
    announce(&fleet, &mut io::stdout().lock())?;
    tokio::signal::ctrl_c().await?;
    fleet.shutdown().await;
    Ok(())
}
