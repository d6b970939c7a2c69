//! A timeout written by hand, with no runtime crate: a race between some work and a deadline.
//! Run it with `cargo run -p exercise-timeout-by-hand`.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// Prints a line stamped with the seconds since the program started.
fn log(message: &str) {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = START.get_or_init(Instant::now);
    println!("{:.2}s {message}", start.elapsed().as_secs_f64());
}

// ANCHOR: delay
/// A future that is ready once `duration` has passed since it was first polled.
struct Delay {
    name: &'static str,
    duration: Duration,
    shared: Arc<Mutex<Shared>>,
}

/// What the future and its timer thread both touch.
#[derive(Default)]
struct Shared {
    fired: bool,
    waker: Option<Waker>,
    timer_started: bool,
}

impl Delay {
    fn new(name: &'static str, duration: Duration) -> Delay {
        let shared = Arc::default();
        Delay {
            name,
            duration,
            shared,
        }
    }
}

impl Future for Delay {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut shared = self.shared.lock().expect("no thread panics holding it");
        if shared.fired {
            log(&format!("poll {}: Ready", self.name));
            return Poll::Ready(());
        }
        // Keep the newest waker: whoever polls now is who must be woken.
        shared.waker = Some(cx.waker().clone());
        if !shared.timer_started {
            shared.timer_started = true;
            let (name, duration, timer) = (self.name, self.duration, Arc::clone(&self.shared));
            // The "reactor": a thread that waits for the event and wakes whoever waits.
            thread::spawn(move || {
                thread::sleep(duration);
                let mut shared = timer.lock().expect("no thread panics holding it");
                shared.fired = true;
                log(&format!("wake {name}"));
                if let Some(waker) = shared.waker.take() {
                    waker.wake();
                }
            });
        }
        log(&format!("poll {}: Pending", self.name));
        Poll::Pending
    }
}
// ANCHOR_END: delay

// ANCHOR: executor
/// Wakes the executor's thread, and remembers that it did.
struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// Runs one future to completion on this thread, sleeping whenever it is pending.
fn block_on<F: Future>(future: F) -> F::Output {
    // Polling needs `Pin<&mut F>`: the future must not move once polled, because it may
    // point into itself. `pin!` fixes it in place on this stack frame.
    let mut future = pin!(future);
    let waker_state = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&waker_state));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // `park` may return without an unpark, so sleep until a wake really happened.
        while !waker_state.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}
// ANCHOR_END: executor

// ANCHOR: timeout
/// The error of a `Timeout` whose deadline came first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl Error for Elapsed {}

/// Resolves to `Ok(output)` if `future` finishes first, or to `Err(Elapsed)` if `deadline`
/// fires first.
struct Timeout<F> {
    // Boxed and pinned, so any future fits, `async` ones included, and `Timeout` stays
    // `Unpin`: `poll` can reach both fields through `Pin<&mut Self>` without `unsafe`.
    future: Pin<Box<F>>,
    deadline: Delay,
}

impl<F: Future> Timeout<F> {
    fn new(future: F, deadline: Delay) -> Timeout<F> {
        Timeout {
            future: Box::pin(future),
            deadline,
        }
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // The work first: if it finished just as the deadline passed, the work done counts.
        if let Poll::Ready(output) = self.future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        // Both get the same waker, so whichever fires, this `poll` runs again.
        match Pin::new(&mut self.deadline).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
            Poll::Pending => Poll::Pending,
        }
    }
}
// ANCHOR_END: timeout

// ANCHOR: work
/// Says when it is dropped: for a future that did not finish, that drop is its cancellation.
struct DropLog(&'static str);

impl Drop for DropLog {
    fn drop(&mut self) {
        log(&format!("drop {}", self.0));
    }
}

/// Some work that takes `duration`: an `async fn`, so its future is not `Unpin`.
async fn work(name: &'static str, duration: Duration) {
    let _drop_log = DropLog(name);
    Delay::new(name, duration).await;
}
// ANCHOR_END: work

// ANCHOR: main
/// Runs `work_secs` of work on `block_on` under a `Timeout` of `limit_secs`, and says how it
/// ended.
fn run_with_timeout(
    work_name: &'static str,
    work_secs: u64,
    deadline_name: &'static str,
    limit_secs: u64,
) {
    log(&format!(
        "block_on {work_name} of {work_secs} s, {limit_secs} s allowed"
    ));
    let started = Instant::now();
    let timeout = Timeout::new(
        work(work_name, Duration::from_secs(work_secs)),
        Delay::new(deadline_name, Duration::from_secs(limit_secs)),
    );
    // `block_on` drops the `Timeout` as it returns, and with it whichever future lost.
    let outcome = block_on(timeout);
    let took = started.elapsed().as_secs_f64();
    match outcome {
        Ok(()) => log(&format!("{work_name} finished in time, after {took:.2}s")),
        Err(Elapsed) => log(&format!("{work_name} timed out after {took:.2}s")),
    }
}

fn main() {
    // 3 s, not 2 s: dropping a `Delay` does not stop its timer thread. At 2 s this one would
    // fire at the same instant as the second deadline, in either order; at 3 s it is still
    // asleep when the program ends.
    run_with_timeout("quick work", 1, "long deadline", 3);
    run_with_timeout("slow work", 2, "short deadline", 1);
}
// ANCHOR_END: main
