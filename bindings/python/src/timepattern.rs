//! `actatek.TimePattern`: a day's 48 half-hour slots (§5.1), the core's type.

use crate::errors::validation_error;
use actatek::TimePattern;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple, PyType};

/// A day's schedule: 48 half-hour slots, slot *i* starting at *i* × 30 minutes (§5.1).
///
/// `TimePattern("0000…1111…")` takes the 48-character wire form;
/// `TimePattern.from_ranges("08:00-12:30, 13:30-17:00")` the readable one. `str(tp)` is the wire
/// form, `tp.ranges()` the readable one.
#[pyclass(module = "actatek", name = "TimePattern", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyTimePattern {
    pub inner: TimePattern,
}

#[pymethods]
impl PyTimePattern {
    #[new]
    fn new(py: Python<'_>, pattern: &str) -> PyResult<Self> {
        TimePattern::parse(pattern)
            .map(|inner| PyTimePattern { inner })
            .map_err(|e| validation_error(py, "pattern", &e))
    }

    /// Build from ranges such as `"08:00-12:30, 13:30-17:00"` (half-hour boundaries; `24:00`
    /// may end a range; `""` is the empty pattern).
    #[classmethod]
    fn from_ranges(_cls: &Bound<'_, PyType>, py: Python<'_>, ranges: &str) -> PyResult<Self> {
        TimePattern::from_ranges(ranges)
            .map(|inner| PyTimePattern { inner })
            .map_err(|e| validation_error(py, "ranges", &e))
    }

    /// The on-slots as merged ranges, `"08:00-12:30, 13:30-17:00"` (`""` when none).
    fn ranges(&self) -> String {
        self.inner.to_ranges()
    }

    /// Whether the schedule is on at `hour:minute`.
    #[pyo3(signature = (hour, minute = 0))]
    fn is_on(&self, hour: u32, minute: u32) -> bool {
        self.inner.is_on_at(hour, minute)
    }

    /// The 48 slots, `True` where on.
    fn slots(&self) -> Vec<bool> {
        (0..TimePattern::SLOTS).map(|i| self.inner.is_on(i)).collect()
    }

    /// No slot on.
    #[classattr]
    #[allow(non_snake_case)]
    fn EMPTY() -> Self {
        PyTimePattern { inner: TimePattern::EMPTY }
    }

    /// Every slot on.
    #[classattr]
    #[allow(non_snake_case)]
    fn ALL_DAY() -> Self {
        PyTimePattern { inner: TimePattern::ALL_DAY }
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ranges = PyString::new(py, &self.inner.to_ranges()).repr()?;
        Ok(format!("TimePattern.from_ranges({ranges})"))
    }

    fn __bool__(&self) -> bool {
        !self.inner.is_empty()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let cls = slf.get_type().into_any();
        let args = PyTuple::new(slf.py(), [slf.get().inner.to_string()])?;
        Ok((cls, args))
    }
}
