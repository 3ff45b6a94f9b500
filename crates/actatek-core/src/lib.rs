//! # actatek-core
//!
//! The sans-IO core of the ACTAtek terminal SDK. It knows every operation of the terminal's
//! REST API (the 72 canonical operations of ENDPOINTS.md), the value rules, the quirks of real
//! terminals and the manual's errata, and does no I/O:
//!
//! - [`ops`]: one typed struct per operation, generated from [`operation_table!`]; each turns
//!   into an [`HttpRequest`] (validated first) and reads its reply.
//! - [`models`], [`values`], [`datetime`]: the terminal's records and vocabulary.
//! - [`error`]: [`ValidationError`] (field, value, rule), [`ReplyError`] (terminal error or
//!   unreadable reply).
//! - [`format`]: how a person writes each value ([`ValueFormat`]: help texts, CLI flags).
//! - [`describe`]: the whole API as one JSON document (`docs/api.json`), which every binding's
//!   generated code is written from.
//!
//! ```
//! use actatek_core::{ops::{GetUsers, Operation}, SessionId};
//! let op = GetUsers { user_id: Some("A/1".into()), partial_user_id: None, last_name: None, first_name: None, other_name: None };
//! let req = op.request(Some(&SessionId::new("42"))).unwrap();
//! assert_eq!(req.path_and_query(), "/cgi-bin/restapi/user/42?userID=A/1");
//! let users = GetUsers::read_reply(200, br#"[{"userID": "A/1", "groupID": 3,}]"#).unwrap();
//! assert_eq!(users[0].group_id, Some(vec![3]));
//! ```

pub mod datetime;
pub mod describe;
pub mod error;
pub mod format;
pub mod http;
pub mod lenient;
pub mod locate;
pub mod models;
pub mod mutate;
pub mod ops;
pub mod plan;
pub mod record;
pub mod repair;
pub mod routing;
mod table;
pub mod validate;
pub mod values;

pub use datetime::{Expiry, TerminalDateTime};
pub use error::{Error, ReplyError, Rule, ValidationError, ValidationErrors};
pub use format::{Described, FieldFormat, Kind, Scalar, ValueFormat};
pub use http::{HttpRequest, Method};
pub use models::*;
pub use ops::{
    AnyOperation, HttpMethod, Location, OPERATIONS, Operation, OperationInfo, ParamInfo, ReplyShape, operation_info,
};
pub use validate::Validate;
pub use values::*;
