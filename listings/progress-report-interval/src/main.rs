//! A first try at the progress reporter: a plain `interval`, checked for the end at each tick.
//! Run it with `cargo run -p progress-report-interval`.

use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::time::{interval, sleep};

// ANCHOR: worker
const JOBS: usize = 4;

/// Prints a line stamped with the seconds since `start`.
fn log(start: Instant, message: &str) {
    println!("{:.2}s {message}", start.elapsed().as_secs_f64());
}

/// Does the jobs one after another and publishes how many are done after each one.
async fn worker(progress: watch::Sender<usize>, start: Instant) {
    for job in 1..=JOBS {
        sleep(Duration::from_millis(800)).await; // stands in for real work
        log(start, &format!("job {job} done"));
        progress.send_replace(job); // unlike `send`, never fails, even with no receiver
    }
    // Returning drops `progress`, which closes the channel.
}
// ANCHOR_END: worker

// ANCHOR: reporter
/// Prints the latest progress once a second, and returns once the worker is gone.
async fn reporter(progress: watch::Receiver<usize>, start: Instant) {
    let mut tick = interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let done = *progress.borrow();
        log(start, &format!("progress: {done} of {JOBS} jobs"));
        // `Err` once the worker has dropped its sender: the report just printed was the last.
        if progress.has_changed().is_err() {
            return;
        }
    }
}
// ANCHOR_END: reporter

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (sender, receiver) = watch::channel(0);
    // One task, both futures: jobs end at 0.8 s steps and reports fall on whole seconds,
    // never closer than 0.2 s, so the order of the lines is fixed.
    tokio::join!(worker(sender, start), reporter(receiver, start));
    log(start, &format!("all {JOBS} jobs done, reporter stopped"));
}
// ANCHOR_END: main
