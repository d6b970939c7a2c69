//! A std `MutexGuard` held across an `.await`: it compiles, and Clippy warns.
//! See it with `cargo clippy --manifest-path listings/lint-guard-across-await/Cargo.toml`.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::sleep;

// ANCHOR: writer
async fn slow_writer(journal: &Mutex<Vec<&str>>) {
    let mut entries = journal.lock().unwrap();
    entries.push("begins");
    sleep(Duration::from_millis(500)).await; // the slow write, with the std guard held
    entries.push("ends");
}
// ANCHOR_END: writer

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let journal = Mutex::new(Vec::new());
    slow_writer(&journal).await;
    println!("{:?}", journal.lock().unwrap());
}
