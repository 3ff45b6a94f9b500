//! Run one operation against many terminals at once. One terminal failing never fails the
//! others: every terminal gets its own result.

use crate::{Client, Error};
use futures::StreamExt;
use std::future::Future;

/// How many terminals a fleet run talks to at once unless told otherwise, in every language.
/// Chosen for real terminals, which answer in hundreds of milliseconds: most of a terminal's
/// time in a fleet is spent waiting for it, and waiting costs little (a connection and a task),
/// because replies are read at most [`DEFAULT_READS`] at a time. A fleet of 200 that each
/// answer 200 ms late finishes in about 1.4 times one terminal's time, at about 80 MB
/// (`cargo bench -p actatek-cli --bench export -- --fleet`).
pub const DEFAULT_CONCURRENCY: usize = 200;

/// One terminal's outcome.
#[derive(Debug)]
pub struct TerminalResult<T> {
    /// The terminal's base URL.
    pub url: String,
    pub result: Result<T, Error>,
}

/// How many replies a fleet run reads at once, whatever its concurrency (native only): the
/// other terminals' replies wait unread until one is read ([`crate::ReadLimit`]). A log
/// export keeps its turn until it asks for the next chunk, so at most this many pages are in
/// memory. At 200 terminals at a time (the fleet bench), 8 reads at once peaked at 54 MB, 32
/// at 75 MB, no limit at 120 MB, all in the same time; fewer would serialize terminals on
/// slow links, which hold their turn while their reply trickles in.
#[cfg(not(target_arch = "wasm32"))]
pub const DEFAULT_READS: usize = 32;

/// Run `task` on every client, at most `concurrency` at a time; results come back in the
/// order of `clients`. Natively the clients read at most [`DEFAULT_READS`] replies at once
/// between them, unless a client was given its own [`crate::ReadLimit`].
pub async fn run<T, F, Fut>(clients: &[Client], concurrency: usize, task: F) -> Vec<TerminalResult<T>>
where
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    #[cfg(not(target_arch = "wasm32"))]
    let clients: Vec<Client> = {
        let reads = crate::ReadLimit::new(DEFAULT_READS);
        clients.iter().map(|c| if c.has_read_limit() { c.clone() } else { c.with_read_limit(&reads) }).collect()
    };
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
