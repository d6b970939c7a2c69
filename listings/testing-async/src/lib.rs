//! Functions from the course, shaped to be tested: they return what they did instead of
//! printing it. Their tests, in `tests/virtual_time.rs`, run on a paused clock.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep, sleep_until};

// ANCHOR: say
/// Print async's `say`: waits, then hands back its word.
pub async fn say(text: &str, delay: Duration) -> &str {
    sleep(delay).await;
    text
}
// ANCHOR_END: say

/// Count async's counter: `times` steps on a fixed schedule, one every `every`. Returns how
/// long after the start each step came.
pub async fn count(times: u32, every: Duration) -> Vec<Duration> {
    let start = Instant::now();
    let mut steps = Vec::new();
    for i in 0..times {
        steps.push(start.elapsed());
        sleep_until(start + every * (i + 1)).await;
    }
    steps
}

/// The chores' dependency: the dryer starts when the washing machine is done. Returns when
/// each machine finished, counted from the start.
pub async fn laundry(wash: Duration, dry: Duration) -> (Duration, Duration) {
    let start = Instant::now();
    sleep(wash).await;
    let washed = start.elapsed();
    sleep(dry).await;
    (washed, start.elapsed())
}

// ANCHOR: actor
/// What the counter actor can be asked.
pub enum Request {
    Add(u64),
    Total(oneshot::Sender<u64>),
}

/// Starts an actor that owns a counter and takes requests over a channel, each of which
/// takes it `work` to handle. It stops when every sender is gone.
pub fn spawn_counter(work: Duration) -> mpsc::Sender<Request> {
    let (tx, mut rx) = mpsc::channel(8);
    tokio::spawn(async move {
        let mut total = 0;
        while let Some(request) = rx.recv().await {
            sleep(work).await;
            match request {
                Request::Add(n) => total += n,
                // The asker may have given up; that is not the actor's problem.
                Request::Total(reply) => drop(reply.send(total)),
            }
        }
    });
    tx
}
// ANCHOR_END: actor
