//! What a parsed command line does: pick the terminals (or, with `--demo`, start the bundled
//! simulator), check the input, run on one terminal or a fleet, print.

use crate::cli::param_id;
use crate::connect::{self, ConnectArgs, Plan, Target};
use crate::desired;
use crate::error::{CliError, code, one_line};
use crate::export::{self, ExportOptions};
use crate::input::{self, Body, param_value};
use crate::output::{self, Format};
use actatek::core::plan::PlanOptions;
use actatek::core::{AnyOperation, OperationInfo, is_error_status, operation_info};
use actatek::{Client, Secret};
use clap::ArgMatches;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Demo data of the bundled simulator (`--demo`).
const DEMO_USERS: usize = 50;
const DEMO_LOGS: usize = 5000;
/// The bundled simulator's administrator (the simulator's defaults).
const DEMO_ADMIN: &str = "admin";

/// What a command does once its input is checked.
enum Action {
    Call {
        info: &'static OperationInfo,
        op: Box<AnyOperation>,
    },
    Export(Box<ExportOptions>),
    Import {
        info: &'static OperationInfo,
        rows: Vec<Value>,
        batch: usize,
    },
    /// `plan FILE` (apply = false) or `apply FILE`.
    Desired {
        file: Box<desired::DesiredFile>,
        options: PlanOptions,
        apply: bool,
    },
}

fn op_info(name: &str) -> Result<&'static OperationInfo, CliError> {
    operation_info(name).ok_or_else(|| CliError::Usage(format!("this build's core has no operation {name}")))
}

fn connect_args(m: &ArgMatches) -> ConnectArgs {
    ConnectArgs {
        url: m.get_one::<String>("url").cloned(),
        user: m.get_one::<String>("user").cloned(),
        terminal: m.get_many::<String>("terminal").map(|v| v.cloned().collect()).unwrap_or_default(),
        terminals_file: m.get_one::<PathBuf>("terminals").cloned(),
        config: m.get_one::<PathBuf>("config").cloned(),
        ca_file: m.get_one::<PathBuf>("ca-file").cloned(),
        pin_sha256: m.get_one::<String>("pin-sha256").cloned(),
        insecure: m.get_flag("insecure-accept-any-certificate"),
        retries: m.get_one::<u32>("retries").copied(),
        backoff: m.get_one::<(Duration, Duration)>("backoff").copied(),
        timeout: m.get_one::<f64>("timeout").map(|s| Duration::from_secs_f64(s.max(0.001))),
        demo: m.get_flag("demo"),
    }
}

/// Path and query flags of `info` that were given, in wire form.
fn params_from(info: &OperationInfo, m: &ArgMatches) -> Map<String, Value> {
    let mut params = Map::new();
    for p in info.params.iter().filter(|p| p.location != actatek::Location::Body) {
        if let Ok(Some(v)) = m.try_get_one::<String>(&param_id(p)) {
            params.insert(p.wire.to_string(), param_value(p.scalar, v));
        }
    }
    params
}

fn body_from(m: &ArgMatches) -> Result<(Option<Body>, String), CliError> {
    if let Ok(Some(path)) = m.try_get_one::<PathBuf>("body") {
        return Ok((Some(input::read_body_file(path)?), path.display().to_string()));
    }
    if let Ok(Some(text)) = m.try_get_one::<String>("json") {
        return Ok((Some(input::parse_json(text, "--json")?), "--json".into()));
    }
    Ok((None, "the command line".into()))
}

