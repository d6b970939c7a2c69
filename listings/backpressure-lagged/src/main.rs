//! A chat room as a broadcast channel: the room never waits, and bob, who stalls, is told how many messages he missed.
//! Run it with `cargo run -p backpressure-lagged`.

use std::time::{Duration, Instant};

use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{interval, sleep};

// ANCHOR: room
/// Sends seven messages, one every 400 ms, to whoever is subscribed.
async fn room(sender: broadcast::Sender<u32>, start: Instant) {
    let mut tick = interval(Duration::from_millis(400));
    for message in 1..=7 {
        tick.tick().await; // the first tick is immediate
        let at = start.elapsed().as_secs_f64();
        // Never waits: when the channel is full, the oldest message is overwritten.
        sender.send(message).expect("someone is in the room");
        // `len` counts the messages some receiver has yet to read: never more than the capacity.
        let unread = sender.len();
        println!("Room sends {message} at {at:.2}s, holds {unread} unread");
    }
}
// ANCHOR_END: room

// ANCHOR: client
/// Shows each message as it arrives, but freezes for `stall` after the first one, as a
/// client on a bad link stops reading for a while.
async fn client(
    name: &str,
    mut messages: broadcast::Receiver<u32>,
    mut stall: Option<Duration>,
    start: Instant,
) {
    loop {
        let result = messages.recv().await;
        let at = start.elapsed().as_secs_f64();
        match result {
            Ok(message) => println!("{name} got {message} at {at:.2}s"),
            // What the chat server tells a client that fell behind; the next `recv` carries
            // on with the oldest message still held.
            Err(RecvError::Lagged(missed)) => {
                println!("{name} is told \"* you missed {missed} messages\" at {at:.2}s");
            }
            Err(RecvError::Closed) => break,
        }
        if let Some(pause) = stall.take() {
            sleep(pause).await;
        }
    }
}
// ANCHOR_END: client

// ANCHOR: main
/// How many messages the room holds for clients that have not read them yet.
const CAPACITY: usize = 2;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (sender, alice) = broadcast::channel(CAPACITY);
    let bob = sender.subscribe();

    // One task drives all three; `biased` polls them in this order each time it wakes, so
    // lines printed at the same instant always come in the same order.
    tokio::join!(
        biased;
        room(sender, start),
        client("alice", alice, None, start),
        client("bob", bob, Some(Duration::from_millis(2200)), start),
    );
}
// ANCHOR_END: main
