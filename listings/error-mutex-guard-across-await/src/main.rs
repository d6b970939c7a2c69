//! A std `MutexGuard` held across an `.await` in a spawned task: not `Send`, so this does not compile.
//! See the error with `cargo build --manifest-path listings/error-mutex-guard-across-await/Cargo.toml`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn write_entry(journal: Arc<Mutex<Vec<&'static str>>>) {
    let mut entries = journal.lock().unwrap();
    entries.push("begins");
    tokio::time::sleep(Duration::from_millis(100)).await;
    entries.push("ends");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let journal = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(write_entry(journal.clone())).await.unwrap();
    println!("{:?}", journal.lock().unwrap());
}
