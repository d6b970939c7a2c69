//! Two counters in one task that hand the thread to each other after every line.
//! Run it with `cargo run -p count-sleep-0`.

// ANCHOR: count
async fn count(name: &str) {
    println!("start {name}");
    for i in 0..10 {
        println!("{name} {i}");
        // Wait for nothing, but let the other counter take a turn: asyncio's `sleep(0)`.
        tokio::task::yield_now().await;
    }
}
// ANCHOR_END: count

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `futures::join!` polls A, then B, every time; `tokio::join!` varies which goes first.
    futures::join!(count("A"), count("B"));
}
// ANCHOR_END: main
