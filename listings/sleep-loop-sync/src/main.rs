//! Four blocking sleeps in a loop: each starts only when the one before has ended, so 4 s.
//! Run it with `cargo run -p sleep-loop-sync`.

use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: sleep
fn sleep(n: u32, secs: u64) {
    println!("Start {n}");
    thread::sleep(Duration::from_secs(secs));
    println!("End {n}");
}
// ANCHOR_END: sleep

// ANCHOR: main
fn main() {
    let start = Instant::now();
    for n in 0..4 {
        sleep(n, 1);
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
