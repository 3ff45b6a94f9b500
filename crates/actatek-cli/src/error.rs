//! The CLI's errors and the exit codes scripts rely on. Every message is one line; none holds
//! the password or the session id (the client already redacts what comes from a terminal,
//! and nothing here ever formats a credential).

use std::fmt;
use std::process::ExitCode;

/// Exit codes (documented in `actatek --help`); 0 is success.
pub mod code {
    /// Bad command line (clap's own code).
    pub const USAGE: u8 = 2;
    /// Input breaks a value rule; nothing was sent.
    pub const VALIDATION: u8 = 3;
    /// The terminal answered with an error.
    pub const TERMINAL: u8 = 4;
    /// Network or TLS trouble: no usable answer.
    pub const TRANSPORT: u8 = 5;
    /// The terminal's answer could not be read.
    pub const PROTOCOL: u8 = 6;
    /// A local file could not be read or written.
    pub const IO: u8 = 7;
    /// Fleet: some terminals failed.
    pub const FLEET: u8 = 8;
}

/// What went wrong, by exit code.
#[derive(Debug)]
pub enum CliError {
    /// A usage problem clap cannot see (missing password, conflicting sources, ...).
    Usage(String),
    /// Value rules broken: one report line per broken rule, and a summary.
    Validation { lines: Vec<String>, summary: String },
    /// A terminal call failed.
    Client(actatek::Error),
    /// A terminal call failed; the text says what was done so far and how to go on.
    ClientWithHint(actatek::Error, String),
    /// A terminal answered "error" for some items of a list write.
    ItemsFailed(String),
    /// A local file.
    Io(String),
    /// Fleet: `failed` of `total` terminals failed (each already reported on its own line).
    Fleet { failed: usize, total: usize },
}

impl CliError {
    pub fn io(what: impl fmt::Display, e: impl fmt::Display) -> Self {
        CliError::Io(format!("{what}: {e}"))
    }

    pub fn code(&self) -> u8 {
        match self {
            CliError::Usage(_) => code::USAGE,
            CliError::Validation { .. } => code::VALIDATION,
            CliError::Client(e) | CliError::ClientWithHint(e, _) => client_code(e),
            CliError::ItemsFailed(_) => code::TERMINAL,
            CliError::Io(_) => code::IO,
            CliError::Fleet { .. } => code::FLEET,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

/// The exit code for a client error.
pub fn client_code(e: &actatek::Error) -> u8 {
    match e {
        // A client setting (URL, TLS pin, CA file) that cannot be used: a usage problem.
        actatek::Error::Config(_) => code::USAGE,
        actatek::Error::Validation(_) => code::VALIDATION,
        actatek::Error::Api { .. } => code::TERMINAL,
        actatek::Error::Transport { .. } => code::TRANSPORT,
        actatek::Error::Protocol { .. } => code::PROTOCOL,
        // A variant added later: treat it as a terminal error rather than success.
        _ => code::TERMINAL,
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(s) | CliError::ItemsFailed(s) | CliError::Io(s) => f.write_str(s),
            CliError::Validation { summary, .. } => f.write_str(summary),
            CliError::Client(e) => write!(f, "{}", one_line(&e.to_string())),
            CliError::ClientWithHint(e, hint) => write!(f, "{}{hint}", one_line(&e.to_string())),
            CliError::Fleet { failed, total } => write!(f, "{failed} of {total} terminals failed"),
        }
    }
}

impl From<actatek::ConfigError> for CliError {
    fn from(e: actatek::ConfigError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<actatek::Error> for CliError {
    fn from(e: actatek::Error) -> Self {
        CliError::Client(e)
    }
}

/// Newlines from a terminal's message would break "one line per error".
pub fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r']).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
    } else {
        s.to_string()
    }
}