fn action_from(m: &ArgMatches) -> Result<Action, CliError> {
    let Some((group, gm)) = m.subcommand() else { return Err(CliError::Usage("no command given".into())) };
    match group {
        "plan" | "apply" => {
            let path = gm.get_one::<PathBuf>("file").cloned().unwrap_or_default();
            let file = desired::read(&path)?;
            let options = PlanOptions { prune: gm.get_flag("prune"), ..PlanOptions::default() };
            return Ok(Action::Desired { file: Box::new(file), options, apply: group == "apply" });
        }
        "door" => {
            let info = op_info("open_door")?;
            let p = input::prepare(info, Map::new(), None, "door open")?;
            return Ok(Action::Call { info, op: Box::new(p.op) });
        }
        "relay" => {
            let info = op_info("relay_action")?;
            let mut params = Map::new();
            for p in info.params {
                let v = match p.name {
                    "action" => gm.get_one::<String>("action").map(|a| a.to_ascii_lowercase()),
                    "relay" => gm.get_one::<String>("relay").map(|r| r.to_ascii_uppercase()),
                    _ => None,
                };
                if let Some(v) = v {
                    params.insert(p.wire.to_string(), param_value(p.scalar, &v));
                }
            }
            let p = input::prepare(info, params, None, "relay")?;
            return Ok(Action::Call { info, op: Box::new(p.op) });
        }
        _ => {}
    }
    let Some((name, om)) = gm.subcommand() else { return Err(CliError::Usage(format!("{group}: no command given"))) };
    match (group, name) {
        ("logs", "export") => {
            let info = op_info("get_full_logs")?;
            let params = params_from(info, om);
            let p = input::prepare(info, params.clone(), None, "the export's filters")?;
            let AnyOperation::GetFullLogs(filter) = p.op else {
                return Err(CliError::Usage("get_full_logs did not build its own operation".into()));
            };
            Ok(Action::Export(Box::new(ExportOptions {
                filter,
                filter_wire: Value::Object(params),
                chunk: *om.get_one::<u32>("chunk").unwrap_or(&1000),
                out: om.get_one::<PathBuf>("out").cloned().unwrap_or_else(|| PathBuf::from("-")),
                checkpoint: om.get_one::<PathBuf>("checkpoint").cloned(),
                photos: om.get_flag("photos"),
                progress: std::io::stderr().is_terminal(),
                demo: false,
            })))
        }
        ("users", "import") => {
            let info = op_info(if om.get_flag("update") { "update_users" } else { "add_users" })?;
            let file = om.get_one::<PathBuf>("file").cloned().unwrap_or_else(|| PathBuf::from("-"));
            let body = input::read_body_file(&file)?;
            let origin = if file.as_os_str() == "-" { "stdin".to_string() } else { file.display().to_string() };
            let p = input::prepare(info, Map::new(), Some(body), &origin)?;
            let rows = match p.input.get("body") {
                Some(Value::Array(rows)) => rows.clone(),
                _ => Vec::new(),
            };
            Ok(Action::Import { info, rows, batch: (*om.get_one::<usize>("batch").unwrap_or(&100)).max(1) })
        }
        _ => {
            let info = actatek::core::OPERATIONS
                .iter()
                .find(|o| input::kebab(o.name) == name)
                .ok_or_else(|| CliError::Usage(format!("unknown command {group} {name}")))?;
            let params = params_from(info, om);
            let (body, origin) = body_from(om)?;
            let p = input::prepare(info, params, body, &origin)?;
            Ok(Action::Call { info, op: Box::new(p.op) })
        }
    }
}

/// A plan's validation errors with the file's lines; other errors as they are.
fn desired_error(file: &desired::DesiredFile, e: actatek::Error) -> CliError {
    match e {
        actatek::Error::Validation(errors) => file.invalid(&errors),
        e => CliError::Client(e),
    }
}

