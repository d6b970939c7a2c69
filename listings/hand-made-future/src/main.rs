//! A future, a waker and an executor written by hand, with no runtime crate: each poll and wake, as it happens.
//! Run it with `cargo run -p hand-made-future`.

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

// ANCHOR: join
/// Polls every future it holds whenever it is polled, and is ready when all of them are.
struct JoinAll {
    futures: Vec<Option<Pin<Box<dyn Future<Output = ()>>>>>,
}

impl Future for JoinAll {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        for slot in &mut self.futures {
            if let Some(future) = slot
                && future.as_mut().poll(cx).is_ready()
            {
                *slot = None;
            }
        }
        if self.futures.iter().all(Option::is_none) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}
// ANCHOR_END: join

// ANCHOR: main
fn main() {
    log("block_on one delay of 1 s");
    let one = Delay::new("a", Duration::from_secs(1));
    log(&format!("a Delay takes {} bytes", size_of_val(&one)));
    block_on(one);

    log("block_on two delays, of 1 s and 2 s, joined");
    let started = Instant::now();
    // `Box::pin` puts each future on the heap, where it stays put however the Vec moves.
    let both = JoinAll {
        futures: vec![
            Some(Box::pin(Delay::new("b", Duration::from_secs(1)))),
            Some(Box::pin(Delay::new("c", Duration::from_secs(2)))),
        ],
    };
    block_on(both);
    log(&format!(
        "both done after {:.2}s, on one thread",
        started.elapsed().as_secs_f64()
    ));
}
// ANCHOR_END: main
