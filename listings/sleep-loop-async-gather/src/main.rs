//! Four spawned tasks awaited together with `join_all`: the same 1 s as awaiting them in turn.
//! Run it with `cargo run -p sleep-loop-async-gather`.

use std::time::{Duration, Instant};

use futures::future::join_all;
use tokio::task::{JoinError, JoinHandle};

// ANCHOR: sleep
async fn sleep(n: u32, secs: u64) {
    println!("Start {n}");
    tokio::time::sleep(Duration::from_secs(secs)).await;
    println!("End {n}");
}
// ANCHOR_END: sleep

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), JoinError> {
    let start = Instant::now();
    let handles: Vec<JoinHandle<()>> = (0..4).map(|n| tokio::spawn(sleep(n, 1))).collect();
    println!("Spawned 4 tasks");
    // Waits for all four at once and gives back one `Result` per task, in spawn order.
    let results = join_all(handles).await;
    for result in results {
        // An `Err` means that task panicked or was cancelled.
        result?;
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
    Ok(())
}
// ANCHOR_END: main
