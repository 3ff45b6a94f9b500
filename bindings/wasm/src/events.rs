//! The Rust client's `tracing` events (each terminal call, retries, session renewals) handed
//! to a JavaScript function, per client: the JS `logger` option. Nothing is collected or
//! printed unless a client was given one.
//!
//! One `Dispatch` per client with a logger, set as the default around each of its futures
//! (`WithSubscriber`), so two clients' events never mix. A `tracing` subscriber must be
//! `Send + Sync` and a JS function is neither, so the subscriber holds only a number and the
//! functions live in a thread-local table (wasm32 has one thread).
//!
//! The events carry what the client's events carry: paths with the session id as `***`, error
//! texts with the password and session id removed (`actatek::Client` redacts them).

use js_sys::{Function, Object, Reflect};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Dispatch, Event, Level, Metadata, Subscriber};
use wasm_bindgen::JsValue;

thread_local! {
    static HOOKS: RefCell<HashMap<u32, Function>> = RefCell::new(HashMap::new());
    static NEXT: RefCell<u32> = const { RefCell::new(0) };
}

/// A client's logger: its dispatch, and its function's place in the table (freed on drop).
pub struct Events {
    id: u32,
    dispatch: Dispatch,
}

impl Events {
    pub fn new(hook: Function) -> Events {
        let id = NEXT.with(|n| {
            let mut n = n.borrow_mut();
            *n = n.wrapping_add(1);
            *n
        });
        HOOKS.with(|h| h.borrow_mut().insert(id, hook));
        Events { id, dispatch: Dispatch::new(ToJs { id }) }
    }

    pub fn dispatch(&self) -> Dispatch {
        self.dispatch.clone()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        HOOKS.with(|h| h.borrow_mut().remove(&self.id));
    }
}

/// Forwards the `actatek` crates' events to the hook numbered `id`.
struct ToJs {
    id: u32,
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

fn set(target: &Object, key: &str, value: JsValue) {
    // Setting a property on a fresh Object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

/// The event's fields as properties; numbers stay numbers.
struct Fields<'a>(&'a Object);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        set(self.0, field.name(), JsValue::from_str(&format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        set(self.0, field.name(), JsValue::from_str(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        set(self.0, field.name(), JsValue::from_f64(value as f64));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        set(self.0, field.name(), JsValue::from_f64(value as f64));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        // The retry's delay in milliseconds, under the package's name for it.
        let name = match field.name() {
            "delay_ms" => "delayMs",
            name => name,
        };
        set(self.0, name, JsValue::from_f64(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        set(self.0, field.name(), JsValue::from_bool(value));
    }
}

impl Subscriber for ToJs {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("actatek")
    }

    fn event(&self, event: &Event<'_>) {
        let hook = HOOKS.with(|h| h.borrow().get(&self.id).cloned());
        let Some(hook) = hook else { return };
        let meta = event.metadata();
        let o = Object::new();
        set(&o, "level", JsValue::from_str(level_name(meta.level())));
        set(&o, "target", JsValue::from_str(meta.target()));
        event.record(&mut Fields(&o));
        // A logger that throws must not break the call it observes.
        let _ = hook.call1(&JsValue::NULL, &o);
    }

    // The client opens no spans; these keep the trait satisfied.
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}
