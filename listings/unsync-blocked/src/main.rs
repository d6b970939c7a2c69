//! The CPU work from `unsync`, run on the runtime's only thread: the I/O wait ends 0.4 s late.
//! Run it with `cargo run -p unsync-blocked`.

use std::time::{Duration, Instant};

use tokio::time::sleep;

// The lengths of the same two jobs in `unsync`.
const IO_WAIT: Duration = Duration::from_millis(700);
const CPU_WORK: Duration = Duration::from_millis(1100);

// ANCHOR: jobs
async fn io_wait(start: Instant) {
    println!("Start I/O wait ({} s)", IO_WAIT.as_secs_f64());
    sleep(IO_WAIT).await;
    println!("End I/O wait at {:.2}s", start.elapsed().as_secs_f64());
}

/// The mistake: CPU-bound work called straight from async code. There is no `.await` in
/// it, so it keeps the runtime's thread until it is done.
async fn cpu_work(start: Instant) -> u64 {
    println!(
        "Start CPU work on the runtime ({} s)",
        CPU_WORK.as_secs_f64()
    );
    let primes = count_primes_for(CPU_WORK);
    println!("End CPU work at {:.2}s", start.elapsed().as_secs_f64());
    primes
}
// ANCHOR_END: jobs

/// Counts primes until a deadline, so it takes the same wall time on a busy machine.
fn count_primes_for(length: Duration) -> u64 {
    let deadline = Instant::now() + length;
    let mut primes = 0;
    let mut n = 2;
    while Instant::now() < deadline {
        if is_prime(n) {
            primes += 1;
        }
        n += 1;
    }
    primes
}

fn is_prime(n: u64) -> bool {
    (2..)
        .take_while(|d| d * d <= n)
        .all(|d| !n.is_multiple_of(d))
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // `biased;` polls the I/O wait first, so its timer is set before the CPU work starts.
    let ((), primes) = tokio::join!(biased; io_wait(start), cpu_work(start));
    // The count depends on the machine, so it goes to stderr, out of the transcript.
    eprintln!("Primes found: {primes}");
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
