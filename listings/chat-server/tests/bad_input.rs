//! Each kind of bad input, one test each, against the server program: the client that sends
//! it is dealt with, and Alice and Bob, who were there all along, still hear each other.

mod common;

use std::time::{Duration, Instant};

use tokio::time::timeout;

use common::{Client, Server, alice_and_bob, both_hear, still_talking};

// ANCHOR: too_long
#[tokio::test]
async fn an_over_long_line_ends_that_connection_only() {
    let server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut mallory = Client::named(server.addr, "mallory").await;
    both_hear(&mut alice, &mut bob, "* mallory joined").await;

    // 1024 bytes is still a line...
    mallory.send(&"a".repeat(1024)).await;
    both_hear(
        &mut alice,
        &mut bob,
        &format!("mallory: {}", "a".repeat(1024)),
    )
    .await;
    // ...1025 is not.
    mallory.send(&"b".repeat(1025)).await;
    mallory
        .expect("* line too long (the limit is 1024 bytes); goodbye")
        .await;
    mallory.expect_closed().await;
    server.logged("max line length exceeded").await;

    // Not a byte of the long line reaches anyone.
    both_hear(&mut alice, &mut bob, "* mallory left").await;
    still_talking(&mut alice, &mut bob).await;
}
// ANCHOR_END: too_long

// ANCHOR: not_utf8
#[tokio::test]
async fn a_line_that_is_not_utf8_ends_that_connection_only() {
    let server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut mallory = Client::named(server.addr, "mallory").await;
    both_hear(&mut alice, &mut bob, "* mallory joined").await;

    // "café" in Latin-1: the é is the byte 0xE9, which UTF-8 never has alone.
    mallory.send_bytes(b"caf\xe9\n").await;
    mallory.expect("* that line is not UTF-8; goodbye").await;
    mallory.expect_closed().await;
    server.logged("Unable to decode input as UTF8").await;

    both_hear(&mut alice, &mut bob, "* mallory left").await;
    still_talking(&mut alice, &mut bob).await;
}
// ANCHOR_END: not_utf8

// ANCHOR: controls
#[tokio::test]
async fn control_characters_are_passed_on_as_replacement_characters() {
    let server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut mallory = Client::named(server.addr, "mallory").await;
    both_hear(&mut alice, &mut bob, "* mallory joined").await;

    // A carriage return takes a terminal back to the start of the line, where what follows
    // covers `mallory: `; ESC [2J clears the screen.
    mallory.send("\rbob: I owe mallory 100 euros").await;
    let forged = "mallory: \u{FFFD}bob: I owe mallory 100 euros";
    both_hear(&mut alice, &mut bob, forged).await;
    mallory.send("\x1b[2J").await;
    both_hear(&mut alice, &mut bob, "mallory: \u{FFFD}[2J").await;
    still_talking(&mut alice, &mut bob).await;
}
// ANCHOR_END: controls

