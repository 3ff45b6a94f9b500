//! `actatek logs export`: every log matching a filter into a CSV file, chunk by chunk.
//!
//! Memory stays flat: each chunk is written to the CSV writer and dropped. With
//! `--checkpoint FILE` the export survives interruptions: after each chunk is flushed the
//! checkpoint (the client's [`Checkpoint`] plus how many CSV bytes it covers) is written to a
//! temporary file and renamed over the old one, so it is always whole. A re-run with the same
//! checkpoint cuts the CSV back to the bytes the checkpoint covers (a chunk written after the
//! last checkpoint would otherwise appear twice) and appends from there: every log exactly
//! once. A finished export keeps its checkpoint, so running it again later appends only the
//! logs that arrived since.
//!
//! A checkpoint records the terminal it belongs to: its URL (normalised) and the serial number
//! `get_terminal_status` reports (firmware that reports none: the URL only). Resuming against
//! another terminal, or with a checkpoint that records none (written before this was added), is
//! refused: log ids and positions of one terminal mean nothing on another. The `--demo`
//! simulator listens on a new port each run, so its checkpoints record the URL `demo`: they
//! resume against `--demo` and never against a real terminal.

use crate::error::CliError;
use actatek::ops::GetFullLogs;
use actatek::{Checkpoint, Client, FullLog};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The CSV columns: the wire names of a full log (§2.2).
pub const COLUMNS: [&str; 10] = [
    "logID",
    "userID",
    "userName",
    "departmentName",
    "timestamp",
    "trigger",
    "terminalSN",
    "terminalName",
    "accessMethod",
    "remarks",
];

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub filter: GetFullLogs,
    /// The filter in wire form, stored in the checkpoint to refuse resuming with another one.
    pub filter_wire: Value,
    pub chunk: u32,
    /// `-` = stdout.
    pub out: PathBuf,
    pub checkpoint: Option<PathBuf>,
    /// Also write `jpegPhoto` (base64).
    pub photos: bool,
    pub progress: bool,
    /// Running against the `--demo` simulator: the checkpoint records the URL `demo`.
    pub demo: bool,
}

/// Which terminal a checkpoint belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct TerminalId {
    /// The base URL, normalised ([`normalize_url`]); `demo` for the `--demo` simulator.
    url: String,
    /// `serialNumber` from get_terminal_status; `null` when the firmware reports none.
    serial: Option<String>,
}

/// The URL the `--demo` simulator is recorded under.
const DEMO_URL: &str = "demo";

impl TerminalId {
    /// Whether a checkpoint recorded as `self` may be resumed on `now`: the same URL, and the
    /// same serial number when the checkpoint recorded one.
    fn admits(&self, now: &TerminalId) -> bool {
        normalize_url(&self.url) == normalize_url(&now.url) && (self.serial.is_none() || self.serial == now.serial)
    }

    fn describe(&self, recorded: bool) -> String {
        let url =
            if self.url == DEMO_URL { "the --demo simulator".to_string() } else { format!("terminal {}", self.url) };
        match (&self.serial, recorded) {
            (Some(s), _) => format!("{url} (serial {s})"),
            (None, true) => format!("{url} (no serial number recorded)"),
            (None, false) => format!("{url} (reports no serial number)"),
        }
    }
}

/// A terminal URL in the form checkpoints compare: no credentials, no trailing `/` or API
/// prefix, scheme and host in lower case, no default port. `demo` stays `demo`.
pub fn normalize_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix(actatek::core::http::API_PREFIX).unwrap_or(url).trim_end_matches('/');
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h).to_ascii_lowercase();
    let host = match scheme.as_str() {
        "https" => host.strip_suffix(":443").unwrap_or(&host),
        "http" => host.strip_suffix(":80").unwrap_or(&host),
        _ => &host,
    };
    format!("{scheme}://{host}{path}")
}

