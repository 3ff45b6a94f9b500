//! The Rust client's log watch ([`actatek::Client::watch_logs`]) for JavaScript: its polling
//! and backoff (poll while logs come, doubling up to 16 × poll while quiet or failing, the
//! waits real timers on wasm) are every language's, and the TypeScript `LogWatch` only
//! iterates it. The checkpoint advances per log handed to JavaScript, as in Python.

use crate::{cancellable, client_error, set, to_json_text};
use actatek::{Checkpoint, Error, FullLog};
use futures::FutureExt;
use futures::StreamExt;
use futures::stream::LocalBoxStream;
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

type Item = Result<FullLog, Error>;

struct State {
    stream: LocalBoxStream<'static, Item>,
    /// An item the stream gave while checking whether it ended after an error.
    ahead: Option<Option<Item>>,
}

/// New logs as they arrive (see [`actatek::Client::watch_logs`]).
#[wasm_bindgen]
pub struct WasmLogWatch {
    // An async mutex: a `next` in flight keeps it; a cancelled one drops its guard, and the
    // stream keeps its own place (the request or wait under way).
    state: Rc<futures::lock::Mutex<State>>,
    checkpoint: Rc<RefCell<Checkpoint>>,
}

impl WasmLogWatch {
    pub(crate) fn new(stream: LocalBoxStream<'static, Item>, checkpoint: Checkpoint) -> WasmLogWatch {
        WasmLogWatch {
            state: Rc::new(futures::lock::Mutex::new(State { stream, ahead: None })),
            checkpoint: Rc::new(RefCell::new(checkpoint)),
        }
    }
}

#[wasm_bindgen]
impl WasmLogWatch {
    /// The next log as JSON text, or `null` once the watch ended. An error rejects with the
    /// client's error and `ended`: whether the watch stopped with it (a validation error) or
    /// goes on at the next call (network, terminal restart, terminal errors).
    pub fn next(&self, cancel: Option<Promise>) -> Promise {
        let (state, checkpoint) = (self.state.clone(), self.checkpoint.clone());
        crate::promise(async move {
            let work = async move {
                let mut st = state.lock().await;
                let item = match st.ahead.take() {
                    Some(item) => item,
                    None => st.stream.next().await,
                };
                match item {
                    None => Ok(JsValue::NULL),
                    Some(Ok(log)) => {
                        checkpoint.borrow_mut().advance(&log);
                        Ok(to_json_text(&log))
                    }
                    Some(Err(e)) => {
                        // The watch itself decides whether it goes on: after an error it
                        // cannot get past, its stream ends at once.
                        let ended = match st.stream.next().now_or_never() {
                            Some(None) => true,
                            Some(item) => {
                                st.ahead = Some(item);
                                false
                            }
                            None => false,
                        };
                        let error = client_error(e);
                        set(&error, "ended", ended);
                        Err(error)
                    }
                }
            };
            cancellable(work, cancel).await
        })
    }

    /// Where the watch stands, as JSON text (after the last log handed out).
    pub fn checkpoint(&self) -> String {
        serde_json::to_string(&*self.checkpoint.borrow()).expect("checkpoints serialize")
    }
}
