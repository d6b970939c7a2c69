//! Two counters that tick at different rates on one thread: 1 s plus 2 s of ticking takes 2 s.
//! Run it with `cargo run -p count-async`.

use std::time::Duration;

use tokio::time::{Instant, sleep_until};

// ANCHOR: count
async fn count(name: &str, times: u32, every: Duration) {
    // Tick `i` is due at a fixed instant, so small timer delays never add up.
    let start = Instant::now();
    for i in 0..times {
        println!("{name} {i}");
        sleep_until(start + every * (i + 1)).await;
    }
}
// ANCHOR_END: count

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // `futures::join!` polls its branches in argument order, so when both counters are
    // due at the same instant, apple prints first.
    futures::join!(
        count("apple", 10, Duration::from_millis(100)),
        count("peach", 10, Duration::from_millis(200)),
    );
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
