//! `abort` stops a task only at an `.await`, and cannot stop `spawn_blocking` work at all.
//! Run it with `cargo run -p task-abort`.

use std::thread;
use std::time::Duration;

use tokio::task;
use tokio::time::sleep;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // ANCHOR: async_task
    let busy = tokio::spawn(async {
        println!("task: 0.6 s of blocking work, no .await in it");
        thread::sleep(Duration::from_millis(600)); // holds its worker, as CPU work would
        println!("task: blocking stretch over, now at an .await");
        sleep(Duration::from_secs(5)).await;
        println!("task: never printed");
    });
    sleep(Duration::from_millis(200)).await;
    println!("main: abort the task");
    busy.abort();
    let error = busy.await.expect_err("the task was aborted");
    println!(
        "main: the task is gone, cancelled: {}",
        error.is_cancelled()
    );
    // ANCHOR_END: async_task

    // ANCHOR: blocking
    let blocking = task::spawn_blocking(|| {
        println!("spawn_blocking: 0.6 s of blocking work");
        thread::sleep(Duration::from_millis(600));
        println!("spawn_blocking: finished anyway");
        42
    });
    sleep(Duration::from_millis(200)).await;
    println!("main: abort the blocking work");
    blocking.abort();
    let result = blocking.await;
    println!("main: the blocking work gave {result:?}");
    // ANCHOR_END: blocking
}
