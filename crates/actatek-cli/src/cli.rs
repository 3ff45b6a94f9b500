//! The command tree, built at run time from the core's operation table: one group per manual
//! section, one subcommand per canonical operation (kebab-case), one flag per path or query
//! parameter. Adding an operation to the table adds its subcommand here without a change.

use crate::input::{body_description, kebab};
use actatek::core::{OPERATIONS, OperationInfo, ParamInfo};
use clap::{Arg, ArgAction, Command, value_parser};
use std::path::PathBuf;

/// Manual section → command group.
const GROUPS: &[(&str, &str, &str)] = &[
    ("1", "session", "Log in and out (§1); every command logs in and out by itself"),
    ("2", "logs", "Event logs (§2); `logs export` writes them to CSV, resumably"),
    ("3", "users", "Users (§3); `users import` adds or updates them from CSV or JSON"),
    ("4", "departments", "Departments (§4)"),
    ("5", "access-rights", "Access rights and their schedules (§5)"),
    ("6", "access-groups", "Access groups (§6)"),
    ("7", "triggers", "Triggers IN, OUT, F1-F40 (§7)"),
    ("8", "myself", "The logged-in user (§8)"),
    ("9", "agents", "Agents notified of events (§9)"),
    ("10", "time", "Clock, time zone and NTP (§10)"),
    ("11", "terminal", "The terminal: door, relays, status and settings (§11)"),
    ("12", "job-codes", "Job codes and their settings (§12)"),
    ("13", "holidays", "Holidays (§13)"),
];

/// The group of a manual section (`"2.1"` → `logs`); a section the CLI does not know yet
/// gets `section-N`.
pub fn group_of(section: &str) -> String {
    let major = section.split('.').next().unwrap_or(section);
    GROUPS.iter().find(|g| g.0 == major).map(|g| g.1.to_string()).unwrap_or_else(|| format!("section-{major}"))
}

/// Long flags every subcommand has (operation flags that would clash are renamed).
const RESERVED: &[&str] = &[
    "url",
    "user",
    "terminal",
    "terminals",
    "config",
    "ca-file",
    "pin-sha256",
    "insecure-accept-any-certificate",
    "output",
    "retries",
    "backoff",
    "timeout",
    "concurrency",
    "demo",
    "body",
    "json",
    "help",
    "version",
    "verbose",
    "quiet",
];

