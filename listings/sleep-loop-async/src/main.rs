//! Four spawned tasks awaited one by one: they all sleep at the same time, so 1 s, not 4 s.
//! Run it with `cargo run -p sleep-loop-async`.

use std::time::{Duration, Instant};

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
    // Spawning hands each future to the runtime, which starts it as soon as `main` waits.
    let handles: Vec<JoinHandle<()>> = (0..4).map(|n| tokio::spawn(sleep(n, 1))).collect();
    for handle in handles {
        // An `Err` means the task panicked or was cancelled.
        handle.await?;
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
    Ok(())
}
// ANCHOR_END: main
