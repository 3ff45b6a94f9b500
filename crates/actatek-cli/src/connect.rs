//! Which terminals a command runs against, and with which credentials and trust.
//!
//! Sources, most specific first: `--terminals FILE` and `--terminal NAME` (named entries of the
//! config file), `--url`, `ACTATEK_URL`, the config file's `default`. With none of them a command
//! is refused (exit 2): the CLI never invents data. `--demo` asks for the bundled simulator
//! instead, and is refused together with any real terminal. Credentials: `--user`,
//! then the entry's `user`, then `ACTATEK_USER`; the password from the entry's `password` or
//! `password_env`, then `ACTATEK_PASSWORD`, then a prompt when stdin is a terminal. A password
//! is never taken from the command line.

use crate::error::CliError;
use actatek::{Client, Secret, Tls};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One terminal as a config file or a terminals file describes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    #[serde(default)]
    pub name: Option<String>,
    pub url: String,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    pub password_env: Option<String>,
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    #[serde(default)]
    pub pin_sha256: Option<String>,
    /// Groups the terminal is in: a desired-state file's `groups.NAME` sections apply to it.
    #[serde(default)]
    pub groups: Vec<String>,
}

impl Entry {
    fn from_url(url: &str) -> Self {
        Entry { url: url.trim().to_string(), ..Entry::default() }
    }
}

/// `terminals.toml`: named terminals and an optional default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub terminals: BTreeMap<String, Entry>,
    /// `[[terminal]]` entries, each with a `name` (the form a terminals file may also use).
    #[serde(default)]
    terminal: Vec<Entry>,
}

impl Config {
    /// Every entry, named (`[[terminal]]` entries without a name are named by their URL).
    fn entries(self) -> Vec<(String, Entry)> {
        let mut out: Vec<(String, Entry)> = self.terminals.into_iter().collect();
        for e in self.terminal {
            out.push((e.name.clone().unwrap_or_else(|| name_from_url(&e.url)), e));
        }
        out
    }
}

/// The default config path, in each OS's usual place for configuration (the `directories`
/// crate): `$XDG_CONFIG_HOME/actatek/terminals.toml` or `~/.config/actatek/terminals.toml` on
/// Linux and the BSDs, `~/Library/Application Support/actatek/terminals.toml` on macOS,
/// `%APPDATA%\actatek\terminals.toml` on Windows. A set `XDG_CONFIG_HOME` (an absolute path)
/// is honoured on every OS, as before. `None` when no home directory is known.
pub fn default_config_path() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from).filter(|p| p.is_absolute());
    let base = xdg.or_else(|| directories::BaseDirs::new().map(|d| d.config_dir().to_path_buf()))?;
    Some(base.join("actatek").join("terminals.toml"))
}

/// The config file a command reads: `--config FILE`, else [`default_config_path`].
pub fn config_file_path(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(default_config_path)
}

/// Read a config file; `required` when the user named it.
pub fn load_config(path: &Path, required: bool) -> Result<(Config, PathBuf), CliError> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => return Ok((Config::default(), dir)),
        Err(e) => return Err(CliError::io(format!("config file {}", path.display()), e)),
    };
    let config: Config = toml::from_str(&text)
        .map_err(|e| CliError::Io(format!("config file {}: {}", path.display(), first_line(&e.to_string()))))?;
    warn_if_readable_by_others(path, &config);
    Ok((config, dir))
}

fn first_line(s: &str) -> String {
    crate::error::one_line(s)
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path, config: &Config) {
    use std::os::unix::fs::PermissionsExt;
    let has_password = config.terminals.values().chain(config.terminal.iter()).any(|e| e.password.is_some());
    if let Ok(meta) = std::fs::metadata(path)
        && has_password
        && meta.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "actatek: warning: {} holds passwords and is readable by other users (chmod 600 it, or use password_env)",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path, _: &Config) {}

