//! Starts N Tokio tasks that each sleep for 1 s, waits for them all, and prints the time taken.
//! Run it with `cargo run -p many-tasks -- 1000`; add `--memory` for the peak memory too.

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use tokio::time::sleep;

/// The number of tasks, and whether to print the peak memory (`--memory`).
fn args() -> Result<(NonZeroUsize, bool), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, memory) = match args.as_slice() {
        [] => return Err("missing the number of tasks".to_owned()),
        [n] => (n, false),
        [n, flag] if flag == "--memory" => (n, true),
        [_, rest @ ..] => return Err(format!("unexpected after N: `{}`", rest.join(" "))),
    };
    // `NonZeroUsize` turns down `0` along with anything that is not a number.
    let n = n
        .parse()
        .map_err(|_| format!("N must be a whole number above 0, not `{n}`"))?;
    Ok((n, memory))
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
async fn main() -> ExitCode {
    let (n, memory) = match args() {
        Ok((n, memory)) => (n.get(), memory),
        Err(problem) => {
            eprintln!("usage: many-tasks N [--memory]");
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
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
    if memory {
        match peak_memory_kib() {
            Some(peak) => println!("Peak memory: {:.2} MiB", peak as f64 / 1024.0),
            None => println!("Peak memory: unknown (there is no /proc/self/status)"),
        }
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main
