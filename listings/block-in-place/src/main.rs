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

/// Stands for a blocking call: a sync library, a driver, a big file read.
fn blocking_call() {
    thread::sleep(Duration::from_millis(700));
}

// ANCHOR: main
// One worker, so that both tasks share it.
#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let ticks = tokio::spawn(ticker("plain"));
    let blocker = tokio::spawn(async {
        blocking_call();
        println!("plain: blocking call done");
    });
    blocker.await.expect("no panic");
    ticks.await.expect("no panic");

    let ticks = tokio::spawn(ticker("block_in_place"));
    let blocker = tokio::spawn(async {
        task::block_in_place(blocking_call);
        println!("block_in_place: blocking call done");
    });
    blocker.await.expect("no panic");
    ticks.await.expect("no panic");
}
// ANCHOR_END: main
