//! A blocking call inside a task stalls every task queued on its worker; `block_in_place`
//! hands them to another thread first. Run it with `cargo run -p block-in-place`.

use std::thread;
use std::time::Duration;

use tokio::task;
use tokio::time::sleep;

// ANCHOR: ticker
/// Prints two ticks, 0.2 s apart, if its worker lets it.
async fn ticker(name: &'static str) {
    for tick in 1..=2 {
        sleep(Duration::from_millis(200)).await;
        println!("{name}: tick {tick}");
    }
}
// ANCHOR_END: ticker

/// Stands for a blocking call on borrowed data: a sync library, a driver, a big file write.
fn blocking_call(rows: &[u32]) -> usize {
    thread::sleep(Duration::from_millis(700));
    rows.len()
}

// ANCHOR: main
// One worker, so that both tasks share it.
#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let ticks = tokio::spawn(ticker("plain"));
    let blocker = tokio::spawn(async {
        let rows = vec![1, 2, 3];
        let count = blocking_call(&rows);
        println!("plain: blocking call done, {count} rows");
    });
    blocker.await.expect("no panic");
    ticks.await.expect("no panic");

    let ticks = tokio::spawn(ticker("block_in_place"));
    let blocker = tokio::spawn(async {
        let rows = vec![1, 2, 3];
        // The closure borrows `rows`: `spawn_blocking` would want it moved in.
        let count = task::block_in_place(|| blocking_call(&rows));
        println!("block_in_place: blocking call done, {count} rows");
    });
    blocker.await.expect("no panic");
    ticks.await.expect("no panic");
}
// ANCHOR_END: main