/// The terminal `client` talks to, as a checkpoint records it.
async fn terminal_id(client: &Client, demo: bool, checkpoint: &Path) -> Result<TerminalId, CliError> {
    let status = client.get_terminal_status().await.map_err(|e| {
        CliError::ClientWithHint(
            e,
            format!(
                "; reading the terminal's serial number for checkpoint {} (nothing was written)",
                checkpoint.display()
            ),
        )
    })?;
    let serial = status.serial_number.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let url = if demo { DEMO_URL.to_string() } else { normalize_url(client.url()) };
    Ok(TerminalId { url, serial })
}

/// What the checkpoint file holds.
#[derive(Debug, Serialize, Deserialize)]
struct SavedState {
    /// The terminal the export runs against; `None` in checkpoints of earlier versions.
    #[serde(default)]
    terminal: Option<TerminalId>,
    /// Where the log listing stands (the client's checkpoint).
    checkpoint: Checkpoint,
    /// Length of the CSV file when this checkpoint was written.
    csv_bytes: u64,
    /// The filter of the export.
    filter: Value,
    photos: bool,
}

/// How an export went.
#[derive(Debug, Clone, Copy)]
pub struct ExportReport {
    /// Logs written by this run.
    pub written: u64,
    /// Logs delivered since the export began (across resumed runs).
    pub total: u64,
    pub resumed: bool,
}

enum Sink {
    File(File),
    Stdout(std::io::Stdout),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::File(f) => f.write(buf),
            Sink::Stdout(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::File(f) => f.flush(),
            Sink::Stdout(s) => s.flush(),
        }
    }
}

fn load_state(path: &Path) -> Result<Option<SavedState>, CliError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            CliError::Io(format!("checkpoint {}: unreadable ({e}); delete it to start over", path.display()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::io(format!("checkpoint {}", path.display()), e)),
    }
}

/// Write temp + rename: a crash leaves the old checkpoint or the new one, never half of one.
fn save_state(path: &Path, state: &SavedState) -> Result<(), CliError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let bytes = serde_json::to_vec_pretty(state).expect("checkpoints serialize");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| CliError::io(format!("checkpoint {}", path.display()), e))
}

