//! Household chores done one after another with blocking waits: the run takes their sum, 20 s.
//! Run it with `cargo run -p sync-chores`.

use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: machines
/// Starts a machine, blocks while it runs, and says when it is done.
fn run_machine(name: &str, secs: u64) {
    println!("Start {name} for {secs} seconds");
    thread::sleep(Duration::from_secs(secs));
    println!("End {name} for {secs} seconds");
}

fn dishwasher(secs: u64) {
    run_machine("dishwasher", secs);
}

fn washing_machine(secs: u64) {
    run_machine("washing machine", secs);
}

fn dryer(secs: u64) {
    run_machine("dryer", secs);
}

fn boil_water(secs: u64) {
    run_machine("boiling water", secs);
}
// ANCHOR_END: machines

// ANCHOR: potatoes
/// 10 × 0.7 s rather than the slides' 14 × 0.5 s: the same 7 s, clear of the machines' timers.
const POTATO: Duration = Duration::from_millis(700);

/// Needs our full attention: stands for CPU-bound work, faked with a blocking sleep.
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
fn main() {
    let start = Instant::now();
    dishwasher(3);
    washing_machine(3);
    dryer(3);
    boil_water(4);
    clean_potatoes(10);
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
