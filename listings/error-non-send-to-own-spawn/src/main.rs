//! A future that is not `Send`, passed to a function of our own that needs `Send`: this does not compile.
//! See the error with `cargo build --manifest-path listings/error-non-send-to-own-spawn/Cargo.toml`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tokio::task::JoinHandle;

/// Spawns a task that says when it is done, as `tokio::spawn` does with a name added.
fn spawn_named<F>(name: &'static str, future: F) -> JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        future.await;
        println!("{name} done");
    })
}

async fn tally() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    seen.borrow_mut().push("first");
    tokio::time::sleep(Duration::from_millis(100)).await;
    seen.borrow_mut().push("second");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    spawn_named("tally", tally()).await.unwrap();
}
