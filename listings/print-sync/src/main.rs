//! Two blocking waits, one after the other: the run takes the sum of both, 3 s.
//! Run it with `cargo run -p print-sync`.

use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: say
fn say(text: &str, secs: u64) {
    thread::sleep(Duration::from_secs(secs));
    println!("{text}");
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
