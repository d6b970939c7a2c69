//! Sync code and async code calling each other: `spawn_blocking`, `Handle::block_on` on a plain
//! thread, and the panic of a runtime started inside a runtime.
//! Run it with `cargo run -p sync-async-bridge`.

use std::panic;
use std::thread;
use std::time::Duration;

use tokio::runtime::{Builder, Handle, Runtime};
use tokio::time::sleep;

// ANCHOR: helpers
/// Stands for a sync library call that blocks its thread.
fn lookup(key: &str) -> String {
    thread::sleep(Duration::from_millis(300));
    format!("looked up {key}")
}

/// Stands for an async library call.
async fn fetch(key: &str) -> String {
    sleep(Duration::from_millis(300)).await;
    format!("fetched {key}")
}

/// A sync wrapper around `fetch` that starts a runtime of its own: fine in sync code only.
fn fetch_blocking(key: &str) -> String {
    let runtime = Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime builds");
    runtime.block_on(fetch(key))
}
// ANCHOR_END: helpers

// ANCHOR: main
fn main() {
    let runtime = Runtime::new().expect("a runtime builds");

    // Async code that needs a blocking call.
    let value = runtime.block_on(async {
        tokio::task::spawn_blocking(|| lookup("a"))
            .await
            .expect("no panic")
    });
    println!("spawn_blocking: {value}");

    // A plain thread that needs an async call, run on the runtime we already have. The handle
    // is taken here: `Handle::current()` on the plain thread would panic, with no runtime there.
    let handle: Handle = runtime.handle().clone();
    let plain = thread::spawn(move || handle.block_on(fetch("b")));
    let value = plain.join().expect("no panic");
    println!("Handle::block_on on a plain thread: {value}");

    // The sync wrapper, called from sync code, then from async code.
    println!("fetch_blocking from main: {}", fetch_blocking("c"));
    runtime.block_on(async {
        let attempt = panic::catch_unwind(|| fetch_blocking("d"));
        let payload = attempt.expect_err("a runtime inside a runtime panics");
        // `panic!("text")` carries a `&str`; a formatted message, a `String`.
        let message = match payload.downcast_ref::<&str>() {
            Some(text) => text,
            None => payload.downcast_ref::<String>().map_or("?", String::as_str),
        };
        println!("fetch_blocking from async code panicked: {message}");
    });
}
// ANCHOR_END: main
