//! Async workers that report when they start and finish: both start at once, the short one ends first.
//! Run it with `cargo run -p sleep-async`.

use std::time::{Duration, Instant};

use tokio::time::sleep;

// ANCHOR: say
async fn say(worker: &str, secs: u64) {
    let start = Instant::now();
    println!("Starting {worker} that will take {secs}s");
    sleep(Duration::from_secs(secs)).await;
    let took = start.elapsed().as_secs_f64();
    println!("Finishing {worker} in {took:.2}s");
}
// ANCHOR_END: say

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    tokio::join!(say("First", 2), say("Second", 1));
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
