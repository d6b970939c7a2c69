//! A `JoinSet` as asyncio's `TaskGroup`: a panicking task leaves the others running, and
//! dropping the set aborts what is left in it. Run it with `cargo run -p task-joinset`.

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::sleep;

// ANCHOR: parse
/// Reads a number that takes `millis` to arrive; text that is no number is a bug, and panics.
async fn parse_later(text: &'static str, millis: u64) -> u32 {
    sleep(Duration::from_millis(millis)).await;
    text.parse().expect("a number")
}
// ANCHOR_END: parse

// ANCHOR: guard
/// Says when the future holding it is dropped, finished or not.
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("{}: dropped", self.0);
    }
}
// ANCHOR_END: guard

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: panic
    let mut set = JoinSet::new();
    set.spawn(parse_later("12", 400));
    set.spawn(parse_later("ten", 200));
    set.spawn(parse_later("30", 600));
    while let Some(result) = set.join_next().await {
        match result {
            Ok(number) => println!("got {number}"),
            Err(error) if error.is_panic() => {
                // `panic!("text")` carries a `&str`; a formatted message, as `expect`'s, a `String`.
                let payload = error.into_panic();
                let message = match payload.downcast_ref::<&str>() {
                    Some(text) => text,
                    None => payload.downcast_ref::<String>().map_or("?", String::as_str),
                };
                println!("a task panicked: {message}");
            }
            Err(error) => println!("a task was cancelled: {error}"),
        }
    }
    // ANCHOR_END: panic

    // ANCHOR: drop
    let mut race = JoinSet::new();
    for (name, millis) in [("primary", 200), ("mirror", 5000)] {
        race.spawn(async move {
            let _guard = Guard(name);
            sleep(Duration::from_millis(millis)).await;
            name
        });
    }
    let first = race
        .join_next()
        .await
        .expect("two tasks")
        .expect("no panic");
    println!("first answer from {first}; dropping the set");
    drop(race);
    println!("main: set dropped");
    sleep(Duration::from_millis(200)).await;
    println!("main: done");
    // ANCHOR_END: drop
}
