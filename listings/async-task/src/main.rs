//! A spawned task starts at the first yield of `main`, before anyone awaits its handle.
//! Run it with `cargo run -p async-task`.

use tokio::task::JoinError;

// ANCHOR: answer
async fn answer() -> u32 {
    println!("start to answer");
    42
}
// ANCHOR_END: answer

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), JoinError> {
    let handle = tokio::spawn(answer());
    println!("{handle:?}");
    // One thread: the task gets to run only when `main` gives the thread back.
    tokio::task::yield_now().await;
    println!("before await for task");
    // An `Err` means the task panicked or was cancelled.
    let result = handle.await?;
    println!("result is {result} after await");
    Ok(())
}
// ANCHOR_END: main
