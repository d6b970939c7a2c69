//! Four ways to give `tokio::spawn` what it asks for, or to do without it: move the data in,
//! share it through an `Arc`, spawn on a `LocalSet`, or join. Run it with `cargo run -p spawn-fixes`.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::{self, LocalSet};
use tokio::time::sleep;

// ANCHOR: count_letters
/// Stands for work that waits before it can answer: a request, a query.
async fn count_letters(words: &[&str]) -> usize {
    sleep(Duration::from_millis(200)).await;
    words.iter().map(|word| word.len()).sum()
}
// ANCHOR_END: count_letters

// ANCHOR: move_in
async fn move_in() {
    let words = vec!["apple", "peach"];
    let handle = tokio::spawn(async move { count_letters(&words).await });
    println!("move in: {} letters", handle.await.expect("no panic"));
}
// ANCHOR_END: move_in

// ANCHOR: share
async fn share() {
    let words = Arc::new(vec!["apple", "peach", "plum"]);
    let mut handles = Vec::new();
    for range in [0..2, 2..3] {
        let words = Arc::clone(&words);
        handles.push(tokio::spawn(
            async move { count_letters(&words[range]).await },
        ));
    }
    let mut total = 0;
    for handle in handles {
        total += handle.await.expect("no panic");
    }
    println!("share an Arc: {total} letters, and share still has {words:?}");
}
// ANCHOR_END: share

// ANCHOR: local
async fn stay_local() {
    let seen = Rc::new(RefCell::new(Vec::new())); // `Rc` is not `Send`, so neither is this
    let local = LocalSet::new();
    local
        .run_until(async {
            let mut handles = Vec::new();
            for word in ["apple", "peach"] {
                let seen = Rc::clone(&seen);
                handles.push(task::spawn_local(async move {
                    let letters = count_letters(&[word]).await;
                    seen.borrow_mut().push(letters);
                }));
            }
            for handle in handles {
                handle.await.expect("no panic");
            }
        })
        .await;
    println!("spawn_local: {:?} letters", seen.borrow());
}
// ANCHOR_END: local

// ANCHOR: join
async fn join() {
    let words = vec!["apple", "peach", "plum"];
    let (first, rest) = tokio::join!(count_letters(&words[..1]), count_letters(&words[1..]));
    println!("join: {first} + {rest} letters, borrowed from {words:?}");
}
// ANCHOR_END: join

#[tokio::main(flavor = "current_thread")]
async fn main() {
    move_in().await;
    share().await;
    stay_local().await;
    join().await;
}
