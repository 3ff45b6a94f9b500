//! Log export that survives interruptions, and a watch that follows new logs.
//!
//! The terminal pages logs only by time (`from`) and count (`limit`), so the export keeps a
//! [`Checkpoint`]: the timestamp of the last delivered log and the ids already delivered at
//! exactly that timestamp. The next chunk asks `from` that timestamp and drops those ids. A
//! caller persists the checkpoint (it is serde-serializable) after handling each chunk and,
//! after any interruption, resumes from it: every log is delivered exactly once, provided the
//! terminal lists logs in ascending time order (§2.2 examples; the simulator does).
//!
//! On native targets the next page is asked for while one is read (guessed from its bytes,
//! used only if the parsed page calls for exactly that query), so a page, or the error of
//! asking for it, may be a little older than the call that returns it; logs that arrived
//! since come with the page after. A guess nobody uses is aborted.

use crate::{Client, Error, FullLog, ReadPermit, TerminalDateTime, ops::GetFullLogs};
use futures::Stream;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::time::Duration;

/// Where an export stands. Persist it (JSON) to resume after an interruption.
///
/// Logs without a readable timestamp (some firmware leaves it out or writes `""`) cannot be
/// placed in time: they are delivered when a page first shows them and remembered in
/// `untimed` (by `logID`, or by a digest of the whole record when that is missing too), so a
/// later page that shows them again does not deliver them twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Timestamp of the last delivered log; the next chunk starts there (inclusive).
    pub timestamp: Option<TerminalDateTime>,
    /// Ids of the logs already delivered at exactly `timestamp`.
    pub ids: Vec<i64>,
    /// Logs already delivered at exactly `timestamp` that have no `logID` (by digest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Logs without a readable timestamp already delivered (`id:N` or a digest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub untimed: Vec<String>,
    /// Logs delivered so far.
    pub delivered: u64,
}

/// A log's identity where it has no `logID`: a digest of the record as read (FNV-1a, 64 bits,
/// of its wire JSON), stable across runs and versions.
fn digest_key(log: &FullLog) -> String {
    let bytes = serde_json::to_vec(log).expect("logs serialize");
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("h:{hash:016x}")
}

fn untimed_key(log: &FullLog) -> String {
    match log.log_id {
        Some(id) => format!("id:{id}"),
        None => digest_key(log),
    }
}

impl Checkpoint {
    /// Whether `log` was already delivered (by the export this checkpoint belongs to).
    pub fn delivered_already(&self, log: &FullLog) -> bool {
        match log.timestamp {
            // A log delivered with its timestamp and now shown without it (a firmware whose
            // clock field flickers between replies): the page asked `from` its second, so a
            // log delivered before it is among the ids of that second.
            None => log.log_id.is_some_and(|id| self.ids.contains(&id)) || self.untimed.contains(&untimed_key(log)),
            Some(ts) if Some(ts) == self.timestamp => match log.log_id {
                Some(id) => self.ids.contains(&id) || self.was_untimed(log),
                None => self.keys.contains(&digest_key(log)),
            },
            // A log first shown without its timestamp and now with it was delivered then.
            Some(_) => log.log_id.is_some() && self.was_untimed(log),
        }
    }

    fn was_untimed(&self, log: &FullLog) -> bool {
        !self.untimed.is_empty() && self.untimed.contains(&untimed_key(log))
    }

    /// Record one delivered log. Logs are delivered in order: those without a readable
    /// timestamp first, then by time and id (as [`LogExport::next_chunk`] returns them), so a
    /// checkpoint advanced log by log can be persisted between any two logs.
    pub fn advance(&mut self, log: &FullLog) {
        match log.timestamp {
            None => self.untimed.push(untimed_key(log)),
            Some(ts) => {
                if self.timestamp != Some(ts) {
                    self.timestamp = Some(ts);
                    self.ids.clear();
                    self.keys.clear();
                }
                match log.log_id {
                    Some(id) => self.ids.push(id),
                    None => self.keys.push(digest_key(log)),
                }
            }
        }
        self.delivered += 1;
    }
}

