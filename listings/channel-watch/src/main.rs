//! A watch channel holds one value: a reader that looks now and then sees only the latest.
//! Run it with `cargo run -p channel-watch`.

use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::time::interval_at;

// ANCHOR: writer
/// Sets the value to 1, 2, … 6, one every half second, then drops the sender.
async fn writer(value: watch::Sender<u32>, start: Instant) {
    let every = Duration::from_millis(500);
    let mut tick = interval_at((start + every).into(), every);
    for next in 1..=6 {
        tick.tick().await;
        let at = start.elapsed().as_secs_f64();
        println!("Writer sets {next} at {at:.2}s");
        // Overwrites the one value the channel holds; nothing queues up.
        value.send(next).expect("the reader is still watching");
    }
}
// ANCHOR_END: writer

// ANCHOR: reader
/// Looks at the value once a second, starting at 0.75 s, until the writer is gone.
async fn reader(mut value: watch::Receiver<u32>, start: Instant) {
    let first = start + Duration::from_millis(750);
    let mut tick = interval_at(first.into(), Duration::from_secs(1));
    loop {
        tick.tick().await;
        // Asked before reading, so the last value is still read once the writer has left.
        let writer_gone = value.has_changed().is_err();
        let seen = *value.borrow_and_update();
        let at = start.elapsed().as_secs_f64();
        println!("Reader sees {seen} at {at:.2}s");
        if writer_gone {
            println!("Reader: the writer is gone at {at:.2}s");
            break;
        }
    }
}
// ANCHOR_END: reader

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (sender, receiver) = watch::channel(0);
    // The writer ticks on the half second, the reader at .75: never at the same instant.
    tokio::spawn(writer(sender, start));
    reader(receiver, start).await;
}
// ANCHOR_END: main
