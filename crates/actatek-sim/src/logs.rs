//! The event log store, built for a million records: 32 bytes per log, strings (user ids,
//! triggers, serial numbers) interned once, demo photos synthesized from the log id on demand
//! instead of stored.

use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::sync::Arc;

/// Interned strings, so a million logs share a handful of trigger names and serial numbers.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    strings: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let arc: Arc<str> = Arc::from(s);
        let i = u32::try_from(self.strings.len()).expect("fewer than 4 billion distinct strings");
        self.strings.push(arc.clone());
        self.index.insert(arc, i);
        i
    }
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }
    pub(crate) fn resolve(&self, i: u32) -> &str {
        &self.strings[i as usize]
    }
    pub(crate) fn len(&self) -> usize {
        self.strings.len()
    }
    /// Every string, by index (shared, not copied).
    pub(crate) fn snapshot(&self) -> Vec<Arc<str>> {
        self.strings.clone()
    }
}

/// Where a log's photo comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum PhotoSource {
    None,
    /// Demo data: bytes derived from the log id (nothing stored).
    Generated,
    /// Bytes stored in [`LogStore::photos`].
    Stored,
}

/// One event log as stored (32 bytes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogRecord {
    pub(crate) id: i64,
    /// Terminal local time (§2.1: no zone).
    pub(crate) ts: NaiveDateTime,
    pub(crate) user: u32,
    pub(crate) trigger: u32,
    pub(crate) terminal: u16,
    pub(crate) photo: PhotoSource,
}

/// A read-only view of one log, for tests and the library API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// logID, increasing in insertion order.
    pub log_id: i64,
    /// Terminal local time.
    pub timestamp: NaiveDateTime,
    /// The user of the event (need not exist).
    pub user_id: String,
    /// The event name: IN, OUT, F1 …, REMOTE DOOR OPEN.
    pub trigger: String,
    /// The terminal that recorded it.
    pub terminal_sn: String,
    /// Whether getFullLogs and getLogPhoto answer a JPEG for it.
    pub has_photo: bool,
}

/// Every event log of a terminal, in logID order.
#[derive(Debug, Clone)]
pub struct LogStore {
    pub(crate) records: Vec<LogRecord>,
    pub(crate) strings: Interner,
    pub(crate) photos: HashMap<i64, Vec<u8>>,
    next_id: i64,
    /// Whether `records` is also in (timestamp, logID) order: true unless add_log went back
    /// in time, so queries can binary-search and skip sorting.
    pub(crate) sorted: bool,
    photo_seed: u64,
}

impl LogStore {
    pub(crate) fn new(photo_seed: u64) -> Self {
        LogStore {
            records: Vec::new(),
            strings: Interner::default(),
            photos: HashMap::new(),
            next_id: 1,
            sorted: true,
            photo_seed,
        }
    }

    /// How many logs are stored.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no log is stored.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The logID the next log gets.
    pub fn next_id(&self) -> i64 {
        self.next_id
    }

    pub(crate) fn reserve(&mut self, n: usize) {
        self.records.reserve(n);
    }

