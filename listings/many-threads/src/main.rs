//! Starts N OS threads that each sleep for 1 s, waits for them all, and prints the time taken.
//! Run it with `cargo run -p many-threads -- 1000`; add `--memory` for the peak memory too.

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use clap::Parser;

// ANCHOR: stack
/// The stack each thread reserves; a sleeping thread needs a few KiB of it. Only the pages a
/// thread touches take RAM, so this is address space, not memory. But where reservations
/// count (strict overcommit, `ulimit -v`), Rust's default of 2 MiB would ask for 200 GiB
/// for 100,000 threads.
const STACK: usize = 64 * 1024;
// ANCHOR_END: stack

/// Starts N OS threads that each sleep for 1 s, and waits for them all.
#[derive(Parser)]
struct Args {
    /// How many threads to start.
    // Read `-5` as a bad count, not as an unknown flag.
    #[arg(allow_negative_numbers = true)]
    n: NonZeroUsize,
    /// Print the peak memory too.
    #[arg(long)]
    memory: bool,
}

/// The most RAM the process has held at once, in KiB: `VmHWM`, the "high water mark" of its
/// resident set, from `/proc/self/status`. That file exists on Linux only.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Memory mappings per thread: its stack and guard page, and the signal stack and guard
/// page that std gives every thread to report a stack overflow.
const MAPS_PER_THREAD: usize = 4;

/// How many threads fit under Linux's cap on a process's memory mappings,
/// `vm.max_map_count`, and that cap; `None` where there is no such file. At the cap a new
/// thread cannot map its signal stack, and std aborts the whole process instead of
/// returning an error (rust-lang/rust#78497), so we stop short of it.
fn threads_within_map_limit() -> Option<(usize, usize)> {
    let read = |path| std::fs::read_to_string(path).ok();
    let limit: usize = read("/proc/sys/vm/max_map_count")?.trim().parse().ok()?;
    let used = read("/proc/self/maps")?.lines().count();
    // Room for what else the process maps meanwhile: the handles' Vec, malloc's arenas.
    let spare = 64;
    Some((limit.saturating_sub(used + spare) / MAPS_PER_THREAD, limit))
}

// ANCHOR: spawn
/// Starts up to `n` threads that each sleep for 1 s. Stops early, saying why, when the OS
/// refuses a thread or the next one could break the mapping limit.
fn spawn_sleepers(n: usize) -> (Vec<JoinHandle<()>>, Option<String>) {
    let map_limit = threads_within_map_limit();
    let mut handles = Vec::new();
    for started in 0..n {
        if let Some((room, limit)) = map_limit
            && started == room
        {
            let why = format!(
                "stopped after {started} threads: each takes {MAPS_PER_THREAD} memory mappings, \
                 and a process may have {limit} (vm.max_map_count)"
            );
            return (handles, Some(why));
        }
        // `Builder::spawn` returns the OS's refusal as an error; `thread::spawn` would panic.
        let spawned = thread::Builder::new()
            .stack_size(STACK)
            .spawn(|| thread::sleep(Duration::from_secs(1)));
        match spawned {
            Ok(handle) => handles.push(handle),
            Err(e) => {
                let why = format!("the OS refused a thread after {started} had started: {e}");
                return (handles, Some(why));
            }
        }
    }
    (handles, None)
}
// ANCHOR_END: spawn

fn main() -> ExitCode {
    let args = Args::parse();
    let n = args.n.get();
    println!("Each thread's stack: {} KiB", STACK / 1024);

    let start = Instant::now();
    let (handles, stopped) = spawn_sleepers(n);
    println!("Spawned {} threads", handles.len());
    if let Some(why) = &stopped {
        eprintln!("error: {why}");
    }
    // The threads that did start still finish their sleep before the report.
    for handle in handles {
        handle.join().expect("a sleeping thread does not panic");
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
    if args.memory {
        match peak_memory_kib() {
            Some(peak) => println!("Peak memory: {:.2} MiB", peak as f64 / 1024.0),
            None => println!("Peak memory: unknown (there is no /proc/self/status)"),
        }
    }
    if stopped.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