/// Run a parsed command line.
pub async fn run(m: ArgMatches) -> Result<(), CliError> {
    let conn = connect_args(&m);
    let format = m.get_one::<String>("output").and_then(|s| Format::parse(s)).unwrap_or(Format::Table);
    let concurrency = m.get_one::<usize>("concurrency").copied().unwrap_or(actatek::fleet::DEFAULT_CONCURRENCY).max(1);
    if m.subcommand_name() == Some("sim") {
        // `actatek --flag sim`: the simulator runs no command against a terminal.
        return Err(CliError::Usage("give `sim` first, with its own flags: actatek sim [--users N ...]".into()));
    }
    // Which terminal first (no network yet): without one nothing runs, whatever the input.
    let plan = connect::plan(&conn)?;
    // Then the input: a validation error is reported before any terminal is contacted.
    let mut action = action_from(&m)?;
    if let (Plan::Demo, Action::Export(opts)) = (&plan, &mut action) {
        opts.demo = true;
    }
    if conn.insecure {
        eprintln!(
            "actatek: WARNING: --insecure-accept-any-certificate: the terminal's certificate is not checked; \
             anyone on the network path can read the password and change the traffic"
        );
    }
    match plan {
        Plan::Demo => {
            let sim = actatek_sim::Simulator::builder()
                .users(DEMO_USERS)
                .logs(DEMO_LOGS)
                .build()
                .start("127.0.0.1:0")
                .await
                .map_err(|e| CliError::io("starting the bundled simulator", e))?;
            eprintln!(
                "actatek: --demo: running against the bundled simulator at {}, not a real terminal: invented demo data \
                 ({DEMO_USERS} users, {DEMO_LOGS} logs); changes end with the command",
                sim.url()
            );
            let mut builder = Client::builder(sim.url(), DEMO_ADMIN, Secret::new(DEMO_ADMIN));
            if let Some(r) = conn.retries {
                builder = builder.retries(r);
            }
            if let Some(t) = conn.timeout {
                builder = builder.timeout(t);
            }
            let client = builder.build()?;
            if let Action::Desired { file, .. } = &action
                && file.declaration.has_sections()
            {
                let names: Vec<String> = file
                    .declaration
                    .terminal_sections()
                    .filter(|n| *n != "demo")
                    .map(|n| format!("terminals.{n}"))
                    .chain(file.declaration.group_sections().map(|n| format!("groups.{n}")))
                    .collect();
                if !names.is_empty() {
                    eprintln!(
                        "actatek: --demo: these sections are not the demo terminal's ({}): it gets the top level \
                         (and a terminals.demo section)",
                        names.join(", ")
                    );
                }
            }
            let target = Target { name: "demo".into(), groups: Vec::new(), client };
            let result = run_one(&target, &action, format).await;
            sim.shutdown().await;
            result
        }
        Plan::Terminals { entries, base_dir, fleet, known } => {
            if let Action::Desired { file, .. } = &action {
                // Before any password prompt or connection: every section names a known
                // terminal or group, and every terminal's state reads.
                file.check_sections(&known)?;
                for (name, entry) in &entries {
                    file.state_for(name, &entry.groups)?;
                }
            }
            let targets = connect::connect(&conn, &entries, &base_dir)?;
            if fleet {
                run_fleet(targets, Arc::new(action), format, concurrency).await
            } else {
                run_one(&targets[0], &action, format).await
            }
        }
    }
}

fn print(value: &Value, format: Format) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match output::render(value, format, &mut out).and_then(|_| out.flush()) {
        // `actatek ... | head`: the reader has seen enough.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| CliError::io("stdout", e)),
    }
}

/// List writes answer one status per item: how many say error.
fn failed_items(value: &Value) -> Option<(usize, usize)> {
    let items = value.as_array()?;
    let failed = items.iter().filter(|i| i.get("status").and_then(Value::as_str).is_some_and(is_error_status)).count();
    (failed > 0).then_some((failed, items.len()))
}