/// An export in progress: call [`LogExport::next_chunk`] until it returns `None`.
pub struct LogExport {
    client: Client,
    filter: GetFullLogs,
    chunk: u32,
    checkpoint: Checkpoint,
    follow: bool,
    done: bool,
    /// The page guessed to come next, already asked for while this one was read.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    prefetched: Option<Prefetch>,
    /// The places of the guessed pages ([`AHEAD`]).
    #[cfg(not(target_arch = "wasm32"))]
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    /// The read's turn of the chunk last returned, held until the next is asked for: in a
    /// fleet ([`crate::ReadLimit`]) the pages in memory are the pages being read or handled.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    held: ReadPermit,
}

/// How many guessed pages may be in flight or waiting ahead of the page the caller handles.
/// A guessed page asks for the one after it as soon as its bytes are in, so while a caller
/// keeps up the terminal produces a page while the one before is parsed. With a slower caller
/// one page waits ready, and the next is asked for when it is taken.
#[cfg(not(target_arch = "wasm32"))]
const AHEAD: usize = 2;

/// A guessed next page in flight (native only: in the browser there is no other task to run
/// it on, and an export there fetches one page after another).
struct Prefetch {
    #[cfg(not(target_arch = "wasm32"))]
    query: GetFullLogs,
    /// The page, and the one guessed from its bytes and asked for while it was read.
    #[cfg(not(target_arch = "wasm32"))]
    task: tokio::task::JoinHandle<(Page, Option<Prefetch>)>,
    /// Its place among the [`AHEAD`] pages, given back when it is taken or dropped.
    #[cfg(not(target_arch = "wasm32"))]
    _slot: tokio::sync::OwnedSemaphorePermit,
}

/// A page's logs and its read's turn.
#[cfg(not(target_arch = "wasm32"))]
type Page = Result<(Vec<FullLog>, ReadPermit), Error>;

/// What it takes to guess the page after a body and ask for it.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
struct Guess {
    filter: GetFullLogs,
    chunk: u32,
    /// The places of the guessed pages ([`AHEAD`]).
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    /// A guessed page guesses and asks for the one after it in turn.
    chain: bool,
}

