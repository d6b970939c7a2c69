//! Async chores whose potato loop never yields: the machines wait for it, and the run takes 10 s.
//! Run it with `cargo run -p async-chores`.

use std::thread;
use std::time::{Duration, Instant};

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

/// Stands for CPU-bound work, faked with a blocking sleep. It never awaits, so it keeps the
/// runtime's only thread until the last potato is done.
async fn clean_potatoes(pieces: u32) {
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
async fn main() {
    let start = Instant::now();
    // `biased;` polls the branches in this order every time, so lines due at the same instant
    // always come out in the same order; plain `join!` rotates which branch goes first.
    tokio::join!(
        biased;
        dishwasher(3),
        washing_machine(3),
        boil_water(4),
        clean_potatoes(10),
    );
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
