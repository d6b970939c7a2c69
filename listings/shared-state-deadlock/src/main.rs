//! A std `Mutex` guard held across an `.await` in joined futures: a deadlock no timeout ends.
//! Run it with `cargo run -p shared-state-deadlock`; a watchdog ends it with exit code 1.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::time::{sleep, timeout};

// ANCHOR: writers
/// Writes an entry in two steps with a slow write in between, like the journal of
/// `shared-state`, but behind a std mutex.
// Allowed on purpose: this listing exists to show the deadlock the lint warns about.
#[allow(clippy::await_holding_lock)]
async fn slow_writer(journal: &Mutex<Vec<&str>>, start: Instant) {
    let mut entries = journal.lock().unwrap();
    println!("Writer 1 holds the journal at {:.2}s", secs(start));
    entries.push("1 begins");
    sleep(Duration::from_millis(500)).await; // the slow write, with the std guard held
    entries.push("1 ends");
    println!("Writer 1 lets go at {:.2}s", secs(start));
}

async fn second_writer(journal: &Mutex<Vec<&str>>, start: Instant) {
    sleep(Duration::from_millis(250)).await;
    println!("Writer 2 wants the journal at {:.2}s", secs(start));
    // A std `lock` blocks the thread, the runtime's only one, so writer 1 never runs again
    // to let go.
    journal.lock().unwrap().push("2");
    println!("Writer 2 holds the journal at {:.2}s", secs(start));
}
// ANCHOR_END: writers

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    watchdog(start);
    let journal = Mutex::new(Vec::new());
    let writers = async {
        tokio::join!(slow_writer(&journal, start), second_writer(&journal, start));
    };
    match timeout(Duration::from_secs(1), writers).await {
        Ok(()) => println!("Both writers done at {:.2}s", secs(start)),
        Err(_) => println!("Timed out at {:.2}s", secs(start)),
    }
}

/// A plain thread, outside the runtime, that ends the process if it is still running.
fn watchdog(start: Instant) {
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        println!(
            "Still stuck at {:.2}s: the 1 s timeout never fired",
            secs(start)
        );
        // Nothing inside the runtime can run any more: its only thread waits in `lock` for
        // good, so no timer fires and `main` never returns. Only ending the process ends it.
        std::process::exit(1);
    });
}
// ANCHOR_END: main

fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}
