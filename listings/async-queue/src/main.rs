//! A fixed number of workers share one queue of ten 1-second jobs: 3 workers need 4 s.
//! Run it with `cargo run -p async-queue -- 3`.

use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::future::join_all;
use tokio::sync::{Mutex, mpsc};
use tokio::time::sleep;

/// How long each job takes, in seconds.
const JOBS: [u64; 10] = [1; 10];

// ANCHOR: args
/// Ten 1-second jobs, shared through one queue by a fixed number of workers.
#[derive(Parser)]
struct Args {
    /// How many workers take jobs from the queue at once (at least 1).
    // `NonZeroUsize` turns down `0` along with anything that is not a number.
    workers: NonZeroUsize,
}
// ANCHOR_END: args

// ANCHOR: worker
/// The receiving end of the queue. An mpsc receiver has one owner, so the workers share it
/// behind a Tokio mutex, which may be held across the `.await` on `recv`.
type Queue = Mutex<mpsc::UnboundedReceiver<(usize, u64)>>;

async fn worker(id: usize, queue: &Queue, start: Instant) {
    loop {
        // The lock guard is a temporary, dropped at the end of this statement: the queue is
        // locked while a job is taken, never while one is done.
        let Some((job, secs)) = queue.lock().await.recv().await else {
            break; // Empty, and the sender is gone: no job will ever come.
        };
        let at = start.elapsed().as_secs_f64();
        println!("Worker {id} starting job {job} at {at:.2}s");
        sleep(Duration::from_secs(secs)).await;
        println!("Worker {id} finished job {job}");
    }
}
// ANCHOR_END: worker

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();

    let (sender, receiver) = mpsc::unbounded_channel();
    for job in JOBS.into_iter().enumerate() {
        sender.send(job).expect("the receiver is still here");
    }
    // Closing the queue lets `recv` return `None` once it is empty.
    drop(sender);
    println!("Total jobs: {}", JOBS.len());

    let queue = Mutex::new(receiver);
    let start = Instant::now();
    // Futures, not spawned tasks: `join_all` polls a small set of futures in index order, so
    // workers whose jobs end at the same instant always print in the same order. Joined
    // futures may also borrow the queue; spawned tasks would need it in an `Arc`.
    join_all((0..args.workers.get()).map(|id| worker(id, &queue, start))).await;
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