/// A name for a terminal known only by its URL: `10.0.0.5_8443`.
pub fn name_from_url(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let host = rest.split('/').next().unwrap_or(rest);
    host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect()
}

/// Parse a `--terminals` file: JSON (a list of URLs or entries, or a map name → entry), TOML
/// (`[terminals.NAME]` tables or `[[terminal]]` entries), or one URL per line (`#` comments).
pub fn parse_terminals_file(text: &str, origin: &str) -> Result<Vec<(String, Entry)>, CliError> {
    let bad = |e: String| CliError::Io(format!("terminals file {origin}: {}", first_line(&e)));
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') && trimmed[1..].trim_start().starts_with(['{', '"', ']']) || trimmed.starts_with('{') {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Item {
            Url(String),
            Entry(Entry),
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Doc {
            List(Vec<Item>),
            Map(BTreeMap<String, Entry>),
        }
        let doc: Doc = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        return Ok(match doc {
            Doc::List(items) => items
                .into_iter()
                .map(|i| match i {
                    Item::Url(u) => (name_from_url(&u), Entry::from_url(&u)),
                    Item::Entry(e) => (e.name.clone().unwrap_or_else(|| name_from_url(&e.url)), e),
                })
                .collect(),
            Doc::Map(m) => m.into_iter().collect(),
        });
    }
    let looks_toml = text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("[terminals") || l.starts_with("[[terminal") || l.contains(" = ") || l.contains("=\"")
    });
    if looks_toml {
        let config: Config = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        return Ok(config.entries());
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|u| (name_from_url(u), Entry::from_url(u)))
        .collect())
}

/// What the command line says about connections.
#[derive(Debug, Default, Clone)]
pub struct ConnectArgs {
    pub url: Option<String>,
    pub user: Option<String>,
    pub terminal: Vec<String>,
    pub terminals_file: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub pin_sha256: Option<String>,
    pub insecure: bool,
    pub retries: Option<u32>,
    /// `--backoff`: the first wait before a retry and the longest.
    pub backoff: Option<(Duration, Duration)>,
    pub timeout: Option<Duration>,
    /// `--demo`: the bundled simulator, never a real terminal.
    pub demo: bool,
}

/// A terminal to run against, ready to connect.
pub struct Target {
    pub name: String,
    pub groups: Vec<String>,
    pub client: Client,
}

/// Where the terminals come from.
pub enum Plan {
    /// `--demo`: the bundled simulator with demo data.
    Demo,
    /// These terminals (one, or a fleet when `fleet` is true); `known` is every terminal the
    /// config and terminals files name, with its groups.
    Terminals { entries: Vec<(String, Entry)>, base_dir: PathBuf, fleet: bool, known: Vec<(String, Vec<String>)> },
}

