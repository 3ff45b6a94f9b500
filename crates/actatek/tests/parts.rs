//! `Client::call_in_parts`: a list reply handed over in batches while it arrives. Taken in order,
//! starting again after each `Part::Restart`, the parts must be exactly what `Client::call`
//! returns: on a streamed list, on a terminal with quirks (trailing commas: read whole at the
//! end), after a cut reply that is read again, and after a session renewed mid-call.

mod common;

use actatek::ops::{GetFullLogs, GetLogs, GetTerminalStatus};
use actatek::{Client, Part};
use actatek_sim::{Fault, Simulator};
use common::{PASSWORD, USER, client};

/// The parts put together, and how many batches and restarts there were.
async fn in_parts<O: actatek::ops::Operation<Reply = Vec<T>>, T: Send>(
    t: &Client,
    op: &O,
    batch: usize,
) -> (Vec<T>, usize, usize) {
    let (mut all, mut batches, mut restarts) = (Vec::new(), 0, 0);
    t.call_in_parts(op, batch, &mut |part| match part {
        Part::Elements(mut items) => {
            batches += 1;
            all.append(&mut items);
        }
        Part::Restart => {
            restarts += 1;
            all.clear();
        }
    })
    .await
    .expect("the call succeeds");
    (all, batches, restarts)
}

#[tokio::test]
async fn a_streamed_list_comes_in_batches_that_add_up_to_the_reply() {
    let sim = common::sim(20, 5000).await;
    let t = client(&sim);
    let whole = t.get_full_logs(GetFullLogs::default()).await.unwrap();
    let (parts, batches, restarts) = in_parts(&t, &GetFullLogs::default(), 100).await;
    assert_eq!(parts, whole);
    assert!(batches > 2, "handed over while arriving: {batches} parts");
    assert_eq!(restarts, 0);
    let (logs, _, _) = in_parts(&t, &GetLogs::default(), 1).await;
    assert_eq!(logs, t.get_logs(GetLogs::default()).await.unwrap());
    // A reply that is not a list: one part, the reply.
    let mut status = Vec::new();
    t.call_in_parts(&GetTerminalStatus {}, 10, &mut |p| status.push(format!("{p:?}"))).await.unwrap();
    assert_eq!(status.len(), 1);
    assert!(status[0].starts_with("Elements("), "{status:?}");
}

#[tokio::test]
async fn a_reply_read_whole_after_all_or_read_again_restarts_and_still_adds_up() {
    // Quirks: a trailing comma closes the list, so the batches handed over are void and the
    // whole reading (repaired) follows.
    let sim = Simulator::builder()
        .users(5)
        .logs(3000)
        .seed(7)
        .admin(USER, PASSWORD)
        .quirks(true)
        .build()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let t = client(&sim);
    let whole = t.get_full_logs(GetFullLogs::default()).await.unwrap();
    assert_eq!(whole.len(), 3000);
    let (parts, _, restarts) = in_parts(&t, &GetFullLogs::default(), 50).await;
    assert_eq!(parts, whole);
    assert!(restarts <= 1);

    // A cut reply: what was read of it is void, the read is repeated (reads are retried). Its
    // half (2.8 MB) is more than one read of the connection's buffer, so batches go out first.
    let sim = common::sim(5, 20_000).await;
    let t = client(&sim);
    let whole = t.get_full_logs(GetFullLogs::default()).await.unwrap();
    sim.faults().push(Fault::truncate().on("get_full_logs").times(1));
    let (parts, _, restarts) = in_parts(&t, &GetFullLogs::default(), 20).await;
    assert_eq!(parts, whole);
    assert_eq!(restarts, 1, "the cut reply's batches were voided once");

    // The session expires: the terminal refuses it, the client logs in again and reads again.
    sim.faults().push(Fault::expire_session().on("get_full_logs").times(1));
    let (parts, _, _) = in_parts(&t, &GetFullLogs::default(), 20).await;
    assert_eq!(parts, whole);
}
