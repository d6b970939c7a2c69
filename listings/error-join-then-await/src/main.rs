//! `join!(…).await`: `join!` awaits by itself and gives a tuple, which is no future, so this does not compile.
//! See the error with `cargo build --manifest-path listings/error-join-then-await/Cargo.toml`.

use std::time::Duration;

async fn brew() -> &'static str {
    tokio::time::sleep(Duration::from_millis(100)).await;
    "coffee"
}

async fn toast() -> &'static str {
    tokio::time::sleep(Duration::from_millis(200)).await;
    "toast"
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (drink, food) = tokio::join!(brew(), toast()).await;
    println!("{drink} and {food}");
}