/// Decide which terminals are meant, without asking for passwords yet.
pub fn plan(args: &ConnectArgs) -> Result<Plan, CliError> {
    let env_url = std::env::var("ACTATEK_URL").ok().filter(|u| !u.trim().is_empty());
    if args.demo {
        // A demo is always explicit and never mixed with a real terminal. The config file's
        // `default` is not consulted: --demo itself says which terminal is meant.
        let mut given: Vec<&str> = Vec::new();
        if args.url.is_some() {
            given.push("--url");
        }
        if !args.terminal.is_empty() {
            given.push("--terminal");
        }
        if args.terminals_file.is_some() {
            given.push("--terminals");
        }
        if !given.is_empty() {
            return Err(CliError::Usage(format!(
                "--demo runs against the bundled simulator only and cannot be combined with {}: drop one of them",
                given.join(" or ")
            )));
        }
        if env_url.is_some() {
            return Err(CliError::Usage(
                "--demo runs against the bundled simulator only, but ACTATEK_URL is set (a real terminal): \
                 unset ACTATEK_URL for the demo, or drop --demo to use that terminal"
                    .into(),
            ));
        }
        return Ok(Plan::Demo);
    }
    let config_path = config_file_path(args.config.as_deref());
    let config_exists = config_path.as_ref().is_some_and(|p| p.exists());
    let (config, config_dir) = match &config_path {
        Some(p) => load_config(p, args.config.is_some())?,
        None => (Config::default(), PathBuf::new()),
    };
    let default = config.default.clone();
    let named: BTreeMap<String, Entry> = config.entries().into_iter().collect();
    let mut known: Vec<(String, Vec<String>)> = named.iter().map(|(n, e)| (n.clone(), e.groups.clone())).collect();
    let lookup = |name: &str| -> Result<(String, Entry), CliError> {
        named.get(name).cloned().map(|e| (name.to_string(), e)).ok_or_else(|| {
            let known: Vec<&str> = named.keys().map(String::as_str).collect();
            let source =
                config_path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "(no config file)".into());
            CliError::Usage(if config_path.is_some() && !config_exists {
                format!(
                    "no terminal named {name:?}: the config file {source} does not exist \
                     (create it with a [terminals.{name}] table; `actatek config path` prints where it is read from)"
                )
            } else if config_path.is_none() {
                format!("no terminal named {name:?}: no config file (no home directory is known; give --config FILE)")
            } else if known.is_empty() {
                format!("no terminal named {name:?}: the config file {source} lists no terminals")
            } else {
                format!("no terminal named {name:?} in {source} (known: {})", known.join(", "))
            })
        })
    };

    if args.terminals_file.is_some() || !args.terminal.is_empty() {
        if args.url.is_some() {
            return Err(CliError::Usage("give either --url or --terminal/--terminals, not both".into()));
        }
        let mut entries = Vec::new();
        let mut base_dir = config_dir.clone();
        if let Some(path) = &args.terminals_file {
            let text = if path.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| CliError::io("terminals from stdin", e))?
            } else {
                std::fs::read_to_string(path)
                    .map_err(|e| CliError::io(format!("terminals file {}", path.display()), e))?
            };
            entries.extend(parse_terminals_file(&text, &path.display().to_string())?);
            base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        }
        for name in &args.terminal {
            entries.push(lookup(name)?);
        }
        if entries.is_empty() {
            return Err(CliError::Usage("the terminals file lists no terminals".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for (name, _) in &mut entries {
            let base = name.clone();
            let mut i = 2;
            while !seen.insert(name.clone()) {
                *name = format!("{base}-{i}");
                i += 1;
            }
        }
        let fleet = entries.len() > 1 || args.terminals_file.is_some();
        known.extend(entries.iter().map(|(n, e)| (n.clone(), e.groups.clone())));
        return Ok(Plan::Terminals { entries, base_dir, fleet, known });
    }
    let url = args.url.clone().or(env_url);
    if let Some(url) = url {
        let entries = vec![(name_from_url(&url), Entry::from_url(&url))];
        known.extend(entries.iter().map(|(n, e)| (n.clone(), e.groups.clone())));
        return Ok(Plan::Terminals { entries, base_dir: config_dir, fleet: false, known });
    }
    if let Some(name) = default {
        let entry = lookup(&name)?;
        return Ok(Plan::Terminals { entries: vec![entry], base_dir: config_dir, fleet: false, known });
    }
    let config = match &config_path {
        Some(p) => format!("a `default` terminal in {}", p.display()),
        None => "a `default` terminal in the config file (--config FILE)".into(),
    };
    Err(CliError::Usage(format!(
        "no terminal given, nothing was run: give --url URL, --terminal NAME or --terminals FILE, set ACTATEK_URL, \
         or name {config}; or try the bundled simulator with invented demo data: --demo"
    )))
}

/// Build one client per entry: resolve users and passwords (prompting at most once), TLS.
pub fn connect(args: &ConnectArgs, entries: &[(String, Entry)], base_dir: &Path) -> Result<Vec<Target>, CliError> {
    let mut prompted: BTreeMap<String, String> = BTreeMap::new();
    let mut targets = Vec::with_capacity(entries.len());
    for (name, entry) in entries {
        let user = args
            .user
            .clone()
            .or_else(|| entry.user.clone())
            .or_else(|| std::env::var("ACTATEK_USER").ok().filter(|u| !u.is_empty()))
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "no user for terminal {name}: give --user, set ACTATEK_USER, or add `user` to its config entry"
                ))
            })?;
        let password = match (&entry.password, &entry.password_env) {
            (Some(p), _) => p.clone(),
            (None, Some(var)) => std::env::var(var)
                .map_err(|_| CliError::Usage(format!("terminal {name}: its password_env {var} is not set")))?,
            (None, None) => match std::env::var("ACTATEK_PASSWORD") {
                Ok(p) => p,
                Err(_) => match prompted.get(&user) {
                    Some(p) => p.clone(),
                    None => {
                        let p = prompt_password(name, &user)?;
                        prompted.insert(user.clone(), p.clone());
                        p
                    }
                },
            },
        };
        let tls = tls_for(args, entry, base_dir, name)?;
        let mut builder = Client::builder(entry.url.clone(), user, Secret::new(password)).tls(tls);
        if let Some(r) = args.retries {
            builder = builder.retries(r);
        }
        if let Some((first, max)) = args.backoff {
            builder = builder.backoff(first, max);
        }
        if let Some(t) = args.timeout {
            builder = builder.timeout(t);
        }
        let client = builder.build().map_err(|e| CliError::Usage(format!("terminal {name}: {e}")))?;
        targets.push(Target { name: name.clone(), groups: entry.groups.clone(), client });
    }
    Ok(targets)
}