#[cfg(not(target_arch = "wasm32"))]
impl Guess {
    /// The page after `body` (a page asked for with `limit`), guessed and asked for; `None`
    /// when no guess can be made or no place is free.
    fn ask_after(&self, client: &Client, body: &[u8], limit: u32, close: bool) -> Option<Prefetch> {
        let next = guess_next(body, &self.filter, self.chunk, limit)?;
        Prefetch::ask(client, next, close, self)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Prefetch {
    /// Ask for `query` on a task of its own (`close`: `Connection: close`); `None` outside a
    /// tokio runtime or when [`AHEAD`] pages are already on their way. With `guess.chain`, the
    /// task guesses the page after this one from its bytes and asks for it in turn.
    fn ask(client: &Client, query: GetFullLogs, close: bool, guess: &Guess) -> Option<Prefetch> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let slot = guess.slots.clone().try_acquire_owned().ok()?;
        let (client, q, guess) = (client.clone(), query.clone(), guess.clone());
        let task = runtime.spawn(async move {
            if !guess.chain {
                return (client.call_peeking(&q, None, close).await, None);
            }
            let limit = q.limit.unwrap_or(guess.chunk);
            let mut next = None;
            let result = {
                let mut peek = |body: &[u8]| {
                    // A body read again (a retry) replaces the earlier guess, which is aborted
                    // (and gives its place back) first.
                    next = None;
                    next = guess.ask_after(&client, body, limit, close);
                    next.is_some()
                };
                client.call_peeking(&q, Some(&mut peek), close).await
            };
            (result, next)
        });
        Some(Prefetch { query, task, _slot: slot })
    }
}

/// A guessed page nobody will read (the export dropped, or its `next_chunk` cancelled while
/// it waited): stop asking for it.
#[cfg(not(target_arch = "wasm32"))]
impl Drop for Prefetch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `haystack` holds `needle` this often.
#[cfg(not(target_arch = "wasm32"))]
fn occurrences(haystack: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(haystack, needle).count()
}

/// The query of the page after `body`, guessed from its bytes before they are parsed: a full
/// page (as many `"timestamp"` keys as the limit) continues from its last timestamp, skipping
/// the logs it holds at that second. Only a guess: [`LogExport::next_chunk`] uses the page it
/// fetched only if the query the parsed page calls for is the same.
///
/// The logs of the page's last second are exactly those the checkpoint will hold after it:
/// the page asked `from` the checkpoint's second, so logs of that second delivered before
/// are listed again in it (an earlier guess added them a second time, and missed whenever a
/// page lay wholly within one second).
#[cfg(not(target_arch = "wasm32"))]
fn guess_next(body: &[u8], filter: &GetFullLogs, chunk: u32, limit: u32) -> Option<GetFullLogs> {
    const KEY: &[u8] = b"\"timestamp\"";
    let last = memchr::memmem::rfind(body, KEY)?;
    if occurrences(body, KEY) < limit as usize {
        return None;
    }
    let rest = &body[last + KEY.len()..];
    let start = rest.iter().position(|&b| b == b'"')? + 1;
    let len = rest[start..].iter().position(|&b| b == b'"' || b == b'\\')?;
    let raw = std::str::from_utf8(&rest[start..start + len]).ok()?;
    let at = TerminalDateTime::parse(raw).ok()?;
    let quoted = [b"\"", raw.as_bytes(), b"\""].concat();
    let same = occurrences(body, &quoted);
    let mut next = filter.clone();
    next.limit = Some(chunk.saturating_add(same as u32));
    next.from = Some(at);
    Some(next)
}

impl Client {
    /// Export the logs matching `filter` (its `limit` is ignored; its `from` is the start when
    /// the checkpoint is empty) in chunks of `chunk` logs, from `checkpoint`.
    pub fn export_logs(&self, filter: GetFullLogs, chunk: u32, checkpoint: Checkpoint) -> LogExport {
        LogExport {
            client: self.clone(),
            filter,
            chunk: chunk.max(1),
            checkpoint,
            follow: false,
            done: false,
            prefetched: None,
            #[cfg(not(target_arch = "wasm32"))]
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(AHEAD)),
            held: Default::default(),
        }
    }

    /// New logs as they arrive: polls every `poll` while logs keep coming, backing off up to
    /// 16 × `poll` while the terminal is quiet or unreachable. Transient errors (network,
    /// terminal restart) are yielded as `Err` items and the watch goes on; a validation error
    /// ends it. Start from `Checkpoint::default()` with `filter.from` set to "now" to see only
    /// new logs.
    pub fn watch_logs(
        &self,
        filter: GetFullLogs,
        checkpoint: Checkpoint,
        poll: Duration,
    ) -> impl Stream<Item = Result<FullLog, Error>> + crate::MaybeSend + 'static {
        let export = LogExport {
            client: self.clone(),
            filter,
            chunk: 500,
            checkpoint,
            follow: true,
            done: false,
            prefetched: None,
            #[cfg(not(target_arch = "wasm32"))]
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(AHEAD)),
            held: Default::default(),
        };
        let state = (export, VecDeque::new(), poll, false);
        futures::stream::unfold(state, move |(mut export, mut buffer, mut delay, ended)| async move {
            if ended {
                return None;
            }
            loop {
                if let Some(log) = buffer.pop_front() {
                    return Some((Ok(log), (export, buffer, delay, false)));
                }
                match export.next_chunk().await {
                    Ok(Some(logs)) if !logs.is_empty() => {
                        buffer.extend(logs);
                        delay = poll;
                    }
                    Ok(_) => {
                        crate::pause(delay).await;
                        delay = (delay * 2).min(poll * 16);
                    }
                    Err(e) => {
                        let fatal = !e.is_transient() && !matches!(e, Error::Api { .. });
                        crate::pause(delay).await;
                        delay = (delay * 2).min(poll * 16);
                        return Some((Err(e), (export, buffer, delay, fatal)));
                    }
                }
            }
        })
    }
}

