//! The jobs of `streams-buffered` through `buffer_unordered(2)`: two at a time, in finishing order.
//! Run it with `cargo run -p streams-buffer-unordered`.

use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use tokio::time::sleep;

/// How long each job takes: no two events whose order could swap come closer than 0.2 s.
const JOBS: [Duration; 4] = [
    Duration::from_millis(700),
    Duration::from_millis(200),
    Duration::from_millis(300),
    Duration::from_millis(500),
];

/// One job: says when it starts and ends, and hands back its number.
async fn job(id: usize, length: Duration, start: Instant) -> usize {
    println!("job {id} starts ({} s)", length.as_secs_f64());
    sleep(length).await;
    println!("job {id} done at {:.2}s", start.elapsed().as_secs_f64());
    id
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // `map` makes each job a future, which does nothing yet; `buffer_unordered(2)` runs two
    // at a time and hands each result on as soon as it is ready.
    let mut results = stream::iter(JOBS.into_iter().enumerate())
        .map(|(id, length)| job(id, length, start))
        .buffer_unordered(2);
    while let Some(id) = results.next().await {
        println!("got job {id} at {:.2}s", start.elapsed().as_secs_f64());
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