fn prompt_password(name: &str, user: &str) -> Result<String, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "no password for {user} on terminal {name}: set ACTATEK_PASSWORD, or password/password_env in the config file \
             (passwords are never taken from the command line)"
        )));
    }
    rpassword::prompt_password(format!("Password for {user} on {name}: "))
        .map_err(|e| CliError::io("reading the password", e))
}

fn tls_for(args: &ConnectArgs, entry: &Entry, base_dir: &Path, name: &str) -> Result<Tls, CliError> {
    if args.insecure {
        return Ok(Tls::DangerAcceptInvalidCertificates);
    }
    if let Some(pin) = args.pin_sha256.as_ref().or(entry.pin_sha256.as_ref()) {
        return Tls::pin_sha256(pin).map_err(|e| CliError::Usage(format!("terminal {name}: {e}")));
    }
    let ca = args.ca_file.clone().or_else(|| entry.ca_file.as_ref().map(|p| base_dir.join(p)));
    if let Some(path) = ca {
        return Tls::ca_file(&path).map_err(|e| CliError::io(format!("CA file {}", path.display()), e));
    }
    Ok(Tls::Verify)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_file_of_urls() {
        let t = parse_terminals_file("# fleet\nhttp://127.0.0.1:1\n\nhttps://10.0.0.5:8443/\n", "x").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].0, "127.0.0.1_1");
        assert_eq!(t[1].1.url, "https://10.0.0.5:8443/");
    }

    #[test]
    fn terminals_file_json_and_toml() {
        let j = parse_terminals_file(r#"[{"name": "a", "url": "http://x"}, "http://y"]"#, "x").unwrap();
        assert_eq!((j[0].0.as_str(), j[1].0.as_str()), ("a", "y"));
        let t = parse_terminals_file("[terminals.lobby]\nurl = \"http://x\"\nuser = \"admin\"\n", "x").unwrap();
        assert_eq!(t[0].0, "lobby");
        assert_eq!(t[0].1.user.as_deref(), Some("admin"));
        let t = parse_terminals_file("[[terminal]]\nname = \"a\"\nurl = \"http://x\"\n", "x").unwrap();
        assert_eq!(t[0].0, "a");
    }
}