fn progress_bar(enabled: bool, start: u64) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {human_pos} logs exported ({msg}, {elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_position(start);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Run an export against one terminal.
pub async fn export(client: &Client, opts: &ExportOptions) -> Result<ExportReport, CliError> {
    let to_stdout = opts.out.as_os_str() == "-";
    if to_stdout && opts.checkpoint.is_some() {
        return Err(CliError::Usage("--checkpoint needs --out FILE (a file to append to when resuming)".into()));
    }
    let saved = match &opts.checkpoint {
        Some(p) => load_state(p)?,
        None => None,
    };
    let out_name = opts.out.display().to_string();
    let ckpt_name = opts.checkpoint.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    // Refusals that need no terminal come first; nothing is written before all checks pass.
    if let Some(state) = &saved {
        if state.terminal.is_none() {
            return Err(CliError::Usage(format!(
                "checkpoint {ckpt_name} was written by an earlier version of actatek and does not say which terminal \
                 it belongs to, so it is not resumed: delete it to start over (the export then writes {out_name} anew)"
            )));
        }
        if state.filter != opts.filter_wire || state.photos != opts.photos {
            return Err(CliError::Usage(format!(
                "checkpoint {ckpt_name} belongs to an export with another filter ({}); use another checkpoint file or delete it",
                state.filter
            )));
        }
    }
    let terminal = match &opts.checkpoint {
        Some(p) => Some(terminal_id(client, opts.demo, p).await?),
        None => None,
    };
    // What the checkpoint records from now on: on a resume, what it recorded before.
    let record = saved.as_ref().and_then(|s| s.terminal.clone()).or_else(|| terminal.clone());
    let (sink, checkpoint, resumed) = match saved {
        Some(state) => {
            if let (Some(recorded), Some(now)) = (&state.terminal, &terminal)
                && !recorded.admits(now)
            {
                return Err(CliError::Usage(format!(
                    "checkpoint {ckpt_name} belongs to {}, not to {}, so it is not resumed: use another \
                     checkpoint file and --out for this terminal, or delete the checkpoint to start over (rewriting {out_name})",
                    recorded.describe(true),
                    now.describe(false)
                )));
            }
            let file =
                OpenOptions::new().read(true).write(true).open(&opts.out).map_err(|e| {
                    CliError::io(format!("{out_name} (to resume the export the checkpoint describes)"), e)
                })?;
            let len = file.metadata().map_err(|e| CliError::io(&out_name, e))?.len();
            if len < state.csv_bytes {
                return Err(CliError::Io(format!(
                    "{out_name} has {len} bytes but its checkpoint covers {}: it was changed; delete the checkpoint to start over",
                    state.csv_bytes
                )));
            }
            // Drop whatever was written after the last checkpoint: those logs come again.
            file.set_len(state.csv_bytes).map_err(|e| CliError::io(&out_name, e))?;
            let mut file = file;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(|e| CliError::io(&out_name, e))?;
            (Sink::File(file), state.checkpoint, true)
        }
        None if to_stdout => (Sink::Stdout(std::io::stdout()), Checkpoint::default(), false),
        None => {
            let file = File::create(&opts.out).map_err(|e| CliError::io(&out_name, e))?;
            (Sink::File(file), Checkpoint::default(), false)
        }
    };
    let start_total = checkpoint.delivered;
    // The CSV writer's own buffer is the only one (a BufWriter under it copied every byte again).
    let mut csv = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(sink);
    let io_err = |e: csv::Error| CliError::io(&out_name, e);
    if !resumed {
        let mut header: Vec<&str> = COLUMNS.to_vec();
        if opts.photos {
            header.push("jpegPhoto");
        }
        csv.write_record(&header).map_err(io_err)?;
        csv.flush().map_err(|e| CliError::io(&out_name, e))?;
        if let Some(p) = &opts.checkpoint {
            let bytes = csv_len(&mut csv, &out_name)?;
            let state = SavedState {
                terminal: record.clone(),
                checkpoint: Checkpoint::default(),
                csv_bytes: bytes,
                filter: opts.filter_wire.clone(),
                photos: opts.photos,
            };
            save_state(p, &state)?;
        }
    }

    let bar = progress_bar(opts.progress, start_total);
    let mut export = client.export_logs(opts.filter.clone(), opts.chunk, checkpoint);
    let mut written = 0u64;
    let mut scratch = Scratch::default();
    let outcome = loop {
        let chunk = match export.next_chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break Ok(()),
            Err(e) => break Err(CliError::Client(e)),
        };
        for log in &chunk {
            write_log(&mut csv, log, opts.photos, &mut scratch).map_err(io_err)?;
        }
        let n = chunk.len() as u64;
        drop(chunk);
        csv.flush().map_err(|e| CliError::io(&out_name, e))?;
        if let Some(p) = &opts.checkpoint {
            let bytes = csv_len(&mut csv, &out_name)?;
            let state = SavedState {
                terminal: record.clone(),
                checkpoint: export.checkpoint().clone(),
                csv_bytes: bytes,
                filter: opts.filter_wire.clone(),
                photos: opts.photos,
            };
            save_state(p, &state)?;
        }
        written += n;
        bar.inc(n);
        let secs = bar.elapsed().as_secs_f64();
        if secs > 0.0 {
            bar.set_message(format!("{:.0} logs/s", written as f64 / secs));
        }
    };
    bar.finish_and_clear();
    let total = export.checkpoint().delivered;
    match outcome {
        Ok(()) => Ok(ExportReport { written, total, resumed }),
        Err(e) => {
            let hint = match &opts.checkpoint {
                Some(p) => format!(
                    "; {total} logs are in {out_name}: run the same command again to resume from {}",
                    p.display()
                ),
                None => format!(
                    "; {written} logs were written to {out_name} (use --checkpoint FILE to make an export resumable)"
                ),
            };
            Err(match e {
                CliError::Client(err) => CliError::ClientWithHint(err, hint),
                other => other,
            })
        }
    }
}

fn csv_len(csv: &mut csv::Writer<Sink>, out_name: &str) -> Result<u64, CliError> {
    match csv.get_ref() {
        Sink::File(f) => f.metadata().map(|m| m.len()).map_err(|e| CliError::io(out_name, e)),
        Sink::Stdout(_) => Ok(0),
    }
}

/// A field's cell: the typed value, or the terminal's own text when it could not be read as
/// its type (kept in `extra` under the wire name), so no value is lost from the CSV.
fn cell<'a>(typed: Option<&'a str>, log: &'a FullLog, wire: &str) -> std::borrow::Cow<'a, str> {
    // The unread value is looked up only when the typed one is missing (most logs have none).
    if let Some(t) = typed {
        return t.into();
    }
    match log.extra.get(wire) {
        Some(serde_json::Value::String(raw)) => raw.as_str().into(),
        Some(serde_json::Value::Null) | None => "".into(),
        Some(raw) => raw.to_string().into(),
    }
}

/// Reused between rows: the id's digits and the timestamp's text.
#[derive(Default)]
struct Scratch {
    id: itoa::Buffer,
    timestamp: String,
}

fn write_log(csv: &mut csv::Writer<Sink>, log: &FullLog, photos: bool, scratch: &mut Scratch) -> csv::Result<()> {
    let id = log.log_id.map(|id| scratch.id.format(id));
    let ts = log.timestamp.map(|t| {
        scratch.timestamp.clear();
        let _ = std::fmt::Write::write_fmt(&mut scratch.timestamp, format_args!("{t}"));
        scratch.timestamp.as_str()
    });
    let fields = [
        cell(id, log, "logID"),
        cell(log.user_id.as_deref(), log, "userID"),
        cell(log.user_name.as_deref(), log, "userName"),
        cell(log.department_name.as_deref(), log, "departmentName"),
        cell(ts, log, "timestamp"),
        cell(log.trigger.as_deref(), log, "trigger"),
        cell(log.terminal_sn.as_deref(), log, "terminalSN"),
        cell(log.terminal_name.as_deref(), log, "terminalName"),
        cell(log.access_method.as_deref(), log, "accessMethod"),
        cell(log.remarks.as_deref(), log, "remarks"),
    ];
    for f in &fields {
        csv.write_field(f.as_ref())?;
    }
    if photos {
        csv.write_field(log.jpeg_photo.as_ref().map(|p| p.as_base64()).unwrap_or(""))?;
    }
    csv.write_record(None::<&[u8]>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_without_slashes_case_default_ports_or_credentials() {
        for u in [
            "https://10.0.0.5",
            "https://10.0.0.5/",
            "HTTPS://10.0.0.5:443",
            "https://admin:pw@10.0.0.5/cgi-bin/restapi/",
            " https://10.0.0.5// ",
        ] {
            assert_eq!(normalize_url(u), "https://10.0.0.5", "{u}");
        }
        assert_eq!(normalize_url("http://Door.example:8080/"), "http://door.example:8080");
        assert_ne!(normalize_url("https://10.0.0.5:8443"), normalize_url("https://10.0.0.5"));
        assert_ne!(normalize_url("http://10.0.0.5"), normalize_url("https://10.0.0.5"));
        assert_eq!(normalize_url(DEMO_URL), DEMO_URL);
    }

    #[test]
    fn a_checkpoint_admits_only_its_own_terminal() {
        let id = |url: &str, serial: Option<&str>| TerminalId { url: url.into(), serial: serial.map(Into::into) };
        let a = id("http://127.0.0.1:1", Some("A"));
        assert!(a.admits(&id("http://127.0.0.1:1/", Some("A"))));
        assert!(!a.admits(&id("http://127.0.0.1:2", Some("A"))), "another URL");
        assert!(!a.admits(&id("http://127.0.0.1:1", Some("B"))), "another serial at the same URL");
        assert!(!a.admits(&id("http://127.0.0.1:1", None)), "a recorded serial must be confirmed");
        let url_only = id("http://127.0.0.1:1", None);
        assert!(url_only.admits(&id("http://127.0.0.1:1", Some("A"))));
        assert!(!url_only.admits(&id("http://127.0.0.1:2", None)));
        let demo = id(DEMO_URL, Some("00111D000000"));
        assert!(demo.admits(&id(DEMO_URL, Some("00111D000000"))));
        assert!(!demo.admits(&id("http://127.0.0.1:1", Some("00111D000000"))));
        assert!(!a.admits(&id(DEMO_URL, Some("A"))));
    }
}
