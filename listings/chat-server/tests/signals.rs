//! SIGTERM, which systemd, Docker and Kubernetes send to stop a service, and SIGINT, which
//! Ctrl-C sends: the clients are told, get their grace period, and the server exits with 0.

#![cfg(unix)]

mod common;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use common::{Client, Server, alice_and_bob, both_hear, still_talking};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// The grace period the tests give: short, and long enough to talk in.
const GRACE: Duration = Duration::from_secs(2);

/// How long the server may take to end after its due time, on a loaded machine.
const SLACK: Duration = Duration::from_secs(5);

// ANCHOR: one_leaves_one_stays
/// Alice leaves during the grace period; bob stays, and is cut off at the deadline.
async fn one_leaves_one_stays(signal: &str) {
    let mut server = Server::start(&["--grace", "2"]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;

    let sent = Instant::now();
    server.signal(signal);
    both_hear(&mut alice, &mut bob, "* server shutting down in 2 s").await;
    server.logged(&format!("SIG{signal}: stopping")).await;
    server
        .logged("stopped accepting; clients have 2 s to leave open=2")
        .await;
    // The listener is gone: a new client is refused at once, not left in the backlog.
    let late = TcpStream::connect(server.addr).await;
    let refused = late.expect_err("no new connection after the signal");
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);

    // Until the deadline, the chat goes on as usual.
    still_talking(&mut alice, &mut bob).await;
    alice.close().await;
    alice.expect_closed().await;
    bob.expect("* alice left").await;

    // Bob says nothing and keeps the connection: at the deadline it closes, with no last line.
    bob.expect_closed().await;
    let cut_off = sent.elapsed();
    assert!(cut_off >= GRACE, "bob was cut off after {cut_off:?}");
    server
        .logged("deadline passed; cutting off the rest open=1")
        .await;
    server.logged("all connections closed").await;

    let status = server.exit_status().await;
    assert_eq!(status.code(), Some(0), "{status}");
    let ended = sent.elapsed();
    assert!(ended < GRACE + SLACK, "the server ended after {ended:?}");
}

#[tokio::test]
async fn sigterm_gives_the_clients_the_grace_period_then_cuts_them_off() {
    one_leaves_one_stays("TERM").await;
}

#[tokio::test]
async fn sigint_gives_the_clients_the_grace_period_then_cuts_them_off() {
    one_leaves_one_stays("INT").await;
}
// ANCHOR_END: one_leaves_one_stays

/// When every client leaves in time, the server does not wait for the deadline, which is
/// 5 s unless `--grace` says otherwise.
#[tokio::test]
async fn the_server_ends_as_soon_as_the_last_client_leaves() {
    let mut server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;

    let sent = Instant::now();
    server.signal("TERM");
    both_hear(&mut alice, &mut bob, "* server shutting down in 5 s").await;
    alice.close().await;
    alice.expect_closed().await;
    bob.expect("* alice left").await;
    bob.close().await;
    bob.expect_closed().await;

    let status = server.exit_status().await;
    assert_eq!(status.code(), Some(0), "{status}");
    let ended = sent.elapsed();
    assert!(
        ended < Duration::from_secs(3),
        "the server ended after {ended:?}, with no one left to wait for"
    );
    assert!(
        !server
            .log()
            .iter()
            .any(|line| line.contains("deadline passed")),
        "{:#?}",
        server.log()
    );
}

// ANCHOR: never_reads
/// A client that floods the server and never reads what it is told: its task waits in a
/// write when the deadline comes, and the cut-off ends it there.
#[tokio::test]
async fn a_client_that_never_reads_is_cut_off_at_the_deadline() {
    let mut server = Server::start(&["--grace", "1"]);
    let mut mallory = Client::named(server.addr, "mallory").await;

    // Each bad room name is answered with a notice that Mallory never reads. Once the
    // buffers on her side are full, her task waits in a write and stops reading her lines,
    // and then her own writes wait too.
    let flood = "/join a b\n".repeat(1_000);
    while timeout(Duration::from_secs(1), mallory.send_bytes(flood.as_bytes()))
        .await
        .is_ok()
    {}

    let sent = Instant::now();
    server.signal("TERM");
    server
        .logged("deadline passed; cutting off the rest open=1")
        .await;
    let status = server.exit_status().await;
    assert_eq!(status.code(), Some(0), "{status}");
    let ended = sent.elapsed();
    assert!(ended < GRACE + SLACK, "the server ended after {ended:?}");
    server
        .logged("connection{n=1 name=mallory}: disconnected")
        .await;
}
// ANCHOR_END: never_reads
