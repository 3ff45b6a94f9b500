//! The table read backwards: which operation an incoming request is, and its parameters in
//! wire form. The simulator routes with this, so it can never disagree with the client about
//! a path.

use crate::format::Scalar;
use crate::http::API_PREFIX;
use crate::ops::{Location, OPERATIONS, OperationInfo};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

/// A request matched to an operation.
#[derive(Clone, PartialEq)]
pub struct Route {
    pub operation: &'static OperationInfo,
    /// The session id from the path, if the operation has one.
    pub session: Option<String>,
    /// Decoded path parameters by wire name.
    pub path_params: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("operation", &self.operation.name)
            .field("session", &self.session.as_ref().map(|_| "***"))
            .field("path_params", &self.path_params)
            .finish()
    }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Match a method and a path (with or without the `/cgi-bin/restapi` prefix and the query).
/// A trailing `/` is optional, except that `/getLogs/{sid}/` (empty limit) is get_full_logs.
/// Operations sharing a method and path (add_user / add_users, update_user / update_users)
/// match the first; [`Route::with_body`] picks by the body's shape.
pub fn route(method: &str, path: &str) -> Option<Route> {
    let path = path.split('?').next().unwrap_or("");
    let path = path.strip_prefix(API_PREFIX).unwrap_or(path);
    let got: Vec<&str> = path.split('/').collect();
    let trimmed: &[&str] = if got.len() > 2 && got.last() == Some(&"") { &got[..got.len() - 1] } else { &got };
    for exact in [true, false] {
        for op in OPERATIONS.iter().filter(|o| o.method.as_str().eq_ignore_ascii_case(method)) {
            let template: Vec<&str> = op.template.split('/').collect();
            let tmpl: &[&str] =
                if exact || template.last() != Some(&"") { &template } else { &template[..template.len() - 1] };
            let segs = if exact { &got[..] } else { trimmed };
            if let Some(r) = match_segments(op, tmpl, segs) {
                return Some(r);
            }
        }
    }
    None
}

fn match_segments(op: &'static OperationInfo, template: &[&str], segs: &[&str]) -> Option<Route> {
    if template.len() != segs.len() {
        return None;
    }
    let mut route = Route { operation: op, session: None, path_params: Vec::new() };
    for (t, s) in template.iter().zip(segs) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some("sid") => route.session = Some(decode(s)),
            Some(name) => {
                let wire = op.params.iter().find(|p| p.wire == name)?.wire;
                // An empty segment is an absent optional parameter (get_full_logs' limit).
                if !s.is_empty() {
                    route.path_params.push((wire, decode(s)));
                } else if !op.params.iter().any(|p| p.wire == name && !p.required) {
                    return None;
                }
            }
            None if t == s => {}
            None => return None,
        }
    }
    Some(route)
}

impl Route {
    /// For operations that share a path: `[…]` bodies go to the list operation (add_users,
    /// update_users).
    pub fn with_body(mut self, body: Option<&Value>) -> Route {
        if let Some(Value::Array(_)) = body {
            let plural = match self.operation.name {
                "add_user" => Some("add_users"),
                "update_user" => Some("update_users"),
                _ => None,
            };
            if let Some(op) = plural.and_then(crate::ops::operation_info) {
                self.operation = op;
            }
        }
        self
    }

    /// The operation's input in wire form, from the path, the query and the body: numbers and
    /// booleans are typed by the table, "X or [X]" bodies are made arrays. Feed it to
    /// [`AnyOperation::from_wire`](crate::AnyOperation::from_wire).
    pub fn wire_input(&self, query: &str, body: Option<Value>) -> Value {
        let mut input = Map::new();
        let typed = |wire: &str, text: String| -> Value {
            let scalar = self.operation.params.iter().find(|p| p.wire == wire).map(|p| p.scalar);
            if scalar == Some(Scalar::Integer) {
                text.parse::<i64>().map(Value::from).unwrap_or(Value::String(text))
            } else if scalar == Some(Scalar::Bool) {
                match text.to_ascii_lowercase().as_str() {
                    "true" | "1" | "enable" => Value::Bool(true),
                    "false" | "0" | "disable" => Value::Bool(false),
                    _ => Value::String(text),
                }
            } else {
                Value::String(text)
            }
        };
        for (wire, value) in &self.path_params {
            input.insert((*wire).to_string(), typed(wire, value.clone()));
        }
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = decode(k);
            if let Some(p) = self.operation.params.iter().find(|p| p.wire == k && p.location == Location::Query) {
                input.insert(k, typed(p.wire, decode(v)));
            } else {
                input.insert(k.clone(), Value::String(decode(v)));
            }
        }
        if let Some(body) = body {
            let wants_list = self.operation.params.iter().any(|p| p.location == Location::Body && p.list);
            let body = match body {
                Value::Object(_) if wants_list => Value::Array(vec![body]),
                other => other,
            };
            input.insert("body".into(), body);
        }
        Value::Object(input)
    }
}

#[cfg(test)]
mod tests {
    use super::route;

    #[test]
    fn routes_follow_the_table() {
        assert_eq!(route("GET", "/cgi-bin/restapi/getLogs/1").unwrap().operation.name, "get_logs");
        assert_eq!(route("GET", "/cgi-bin/restapi/getLogs/1/").unwrap().operation.name, "get_full_logs");
        let r = route("GET", "/cgi-bin/restapi/getLogs/1/10?from=x").unwrap();
        assert_eq!((r.operation.name, r.path_params[0].1.as_str()), ("get_full_logs", "10"));
        assert_eq!(route("GET", "/cgi-bin/restapi/myself/1").unwrap().operation.name, "get_myself");
        assert_eq!(route("GET", "/cgi-bin/restapi/myself/1/").unwrap().operation.name, "get_myself");
        assert_eq!(route("PUT", "/cgi-bin/restapi/relaysetting/1").unwrap().operation.name, "set_relay_setting");
        let r = route("DELETE", "/cgi-bin/restapi/user/7/A%2F1%20%232").unwrap();
        assert_eq!(
            (r.operation.name, r.session.as_deref(), r.path_params[0].1.as_str()),
            ("delete_user", Some("7"), "A/1 #2")
        );
        assert_eq!(route("GET", "/cgi-bin/restapi/apiversion").unwrap().operation.name, "get_api_version");
        assert!(route("GET", "/cgi-bin/restapi/nothing/1").is_none());
    }
}
