//! Blocking workers that report when they start and finish: each waits for the one before.
//! Run it with `cargo run -p sleep-sync`.

use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: say
fn say(worker: &str, secs: u64) {
    let start = Instant::now();
    println!("Starting {worker} that will take {secs}s");
    thread::sleep(Duration::from_secs(secs));
    let took = start.elapsed().as_secs_f64();
    println!("Finishing {worker} in {took:.2}s");
}
// ANCHOR_END: say

// ANCHOR: main
fn main() {
    let start = Instant::now();
    say("First", 2);
    say("Second", 1);
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
