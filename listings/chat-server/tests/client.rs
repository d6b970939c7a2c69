//! The client program against the server program: what you type reaches the others, what
//! they say is printed, and at the end of input the client leaves and exits. (A bad address
//! is a case file in `tests/cmd/`.)

mod common;

use std::process::Stdio;

use common::{Client, PATIENCE, Server};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::time::timeout;

const CLIENT: &str = env!("CARGO_BIN_EXE_chat-client");

#[tokio::test]
async fn the_client_sends_what_is_typed_and_prints_what_it_hears() {
    let server = Server::start(&[]);
    let mut alice = Client::named(server.addr, "alice").await;
    let (mut bob, mut typed, mut printed) = start_client(&server, "bob");
    let mut next_printed = async || next_line(&mut printed).await;

    assert_eq!(
        next_printed().await.as_deref(),
        Some("* welcome bob, you are in lobby")
    );
    alice.expect("* bob joined").await;
    typed.write_all(b"hi alice\n").await.unwrap();
    alice.expect("bob: hi alice").await;
    alice.send("hi bob").await;
    assert_eq!(next_printed().await.as_deref(), Some("alice: hi bob"));

    // The end of input: Bob's client leaves, and exits once the server has closed.
    drop(typed);
    alice.expect("* bob left").await;
    assert_eq!(next_printed().await, None);
    let status = timeout(PATIENCE, bob.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn the_client_exits_when_the_server_sends_it_away() {
    let server = Server::start(&["--name-timeout", "0.5"]);
    // Two words are no name: the server says so, and sends the client away at the deadline.
    let mut client = Command::new(CLIENT)
        .args([&server.addr.to_string(), "two words"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the client starts");
    // Input kept open, as at a terminal where nobody types.
    let _typed = client.stdin.take();
    let output = timeout(PATIENCE, client.wait_with_output()).await;
    let output = output.unwrap().unwrap();
    assert!(output.status.success(), "{}", output.status);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "* a name is 1 to 32 characters, none of them spaces\n\
         * no name within 0.5 s; goodbye\n"
    );
}

#[tokio::test]
async fn the_client_prints_the_longest_line_the_server_can_send() {
    let server = Server::start(&[]);
    let mut mallory = Client::named(server.addr, "mallory").await;
    let (_bob, _typed, mut printed) = start_client(&server, "bob");
    let mut next_printed = async || next_line(&mut printed).await;
    assert_eq!(
        next_printed().await.as_deref(),
        Some("* welcome bob, you are in lobby")
    );
    mallory.expect("* bob joined").await;

    // 1024 one-byte control characters, the most a line may hold, become 3072 bytes of `�`.
    let mut line = vec![0x01; chat_server::MAX_LINE];
    line.push(b'\n');
    mallory.send_bytes(&line).await;
    let longest = format!("mallory: {}", "\u{FFFD}".repeat(chat_server::MAX_LINE));
    assert_eq!(next_printed().await, Some(longest));
    mallory.send("still there?").await;
    assert_eq!(
        next_printed().await.as_deref(),
        Some("mallory: still there?")
    );
}

/// The client program as `name`, with its input and output piped to the test.
fn start_client(server: &Server, name: &str) -> (Child, ChildStdin, Lines<BufReader<ChildStdout>>) {
    let mut client = Command::new(CLIENT)
        .args([&server.addr.to_string(), name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the client starts");
    let typed = client.stdin.take().expect("piped");
    let printed = BufReader::new(client.stdout.take().expect("piped")).lines();
    (client, typed, printed)
}

/// The next line the client prints, or `None` once it has closed its output.
async fn next_line(printed: &mut Lines<BufReader<ChildStdout>>) -> Option<String> {
    let line = timeout(PATIENCE, printed.next_line()).await;
    line.expect("a line in time").expect("readable")
}
