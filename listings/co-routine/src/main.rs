//! Calling an `async fn` runs none of its body: the future waits, even past a yield, until awaited.
//! Run it with `cargo run -p co-routine`.

use std::any::type_name_of_val;

// ANCHOR: answer
async fn answer() -> u32 {
    println!("start to answer");
    42
}
// ANCHOR_END: answer

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let future = answer();
    // The future an `async fn` returns has no `Debug`; its type name is the closest thing to
    // Python's repr.
    println!("{}", type_name_of_val(&future));
    // Gives the runtime a turn, to see whether it runs the future's body meanwhile.
    tokio::task::yield_now().await;
    println!("before await for future");
    let result = future.await;
    println!("result is {result} after await");
}
// ANCHOR_END: main
