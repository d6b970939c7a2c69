//! A reporter reads a worker's progress from a watch channel once a second, and stops with it.
//! Run it with `cargo run -p exercise-progress-report`.

use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::time::{interval_at, sleep};

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
/// Prints the latest progress once a second, and returns as soon as the worker is gone.
async fn reporter(mut progress: watch::Receiver<usize>, start: Instant) {
    // `interval` would tick at once and report 0 jobs; the first report is due in a second.
    let every = Duration::from_secs(1);
    let mut tick = interval_at((start + every).into(), every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                // Copied out at once: the `Ref` that `borrow` returns holds a lock that
                // the worker's next send would wait for.
                let done = *progress.borrow();
                log(start, &format!("progress: {done} of {JOBS} jobs"));
            }
            // Wakes at every job, to see whether it was the last: `Err` means the sender
            // is gone and its last value already seen.
            changed = progress.changed() => {
                if changed.is_err() {
                    return;
                }
            }
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