async fn run_one(target: &Target, action: &Action, format: Format) -> Result<(), CliError> {
    let result = async {
        match action {
            Action::Call { info, op } => {
                let value = target.client.call_any(op).await.map_err(|e| input::client_validation(e, info))?;
                print(&value, format)?;
                match failed_items(&value) {
                    Some((failed, total)) => Err(CliError::ItemsFailed(format!(
                        "{}: the terminal refused {failed} of {total} items",
                        info.name
                    ))),
                    None => Ok(()),
                }
            }
            Action::Export(opts) => {
                let report = export::export(&target.client, opts).await?;
                let out = opts.out.display();
                if report.resumed {
                    eprintln!(
                        "actatek: resumed: wrote {} more logs to {out} ({} in all)",
                        report.written, report.total
                    );
                } else {
                    eprintln!("actatek: wrote {} logs to {out}", report.written);
                }
                Ok(())
            }
            Action::Desired { file, options, apply: false } => {
                let state = file.state_for(&target.name, &target.groups)?;
                let plan = target.client.plan(&state, options).await.map_err(|e| desired_error(file, e))?;
                match format {
                    Format::Table => {
                        let mut out = std::io::stdout().lock();
                        let _ = out.write_all(desired::describe(&target.name, &plan).as_bytes());
                        Ok(())
                    }
                    _ => print(&json!({"terminal": target.name, "changes": plan.changes()}), format),
                }
            }
            Action::Desired { file, options, apply: true } => {
                let state = file.state_for(&target.name, &target.groups)?;
                let report = target.client.apply(&state, options).await.map_err(|e| desired_error(file, e))?;
                if let Some(first) = report.rounds.first() {
                    eprint!("{}", desired::describe(&target.name, first));
                }
                eprintln!(
                    "actatek: {}: {} in {} round(s), {} requests",
                    target.name,
                    if report.converged() { "holds the desired state" } else { "did not converge" },
                    report.rounds.len(),
                    report.requests
                );
                if report.converged() {
                    Ok(())
                } else {
                    Err(CliError::ItemsFailed(format!("{}: refused: {}", target.name, report.refused.join("; "))))
                }
            }
            Action::Import { info, rows, batch } => {
                let outcome = import(&target.client, info, rows, *batch).await?;
                let shown: Vec<&Value> = match format {
                    Format::Table => outcome.replies.iter().filter(|r| is_failure(r)).collect(),
                    _ => outcome.replies.iter().collect(),
                };
                if !shown.is_empty() {
                    print(&Value::Array(shown.into_iter().cloned().collect()), format)?;
                }
                let verb = if info.name == "update_users" { "updated" } else { "added" };
                eprintln!("actatek: {verb} {} of {} users", outcome.total - outcome.failed, outcome.total);
                if outcome.failed > 0 {
                    return Err(CliError::ItemsFailed(format!(
                        "the terminal refused {} of {} rows (listed above)",
                        outcome.failed, outcome.total
                    )));
                }
                Ok(())
            }
        }
    }
    .await;
    target.client.close().await;
    result
}

fn is_failure(reply: &Value) -> bool {
    reply.get("status").and_then(Value::as_str).is_some_and(is_error_status)
}

struct ImportOutcome {
    /// `{row, userID, status, message}` per row.
    replies: Vec<Value>,
    failed: usize,
    total: usize,
}

async fn import(
    client: &Client,
    info: &OperationInfo,
    rows: &[Value],
    batch: usize,
) -> Result<ImportOutcome, CliError> {
    let mut replies = Vec::with_capacity(rows.len());
    let mut sent = 0;
    for chunk in rows.chunks(batch) {
        let op = AnyOperation::from_wire(info.name, &json!({ "body": chunk }))
            .map_err(|e| input::client_validation(actatek::Error::Validation(e), info))?;
        let reply = client.call_any(&op).await.map_err(|e| {
            let hint = if sent == 0 {
                "; no row was applied".to_string()
            } else {
                format!("; rows 1-{sent} were sent, rows {}-{} were not", sent + 1, rows.len())
            };
            match e {
                actatek::Error::Validation(_) => input::client_validation(e, info),
                e => CliError::ClientWithHint(e, hint),
            }
        })?;
        let items = match reply {
            Value::Array(items) => items,
            other => vec![other],
        };
        for (k, row) in chunk.iter().enumerate() {
            let item = items.get(k).cloned().unwrap_or(Value::Null);
            replies.push(json!({
                "row": sent + k + 1,
                "userID": row.get("userID").cloned().unwrap_or(Value::Null),
                "status": item.get("status").cloned().unwrap_or(Value::Null),
                "message": item.get("message").cloned().unwrap_or(Value::Null),
            }));
        }
        sent += chunk.len();
    }
    let failed = replies.iter().filter(|r| is_failure(r)).count();
    Ok(ImportOutcome { replies, failed, total: rows.len() })
}

