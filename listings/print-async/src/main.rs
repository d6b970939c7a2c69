//! Two sleeps awaited together with `join!`: the run takes as long as the longer one, 2 s.
//! Run it with `cargo run -p print-async`.

use std::time::{Duration, Instant};

use tokio::time::sleep;

// ANCHOR: say
async fn say(text: &str, secs: u64) {
    sleep(Duration::from_secs(secs)).await;
    println!("{text}");
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
