//! Four jobs of different lengths through `buffered(2)`: two at a time, results in input order.
//! Run it with `cargo run -p streams-buffered`.

use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use tokio::time::sleep;

// ANCHOR: job
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
// ANCHOR_END: job

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // `map` makes each job a future, which does nothing yet; `buffered(2)` runs two at a time
    // and hands the results on in the order the jobs came in.
    let mut results = stream::iter(JOBS.into_iter().enumerate())
        .map(|(id, length)| job(id, length, start))
        .buffered(2);
    while let Some(id) = results.next().await {
        println!("got job {id} at {:.2}s", start.elapsed().as_secs_f64());
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
