//! A timer's ticks and a stream of messages, merged into one stream and read in one loop.
//! Run it with `cargo run -p streams-merge`.

use std::pin::pin;
use std::time::{Duration, Instant};

use futures::stream::{self, Stream, StreamExt};
use tokio::time::{self, sleep};

/// The timer ticks at 0, 0.4, 0.8 and 1.2 s; the messages come between the ticks.
const TICK: Duration = Duration::from_millis(400);

// ANCHOR: ticks
/// A `tokio::time::Interval` as a stream. `unfold` keeps the interval as its state and
/// awaits one tick for each item. (The tokio-stream crate has this ready-made.)
fn ticks(period: Duration) -> impl Stream<Item = time::Instant> {
    stream::unfold(time::interval(period), |mut interval| async move {
        let at = interval.tick().await;
        Some((at, interval))
    })
}
// ANCHOR_END: ticks

// ANCHOR: messages
/// Each message, with the wait before it.
const MESSAGES: [(&str, Duration); 3] = [
    ("hello", Duration::from_millis(200)),
    ("how are you?", Duration::from_millis(400)),
    ("bye", Duration::from_millis(400)),
];

fn messages() -> impl Stream<Item = &'static str> {
    // `then` awaits each future before it takes the next item, so the waits add up.
    stream::iter(MESSAGES).then(|(text, wait)| async move {
        sleep(wait).await;
        text
    })
}
// ANCHOR_END: messages

// ANCHOR: main
/// A merged stream has one item type, so each side is mapped into this.
enum Event {
    Tick(usize),
    Message(&'static str),
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // An interval never ends by itself; `take(4)` ends the stream after four ticks.
    let ticks = ticks(TICK).take(4).enumerate().map(|(n, _)| Event::Tick(n));
    let messages = messages().map(Event::Message);
    // `select` polls both streams in turn, yields each item as it comes, and ends when both
    // have ended. The async blocks inside make it `!Unpin`, and `next` needs `Unpin`, so
    // `pin!` pins it in place first.
    let mut events = pin!(stream::select(ticks, messages));
    while let Some(event) = events.next().await {
        let at = start.elapsed().as_secs_f64();
        match event {
            Event::Tick(n) => println!("tick {n} at {at:.2}s"),
            Event::Message(text) => println!("message {text:?} at {at:.2}s"),
        }
    }
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
}
// ANCHOR_END: main
