//! 1,000 tasks count under a std `Mutex` and with an atomic; a Tokio `Mutex` spans an `.await`.
//! Run it with `cargo run -p shared-state`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use tokio::time::sleep;

// ANCHOR: mutex
const TASKS: usize = 1_000;

/// Every task adds 1 to a counter behind a standard mutex.
async fn count_with_mutex() -> usize {
    let counter = Arc::new(Mutex::new(0));
    let mut tasks = JoinSet::new();
    for _ in 0..TASKS {
        let counter = Arc::clone(&counter);
        tasks.spawn(async move {
            // Locked and unlocked within one statement, with no `.await` in between.
            *counter.lock().unwrap() += 1;
        });
    }
    tasks.join_all().await;
    *counter.lock().unwrap()
}
// ANCHOR_END: mutex

// ANCHOR: atomic
/// The same count with no lock at all: one atomic instruction per task.
async fn count_with_atomic() -> usize {
    let counter = Arc::new(AtomicUsize::new(0));
    let mut tasks = JoinSet::new();
    for _ in 0..TASKS {
        let counter = Arc::clone(&counter);
        tasks.spawn(async move {
            // `Relaxed` is enough: only the total matters, and joining the tasks below
            // makes every addition visible to the final `load`.
            counter.fetch_add(1, Ordering::Relaxed);
        });
    }
    tasks.join_all().await;
    counter.load(Ordering::Relaxed)
}
// ANCHOR_END: atomic

// ANCHOR: journal
/// A journal that takes each entry in two steps with a slow write in between. The entry
/// must not be split, so the lock is held across the `.await`: a job for Tokio's mutex.
type Journal = Arc<tokio::sync::Mutex<Vec<String>>>;

async fn write_entry(writer: u32, journal: Journal, start: Instant) {
    // Writers arrive a quarter second apart, so they queue for the lock in a fixed order.
    sleep(Duration::from_millis(250) * (writer - 1)).await;
    println!("Writer {writer} wants the journal at {:.2}s", secs(start));
    let mut entries = journal.lock().await;
    println!("Writer {writer} holds the journal at {:.2}s", secs(start));
    entries.push(format!("{writer} begins"));
    sleep(Duration::from_secs(1)).await; // the slow write, with the lock held
    entries.push(format!("{writer} ends"));
    println!("Writer {writer} lets go at {:.2}s", secs(start));
} // `entries`, the guard, is dropped here: the next writer in line gets the lock.
// ANCHOR_END: journal

fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

// ANCHOR: main
// The multi-threaded runtime: the tasks really do run side by side on several threads.
#[tokio::main]
async fn main() {
    let start = Instant::now();
    let total = count_with_mutex().await;
    println!("std::sync::Mutex: {TASKS} tasks, total {total}");
    let total = count_with_atomic().await;
    println!("AtomicUsize: {TASKS} tasks, total {total}");

    let journal = Journal::default();
    let mut writers = JoinSet::new();
    for writer in 1..=3 {
        writers.spawn(write_entry(writer, Arc::clone(&journal), start));
    }
    writers.join_all().await;
    println!("Journal: {}", journal.lock().await.join(", "));
    println!("Elapsed: {:.2}s", secs(start));
}
// ANCHOR_END: main