/// `logs.csv` → `logs-NAME.csv`, or `{terminal}` replaced by the name.
fn per_terminal_path(path: &Path, name: &str) -> PathBuf {
    let s = path.to_string_lossy();
    if s.contains("{terminal}") {
        return PathBuf::from(s.replace("{terminal}", name));
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let file = match path.extension() {
        Some(ext) => format!("{stem}-{name}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{name}"),
    };
    path.with_file_name(file)
}

/// One terminal's outcome in a fleet.
struct FleetOutcome {
    summary: String,
    value: Option<Value>,
}

async fn fleet_task(
    client: Client,
    name: String,
    groups: Vec<String>,
    action: Arc<Action>,
) -> Result<FleetOutcome, CliError> {
    let result = async {
        match &*action {
            Action::Call { info, op } => {
                let value = client.call_any(op).await.map_err(|e| input::client_validation(e, info))?;
                if let Some((failed, total)) = failed_items(&value) {
                    return Err(CliError::ItemsFailed(format!("the terminal refused {failed} of {total} items")));
                }
                let summary = match &value {
                    Value::Array(items) => format!("ok ({} items)", items.len()),
                    Value::Object(o) => match o.get("message").and_then(Value::as_str) {
                        Some(m) if !m.is_empty() => format!("ok ({})", one_line(m)),
                        _ => "ok".into(),
                    },
                    _ => "ok".into(),
                };
                Ok(FleetOutcome { summary, value: Some(value) })
            }
            Action::Export(opts) => {
                if opts.out.as_os_str() == "-" {
                    return Err(CliError::Usage("a fleet export needs --out FILE (one file per terminal)".into()));
                }
                let mut opts = (**opts).clone();
                opts.out = per_terminal_path(&opts.out, &name);
                opts.checkpoint = opts.checkpoint.as_ref().map(|c| per_terminal_path(c, &name));
                opts.progress = false;
                let report = export::export(&client, &opts).await?;
                Ok(FleetOutcome {
                    summary: format!("ok ({} logs to {})", report.written, opts.out.display()),
                    value: Some(json!({"written": report.written, "total": report.total, "out": opts.out})),
                })
            }
            Action::Desired { file, options, apply: false } => {
                let state = file.state_for(&name, &groups)?;
                let plan = client.plan(&state, options).await.map_err(|e| desired_error(file, e))?;
                let changes = plan.changes();
                let summary =
                    if changes.is_empty() { "nothing to do".to_string() } else { format!("{} changes", changes.len()) };
                Ok(FleetOutcome { summary, value: Some(json!({"changes": changes})) })
            }
            Action::Desired { file, options, apply: true } => {
                let state = file.state_for(&name, &groups)?;
                let report = client.apply(&state, options).await.map_err(|e| desired_error(file, e))?;
                let changes = report.changes();
                if !report.converged() {
                    return Err(CliError::ItemsFailed(format!("refused: {}", report.refused.join("; "))));
                }
                Ok(FleetOutcome {
                    summary: format!("ok ({} changes, {} requests)", changes.len(), report.requests),
                    value: Some(
                        json!({"changes": changes, "requests": report.requests, "rounds": report.rounds.len()}),
                    ),
                })
            }
            Action::Import { info, rows, batch } => {
                let outcome = import(&client, info, rows, *batch).await?;
                if outcome.failed > 0 {
                    return Err(CliError::ItemsFailed(format!(
                        "the terminal refused {} of {} rows",
                        outcome.failed, outcome.total
                    )));
                }
                Ok(FleetOutcome {
                    summary: format!("ok ({} rows)", outcome.total),
                    value: Some(Value::Array(outcome.replies)),
                })
            }
        }
    }
    .await;
    client.close().await;
    result
}

/// Open files a fleet's terminal may hold at once: two connections (a page and the next one
/// asked for while it is read) and its export file.
#[cfg(unix)]
const FILES_PER_TERMINAL: u64 = 3;

/// How many terminals fit in `limit` open files (64 kept for everything else), at most
/// `concurrency` and at least 1.
#[cfg(unix)]
fn open_file_fit(limit: u64, concurrency: usize) -> usize {
    let fit = limit.saturating_sub(64) / FILES_PER_TERMINAL;
    (fit.min(concurrency as u64) as usize).max(1)
}

async fn run_fleet(
    targets: Vec<Target>,
    action: Arc<Action>,
    format: Format,
    concurrency: usize,
) -> Result<(), CliError> {
    let mut names: HashMap<String, (String, Vec<String>)> = HashMap::new();
    for t in &targets {
        if let Some((other, _)) = names.insert(t.client.url().to_string(), (t.name.clone(), t.groups.clone())) {
            return Err(CliError::Usage(format!(
                "terminal {} is listed twice (as {other} and {})",
                t.client.url(),
                t.name
            )));
        }
    }
    let names = Arc::new(names);
    // Each terminal in flight holds a connection or two and, in an export, its file: at the
    // default concurrency (200) more than the 256 open files macOS allows by default.
    // Raised to the hard limit; where that is still too low, fewer terminals at once, said.
    #[cfg(unix)]
    let concurrency = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            let fits = open_file_fit(limit, concurrency);
            if fits < concurrency.min(targets.len()) {
                eprintln!(
                    "actatek: {fits} terminals at a time, not {concurrency}: this process may open {limit} files \
                     (each terminal in flight needs up to {FILES_PER_TERMINAL}; raise `ulimit -n`)"
                );
            }
            fits
        }
        Err(_) => concurrency,
    };
    let clients: Vec<Client> = targets.iter().map(|t| t.client.clone()).collect();
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(clients.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} terminals ({elapsed})") {
            b.set_style(style);
        }
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results = actatek::fleet::run(&clients, concurrency, |client| {
        let (name, groups) =
            names.get(client.url()).cloned().unwrap_or_else(|| (connect::name_from_url(client.url()), Vec::new()));
        let action = action.clone();
        let bar = bar.clone();
        async move {
            let r = fleet_task(client, name, groups, action).await;
            bar.inc(1);
            Ok::<_, actatek::Error>(r)
        }
    })
    .await;
    bar.finish_and_clear();

    let total = results.len();
    let mut failed = 0;
    let width = targets.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let mut json_out = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for (t, r) in targets.iter().zip(results) {
        let outcome = r.result.unwrap_or_else(|e| Err(CliError::Client(e)));
        if outcome.is_err() {
            failed += 1;
        }
        match format {
            Format::Json => json_out.push(match &outcome {
                Ok(o) => json!({"terminal": t.name, "url": r.url, "ok": true, "result": o.value}),
                Err(e) => json!({"terminal": t.name, "url": r.url, "ok": false, "exit_code": e.code(), "error": e.to_string()}),
            }),
            _ => {
                let line = match &outcome {
                    Ok(o) => o.summary.clone(),
                    Err(e) => format!("error (exit {}): {e}", e.code()),
                };
                writeln!(stdout, "{:width$}  {}  {line}", t.name, r.url).map_err(|e| CliError::io("stdout", e))?;
            }
        }
    }
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut stdout, &json_out).map_err(|e| CliError::io("stdout", e))?;
        writeln!(stdout).map_err(|e| CliError::io("stdout", e))?;
    }
    if failed > 0 { Err(CliError::Fleet { failed, total }) } else { Ok(()) }
}

