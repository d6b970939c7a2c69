//! Starts N Tokio tasks that each sleep for 1 s, waits for them all, and prints the time taken.
//! Run it with `cargo run -p many-tasks -- 1000`; add `--memory` for the peak memory too.

use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use clap::Parser;
use tokio::time::sleep;

/// Starts N Tokio tasks that each sleep for 1 s, and waits for them all.
#[derive(Parser)]
struct Args {
    /// How many tasks to start.
    // Read `-5` as a bad count, not as an unknown flag.
    #[arg(allow_negative_numbers = true)]
    n: NonZeroUsize,
    /// Print the peak memory too.
    #[arg(long)]
    memory: bool,
}

// ANCHOR: memory
/// The most RAM the process has held at once, in KiB: `VmHWM`, the "high water mark" of its
/// resident set, from `/proc/self/status`. That file exists on Linux only.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
// ANCHOR_END: memory

// ANCHOR: main
/// One task's whole job.
async fn nap() {
    sleep(Duration::from_secs(1)).await;
}

// The default multi-thread runtime, one worker per core, as a server would run it. Only
// `main` prints, so the lines come in a fixed order whichever worker runs which task.
#[tokio::main]
async fn main() {
    let args = Args::parse();
    let n = args.n.get();
    // A future is a value like any other: it can be measured without being started.
    println!("Each task's future: {} bytes", size_of_val(&nap()));

    let start = Instant::now();
    let handles: Vec<_> = (0..n).map(|_| tokio::spawn(nap())).collect();
    println!("Spawned {n} tasks");
    // Waiting in spawn order costs nothing: every task runs meanwhile, whichever one we wait for.
    for handle in handles {
        handle.await.expect("a sleeping task does not panic");
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
    if args.memory {
        match peak_memory_kib() {
            Some(peak) => println!("Peak memory: {:.2} MiB", peak as f64 / 1024.0),
            None => println!("Peak memory: unknown (there is no /proc/self/status)"),
        }
    }
}
// ANCHOR_END: main
