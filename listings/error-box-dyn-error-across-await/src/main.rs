//! A `Box<dyn Error>` held across an `.await` in a spawned task: not `Send`, so this does not compile.
//! See the error with `cargo build --manifest-path listings/error-box-dyn-error-across-await/Cargo.toml`.

use std::error::Error;
use std::time::Duration;

async fn parse_port(text: &str) -> Result<u16, Box<dyn Error>> {
    Ok(text.parse()?)
}

async fn report(text: &'static str) {
    if let Err(e) = parse_port(text).await {
        tokio::time::sleep(Duration::from_millis(100)).await;
        println!("{text:?} is no port: {e}");
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tokio::spawn(report("eighty")).await.unwrap();
}
