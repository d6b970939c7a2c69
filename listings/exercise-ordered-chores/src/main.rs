//! Chores with dependencies, run as three chains side by side: 11.5 s of chores take 5 s.
//! Run it with `cargo run -p exercise-ordered-chores`.

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

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Each async block awaits its steps in order, so the dependencies hold inside a chain.
    let laundry = async {
        washer().await;
        dryer().await;
    };
    let floors = async {
        vacuuming().await;
        mopping().await;
    };
    // `futures::join!` polls the chains in argument order, so lines printed at the same
    // instant always come out in the same order.
    futures::join!(laundry, dishwasher(), floors);
    println!("All chores done in {:.2}s", seconds_since_start());
}
// ANCHOR_END: main
