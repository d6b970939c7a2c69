//! An `Rc` held across an `.await` in a spawned task: the future is not `Send`, so this does not compile.
//! See the error with `cargo build --manifest-path listings/error-rc-across-await/Cargo.toml`.

use std::rc::Rc;
use std::time::Duration;

async fn count_visits() {
    let visits = Rc::new(3);
    tokio::time::sleep(Duration::from_millis(100)).await;
    println!("{visits} visits");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tokio::spawn(count_visits()).await.unwrap();
}
