//! Fault injection: what a flaky network or a tired terminal does to a request, on demand
//! (the next N requests) or by chance (a seeded rate), so client retry and write-safety logic
//! can be tested for real over loopback.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// What happens to a request hit by a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Close the connection without any response; the operation is NOT applied.
    DropBefore,
    /// Apply the operation to the state, then close the connection without any response
    /// (the reply is lost: a client must not repeat the write).
    DropAfter,
    /// Answer HTTP 500 with the common error body; the operation is not applied.
    Status500,
    /// Apply the operation, then wait `delay` before replying (a slow terminal; a client
    /// that times out has still changed the state).
    Slow,
    /// Apply the operation, then send a 200 whose body is cut in half (invalid JSON).
    Truncate,
    /// Forget the request's session first, so the reply is the session error (no effect on
    /// operations without a session: login, get_api_version).
    ExpireSession,
}

impl FaultKind {
    /// Every kind, for CLIs and docs.
    pub const ALL: [FaultKind; 6] = [
        FaultKind::DropBefore,
        FaultKind::DropAfter,
        FaultKind::Status500,
        FaultKind::Slow,
        FaultKind::Truncate,
        FaultKind::ExpireSession,
    ];

    /// The wire name used by the control API (`drop_before`, `status500`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::DropBefore => "drop_before",
            FaultKind::DropAfter => "drop_after",
            FaultKind::Status500 => "status500",
            FaultKind::Slow => "slow",
            FaultKind::Truncate => "truncate",
            FaultKind::ExpireSession => "expire_session",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for FaultKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FaultKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            format!("unknown fault kind {s:?} (expected one of drop_before, drop_after, status500, slow, truncate, expire_session)")
        })
    }
}

/// One fault to inject: a kind, how many requests it hits (or a rate), and optionally the
/// only operation it applies to. Built fluently: `Fault::drop_before().on("get_logs").times(2)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// What happens to the request.
    pub kind: FaultKind,
    /// How many more requests this fault hits (queued faults).
    pub count: u32,
    /// Only requests routed to this canonical operation name; `None` = any operation.
    pub operation: Option<String>,
    /// Probability per request (rate faults); `None` = queued fault.
    pub rate: Option<f64>,
    /// The delay of a `slow` fault.
    #[serde(with = "millis")]
    pub delay: Duration,
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

impl Fault {
    /// A fault of that kind hitting the next request (any operation).
    pub fn new(kind: FaultKind) -> Self {
        Fault { kind, count: 1, operation: None, rate: None, delay: Duration::from_millis(500) }
    }
    /// Close the connection; the operation is not applied.
    pub fn drop_before() -> Self {
        Fault::new(FaultKind::DropBefore)
    }
    /// Apply the operation, then close the connection (the reply is lost).
    pub fn drop_after() -> Self {
        Fault::new(FaultKind::DropAfter)
    }
    /// Answer HTTP 500; the operation is not applied.
    pub fn status500() -> Self {
        Fault::new(FaultKind::Status500)
    }
    /// Delay the reply by `delay`.
    pub fn slow(delay: Duration) -> Self {
        Fault { delay, ..Fault::new(FaultKind::Slow) }
    }
    /// Apply the operation, answer 200 with half the body.
    pub fn truncate() -> Self {
        Fault::new(FaultKind::Truncate)
    }
    /// Forget the request's session first.
    pub fn expire_session() -> Self {
        Fault::new(FaultKind::ExpireSession)
    }
    /// Only requests to this operation (canonical name, `get_logs`).
    pub fn on(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }
    /// Hit the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.count = n;
        self
    }
    /// Hit each matching request with probability `rate` (0.0–1.0) instead of a count.
    pub fn rate(mut self, rate: f64) -> Self {
        self.rate = Some(probability(rate));
        self
    }
    fn matches(&self, operation: &str) -> bool {
        self.operation.as_deref().is_none_or(|o| o == operation)
    }
}

/// A rate as a probability the RNG accepts (NaN and out-of-range values are clamped).
fn probability(rate: f64) -> f64 {
    if rate.is_nan() { 0.0 } else { rate.clamp(0.0, 1.0) }
}

/// The faults waiting for requests: a queue of counted faults (first match wins) and a set of
/// rate faults drawn with a seeded RNG (reproducible runs).
pub struct Faults {
    inner: Mutex<Inner>,
}

struct Inner {
    queue: VecDeque<Fault>,
    rates: Vec<Fault>,
    rng: StdRng,
}

impl Faults {
    pub(crate) fn new(seed: u64) -> Self {
        Faults {
            inner: Mutex::new(Inner { queue: VecDeque::new(), rates: Vec::new(), rng: StdRng::seed_from_u64(seed) }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Add a fault: counted faults queue up, faults with a rate join the rate set.
    pub fn push(&self, fault: Fault) {
        let mut inner = self.lock();
        if fault.rate.is_some() {
            inner.rates.push(fault);
        } else if fault.count > 0 {
            inner.queue.push_back(fault);
        }
    }

    /// Hit every request (any operation) with `kind` at probability `rate`; 0 removes it.
    pub fn set_rate(&self, kind: FaultKind, rate: f64) {
        let mut inner = self.lock();
        inner.rates.retain(|f| !(f.kind == kind && f.operation.is_none()));
        if rate > 0.0 {
            inner.rates.push(Fault::new(kind).rate(rate));
        }
    }

    /// Remove every fault.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.queue.clear();
        inner.rates.clear();
    }

    /// The faults still waiting (queued first, then rates).
    pub fn pending(&self) -> Vec<Fault> {
        let inner = self.lock();
        inner.queue.iter().chain(inner.rates.iter()).cloned().collect()
    }

    /// The fault (if any) for one request to `operation`, consuming a queued one.
    pub(crate) fn pick(&self, operation: &str) -> Option<Fault> {
        let mut inner = self.lock();
        if let Some(i) = inner.queue.iter().position(|f| f.matches(operation)) {
            let f = &mut inner.queue[i];
            f.count -= 1;
            let hit = f.clone();
            if f.count == 0 {
                inner.queue.remove(i);
            }
            return Some(hit);
        }
        let Inner { rates, rng, .. } = &mut *inner;
        rates
            .iter()
            .filter(|f| f.matches(operation))
            .find(|f| rng.random_bool(probability(f.rate.unwrap_or(0.0))))
            .cloned()
    }
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.pending()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_faults_hit_matching_requests_in_order() {
        let faults = Faults::new(1);
        faults.push(Fault::drop_before().on("get_logs").times(2));
        faults.push(Fault::status500());
        assert_eq!(faults.pick("get_users").map(|f| f.kind), Some(FaultKind::Status500));
        assert_eq!(faults.pick("get_logs").map(|f| f.kind), Some(FaultKind::DropBefore));
        assert_eq!(faults.pick("get_logs").map(|f| f.kind), Some(FaultKind::DropBefore));
        assert_eq!(faults.pick("get_logs"), None);
    }

    #[test]
    fn rates_are_reproducible_with_a_seed() {
        let draw = || {
            let faults = Faults::new(7);
            faults.set_rate(FaultKind::Status500, 0.3);
            (0..200).filter(|_| faults.pick("open_door").is_some()).count()
        };
        let n = draw();
        assert_eq!(n, draw());
        assert!((30..90).contains(&n), "{n}");
    }

    #[test]
    fn kinds_have_wire_names() {
        for k in FaultKind::ALL {
            assert_eq!(k.as_str().parse::<FaultKind>().unwrap(), k);
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
