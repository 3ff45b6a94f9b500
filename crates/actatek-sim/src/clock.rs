//! The simulator's clock: real time by default, but tests can move it forward (session expiry
//! after 30 minutes, §1.1) or freeze it, without sleeping.

use chrono::{DateTime, TimeDelta, Utc};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// A clock that ticks with real time (or stands still) plus an offset that tests control.
/// Clones share the same time, so a test holding one moves every terminal using it.
#[derive(Clone)]
pub struct Clock(Arc<Inner>);

struct Inner {
    origin: Instant,
    start: DateTime<Utc>,
    ticking: bool,
    /// Nanoseconds added by [`Clock::advance`] and [`Clock::set`].
    offset_ns: AtomicI64,
}

impl Clock {
    /// Real time, ticking: what a terminal on a desk does.
    pub fn real() -> Self {
        Clock::starting_at(Utc::now())
    }

    /// Starts at `t` and ticks with real time from there (a terminal whose clock is wrong).
    pub fn starting_at(t: DateTime<Utc>) -> Self {
        Clock(Arc::new(Inner { origin: Instant::now(), start: t, ticking: true, offset_ns: AtomicI64::new(0) }))
    }

    /// Stands still at `t` until advanced: for tests that compare exact timestamps.
    pub fn frozen(t: DateTime<Utc>) -> Self {
        Clock(Arc::new(Inner { origin: Instant::now(), start: t, ticking: false, offset_ns: AtomicI64::new(0) }))
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = if self.0.ticking { self.0.origin.elapsed() } else { Duration::ZERO };
        let offset = TimeDelta::nanoseconds(self.0.offset_ns.load(Ordering::SeqCst));
        self.0.start + TimeDelta::from_std(elapsed).unwrap_or(TimeDelta::MAX) + offset
    }

    /// Move forward by `d` (sessions idle longer than 30 minutes then expire).
    pub fn advance(&self, d: Duration) {
        let ns = i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
        self.0.offset_ns.fetch_add(ns, Ordering::SeqCst);
    }

    /// Jump to `t` (forwards or backwards).
    pub fn set(&self, t: DateTime<Utc>) {
        let delta = t - self.now();
        if let Some(ns) = delta.num_nanoseconds() {
            self.0.offset_ns.fetch_add(ns, Ordering::SeqCst);
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::real()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clock").field("now", &self.now()).field("ticking", &self.0.ticking).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let t = Utc.with_ymd_and_hms(2025, 7, 16, 10, 0, 0).unwrap();
        let c = Clock::frozen(t);
        assert_eq!(c.now(), t);
        c.advance(Duration::from_secs(31 * 60));
        assert_eq!(c.now(), t + TimeDelta::minutes(31));
        c.set(t);
        assert_eq!(c.now(), t);
    }
}