/// `actatek sim [flags]`: the simulator's own command line.
pub fn sim(args: Vec<std::ffi::OsString>) -> ExitCode {
    use clap::{Args, Command, FromArgMatches};
    let cmd = actatek_sim::SimArgs::augment_args(Command::new("sim"))
        .bin_name("actatek sim")
        .about("Run simulated ACTAtek terminals until Ctrl-C: every REST operation, demo data, fault injection");
    let matches = match cmd.try_get_matches_from(args.into_iter().skip(1)) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let sim_args = match actatek_sim::SimArgs::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(code::USAGE);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("actatek: error: cannot start the async runtime: {e}");
            return ExitCode::from(code::IO);
        }
    };
    match runtime.block_on(actatek_sim::run_cli(sim_args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("actatek: error: simulator: {e}");
            ExitCode::from(code::IO)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_fleet_fits_in_the_open_file_limit() {
        assert_eq!(open_file_fit(1_048_576, 200), 200);
        assert_eq!(open_file_fit(256, 200), 64);
        assert_eq!(open_file_fit(1024, 400), 320);
        assert_eq!(open_file_fit(10, 200), 1);
    }

    #[test]
    fn fleet_outputs_get_one_file_per_terminal() {
        assert_eq!(per_terminal_path(Path::new("out/logs.csv"), "lobby"), PathBuf::from("out/logs-lobby.csv"));
        assert_eq!(per_terminal_path(Path::new("logs-{terminal}.csv"), "a"), PathBuf::from("logs-a.csv"));
        assert_eq!(per_terminal_path(Path::new("ckpt"), "a"), PathBuf::from("ckpt-a"));
    }
}
