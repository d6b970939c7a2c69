//! An actor: one task owns a bank balance, and each request brings a oneshot for the reply.
//! Run it with `cargo run -p channel-oneshot`.

use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};
use tokio::time::sleep;

// ANCHOR: actor
/// A request to the bank: deposit `amount`, and send the new balance back on `reply`.
struct Deposit {
    amount: u64,
    reply: oneshot::Sender<u64>,
}

/// The actor. It alone owns the balance and takes requests one at a time, so it needs no
/// lock. It stops when every handle to it is gone.
async fn bank(mut inbox: mpsc::Receiver<Deposit>, start: Instant) {
    let mut balance = 0;
    while let Some(Deposit { amount, reply }) = inbox.recv().await {
        sleep(Duration::from_millis(500)).await; // booking takes a while
        balance += amount;
        let at = start.elapsed().as_secs_f64();
        println!("Bank booked {amount}, balance {balance}, at {at:.2}s");
        // The client may have stopped waiting; then nobody needs the answer.
        let _ = reply.send(balance);
    }
    let at = start.elapsed().as_secs_f64();
    println!("Bank closed at {at:.2}s");
}
// ANCHOR_END: actor

// ANCHOR: handle
/// What clients hold: a cheap, cloneable way to talk to the actor.
#[derive(Clone)]
struct BankHandle {
    inbox: mpsc::Sender<Deposit>,
}

impl BankHandle {
    async fn deposit(&self, amount: u64) -> u64 {
        // A fresh reply channel for this one request: the answer cannot go to anyone else.
        let (reply, answer) = oneshot::channel();
        let request = Deposit { amount, reply };
        self.inbox.send(request).await.expect("the bank is open");
        answer.await.expect("the bank answers every request")
    }
}

async fn client(name: &str, amount: u64, bank: BankHandle, start: Instant) {
    let at = start.elapsed().as_secs_f64();
    println!("{name} deposits {amount} at {at:.2}s");
    let balance = bank.deposit(amount).await;
    let at = start.elapsed().as_secs_f64();
    println!("{name} hears the balance is {balance} at {at:.2}s");
}
// ANCHOR_END: handle

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // Bounded, like every mailbox should be: a flood of requests would wait in `send`.
    let (inbox, requests) = mpsc::channel(8);
    let room = inbox.max_capacity();
    println!("Bank open, its inbox holds {room} requests");
    let actor = tokio::spawn(bank(requests, start));
    let bank = BankHandle { inbox };

    // Three clients at once. `futures::join!` polls them in this order, so their requests
    // reach the inbox in this order too.
    futures::join!(
        client("Alice", 10, bank.clone(), start),
        client("Bob", 20, bank.clone(), start),
        client("Carol", 30, bank.clone(), start),
    );
    drop(bank); // the last handle: the actor's `recv` now returns `None`
    actor.await.expect("the actor does not panic");
}
// ANCHOR_END: main
