//! The exercise's starting point: the chores in the right order, one after another, 11.5 s.
//! Run it with `cargo run -p exercise-ordered-chores --bin starter`.

// ANCHOR: starter
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tokio::time::sleep;

// ANCHOR: chores
/// Seconds since the first call, which is when the chores began.
fn seconds_since_start() -> f64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Prints a start line, waits while the chore runs, and prints a done line.
async fn chore(name: &str, running: Duration) {
    println!("{:.2}s {name} starts", seconds_since_start());
    sleep(running).await;
    println!("{:.2}s {name} done", seconds_since_start());
}

async fn washer() {
    chore("washer", Duration::from_millis(3000)).await;
}

/// Needs the washed laundry: start it only after `washer` is done.
async fn dryer() {
    chore("dryer", Duration::from_millis(2000)).await;
}

async fn dishwasher() {
    chore("dishwasher", Duration::from_millis(4000)).await;
}

async fn vacuuming() {
    chore("vacuuming", Duration::from_millis(1500)).await;
}

/// Mopping a floor full of crumbs makes mud: start it only after `vacuuming` is done.
async fn mopping() {
    chore("mopping", Duration::from_millis(1000)).await;
}
// ANCHOR_END: chores

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Right order, but each chore waits for every chore before it.
    washer().await;
    dryer().await;
    dishwasher().await;
    vacuuming().await;
    mopping().await;
    println!("All chores done in {:.2}s", seconds_since_start());
}
// ANCHOR_END: starter
