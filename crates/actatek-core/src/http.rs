//! HTTP request descriptions and reply reading, without doing any HTTP.

use crate::error::ReplyError;
use crate::lenient::{Element, FromReply, ReplySeed};
use crate::models::is_error_status;
use crate::values::SessionId;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// What an operation puts into a request, by location.
#[derive(Debug, Default)]
pub struct Params {
    /// Path parameters by wire name; `None` leaves the segment empty.
    pub path: Vec<(&'static str, Option<String>)>,
    /// Query parameters by wire name, in table order; `None` is left out.
    pub query: Vec<(&'static str, Option<String>)>,
    /// The JSON body.
    pub body: Option<Vec<u8>>,
}

pub use http::Method;

/// Every path below this prefix.
pub const API_PREFIX: &str = "/cgi-bin/restapi";

/// Path segments keep only unreserved characters and `:` (user ids may hold `/`, `#`, `?`, …).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b':');
/// Query values also keep `/` (URLs read as the manual prints them); space is `%20`, never `+`.
const QUERY: &AsciiSet = &SEGMENT.remove(b'/');

/// A request to send: method, encoded path, query pairs and JSON body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// The encoded path, starting with `/cgi-bin/restapi`.
    pub path: String,
    /// Decoded query pairs, in table order.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, if any.
    pub body: Option<Vec<u8>>,
    /// Where the session id sits in `path`, so that `Debug` can hide it.
    session_span: Option<(usize, usize)>,
}

impl HttpRequest {
    /// Path plus encoded query (`/cgi-bin/restapi/getLogs/1?from=…`).
    pub fn path_and_query(&self) -> String {
        let mut s = self.path.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            s.push(if i == 0 { '?' } else { '&' });
            s.push_str(k);
            s.push('=');
            s.extend(utf8_percent_encode(v, QUERY));
        }
        s
    }
    /// The path with the session id replaced by `***` (for logs and errors).
    pub fn redacted_path(&self) -> String {
        match self.session_span {
            Some((a, b)) => format!("{}***{}", &self.path[..a], &self.path[b..]),
            None => self.path.clone(),
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.redacted_path())
            .field("query", &self.query)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// Percent-encode one path segment.
pub fn encode_segment(s: &str) -> String {
    match s {
        // Clients and servers resolve dot segments away: a user id ".." must stay data.
        "." => "%2E".to_string(),
        ".." => "%2E%2E".to_string(),
        _ => utf8_percent_encode(s, SEGMENT).to_string(),
    }
}

pub(crate) fn build_request(
    method: Method,
    template: &str,
    session: Option<&SessionId>,
    params: Params,
) -> HttpRequest {
    let mut path = String::with_capacity(API_PREFIX.len() + template.len() + 32);
    path.push_str(API_PREFIX);
    let mut session_span = None;
    for (i, segment) in template.split('/').enumerate() {
        if i > 0 {
            path.push('/');
        }
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some("sid") => {
                let start = path.len();
                path.push_str(&encode_segment(session.map(SessionId::expose).unwrap_or("")));
                session_span = Some((start, path.len()));
            }
            Some(name) => {
                let value = params.path.iter().find(|(w, _)| *w == name).and_then(|(_, v)| v.as_deref());
                path.push_str(&encode_segment(value.unwrap_or("")));
            }
            None => path.push_str(segment),
        }
    }
    let query = params.query.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    HttpRequest { method, path, query, body: params.body, session_span }
}

#[derive(Deserialize)]
struct StatusProbe {
    #[serde(default, deserialize_with = "crate::lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt_string")]
    message: Option<String>,
}

fn probe(body: &[u8]) -> Option<StatusProbe> {
    serde_json::from_slice(body).ok().or_else(|| serde_json::from_slice(&crate::repair::repair(body)?).ok())
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut cut: String = text.chars().take(120).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// Read a reply: an error status or `{"status":"error"}` becomes [`ReplyError::Api`]; a body
/// that cannot be read becomes [`ReplyError::Protocol`] naming where it broke.
pub fn read_reply<R: FromReply>(operation: &'static str, status: u16, body: &[u8]) -> Result<R, ReplyError> {
    // Only the parse is per reply type; the rest is compiled once (`read_reply_with`).
    let mut reply = None;
    read_reply_with(operation, status, body, &mut |bytes| {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = serde::de::DeserializeSeed::deserialize(ReplySeed::<R>(PhantomData), &mut de)?;
        de.end()?;
        reply = Some(value);
        Ok(())
    })?;
    Ok(reply.expect("a reply read without error was kept"))
}

/// [`read_reply`] with its parse given: `parse` keeps what it read.
fn read_reply_with(
    operation: &'static str,
    status: u16,
    body: &[u8],
    parse: &mut dyn FnMut(&[u8]) -> Result<(), serde_json::Error>,
) -> Result<(), ReplyError> {
    let trimmed = body.trim_ascii();
    if !(200..300).contains(&status) {
        let message = match trimmed.first() {
            Some(b'{') => probe(trimmed).and_then(|p| p.message),
            _ => None,
        }
        .unwrap_or_else(|| if trimmed.is_empty() { format!("HTTP {status}") } else { snippet(trimmed) });
        return Err(ReplyError::Api { operation, status, message });
    }
    let protocol = |detail: String| ReplyError::Protocol { operation, status, detail };
    match trimmed.first() {
        None => return Err(protocol("empty reply, expected JSON".into())),
        Some(b'{') => {
            if let Some(p) = probe(trimmed)
                && let Some(s) = p.status.as_deref().filter(|s| is_error_status(s))
            {
                let message = p.message.unwrap_or_else(|| format!("status {s:?}"));
                return Err(ReplyError::Api { operation, status, message });
            }
        }
        Some(b'[') => {}
        Some(_) => return Err(protocol(format!("expected JSON, got {:?}", snippet(trimmed)))),
    }
    let first = match parse(trimmed) {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    let (bytes, error) = match (first.is_syntax(), crate::repair::repair(trimmed)) {
        (true, Some(fixed)) => match parse(&fixed) {
            Ok(()) => return Ok(()),
            Err(e) => (fixed, e),
        },
        _ => (trimmed.to_vec(), first),
    };
    let detail = if error.is_eof() {
        format!("reply ends too early ({error})")
    } else {
        // Where it broke: the error's position, walked back to keys and indices.
        match crate::locate::path_at(&bytes, crate::locate::offset_of(&bytes, error.line(), error.column())) {
            path if path.is_empty() => error.to_string(),
            path => format!("at {path}: {error}"),
        }
    };
    Err(protocol(detail))
}

/// An operation's reply reader: [`crate::ops::Operation::read_reply`].
pub type ReadFn<R> = fn(u16, &[u8]) -> Result<R, ReplyError>;

/// A reply read while it arrives. The chunks are kept as they come, uncopied (a caller may
/// look at the whole body, and anything not read element by element is read whole at the
/// end); for a list reply that is a plain top-level JSON array, each element is read as soon
/// as its last byte is in, so the reading overlaps the transfer: a terminal writes a long log
/// list as it produces it. Only an element cut by the end of a chunk is copied, to be read
/// once its end has come.
///
/// [`ReplyReader::finish`] returns exactly what the operation's own reader (`read`) returns
/// for the whole body: whenever the reply is anything else (an error status, one bare object,
/// a trailing comma or any syntax the repair mends, an element that does not read on its
/// own, text after the array), the elements read so far are dropped and the whole body is
/// read by `read`.
pub struct ReplyReader<R> {
    read: ReadFn<R>,
    status: u16,
    size: Option<u64>,
    chunks: Vec<bytes::Bytes>,
    /// The chunks made one, once asked for.
    whole: Option<Vec<u8>>,
    /// The list so far; `None` once the reply is not read element by element.
    list: Option<R>,
    scan: Scan,
    /// An element cut by the end of a chunk.
    carry: Carry,
    elements: usize,
    /// Elements handed over by [`ReplyReader::drain`].
    drained: usize,
}

/// How a reply read in parts ends ([`ReplyReader::finish_rest`]).
#[derive(Debug)]
pub enum Rest<R> {
    /// The elements after those already handed over.
    More(R),
    /// The whole reply, read at the end: the elements handed over before do not stand.
    Whole(R),
}

/// An element cut by the end of a chunk: its bytes so far, and where its brackets stand.
#[derive(Default)]
struct Carry {
    bytes: Vec<u8>,
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl Carry {
    /// Follow the element's next bytes: `Some(k)` when it ends after `k` of them.
    fn end_in(&mut self, next: &[u8]) -> Option<usize> {
        for (k, &b) in next.iter().enumerate() {
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(k + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// Brackets in one element beyond which it may be too deep to read inside its array.
const DEEP: usize = 100;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scan {
    /// Before the `[`.
    Start,
    /// After `[` (`first`) or after a `,`.
    Before { first: bool },
    /// After an element.
    After,
    /// After the closing `]`.
    Done,
}

/// The most elements a drained list makes room for in the list that replaces it.
const DRAIN_ROOM: usize = 4096;

impl<R: FromReply> ReplyReader<R> {
    /// A reader of a reply with HTTP `status` whose whole-body reader is `read` (the
    /// operation's `read_reply`); `size` (Content-Length, when sent) sizes the whole body.
    pub fn new(read: ReadFn<R>, status: u16, size: Option<u64>) -> Self {
        let list = if (200..300).contains(&status) { R::empty_list() } else { None };
        ReplyReader {
            read,
            status,
            size,
            chunks: Vec::new(),
            whole: None,
            list,
            scan: Scan::Start,
            carry: Carry::default(),
            elements: 0,
            drained: 0,
        }
    }

    /// A reader that keeps the chunks and reads the whole body only at
    /// [`ReplyReader::finish`]: for a caller that looks at the whole body before it is read
    /// (the log export guesses its next page from it and asks for that page first, so the
    /// page is read while the next one arrives).
    pub fn whole(read: ReadFn<R>, status: u16, size: Option<u64>) -> Self {
        ReplyReader { list: None, ..ReplyReader::new(read, status, size) }
    }

    /// The next bytes of the body.
    pub fn feed(&mut self, chunk: bytes::Bytes) {
        if self.list.is_some() {
            self.advance(&chunk);
        }
        self.whole = None;
        self.chunks.push(chunk);
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body so far, in one piece (made once, when first asked for).
    pub fn body(&mut self) -> &[u8] {
        if self.chunks.len() == 1 {
            return &self.chunks[0];
        }
        let chunks = &self.chunks;
        self.whole.get_or_insert_with(|| {
            let len = chunks.iter().map(|c| c.len()).sum::<usize>();
            let mut whole = Vec::with_capacity(self.size.map_or(len, |n| (n as usize).max(len)));
            for chunk in chunks {
                whole.extend_from_slice(chunk);
            }
            whole
        })
    }

    /// How many elements were read as they arrived; `None` once the reply is to be read
    /// whole at the end instead (not a list, or not a plain array).
    pub fn elements_read(&self) -> Option<usize> {
        self.list.as_ref().map(|_| self.elements)
    }

    /// The reply, as the operation's reader reads the whole body.
    pub fn finish(mut self) -> Result<R, ReplyError> {
        match (self.list.take(), self.scan) {
            (Some(list), Scan::Done) => Ok(list),
            _ => (self.read)(self.status, self.body()),
        }
    }

    /// The elements read so far that [`ReplyReader::drain`] has not handed over yet.
    pub fn pending(&self) -> usize {
        self.list.as_ref().map_or(0, |_| self.elements - self.drained)
    }

    /// Hand over the elements read so far (a list reply read element by element), so that a
    /// caller can use them while the rest arrives. `None` when there is nothing to hand over.
    /// Whether they stand is known only at the end: see [`ReplyReader::finish_rest`].
    pub fn drain(&mut self) -> Option<R> {
        let list = self.list.as_mut()?;
        // Room for as many as this batch held (a caller drains at a steady size, and a list
        // grown from empty would be copied at every doubling), at most `DRAIN_ROOM`: a body
        // that came in one piece is drained whole, and nothing may follow it. Once the list's
        // end has been read, nothing will.
        let room = if matches!(self.scan, Scan::Done) { 0 } else { (self.elements - self.drained).min(DRAIN_ROOM) };
        let rest = R::empty_list_for(room)?;
        self.drained = self.elements;
        Some(std::mem::replace(list, rest))
    }

    /// [`ReplyReader::finish`] after [`ReplyReader::drain`]: either the elements not handed
    /// over yet, or the reply read whole, which replaces every element handed over.
    pub fn finish_rest(mut self) -> Result<Rest<R>, ReplyError> {
        match (self.list.take(), self.scan) {
            (Some(list), Scan::Done) => Ok(Rest::More(list)),
            _ => (self.read)(self.status, self.body()).map(Rest::Whole),
        }
    }

    fn give_up(&mut self) {
        self.list = None;
        self.carry = Carry::default();
    }

    /// One element read from `bytes` (its first byte first): how many bytes it took, or
    /// `None` while it is incomplete. Gives up on an element that does not read.
    fn element(&mut self, text: &str) -> Option<Result<usize, ()>> {
        let bytes = text.as_bytes();
        let list = self.list.as_mut()?;
        match list.push_element(text) {
            Element::Read(n) => {
                // serde_json refuses nesting beyond 128 levels, and an element read alone
                // starts a level higher than inside the array: one with that many brackets
                // is left to the whole reading.
                if n >= 2 * DEEP && memchr::memchr2_iter(b'{', b'[', &bytes[..n]).count() >= DEEP {
                    return Some(Err(()));
                }
                self.elements += 1;
                self.scan = Scan::After;
                Some(Ok(n))
            }
            Element::Incomplete => None,
            Element::Unreadable => Some(Err(())),
        }
    }

    fn advance(&mut self, chunk: &[u8]) {
        let mut i = 0;
        if !self.carry.bytes.is_empty() {
            // The element cut by the last chunk's end: its end is found by its brackets (so a
            // long element is read once, not again with every chunk), then it is read.
            let Some(end) = self.carry.end_in(chunk) else {
                self.carry.bytes.extend_from_slice(chunk);
                return;
            };
            let mut carry = std::mem::take(&mut self.carry);
            carry.bytes.extend_from_slice(&chunk[..end]);
            let Ok(text) = std::str::from_utf8(&carry.bytes) else { return self.give_up() };
            match self.element(text) {
                Some(Ok(n)) if n == carry.bytes.len() => i = end,
                _ => return self.give_up(),
            }
        }
        // The rest of the chunk's UTF-8 is checked once, here: elements are then read as text
        // (serde_json's `StrRead`), which skips the check of each string. The check stops
        // before a character cut by the chunk's end (or a byte that is not UTF-8): an element
        // reaching past that point reads as cut, is kept, and is read once its end has come
        // (or, when its brackets close within the chunk, the whole reading says what is wrong).
        let text = match std::str::from_utf8(&chunk[i..]) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&chunk[i..i + e.valid_up_to()]).expect("the valid part is UTF-8"),
        };
        let start = i;
        while i < chunk.len() {
            let b = chunk[i];
            match self.scan {
                _ if b.is_ascii_whitespace() => i += 1,
                Scan::Start if b == b'[' => {
                    self.scan = Scan::Before { first: true };
                    i += 1;
                }
                Scan::Before { first: true } if b == b']' => {
                    self.scan = Scan::Done;
                    i += 1;
                }
                // `i - start` is a character boundary: every byte before it is ASCII syntax
                // or a whole element.
                Scan::Before { .. } if b == b'{' || b == b'[' => {
                    match self.element(text.get(i - start..).unwrap_or("")) {
                        Some(Ok(n)) => i += n,
                        // Kept, and read when its end has come.
                        None => {
                            let mut carry = Carry::default();
                            if carry.end_in(&chunk[i..]).is_some() {
                                // Its brackets close here, yet it reads as cut: the whole reading says why.
                                return self.give_up();
                            }
                            carry.bytes.extend_from_slice(&chunk[i..]);
                            self.carry = carry;
                            return;
                        }
                        Some(Err(())) => return self.give_up(),
                    }
                }
                Scan::After if b == b',' => {
                    self.scan = Scan::Before { first: false };
                    i += 1;
                }
                Scan::After if b == b']' => {
                    self.scan = Scan::Done;
                    i += 1;
                }
                // Anything else (a scalar element, a trailing comma, text after the array, …).
                _ => return self.give_up(),
            }
        }
    }
}
