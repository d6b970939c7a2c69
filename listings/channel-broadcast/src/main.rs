//! A broadcast channel keeps the last 2 messages: a slow subscriber is told what it missed.
//! Run it with `cargo run -p channel-broadcast`.

use std::time::{Duration, Instant};

use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{interval, sleep};

// ANCHOR: publisher
/// Publishes five messages, a quarter second apart, then drops the sender.
async fn publisher(news: broadcast::Sender<u32>, start: Instant) {
    let mut tick = interval(Duration::from_millis(250));
    for message in 1..=5 {
        tick.tick().await; // the first tick is immediate
        let at = start.elapsed().as_secs_f64();
        println!("Publisher sends {message} at {at:.2}s");
        // Never waits: a full channel overwrites its oldest message instead.
        news.send(message).expect("someone is subscribed");
    }
}
// ANCHOR_END: publisher

// ANCHOR: subscriber
/// Reads every message it can, spending `work` on each one.
async fn subscriber(
    name: &str,
    mut news: broadcast::Receiver<u32>,
    work: Duration,
    start: Instant,
) {
    loop {
        let result = news.recv().await;
        let at = start.elapsed().as_secs_f64();
        match result {
            Ok(message) => {
                println!("{name} got {message} at {at:.2}s");
                sleep(work).await;
            }
            // Too far behind: the oldest unread messages were overwritten. The next `recv`
            // carries on with the oldest one still kept.
            Err(RecvError::Lagged(missed)) => {
                println!("{name} lagged: missed {missed} messages at {at:.2}s");
            }
            Err(RecvError::Closed) => {
                println!("{name} sees the channel closed at {at:.2}s");
                break;
            }
        }
    }
}
// ANCHOR_END: subscriber

// ANCHOR: main
/// How many messages the channel keeps for subscribers that have not read them yet.
const CAPACITY: usize = 2;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (news, fast) = broadcast::channel(CAPACITY);
    let slow = news.subscribe();

    // One task drives all three; `biased` polls them in this order each time it wakes, so
    // lines printed at the same instant always come in the same order.
    tokio::join!(
        biased;
        publisher(news, start),
        subscriber("Fast", fast, Duration::ZERO, start),
        subscriber("Slow", slow, Duration::from_millis(1250), start),
    );
}
// ANCHOR_END: main