/// An export handed out one log or one chunk at a time, with the checkpoint of exactly the
/// logs handed out so far: what a binding needs when its caller may stop between any two logs
/// (Python's iterator, Kotlin's `Flow`, Swift's stream). The chunks come sorted (untimed logs
/// first, then by time and id), so a checkpoint taken between any two logs resumes with every
/// log exactly once.
pub struct LogCursor {
    export: LogExport,
    buffer: VecDeque<FullLog>,
    handed_out: Checkpoint,
}

impl LogCursor {
    pub fn new(export: LogExport) -> Self {
        let handed_out = export.checkpoint().clone();
        LogCursor { export, buffer: VecDeque::new(), handed_out }
    }

    /// Where the caller stands: exactly the logs handed out so far.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.handed_out
    }

    /// The next log from what is already fetched, without a request.
    pub fn next_buffered(&mut self) -> Option<FullLog> {
        let log = self.buffer.pop_front()?;
        self.handed_out.advance(&log);
        Some(log)
    }

    /// The next log, or `None` at the end. On error nothing is handed out: call again, or
    /// persist the checkpoint and resume later.
    pub async fn next_log(&mut self) -> Result<Option<FullLog>, Error> {
        loop {
            if let Some(log) = self.next_buffered() {
                return Ok(Some(log));
            }
            match self.export.next_chunk().await? {
                Some(chunk) => self.buffer.extend(chunk),
                None => return Ok(None),
            }
        }
    }

    /// The next chunk (what is left of the current one first), or `None` at the end.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<FullLog>>, Error> {
        if self.buffer.is_empty() {
            match self.export.next_chunk().await? {
                Some(chunk) => self.buffer.extend(chunk),
                None => return Ok(None),
            }
        }
        let logs: Vec<FullLog> = self.buffer.drain(..).collect();
        for log in &logs {
            self.handed_out.advance(log);
        }
        Ok(Some(logs))
    }
}

impl LogExport {
    /// The page `query` asks for: the one already in flight when it was guessed right, else
    /// fetched now. While a page's bytes are read, the next one is guessed from them and asked
    /// for, so the terminal prepares it while this one is parsed (a read: asking for a page
    /// nobody uses changes nothing).
    #[cfg(not(target_arch = "wasm32"))]
    async fn fetch(&mut self, query: &GetFullLogs, limit: u32) -> Page {
        if let Some(mut p) = self.prefetched.take()
            && &p.query == query
        {
            // A lost task (the runtime shutting down) is asked again below.
            if let Ok((result, next)) = (&mut p.task).await {
                self.prefetched = if result.is_ok() { next } else { None };
                return result;
            }
        }
        // In a fleet (its clients share a read limit) a page's connection is not kept: hyper
        // keeps a connection's read buffer at the size of the largest reply it read (up to
        // 400 KB) for as long as the connection lives, and 200 terminals' idle connections
        // held more memory than their pages (`cargo bench -p actatek-cli --bench export --
        // --fleet`: 143 → 75 MB). One more TCP (or resumed TLS) handshake a page, against a
        // page of hundreds of KB.
        let close = self.client.has_read_limit();
        if self.follow {
            return self.client.call_peeking(query, None, close).await;
        }
        let (client, guess) = (&self.client, self.guess(close));
        let mut guessed: Option<Prefetch> = None;
        let mut peek = |body: &[u8]| {
            // A body read again (a retry) replaces the earlier guess, which is aborted.
            guessed = None;
            guessed = guess.ask_after(client, body, limit, close);
            guessed.is_some()
        };
        let result = self.client.call_peeking(query, Some(&mut peek), close).await;
        // A guess from the body of an attempt that failed in the end is not kept.
        self.prefetched = if result.is_ok() { guessed } else { None };
        result
    }

    /// After a chunk, when no page is in flight yet (none was guessed from this one's bytes:
    /// both places ahead were taken when it arrived, the client is in a fleet, or no guess
    /// could be made): ask for the next page now, exactly as the next `next_chunk` will, so
    /// the terminal and the reading work on it while the caller handles this chunk.
    #[cfg(not(target_arch = "wasm32"))]
    fn ask_ahead(&mut self) {
        if self.done || self.follow || self.prefetched.is_some() {
            return;
        }
        let close = self.client.has_read_limit();
        self.prefetched = Prefetch::ask(&self.client, self.next_query(self.next_limit()), close, &self.guess(close));
    }

