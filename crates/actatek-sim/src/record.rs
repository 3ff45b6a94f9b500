//! The request log: every request the terminal API saw, with the session id blanked out, so
//! tests in any language can check which operation a client called and what it got.

use crate::drift::DriftKind;
use crate::faults::FaultKind;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many requests are kept (the count goes on past it).
pub const REQUEST_LOG_CAPACITY: usize = 100_000;

/// One request as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// 1 for the first request since start (or since the log was cleared, the count goes on).
    pub seq: u64,
    /// The HTTP method.
    pub method: String,
    /// The path, session id replaced by `***`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The canonical operation the core's table routed it to; `None` for unknown paths.
    pub operation: Option<String>,
    /// The HTTP status answered; `None` when the connection was dropped without a response.
    pub status: Option<u16>,
    /// The fault injected into this request, if any.
    pub fault: Option<FaultKind>,
    /// The kinds of mutation drift mode applied to the reply (absent from the JSON when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<DriftKind>,
}

#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    pub(crate) entries: VecDeque<RecordedRequest>,
    pub(crate) total: u64,
}

impl RequestLog {
    pub(crate) fn push(&mut self, mut r: RecordedRequest) {
        self.total += 1;
        r.seq = self.total;
        if self.entries.len() == REQUEST_LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(r);
    }
}
