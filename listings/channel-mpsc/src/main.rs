//! A bounded mpsc channel with room for 2: a fast producer waits whenever it is full.
//! Run it with `cargo run -p channel-mpsc`.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::time::sleep;

// ANCHOR: producer
/// Sends five items as fast as the channel lets it, then drops its sender.
async fn producer(items: mpsc::Sender<u32>, start: Instant) {
    for item in 1..=5 {
        let free = items.capacity();
        let at = start.elapsed().as_secs_f64();
        println!("Producer sending {item}, free slots: {free}, at {at:.2}s");
        // With no free slot, this waits until the consumer takes an item.
        items.send(item).await.expect("the consumer is still here");
        let at = start.elapsed().as_secs_f64();
        println!("Producer sent {item} at {at:.2}s");
    }
    let at = start.elapsed().as_secs_f64();
    println!("Producer done, dropping its sender at {at:.2}s");
}
// ANCHOR_END: producer

// ANCHOR: main
/// How many items the channel holds before `send` has to wait.
const CAPACITY: usize = 2;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (sender, mut receiver) = mpsc::channel(CAPACITY);
    tokio::spawn(producer(sender, start));

    // `recv` returns `None` once every sender is gone and the buffer is empty.
    while let Some(item) = receiver.recv().await {
        let at = start.elapsed().as_secs_f64();
        println!("Consumer received {item} at {at:.2}s");
        sleep(Duration::from_secs(1)).await; // a slow consumer: 1 s per item
    }
    let at = start.elapsed().as_secs_f64();
    println!("Consumer sees the channel closed at {at:.2}s");
}
// ANCHOR_END: main
