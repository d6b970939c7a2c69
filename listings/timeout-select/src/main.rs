//! `tokio::time::timeout`, a `tokio::select!` race, and what cancelling a future means: it is
//! dropped, and only its `Drop` code runs. Run it with `cargo run -p timeout-select`.

use std::time::Duration;

use tokio::time::{Instant, sleep, timeout};

// ANCHOR: guard
/// Stands for anything an operation must give back however it ends: a connection to return
/// to its pool, a temporary file, a lock. Its `Drop` runs when the future holding it is
/// dropped, whether the future finished or not.
struct Cleanup {
    name: &'static str,
    start: Instant,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        println!("cleanup: {} at {:.2}s", self.name, secs(self.start));
    }
}
// ANCHOR_END: guard

fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

// ANCHOR: operation
/// An operation that takes `took` and then returns its name.
async fn operation(name: &'static str, took: Duration, start: Instant) -> &'static str {
    let _cleanup = Cleanup { name, start };
    println!("{name}: started at {:.2}s", secs(start));
    sleep(took).await;
    // A cancelled operation never gets here: it is dropped while waiting above.
    println!("{name}: finished at {:.2}s", secs(start));
    name
}
// ANCHOR_END: operation

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: timeout
    let start = Instant::now();
    let ms = Duration::from_millis;
    let limit = ms(500);
    for (name, took) in [("fast", ms(200)), ("slow", ms(1000))] {
        // `timeout` gives the operation until the limit. If time runs out first, it gives
        // back `Err(Elapsed)`, and the operation inside it is dropped as `.await` returns.
        match timeout(limit, operation(name, took, start)).await {
            Ok(answer) => println!("timeout: {answer} answered in time"),
            Err(elapsed) => println!(
                "timeout: {name} did not answer within {} ms: {elapsed}",
                limit.as_millis()
            ),
        }
    }
    // ANCHOR_END: timeout

    // ANCHOR: select
    // Two ways to the same answer; whichever comes first wins, and the other is dropped.
    let winner = tokio::select! {
        // Poll the branches in the order written, rather than in a random one, so that the
        // two `started` lines always come out in this order.
        biased;
        answer = operation("primary", ms(600), start) => answer,
        answer = operation("mirror", ms(300), start) => answer,
    };
    println!("select: {winner} won at {:.2}s", secs(start));
    // ANCHOR_END: select
}
