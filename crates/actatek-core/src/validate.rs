//! Strict writing: every value is checked against its rule before a request is built.
//! Reading is tolerant (values outside the documented sets are kept, see `lenient`), so the
//! same check also runs on data that came from a terminal and is being written back.

use crate::error::{ValidationError, ValidationErrors, join};

/// Check a value (and everything inside it) against the value rules.
pub trait Validate {
    /// Push every broken rule, with fields named relative to `at` (`""` at the top).
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>);

    /// All broken rules, or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        self.validate_at("", &mut errors);
        ValidationErrors::check(errors)
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        (**self).validate_at(at, errors)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if let Some(v) = self {
            v.validate_at(at, errors)
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        for (i, v) in self.iter().enumerate() {
            v.validate_at(&join(at, &format!("[{i}]")), errors)
        }
    }
}

macro_rules! always_valid {
    ($($t:ty),* $(,)?) => { $( impl Validate for $t {
        fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
    } )* };
}

always_valid!(
    String,
    compact_str::CompactString,
    str,
    bool,
    i32,
    i64,
    u32,
    u64,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
    crate::datetime::TerminalDateTime,
    crate::datetime::Expiry,
    crate::values::SessionId,
);

/// `at.field` for a child.
pub(crate) fn child(at: &str, field: &str) -> String {
    join(at, field)
}
