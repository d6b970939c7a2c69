//! Two spawned tasks of 1 s and 2 s, awaited one after the other: 2 s in all, not 3 s.
//! Run it with `cargo run -p async-example`.

use std::time::{Duration, Instant};

use tokio::task::JoinError;
use tokio::time::sleep;

// ANCHOR: say_after
async fn say_after(delay: Duration, what: &str) {
    println!("start {what}");
    sleep(delay).await;
    println!("{what}");
}
// ANCHOR_END: say_after

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), JoinError> {
    let start = Instant::now();
    let task1 = tokio::spawn(say_after(Duration::from_secs(1), "hello"));
    let task2 = tokio::spawn(say_after(Duration::from_secs(2), "world"));
    // Give the thread away once, so both tasks print their start and begin to sleep.
    tokio::task::yield_now().await;
    println!("started at {:.2}s", start.elapsed().as_secs_f64());

    // While we wait for task1, task2 keeps sleeping: its clock is already running.
    task1.await?;
    task2.await?;
    println!("finished at {:.2}s", start.elapsed().as_secs_f64());
    Ok(())
}
// ANCHOR_END: main
