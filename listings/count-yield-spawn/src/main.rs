//! The two yielding counters as two spawned tasks: they take turns in pairs, not strictly.
//! Run it with `cargo run -p count-yield-spawn`.

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
async fn main() -> Result<(), tokio::task::JoinError> {
    let a = tokio::spawn(count("A"));
    let b = tokio::spawn(count("B"));
    a.await?;
    b.await?;
    Ok(())
}
// ANCHOR_END: main
