//! The protocol, as a client sees it: the name first, messages to the others in the room,
//! rooms apart, and the address the program announces. (Bad arguments are case files in
//! `tests/cmd/`.)

mod common;

use std::process::Command;

use common::{Client, SERVER, Server, alice_and_bob, still_talking};

#[tokio::test]
async fn messages_reach_the_others_in_the_room_and_not_the_sender() {
    let server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut carol = Client::named(server.addr, "carol").await;
    alice.expect("* carol joined").await;
    bob.expect("* carol joined").await;

    alice.send("hello").await;
    bob.expect("alice: hello").await;
    carol.expect("alice: hello").await;
    // Alice's next line is Bob's answer, not her own message coming back.
    still_talking(&mut alice, &mut bob).await;
    carol.expect("alice: still there?").await;
    carol.expect("bob: still here").await;
}

#[tokio::test]
async fn rooms_keep_their_messages_apart() {
    let server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut carol = Client::named(server.addr, "carol").await;
    alice.expect("* carol joined").await;
    bob.expect("* carol joined").await;

    carol.send("/join rust").await;
    carol.expect("* you are in rust").await;
    alice.expect("* carol left").await;
    bob.expect("* carol left").await;
    bob.send("/join rust").await;
    bob.expect("* you are in rust").await;
    carol.expect("* bob joined").await;
    alice.expect("* bob left").await;

    bob.send("only for rust").await;
    carol.expect("bob: only for rust").await;
    // Alice's next line is Bob coming back, not the message she was not there for.
    bob.send("/join lobby").await;
    alice.expect("* bob joined").await;
}

#[tokio::test]
async fn bad_room_names_are_refused() {
    let server = Server::start(&[]);
    let mut alice = Client::named(server.addr, "alice").await;
    for bad in ["/join two words", &format!("/join {}", "r".repeat(33))] {
        alice.send(bad).await;
        alice
            .expect("* a room name is 1 to 32 characters, none of them spaces")
            .await;
    }
    alice.send("/join lobby").await;
    alice.expect("* you are in lobby").await;
}

#[test]
fn a_port_in_use_is_an_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(SERVER).arg(&port).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!("error: cannot listen on 127.0.0.1:{port}: ")),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_client_that_does_not_read_is_told_what_it_missed() {
    const SENT: usize = 5_000;
    let server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut carol = Client::named(server.addr, "carol").await;
    alice.expect("* carol joined").await;
    bob.expect("* carol joined").await;

    // Alice sends 5 MB that Bob does not read: the buffers of his connection fill up, its
    // task waits in a write, and the room's 128 messages move on without him. Carol reads
    // them as they come.
    let line = "x".repeat(990);
    let last = format!("alice: {:05} {line}", SENT - 1);
    let sending = async {
        for n in 0..SENT {
            alice.send(&format!("{n:05} {line}")).await;
        }
    };
    let (_, (carol_got, carol_missed)) = tokio::join!(sending, tally(&mut carol, &last));
    println!("carol got {carol_got} and missed {carol_missed}");
    assert_eq!(carol_got + carol_missed, SENT);

    // Now Bob reads: what he got and what he is told he missed add up to what was sent.
    let (got, missed) = tally(&mut bob, &last).await;
    println!("bob got {got} and missed {missed}");
    assert!(missed > 0, "Bob missed nothing");
    assert_eq!(got + missed, SENT);
    server.logged("client too slow").await;

    // Alice is told of nothing she missed: her own lines were never hers to receive.
    bob.send("caught up").await;
    alice.expect("bob: caught up").await;
}

/// Reads up to the line `last`: how many of Alice's lines came, and how many the server
/// said were missed.
async fn tally(client: &mut Client, last: &str) -> (usize, usize) {
    let (mut got, mut missed) = (0, 0);
    loop {
        let heard = client.next().await.expect("the connection stays open");
        if let Some(count) = heard
            .strip_prefix("* you missed ")
            .and_then(|rest| rest.strip_suffix(" messages"))
        {
            missed += count.parse::<usize>().unwrap();
        } else {
            assert!(heard.starts_with("alice: "), "{heard}");
            got += 1;
        }
        if heard == last {
            return (got, missed);
        }
    }
}
