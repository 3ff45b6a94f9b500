//! The Rust client's events (each terminal call, retries, session renewals: [`actatek::Event`])
//! handed to a JavaScript function, per client: the JS `logger` option. Nothing is collected or
//! built unless a client was given one.
//!
//! The client takes a `Send + Sync` function ([`actatek::ClientBuilder::on_event`]) and a JS
//! function is neither, so the client's function holds only a number and the JS functions live
//! in a thread-local table (wasm32 has one thread). The `tracing` crate is not linked: its
//! dispatch around every future cost the `.wasm` 5.8 KB gzip.
//!
//! The events carry what the client's events carry: paths with the session id as `***`, error
//! texts with the password and session id removed (`actatek::Client` redacts them).

use crate::set;
use actatek::Event;
use js_sys::{Function, Object};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    // (id, function) per living client with a logger: a handful, so a list (std's HashMap
    // would link a second hash table into the `.wasm`).
    static HOOKS: RefCell<Vec<(u32, Function)>> = const { RefCell::new(Vec::new()) };
    static NEXT: RefCell<u32> = const { RefCell::new(0) };
}

/// A client's logger: its function's place in the table (freed on drop).
pub struct Events {
    id: u32,
}

impl Events {
    pub fn new(hook: Function) -> Events {
        let id = NEXT.with(|n| {
            let mut n = n.borrow_mut();
            *n = n.wrapping_add(1);
            *n
        });
        HOOKS.with(|h| h.borrow_mut().push((id, hook)));
        Events { id }
    }

    /// The function the Rust client calls with each event.
    pub fn hook(&self) -> impl Fn(&Event<'_>) + Send + Sync + 'static {
        let id = self.id;
        move |event| deliver(id, event)
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        HOOKS.with(|h| h.borrow_mut().retain(|(id, _)| *id != self.id));
    }
}

/// The event as an object (`level`, `target`, `message`, then its fields; numbers stay
/// numbers) to the hook numbered `id`, if its client still lives.
fn deliver(id: u32, event: &Event<'_>) {
    let Some(hook) = HOOKS.with(|h| h.borrow().iter().find(|(i, _)| *i == id).map(|(_, f)| f.clone())) else {
        return;
    };
    let o = Object::new();
    set(&o, "level", JsValue::from_str("debug"));
    set(&o, "target", JsValue::from_str("actatek"));
    set(&o, "message", JsValue::from_str(event.message()));
    set(&o, "operation", JsValue::from_str(event.operation()));
    match *event {
        Event::Call { method, path, status, bytes, .. } => {
            set(&o, "method", JsValue::from_str(method));
            set(&o, "path", JsValue::from_str(path));
            set(&o, "status", JsValue::from_f64(status.into()));
            set(&o, "bytes", JsValue::from_f64(bytes as f64));
        }
        Event::Retry { attempt, delay, error, .. } => {
            set(&o, "attempt", JsValue::from_f64(attempt.into()));
            set(&o, "delay", JsValue::from_str(&format!("{delay:?}")));
            set(&o, "delayMs", JsValue::from_f64(actatek::events::delay_ms(delay)));
            set(&o, "error", JsValue::from_str(&error.to_string()));
        }
        Event::SessionRenewed { .. } => {}
        // A kind of event this binding does not know yet: its message and operation.
        _ => {}
    }
    // A logger that throws must not break the call it observes.
    let _ = hook.call1(&JsValue::NULL, &o);
}
