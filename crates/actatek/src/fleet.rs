//! Run one operation against many terminals at once. One terminal failing never fails the
//! others: every terminal gets its own result.

use crate::{Client, Error};
use futures::StreamExt;
use std::future::Future;

/// How many terminals a fleet run talks to at once unless told otherwise, in every language.
/// Chosen for real terminals, which answer in hundreds of milliseconds: a fleet of 200 that each
/// answer 200 ms late finishes in about twice one terminal's time (`cargo bench -p actatek-cli
/// --bench export`), while each terminal in flight holds at most one chunk of logs in memory.
pub const DEFAULT_CONCURRENCY: usize = 64;

/// One terminal's outcome.
#[derive(Debug)]
pub struct TerminalResult<T> {
    /// The terminal's base URL.
    pub url: String,
    pub result: Result<T, Error>,
}

/// Run `task` on every client, at most `concurrency` at a time; results come back in the
/// order of `clients`.
pub async fn run<T, F, Fut>(clients: &[Client], concurrency: usize, task: F) -> Vec<TerminalResult<T>>
where
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut results: Vec<(usize, TerminalResult<T>)> = futures::stream::iter(clients.iter().cloned().enumerate())
        .map(|(i, client)| {
            let url = client.url().to_string();
            let fut = task(client);
            async move { (i, TerminalResult { url, result: fut.await }) }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}
