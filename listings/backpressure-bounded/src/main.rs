//! A chat room with a bounded outbox per client, and bob, who stops reading for 2.2 s.
//! Run it with `cargo run -p backpressure-bounded`.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::time::{interval, sleep};

// ANCHOR: room
/// Sends seven messages, one every 400 ms, to each client in the order they joined.
async fn room(clients: Vec<(&str, mpsc::Sender<u32>)>, start: Instant) {
    let mut tick = interval(Duration::from_millis(400));
    for message in 1..=7 {
        // The first tick is immediate; a tick that is already late fires at once.
        tick.tick().await;
        let at = start.elapsed().as_secs_f64();
        println!("Room sends {message} at {at:.2}s");
        for (name, outbox) in &clients {
            if outbox.capacity() == 0 {
                let (full, at) = (outbox.max_capacity(), start.elapsed().as_secs_f64());
                println!("Room waits: {name}'s outbox holds {full} of {full} at {at:.2}s");
            }
            // Backpressure: with no free slot, this waits until the client takes a message.
            outbox
                .send(message)
                .await
                .expect("the client is still here");
        }
    }
}
// ANCHOR_END: room

// ANCHOR: client
/// Shows each message as it arrives, but freezes for `stall` after the first one, as a
/// client on a bad link stops reading for a while.
async fn client(
    name: &str,
    mut outbox: mpsc::Receiver<u32>,
    mut stall: Option<Duration>,
    start: Instant,
) {
    while let Some(message) = outbox.recv().await {
        let at = start.elapsed().as_secs_f64();
        println!("{name} got {message} at {at:.2}s");
        if let Some(pause) = stall.take() {
            sleep(pause).await;
        }
    }
}
// ANCHOR_END: client

// ANCHOR: main
/// How many messages wait in a client's outbox before the room has to wait.
const OUTBOX: usize = 2;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (to_bob, bob) = mpsc::channel(OUTBOX);
    let (to_alice, alice) = mpsc::channel(OUTBOX);

    // One task drives all three; `biased` polls them in this order each time it wakes, so
    // lines printed at the same instant always come in the same order.
    tokio::join!(
        biased;
        room(vec![("bob", to_bob), ("alice", to_alice)], start),
        client("alice", alice, None, start),
        client("bob", bob, Some(Duration::from_millis(2200)), start),
    );
}
// ANCHOR_END: main