// ANCHOR: never_reads
#[tokio::test]
async fn a_client_that_never_reads_is_disconnected() {
    let server = Server::start(&["--write-timeout", "1"]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut mallory = Client::named(server.addr, "mallory").await;
    both_hear(&mut alice, &mut bob, "* mallory joined").await;

    // Mallory sends bad room names, and never reads the notices they earn. Once the buffers
    // between her and the server are full, her task waits in a write and reads no more of
    // her lines, and then her own writes wait too.
    let flood = "/join a b\n".repeat(1_000);
    let wait = Duration::from_millis(200);
    while let Ok(Ok(())) = timeout(wait, mallory.try_send_bytes(flood.as_bytes())).await {}

    // While her task waits, the others talk as before...
    still_talking(&mut alice, &mut bob).await;
    // ...and once she has read nothing for a second, the server hangs up on her.
    server
        .logged("connection{n=3 name=mallory}: client not reading for 1 s")
        .await;
    both_hear(&mut alice, &mut bob, "* mallory left").await;
    still_talking(&mut alice, &mut bob).await;
}
// ANCHOR_END: never_reads

// ANCHOR: silent
#[tokio::test]
async fn a_client_that_says_nothing_is_sent_away_at_the_name_deadline() {
    let server = Server::start(&["--name-timeout", "1"]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let connected = Instant::now();
    let mut mallory = Client::connect(server.addr, "mallory").await;

    // While Mallory holds a connection and says nothing, the others talk.
    still_talking(&mut alice, &mut bob).await;
    mallory.expect("* no name within 1 s; goodbye").await;
    mallory.expect_closed().await;
    let waited = connected.elapsed();
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
    server.logged("no name in time").await;

    // Mallory never had a name, so nobody was told of her coming or going.
    still_talking(&mut alice, &mut bob).await;
}
// ANCHOR_END: silent

// ANCHOR: bad_names
#[tokio::test]
async fn bad_names_do_not_move_the_name_deadline() {
    let server = Server::start(&["--name-timeout", "1"]);
    let connected = Instant::now();
    let mut mallory = Client::connect(server.addr, "mallory").await;
    // A bad name every 300 ms: each is answered, and none starts the clock again.
    let mut answers = 0;
    loop {
        mallory.send("two words").await;
        match mallory.next().await.as_deref() {
            Some("* a name is 1 to 32 characters, none of them spaces") => answers += 1,
            Some("* no name within 1 s; goodbye") => break,
            other => panic!("unexpected {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let waited = connected.elapsed();
    assert!(answers >= 2, "{answers}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    mallory.expect_closed().await;
}
// ANCHOR_END: bad_names

// ANCHOR: mid_line
#[tokio::test]
async fn a_client_that_leaves_mid_line_leaves_no_half_line_behind() {
    let server = Server::start(&[]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;
    let mut mallory = Client::named(server.addr, "mallory").await;
    both_hear(&mut alice, &mut bob, "* mallory joined").await;

    // Half a line, and then the connection ends: no `\n` ever comes.
    mallory.send_bytes(b"I will pay you back tomor").await;
    mallory.close().await;
    mallory.expect_closed().await;
    server.logged("connection closed mid-line").await;

    // The others hear that Mallory left, and nothing of what she did not finish.
    both_hear(&mut alice, &mut bob, "* mallory left").await;
    still_talking(&mut alice, &mut bob).await;
}
// ANCHOR_END: mid_line

// ANCHOR: crowd
#[tokio::test]
async fn two_thousand_connections_at_once_are_all_served() {
    const CROWD: usize = 2_000;
    let server = Server::start(&["--name-timeout", "60"]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;

    // Each newcomer sends a bad name, so each is answered by its own task, and stays in the
    // name phase: no room, so the crowd does not flood the lobby with notices.
    let addr = server.addr;
    let crowd = tokio::spawn(async move {
        let arrivals = (0..CROWD).map(|i| async move {
            let mut client = Client::connect(addr, &format!("guest{i}")).await;
            client.send("").await;
            client
                .expect("* a name is 1 to 32 characters, none of them spaces")
                .await;
            client
        });
        futures::future::join_all(arrivals).await
    });

    // Alice and Bob talk while the crowd arrives...
    let start = Instant::now();
    let mut slowest = Duration::ZERO;
    while !crowd.is_finished() {
        let sent = Instant::now();
        still_talking(&mut alice, &mut bob).await;
        slowest = slowest.max(sent.elapsed());
    }
    let crowd = crowd.await.expect("every newcomer was answered");
    println!(
        "{CROWD} answered after {:?}; slowest round trip {slowest:?}",
        start.elapsed()
    );
    assert_eq!(crowd.len(), CROWD);
    // ...and after: all 2,002 connections are open at once.
    still_talking(&mut alice, &mut bob).await;
    let connected = server
        .log()
        .iter()
        .filter(|l| l.ends_with(": connected"))
        .count();
    assert_eq!(connected, CROWD + 2);
}
// ANCHOR_END: crowd

// ANCHOR: out_of_fds
#[tokio::test]
async fn running_out_of_file_descriptors_is_logged_and_survived() {
    const CROWD: usize = 100;
    let mut server = Server::start_with_fd_limit(64, &["--name-timeout", "60"]);
    let (mut alice, mut bob) = alice_and_bob(server.addr).await;

    // More clients than the server has file descriptors: the kernel completes every
    // connection, and those the server cannot accept wait in the listen backlog.
    let mut crowd = Vec::new();
    for i in 0..CROWD {
        let mut client = Client::connect(server.addr, &format!("guest{i}")).await;
        client.send("").await;
        crowd.push(client);
    }
    let line = server.logged("Too many open files").await;
    assert_eq!(
        line,
        "ERROR cannot accept a connection: Too many open files (os error 24); \
         trying again in 100 ms"
    );
    // The server keeps running, and serves the connections it has.
    still_talking(&mut alice, &mut bob).await;
    assert!(server.is_running());

    // Some of the crowd got in; the last one did not, and waits unanswered.
    let got_in = server
        .log()
        .iter()
        .filter(|l| l.ends_with(": connected"))
        .count()
        - 2;
    assert!(0 < got_in && got_in < CROWD, "{got_in} of {CROWD} got in");
    let last = crowd.last_mut().expect("a crowd");
    let unanswered = timeout(Duration::from_millis(500), last.next()).await;
    assert!(unanswered.is_err(), "{unanswered:?}");

    // As those who got in leave, their file descriptors free up, and the server accepts
    // the next ones from the backlog: in the end every one is answered.
    for client in &mut crowd {
        client
            .expect("* a name is 1 to 32 characters, none of them spaces")
            .await;
        client.close().await;
        client.expect_closed().await;
    }
    still_talking(&mut alice, &mut bob).await;
    assert!(server.is_running());
}
// ANCHOR_END: out_of_fds