/// `AgentUrl` → `agent-url`.
fn type_kebab(ty: &str) -> String {
    let mut out = String::new();
    for (i, c) in ty.chars().filter(|c| c.is_alphanumeric()).enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The flag of a path or query parameter: its name in kebab-case; when that is a global flag
/// (`--url`), the kebab-case of its type (`--agent-url`).
pub fn flag_name(p: &ParamInfo) -> String {
    let plain = kebab(p.name);
    if !RESERVED.contains(&plain.as_str()) {
        return plain;
    }
    let typed = type_kebab(p.format.name);
    if !typed.is_empty() && !RESERVED.contains(&typed.as_str()) && typed != plain {
        return typed;
    }
    format!("param-{plain}")
}

/// The clap id of a parameter's flag.
pub fn param_id(p: &ParamInfo) -> String {
    format!("param:{}", p.name)
}

pub const EXIT_CODES: &str = "\
Exit codes: 0 ok, 2 usage, 3 validation (nothing sent), 4 terminal error, 5 network/TLS,
6 unreadable reply, 7 local file, 8 fleet: some terminals failed.

Without --url, --terminal, --terminals, ACTATEK_URL or a `default` in the config file, a
command is refused with exit 2 and does nothing. --demo runs it against a bundled simulated
terminal with invented demo data instead (never together with a real terminal).";

fn global_args() -> Vec<Arg> {
    let args = vec![
        Arg::new("url")
            .long("url")
            .value_name("URL")
            .global(true)
            .help("Terminal base URL (https://10.0.0.5); or set ACTATEK_URL"),
        Arg::new("user").long("user").value_name("NAME").global(true).help("User to log in as; or set ACTATEK_USER"),
        Arg::new("terminal")
            .long("terminal")
            .value_name("NAME")
            .action(ArgAction::Append)
            .global(true)
            .help("A terminal named in the config file; repeat for a fleet"),
        Arg::new("terminals")
            .long("terminals")
            .value_name("FILE")
            .value_parser(value_parser!(PathBuf))
            .global(true)
            .help("Run on every terminal in FILE (one URL per line, or a TOML/JSON list of named terminals)"),
        Arg::new("config")
            .long("config")
            .value_name("FILE")
            .value_parser(value_parser!(PathBuf))
            .global(true)
            .help("Config file of named terminals [default: `actatek config path`; on Linux $XDG_CONFIG_HOME/actatek/terminals.toml]"),
        Arg::new("ca-file")
            .long("ca-file")
            .value_name("PEM")
            .value_parser(value_parser!(PathBuf))
            .global(true)
            .help("Also trust the CA certificates in this PEM file"),
        Arg::new("pin-sha256")
            .long("pin-sha256")
            .value_name("HEX")
            .global(true)
            .help("Trust exactly the certificate with this SHA-256 fingerprint"),
        Arg::new("insecure-accept-any-certificate")
            .long("insecure-accept-any-certificate")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Accept ANY certificate: anyone on the network can read the password (lab use only)"),
        Arg::new("output")
            .long("output")
            .short('o')
            .value_name("FORMAT")
            .value_parser(["table", "json", "csv"])
            .default_value("table")
            .global(true)
            .help("Output format"),
        Arg::new("retries")
            .long("retries")
            .value_name("N")
            .value_parser(value_parser!(u32))
            .global(true)
            .help("How often a failed read is tried again [default: 3]; writes are never repeated"),
        Arg::new("backoff")
            .long("backoff")
            .value_name("MS[,MAX_MS]")
            .value_parser(parse_backoff)
            .global(true)
            .help("Wait before the first retry, doubled per retry up to the maximum [default: 200,5000]"),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .value_parser(value_parser!(f64))
            .global(true)
            .help("Time for one HTTP exchange [default: 30]"),
        Arg::new("concurrency")
            .long("concurrency")
            .value_name("N")
            .value_parser(value_parser!(usize))
            .global(true)
            .help(format!("Fleet: terminals worked on at once [default: {}]", actatek::fleet::DEFAULT_CONCURRENCY)),
        Arg::new("verbose").long("verbose").short('v').action(ArgAction::Count).global(true).help(
            "Log to stderr: -v each terminal call, retry and session renewal; -vv also the HTTP stack; -vvv everything",
        ),
        Arg::new("quiet")
            .long("quiet")
            .short('q')
            .action(ArgAction::SetTrue)
            .conflicts_with("verbose")
            .global(true)
            .help("Log errors only (ACTATEK_LOG or RUST_LOG, e.g. actatek=debug, override both)"),
        Arg::new("demo")
            .long("demo")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Run against the bundled simulator with invented demo data (never with a real terminal)"),
    ];
    args.into_iter().map(|a| a.help_heading("Global options")).collect()
}

/// The placeholder of a parameter's value: its format's (`DATETIME`, `HH:MM`, `ONE|TWO|ALL`,
/// `YES|NO`), `ID` for free-text identifiers (`employeeID`, `userID`).
pub fn value_name(p: &ParamInfo) -> String {
    let name = p.format.value_name();
    if name == "TEXT" && (p.wire.ends_with("ID") || p.wire.ends_with("Id")) { "ID".to_string() } else { name }
}

/// A path or query parameter's flag: how to write the value, from the core's format of its
/// type (the same text as the value rule it is checked by), then where it goes.
fn param_arg(p: &ParamInfo) -> Arg {
    let optional = !p.required;
    Arg::new(param_id(p))
        .long(flag_name(p))
        .value_name(value_name(p))
        .required(!optional)
        .allow_hyphen_values(true)
        .help_heading("Parameters")
        .help(format!("{}; {} parameter {}", p.format.help, p.location, p.wire))
}

fn body_args(p: &ParamInfo) -> [Arg; 2] {
    let what = body_description(p);
    [
        Arg::new("body")
            .long("body")
            .value_name("FILE")
            .value_parser(value_parser!(PathBuf))
            .help_heading("Parameters")
            .help(format!("Request body from FILE (- reads stdin): {what}")),
        Arg::new("json")
            .long("json")
            .value_name("JSON")
            .conflicts_with("body")
            .allow_hyphen_values(true)
            .help_heading("Parameters")
            .help(format!("Request body as inline JSON: {}", body_description_json(p))),
    ]
}

/// The inline-JSON form of a body: what [`body_description`] says, without CSV.
fn body_description_json(p: &ParamInfo) -> String {
    let f = p.format;
    let fields: Vec<&str> = f.fields.iter().map(|x| x.wire).collect();
    let kind = if f.list { "a JSON list of objects (or one object)" } else { "a JSON object" };
    if fields.is_empty() { kind.to_string() } else { format!("{kind} with the fields {}", fields.join(", ")) }
}

/// The subcommand of one operation.
pub fn operation_command(info: &OperationInfo) -> Command {
    let about = info.doc.trim().to_string();
    let mut cmd = Command::new(kebab(info.name)).about(about).after_help(format!(
        "{} /cgi-bin/restapi{} (manual §{}; canonical name {})",
        info.method, info.template, info.section, info.name
    ));
    for p in info.params {
        if p.location == actatek::Location::Body {
            cmd = cmd.args(body_args(p));
        } else {
            cmd = cmd.arg(param_arg(p));
        }
    }
    cmd
}

fn export_command() -> Command {
    let filters = actatek::core::operation_info("get_full_logs")
        .map(|info| {
            info.params.iter().filter(|p| p.location == actatek::Location::Query).map(param_arg).collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Command::new("export")
        .about("Export every log matching the filters to CSV, chunk by chunk (memory stays flat), resumable with --checkpoint")
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .required(true)
                .help("CSV file to write (- = stdout); in a fleet, {terminal} in the name or a -NAME suffix per terminal"),
        )
        .arg(
            Arg::new("checkpoint")
                .long("checkpoint")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("Save progress after each chunk; run again with the same file to resume (appends to --out)"),
        )
        .arg(
            Arg::new("chunk")
                .long("chunk")
                .value_name("N")
                .value_parser(value_parser!(u32).range(1..))
                .default_value("1000")
                .help("Logs per request"),
        )
        .arg(Arg::new("photos").long("photos").action(ArgAction::SetTrue).help("Also write the jpegPhoto column (base64)"))
        .args(filters)
        .after_help("Columns: logID, userID, userName, departmentName, timestamp, trigger, terminalSN, terminalName, accessMethod, remarks.")
}

fn import_command() -> Command {
    Command::new("import")
        .about("Add (or with --update, update) users from a CSV or JSON file; every row is checked before anything is sent")
        .arg(
            Arg::new("file")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .required(true)
                .help("CSV (columns are wire names: userID, firstName, status.active, groupID=1;2, ...) or JSON list; - = stdin"),
        )
        .arg(Arg::new("update").long("update").action(ArgAction::SetTrue).help("Update existing users (update_users) instead of adding"))
        .arg(
            Arg::new("batch")
                .long("batch")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .default_value("100")
                .help("Users per request"),
        )
}

fn desired_command(name: &'static str, about: &'static str) -> Command {
    Command::new(name)
        .about(about)
        .arg(
            Arg::new("file")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .required(true)
                .help("The desired state: TOML (.toml) or JSON, with departments, access_rights, access_groups, users, holidays"),
        )
        .arg(
            Arg::new("prune")
                .long("prune")
                .action(ArgAction::SetTrue)
                .help("Also delete the records of each declared kind that the file does not mention (never the user logged in as)"),
        )
}

fn door_command() -> Command {
    Command::new("door")
        .about("The door (= terminal open-door)")
        .subcommand_required(true)
        .subcommand(Command::new("open").about("Open the main door strike (§11.1)"))
}

fn relay_command() -> Command {
    Command::new("relay")
        .about("Open or close a relay (= terminal relay-action)")
        .arg(
            Arg::new("action")
                .value_name("ACTION")
                .value_parser(["open", "close"])
                .required(true)
                .help("open or close"),
        )
        .arg(
            Arg::new("relay")
                .value_name("RELAY")
                .value_parser(["ONE", "TWO", "ALL"])
                .ignore_case(true)
                .required(true)
                .help("ONE, TWO or ALL"),
        )
}

/// The whole command tree.
pub fn command() -> Command {
    let mut cmd = Command::new("actatek")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Work with ACTAtek access-control terminals: every REST operation, exports, imports, fleets")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(EXIT_CODES)
        .args(global_args());
    let mut sections: Vec<&str> = Vec::new();
    for op in OPERATIONS {
        let major = op.section.split('.').next().unwrap_or(op.section);
        if !sections.contains(&major) {
            sections.push(major);
        }
    }
    for major in sections {
        let name = group_of(major);
        let about = GROUPS
            .iter()
            .find(|g| g.0 == major)
            .map(|g| g.2.to_string())
            .unwrap_or_else(|| format!("Operations of manual section {major}"));
        let mut group = Command::new(name.clone()).about(about).subcommand_required(true).arg_required_else_help(true);
        for op in OPERATIONS.iter().filter(|o| o.section.split('.').next() == Some(major)) {
            group = group.subcommand(operation_command(op));
        }
        match name.as_str() {
            "logs" => group = group.subcommand(export_command()),
            "users" => group = group.subcommand(import_command()),
            _ => {}
        }
        cmd = cmd.subcommand(group);
    }
    cmd.subcommand(door_command())
        .subcommand(relay_command())
        .subcommand(desired_command(
            "plan",
            "Show what each terminal must be sent to hold the desired state in FILE (nothing is written; -o json for the plan)",
        ))
        .subcommand(desired_command(
            "apply",
            "Make each terminal hold the desired state in FILE: plan, write (batched), read again until nothing is left to do",
        ))
        .subcommand(
            Command::new("sim")
                .about("Run the simulated terminal (actatek sim --help); give its flags right after `sim`")
                .disable_help_flag(true)
                .arg(Arg::new("args").num_args(0..).trailing_var_arg(true).allow_hyphen_values(true)),
        )
        .subcommand(
            Command::new("completions")
                .about("Print the shell completion script for SHELL (e.g. actatek completions bash > /etc/bash_completion.d/actatek)")
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .value_parser(value_parser!(clap_complete::Shell))
                        .required(true)
                        .help("bash, zsh, fish, elvish or powershell"),
                ),
        )
        .subcommand(
            Command::new("config")
                .about("The config file of named terminals")
                .subcommand_required(true)
                .arg_required_else_help(true)
                .subcommand(Command::new("path").about(
                    "Print the config file's path (--config FILE, else the OS's usual place); stderr says whether it exists",
                )),
        )
        // The release archive's man page is this output (scripts/dist.sh); not for everyday use.
        .subcommand(Command::new("manpage").hide(true).about("Print the man page (roff) to stdout"))
}

/// `actatek completions SHELL` and `actatek manpage`: written from the command tree itself,
/// so they list every operation of this build. No terminal is involved.
pub fn print_generated(sub: &str, m: &clap::ArgMatches) -> std::io::Result<()> {
    use std::io::Write;
    // Written to a buffer first: clap_complete panics on a write error (a closed pipe).
    let mut text = Vec::new();
    let mut cmd = command();
    if sub == "manpage" {
        clap_mangen::Man::new(cmd).render(&mut text)?;
    } else {
        let shell = *m.get_one::<clap_complete::Shell>("shell").expect("required by the parser");
        clap_complete::generate(shell, &mut cmd, "actatek", &mut text);
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&text)?;
    out.flush()
}

/// `--backoff 200` or `--backoff 200,5000`: the first wait and the longest, in milliseconds.
fn parse_backoff(text: &str) -> Result<(std::time::Duration, std::time::Duration), String> {
    let ms = |t: &str| {
        t.trim()
            .parse::<u64>()
            .map(std::time::Duration::from_millis)
            .map_err(|_| format!("{t:?} is not a whole number of milliseconds"))
    };
    match text.split_once(',') {
        None => {
            let first = ms(text)?;
            Ok((first, actatek::DEFAULT_MAX_BACKOFF.max(first)))
        }
        Some((first, max)) => Ok((ms(first)?, ms(max)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn every_operation_has_a_subcommand() {
        let cmd = command();
        for op in OPERATIONS {
            let group = cmd.find_subcommand(group_of(op.section)).expect("group");
            assert!(group.find_subcommand(kebab(op.name)).is_some(), "{}", op.name);
        }
    }

    #[test]
    fn clashing_flags_are_renamed_by_type() {
        let info = actatek::core::operation_info("unregister_agent").unwrap();
        assert_eq!(flag_name(&info.params[0]), "agent-url");
    }

    #[test]
    fn backoff_is_first_and_longest_wait_in_milliseconds() {
        use std::time::Duration;
        assert_eq!(super::parse_backoff("50,400"), Ok((Duration::from_millis(50), Duration::from_millis(400))));
        assert_eq!(super::parse_backoff("50"), Ok((Duration::from_millis(50), Duration::from_millis(5000))));
        assert!(super::parse_backoff("soon").unwrap_err().contains("milliseconds"));
    }
}
