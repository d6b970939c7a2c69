//! Four jobs at once, each on the executor that suits it: 1.3 s in all, where they add up to 4 s.
//! Run it with `cargo run -p unsync`.

use std::error::Error;
use std::process::Stdio;
use std::time::{Duration, Instant};

use clap::Parser;
use tokio::process::Command;
use tokio::sync::oneshot;
use tokio::task;
use tokio::time::sleep;

// ANCHOR: jobs
// How long each job takes: 4 s together, and 0.2 s apart, so they always end in this order.
const IO_WAIT: Duration = Duration::from_millis(700);
const BLOCKING_CALL: Duration = Duration::from_millis(900);
const CPU_WORK: Duration = Duration::from_millis(1100);
const CHILD_WORK: Duration = Duration::from_millis(1300);

/// Waiting on I/O. A timer stands in for a socket: the future gives its thread back while
/// it waits.
async fn io_wait() {
    sleep(IO_WAIT).await;
}

/// A blocking call, such as a synchronous database driver: it holds its thread until done.
fn blocking_call() {
    std::thread::sleep(BLOCKING_CALL);
}

/// CPU-bound work: counting primes, until a deadline rather than up to a fixed number, so
/// that it takes the same wall time on an idle machine and on a busy one.
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
// ANCHOR_END: jobs

// ANCHOR: rayon
/// Runs `work` on rayon's thread pool. Rayon knows nothing of async, so the result comes
/// back through a oneshot channel, whose receiver is a future.
fn on_rayon<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> oneshot::Receiver<T> {
    let (sender, receiver) = oneshot::channel();
    rayon::spawn(move || {
        // `send` fails only if the receiver is gone: then nobody wants the result.
        let _ = sender.send(work());
    });
    receiver
}
// ANCHOR_END: rayon

// ANCHOR: run
async fn run_jobs() -> Result<(), Box<dyn Error>> {
    let start = Instant::now();

    announce("I/O wait on a Tokio task", IO_WAIT);
    let io = tokio::spawn(io_wait());

    announce("blocking call on spawn_blocking", BLOCKING_CALL);
    let blocking = task::spawn_blocking(blocking_call);

    announce("CPU work on rayon", CPU_WORK);
    let cpu = on_rayon(|| count_primes_for(CPU_WORK));

    announce("CPU work in a child process", CHILD_WORK);
    let child = Command::new(std::env::current_exe()?)
        .arg("--child")
        .stdout(Stdio::piped())
        // Should this program give up early, the child goes with it.
        .kill_on_drop(true)
        .spawn()?
        .wait_with_output();

    // Four executors, one kind of handle: a future that is ready when its job ends.
    // `try_join!` waits for all four at once and gives up at the first error.
    let ((), (), primes, output) = tokio::try_join!(
        report("I/O wait on a Tokio task", start, io),
        report("blocking call on spawn_blocking", start, blocking),
        report("CPU work on rayon", start, cpu),
        report("CPU work in a child process", start, child),
    )?;
    if !output.status.success() {
        return Err(format!("the child process failed: {}", output.status).into());
    }
    let child_primes: u64 = String::from_utf8(output.stdout)?.trim().parse()?;
    // The counts depend on the machine, so they go to stderr, out of the transcript.
    eprintln!("Primes found: {primes} on rayon, {child_primes} in the child process");
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
    Ok(())
}

/// Says which job starts, and for how long.
fn announce(job: &str, length: Duration) {
    println!("Start {job} ({} s)", length.as_secs_f64());
}

/// Waits for one job and says when it ended.
async fn report<T, E: Error + 'static>(
    job: &str,
    start: Instant,
    handle: impl Future<Output = Result<T, E>>,
) -> Result<T, Box<dyn Error>> {
    let value = handle.await?;
    println!("End {job} at {:.2}s", start.elapsed().as_secs_f64());
    Ok(value)
}
// ANCHOR_END: run

// ANCHOR: main
/// Four jobs at once, each on the executor that suits it.
#[derive(Parser)]
struct Args {
    /// Run as the child process, which the listing starts itself.
    #[arg(long, hide = true)]
    child: bool,
}

fn main() -> Result<(), Box<dyn Error>> {
    if Args::parse().child {
        // The child: CPU work on its own main thread, the answer on stdout for the parent.
        println!("{}", count_primes_for(CHILD_WORK));
        return Ok(());
    }
    // What `#[tokio::main(flavor = "current_thread")]` expands to, written out so that the
    // child process does not build a runtime it never uses.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(run_jobs())
}
// ANCHOR_END: main