    /// How this export guesses pages ahead. A guessed page asks for the one after it unless
    /// the client shares a read limit (`close`: a fleet, where the other terminals keep the
    /// reads busy, and each terminal's pages in memory stay one).
    #[cfg(not(target_arch = "wasm32"))]
    fn guess(&self, close: bool) -> Guess {
        Guess { filter: self.filter.clone(), chunk: self.chunk, slots: self.slots.clone(), chain: !close }
    }

    #[cfg(target_arch = "wasm32")]
    fn ask_ahead(&mut self) {}

    /// The first limit `next_chunk` asks with: a chunk beyond the logs at the checkpoint's second.
    fn next_limit(&self) -> u32 {
        self.chunk.saturating_add(self.checkpoint.ids.len() as u32)
    }

    /// The query for the page after the checkpoint.
    fn next_query(&self, limit: u32) -> GetFullLogs {
        let mut query = self.filter.clone();
        query.limit = Some(limit);
        if self.checkpoint.timestamp.is_some() {
            query.from = self.checkpoint.timestamp;
        }
        query
    }

    #[cfg(target_arch = "wasm32")]
    async fn fetch(&mut self, query: &GetFullLogs, _limit: u32) -> Result<(Vec<FullLog>, ReadPermit), Error> {
        self.client.call_peeking(query, None, false).await
    }

    /// Where the export stands now (after the last chunk returned).
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The next chunk, or `None` when every matching log has been delivered. On error the
    /// checkpoint is unchanged: call again, or persist it and resume later.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<FullLog>>, Error> {
        // The chunk returned last has been handled: its turn ends.
        self.held = Default::default();
        if self.done {
            return Ok(None);
        }
        let mut limit = self.next_limit();
        loop {
            let query = self.next_query(limit);
            let (mut fresh, turn) = self.fetch(&query, limit).await?;
            let full_page = fresh.len() as u64 >= u64::from(limit);
            // Some firmware lists untimed logs on every page, or twice in one. (Kept in place:
            // a page's logs are hundreds of KB, and a second list of them cost a copy and as
            // much fresh memory again each page.)
            let mut untimed_here: Vec<String> = Vec::new();
            fresh.retain(|log| {
                if self.checkpoint.delivered_already(log) {
                    return false;
                }
                if log.timestamp.is_none() {
                    let key = untimed_key(log);
                    if untimed_here.contains(&key) {
                        return false;
                    }
                    untimed_here.push(key);
                }
                true
            });
            if fresh.is_empty() {
                if full_page {
                    // More logs share the checkpoint's second than fit in a page: widen it.
                    limit = limit.saturating_mul(2);
                    continue;
                }
                self.done = !self.follow;
                return Ok(if self.follow { Some(Vec::new()) } else { None });
            }
            // Untimed logs first (they have no place in time), then by time and id.
            // A terminal lists them so already; sorting would still take a scratch copy.
            let order = |l: &FullLog| (l.timestamp.map(|t| t.naive()), l.log_id);
            if !fresh.is_sorted_by_key(order) {
                fresh.sort_by_key(order);
            }
            for log in &fresh {
                self.checkpoint.advance(log);
            }
            if !full_page && !self.follow {
                self.done = true;
            }
            self.held = turn;
            self.ask_ahead();
            return Ok(Some(fresh));
        }
    }

    /// The remaining logs one by one; stops after the first error (resume from
    /// [`LogExport::checkpoint`] of a chunked export for exactly-once delivery).
    pub fn into_stream(self) -> impl Stream<Item = Result<FullLog, Error>> + crate::MaybeSend + 'static {
        futures::stream::unfold((self, VecDeque::new(), false), |(mut export, mut buffer, ended)| async move {
            loop {
                if let Some(log) = buffer.pop_front() {
                    return Some((Ok(log), (export, buffer, false)));
                }
                if ended {
                    return None;
                }
                match export.next_chunk().await {
                    Ok(Some(logs)) => buffer.extend(logs),
                    Ok(None) => return None,
                    Err(e) => return Some((Err(e), (export, buffer, true))),
                }
            }
        })
    }
}
