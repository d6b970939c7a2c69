//! A pool of workers that stops cleanly at Ctrl-C or at a deadline, and accounts for every job.
//! Run it with `cargo run -p graceful-shutdown` (1.5 s) or `-- SECONDS`, and press Ctrl-C.

use std::fmt;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use futures::future::join_all;
use tokio::sync::{Mutex, mpsc};
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

const WORKERS: usize = 3;
const JOBS: usize = 20;
const JOB_TIME: Duration = Duration::from_millis(600);

/// A pool of workers that stops cleanly at Ctrl-C or at a deadline.
#[derive(Parser)]
struct Args {
    /// Seconds until the deadline, when the pool stops if Ctrl-C has not stopped it.
    #[arg(value_name = "SECONDS", default_value = "1.5", value_parser = seconds)]
    // Read `-1` as a bad number of seconds, not as an unknown flag.
    #[arg(allow_negative_numbers = true)]
    deadline: Duration,
}

/// A number of seconds above 0, as a `Duration`.
fn seconds(arg: &str) -> Result<Duration, String> {
    arg.parse()
        .ok()
        .filter(|secs: &f64| *secs > 0.0)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| "expected a number of seconds above 0".to_owned())
}

fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// One job as a worker saw it through.
struct Done {
    job: usize,
    started: Instant,
    finished: Instant,
}

/// The queue of jobs. An mpsc receiver has one owner, so the workers share it behind a lock.
type Queue = Mutex<mpsc::UnboundedReceiver<usize>>;

// ANCHOR: worker
async fn worker(id: usize, queue: &Queue, stop: CancellationToken, start: Instant) -> Vec<Done> {
    let mut done = Vec::new();
    loop {
        // Wait for a job or for the stop, whichever comes first; `biased` checks the stop
        // first. Losing the race drops `recv`, which is cancel-safe: no job is lost with it.
        let job = tokio::select! {
            biased;
            () = stop.cancelled() => break,
            job = async { queue.lock().await.recv().await } => match job {
                Some(job) => job,
                None => break, // the queue is empty: no more work
            },
        };
        let started = Instant::now();
        println!("worker {id} started job {job} at {:.2}s", secs(start));
        // 600 ms of waiting stands in for the job's work.
        sleep(JOB_TIME).await;
        println!("worker {id} finished job {job} at {:.2}s", secs(start));
        done.push(Done {
            job,
            started,
            finished: Instant::now(),
        });
    }
    done
}
// ANCHOR_END: worker

// ANCHOR: signal
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stop {
    CtrlC,
    Deadline,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Stop::CtrlC => "Ctrl-C",
            Stop::Deadline => "Deadline",
        })
    }
}

async fn stop_signal(deadline: Duration) -> Stop {
    tokio::select! {
        // If the handler cannot be installed, `ctrl_c` returns an error, the pattern does
        // not match, and `select!` waits for the deadline alone.
        Ok(()) = tokio::signal::ctrl_c() => Stop::CtrlC,
        () = sleep(deadline) => Stop::Deadline,
    }
}
// ANCHOR_END: signal

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let (sender, receiver) = mpsc::unbounded_channel();
    for job in 0..JOBS {
        sender.send(job).expect("the receiver is still here");
    }
    drop(sender);
    let queue = Mutex::new(receiver);
    let stop = CancellationToken::new();
    println!(
        "{JOBS} jobs of {} ms for {WORKERS} workers; stopping at Ctrl-C or after {} s",
        JOB_TIME.as_millis(),
        args.deadline.as_secs_f64()
    );

    let start = Instant::now();
    // Futures, not spawned tasks: they may borrow the queue, and `join_all` polls them in
    // index order, so workers whose jobs end at the same instant always print in order.
    let workers = join_all((0..WORKERS).map(|id| worker(id, &queue, stop.clone(), start)));
    tokio::pin!(workers);
    let (reason, stopped_at, done) = tokio::select! {
        done = &mut workers => {
            println!("All jobs done at {:.2}s, with nothing to stop", secs(start));
            (None, None, done)
        }
        reason = stop_signal(args.deadline) => {
            let at = Instant::now();
            println!("{reason} at {:.2}s: cancelling the token", secs(start));
            stop.cancel();
            // `select!` only borrowed `workers`, so it is not dropped and can be awaited
            // to its end.
            (Some(reason), Some(at), workers.await)
        }
    };
    // ANCHOR_END: main

    // ANCHOR: summary
    let mut finished: Vec<usize> = done.iter().flatten().map(|d| d.job).collect();
    finished.sort();
    let mut in_progress: Vec<usize> = done
        .iter()
        .flatten()
        .filter(|d| stopped_at.is_some_and(|at| d.started <= at && at < d.finished))
        .map(|d| d.job)
        .collect();
    in_progress.sort();
    // What the workers never took is still in the queue.
    let mut never_started = Vec::new();
    let mut receiver = queue.lock().await;
    while let Ok(job) = receiver.try_recv() {
        never_started.push(job);
    }
    println!("Finished: {}", list(&finished));
    println!("  of them in progress at the stop: {}", list(&in_progress));
    println!("Never started: {}", list(&never_started));
    println!(
        "Accounted for: {} of {JOBS} jobs",
        finished.len() + never_started.len()
    );
    // 130 is what a shell reports for a program that Ctrl-C ended: 128 + SIGINT's number 2.
    if reason == Some(Stop::CtrlC) {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    }
    // ANCHOR_END: summary
}

/// "3 jobs (6, 7, 8)", or "0 jobs".
fn list(jobs: &[usize]) -> String {
    let ids: Vec<String> = jobs.iter().map(usize::to_string).collect();
    match jobs.len() {
        0 => "0 jobs".to_owned(),
        1 => format!("1 job ({})", ids[0]),
        n => format!("{n} jobs ({})", ids.join(", ")),
    }
}