    pub(crate) fn push_record(
        &mut self,
        ts: NaiveDateTime,
        user: u32,
        trigger: u32,
        terminal: u16,
        photo: PhotoSource,
    ) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        if self.records.last().is_some_and(|last| last.ts > ts) {
            self.sorted = false;
        }
        self.records.push(LogRecord { id, ts, user, trigger, terminal, photo });
        id
    }

    pub(crate) fn intern_terminal(&mut self, sn: &str) -> u16 {
        u16::try_from(self.strings.intern(sn)).unwrap_or(u16::MAX)
    }

    /// Append a log; returns its logID.
    pub fn push(&mut self, timestamp: NaiveDateTime, user_id: &str, trigger: &str, terminal_sn: &str) -> i64 {
        let (u, t, s) = (self.strings.intern(user_id), self.strings.intern(trigger), self.intern_terminal(terminal_sn));
        self.push_record(timestamp, u, t, s, PhotoSource::None)
    }

    /// Append a log with a JPEG photo; returns its logID.
    pub fn push_with_photo(
        &mut self,
        timestamp: NaiveDateTime,
        user_id: &str,
        trigger: &str,
        terminal_sn: &str,
        jpeg: Vec<u8>,
    ) -> i64 {
        let (u, t, s) = (self.strings.intern(user_id), self.strings.intern(trigger), self.intern_terminal(terminal_sn));
        let id = self.push_record(timestamp, u, t, s, PhotoSource::Stored);
        self.photos.insert(id, jpeg);
        id
    }

    /// Delete every log.
    pub fn clear(&mut self) {
        self.records.clear();
        self.photos.clear();
        self.sorted = true;
    }

    /// Keep only the logs for which `keep` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&LogRecord) -> bool) {
        let photos = &mut self.photos;
        self.records.retain(|r| {
            let k = keep(r);
            if !k && r.photo == PhotoSource::Stored {
                photos.remove(&r.id);
            }
            k
        });
    }

    pub(crate) fn entry(&self, r: &LogRecord) -> LogEntry {
        LogEntry {
            log_id: r.id,
            timestamp: r.ts,
            user_id: self.strings.resolve(r.user).to_string(),
            trigger: self.strings.resolve(r.trigger).to_string(),
            terminal_sn: self.strings.resolve(u32::from(r.terminal)).to_string(),
            has_photo: r.photo != PhotoSource::None,
        }
    }

    /// Every log, in logID order.
    pub fn iter(&self) -> impl Iterator<Item = LogEntry> + '_ {
        self.records.iter().map(|r| self.entry(r))
    }

    /// The last log appended.
    pub fn last(&self) -> Option<LogEntry> {
        self.records.last().map(|r| self.entry(r))
    }

    /// The seed demo photos are made from.
    pub(crate) fn photo_seed(&self) -> u64 {
        self.photo_seed
    }

    /// The photo of a log, if it has one.
    pub(crate) fn photo(&self, r: &LogRecord) -> Option<Vec<u8>> {
        photo_of(r, self.photo_seed, &self.photos)
    }

    /// Indices of the records in (timestamp, logID) order between `from` and `to` (inclusive).
    pub(crate) fn range(&self, from: Option<NaiveDateTime>, to: Option<NaiveDateTime>) -> Vec<usize> {
        let inside = |ts: NaiveDateTime| from.is_none_or(|f| ts >= f) && to.is_none_or(|t| ts <= t);
        if self.sorted {
            let start = from.map_or(0, |f| self.records.partition_point(|r| r.ts < f));
            let end = to.map_or(self.records.len(), |t| self.records.partition_point(|r| r.ts <= t));
            (start..end.max(start)).collect()
        } else {
            let mut idx: Vec<usize> = (0..self.records.len()).filter(|&i| inside(self.records[i].ts)).collect();
            idx.sort_by_key(|&i| (self.records[i].ts, self.records[i].id));
            idx
        }
    }
}

/// The photo of a log: made from its id (demo data) or stored in `photos`.
pub(crate) fn photo_of(r: &LogRecord, seed: u64, photos: &HashMap<i64, Vec<u8>>) -> Option<Vec<u8>> {
    match r.photo {
        PhotoSource::None => None,
        PhotoSource::Generated => Some(demo_jpeg(seed, r.id)),
        PhotoSource::Stored => photos.get(&r.id).cloned(),
    }
}

/// A small JPEG-looking blob (SOI, JFIF APP0, a comment naming the log, filler, EOI), a few
/// hundred bytes, the same every time for the same seed and log id.
pub(crate) fn demo_jpeg(seed: u64, id: i64) -> Vec<u8> {
    let mut x = seed ^ (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = || {
        // splitmix64
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let filler = 160 + (next() % 240) as usize;
    let comment = format!("actatek-sim log {id}");
    let mut out = Vec::with_capacity(filler + 64);
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00]);
    out.extend_from_slice(&[0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    let com_len = (comment.len() + filler + 2) as u16;
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&com_len.to_be_bytes());
    out.extend_from_slice(comment.as_bytes());
    while out.len() < 24 + comment.len() + filler {
        out.extend_from_slice(&next().to_le_bytes());
    }
    out.truncate(24 + comment.len() + filler);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_record_is_32_bytes() {
        assert_eq!(std::mem::size_of::<LogRecord>(), 32);
    }

    #[test]
    fn demo_photos_are_small_deterministic_jpegs() {
        let a = demo_jpeg(7, 42);
        assert_eq!(a, demo_jpeg(7, 42));
        assert_ne!(a, demo_jpeg(7, 43));
        assert!(a.starts_with(&[0xFF, 0xD8]) && a.ends_with(&[0xFF, 0xD9]));
        assert!((150..500).contains(&a.len()), "{}", a.len());
    }
}
