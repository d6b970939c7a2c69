//! The six programs of "What the compiler says", each fixed: every part compiles and runs.
//! Run it with `cargo run -p errors-fixed`.

use std::cell::RefCell;
use std::error::Error;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::{JoinHandle, LocalSet};
use tokio::time::sleep;

// ANCHOR: move_in
async fn write_report() {
    let file = String::from("report.txt");
    let handle = tokio::spawn(async move {
        println!("writing {file}");
    });
    handle.await.unwrap();
}
// ANCHOR_END: move_in

// ANCHOR: arc
async fn count_visits() {
    let visits = Arc::new(3);
    sleep(Duration::from_millis(100)).await;
    println!("{visits} visits");
}
// ANCHOR_END: arc

// ANCHOR: guard_in_block
async fn write_entry(journal: Arc<Mutex<Vec<&'static str>>>) {
    journal.lock().unwrap().push("begins");
    sleep(Duration::from_millis(100)).await;
    journal.lock().unwrap().push("ends");
}
// ANCHOR_END: guard_in_block

// ANCHOR: send_error
async fn parse_port(text: &str) -> Result<u16, Box<dyn Error + Send + Sync>> {
    Ok(text.parse()?)
}

async fn report(text: &'static str) {
    if let Err(e) = parse_port(text).await {
        sleep(Duration::from_millis(100)).await;
        println!("{text:?} is no port: {e}");
    }
}
// ANCHOR_END: send_error

// ANCHOR: join_no_await
async fn breakfast() {
    let (drink, food) = tokio::join!(brew(), toast());
    println!("{drink} and {food}");
}
// ANCHOR_END: join_no_await

async fn brew() -> &'static str {
    sleep(Duration::from_millis(100)).await;
    "coffee"
}

async fn toast() -> &'static str {
    sleep(Duration::from_millis(200)).await;
    "toast"
}

// ANCHOR: spawn_local
/// Spawns a task on the current thread that says when it is done: no `Send` asked.
fn spawn_named_local<F>(name: &'static str, future: F) -> JoinHandle<()>
where
    F: Future<Output = ()> + 'static,
{
    tokio::task::spawn_local(async move {
        future.await;
        println!("{name} done");
    })
}

async fn tally() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    seen.borrow_mut().push("first");
    sleep(Duration::from_millis(100)).await;
    seen.borrow_mut().push("second");
}
// ANCHOR_END: spawn_local

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    write_report().await;
    tokio::spawn(count_visits()).await.unwrap();
    let journal = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(write_entry(journal.clone())).await.unwrap();
    println!("{:?}", journal.lock().unwrap());
    tokio::spawn(report("eighty")).await.unwrap();
    breakfast().await;
    // `spawn_local` needs a `LocalSet` around it: the set runs its tasks on this thread.
    LocalSet::new()
        .run_until(async { spawn_named_local("tally", tally()).await.unwrap() })
        .await;
}
// ANCHOR_END: main
