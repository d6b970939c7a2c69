//! What a runtime's shutdown does to the work still in it: detached tasks are dropped, tracked
//! ones were awaited, blocking work is waited for, or abandoned after `shutdown_timeout`.
//! Run it with `cargo run -p task-shutdown`.

use std::thread;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};
use tokio::time::sleep;
use tokio_util::task::TaskTracker;

// ANCHOR: guard
/// Says when the future holding it is dropped, finished or not.
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("{}: dropped", self.0);
    }
}
// ANCHOR_END: guard

fn new_runtime() -> Runtime {
    Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime builds")
}

fn main() {
    // ANCHOR: drop
    let runtime = new_runtime();
    runtime.block_on(async {
        let tracker = TaskTracker::new();
        tokio::spawn(async {
            let _guard = Guard("detached task");
            sleep(Duration::from_secs(5)).await;
            println!("detached task: never printed");
        });
        tracker.spawn(async {
            sleep(Duration::from_millis(200)).await;
            println!("tracked task: finished");
        });
        tokio::task::spawn_blocking(|| {
            thread::sleep(Duration::from_millis(400));
            println!("blocking work: finished");
        });
        tracker.close();
        tracker.wait().await;
        println!("main: tracked work done, returning");
    });
    println!("main: block_on returned, dropping the runtime");
    drop(runtime); // what `#[tokio::main]` does when `main` returns
    println!("runtime dropped");
    // ANCHOR_END: drop

    // ANCHOR: timeout
    let runtime = new_runtime();
    runtime.spawn_blocking(|| {
        thread::sleep(Duration::from_secs(2));
        println!("slow blocking work: never printed, the process is gone");
    });
    thread::sleep(Duration::from_millis(200));
    println!("shutdown_timeout of 0.3 s");
    runtime.shutdown_timeout(Duration::from_millis(300));
    println!("runtime gone, the blocking thread left behind");
    // ANCHOR_END: timeout
}
