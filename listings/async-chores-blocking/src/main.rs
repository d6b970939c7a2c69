//! Async chores with the blocking potato loop on a thread of its own: the machines keep time, 7 s.
//! Run it with `cargo run -p async-chores-blocking`.

use std::thread;
use std::time::{Duration, Instant};

use tokio::task::{self, JoinError};
use tokio::time::sleep;

// ANCHOR: machines
/// Starts a machine, gives the thread back while it runs, and says when it is done.
async fn run_machine(name: &str, secs: u64) {
    println!("Start {name} for {secs} seconds");
    sleep(Duration::from_secs(secs)).await;
    println!("End {name} for {secs} seconds");
}

async fn dishwasher(secs: u64) {
    run_machine("dishwasher", secs).await;
}

async fn washing_machine(secs: u64) {
    run_machine("washing machine", secs).await;
    // The dryer needs the washed laundry, so it starts only now.
    dryer(3).await;
}

async fn dryer(secs: u64) {
    run_machine("dryer", secs).await;
}

async fn boil_water(secs: u64) {
    run_machine("boiling water", secs).await;
}
// ANCHOR_END: machines

// ANCHOR: potatoes
/// 10 × 0.7 s; see sync-chores.
const POTATO: Duration = Duration::from_millis(700);

/// Stands for CPU-bound work, faked with a blocking sleep. A plain function, as in `sync-chores`.
fn clean_potatoes(pieces: u32) {
    println!("Start cleaning potatoes for {pieces} pieces");
    for ix in 0..pieces {
        println!("Cleaning potato {ix}");
        thread::sleep(POTATO);
    }
    println!("End cleaning potatoes for {pieces} pieces");
}
// ANCHOR_END: potatoes

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), JoinError> {
    let start = Instant::now();
    // Inside an async block, the thread starts when `join!` first polls it, after the
    // machines have printed their Start lines.
    let potatoes = async { task::spawn_blocking(|| clean_potatoes(10)).await };
    let ((), (), (), potatoes) = tokio::join!(
        biased;
        dishwasher(3),
        washing_machine(3),
        boil_water(4),
        potatoes,
    );
    // A panic on the potato thread comes back as an error instead of going unnoticed.
    potatoes?;
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
    Ok(())
}
// ANCHOR_END: main
