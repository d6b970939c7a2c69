//! What the load client says when it cannot do its job: nothing listening, too few file
//! descriptors, a server that never lets the clients in, one that loses every message, and
//! one that delivers nothing. The servers here are stand-ins that speak just enough of the
//! protocol to fail in one way each.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Output};
use std::thread;

const LOAD: &str = env!("CARGO_BIN_EXE_chat-load");

fn load(addr: SocketAddr, args: &[&str]) -> Output {
    Command::new(LOAD)
        .arg(addr.to_string())
        .args(args)
        .output()
        .expect("the load client starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A stand-in server on a free port: `answer` gets each line a client sends, and what it
/// returns goes back to that client.
fn stand_in(answer: fn(&str) -> Option<String>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("a bound address");
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            thread::spawn(move || serve(stream, answer));
        }
    });
    addr
}

fn serve(stream: TcpStream, answer: fn(&str) -> Option<String>) {
    let mut writer = stream.try_clone().expect("a socket clones");
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { return };
        if let Some(reply) = answer(&line)
            && writer.write_all(format!("{reply}\n").as_bytes()).is_err()
        {
            return;
        }
    }
}

/// Lets every client into its room, and nothing more.
fn rooms_only(line: &str) -> Option<String> {
    let room = line.strip_prefix("/join ")?;
    Some(format!("* you are in {room}"))
}

#[test]
fn nothing_listening() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    // The listener is gone: connecting to its port is refused.
    let output = load(addr, &["--clients", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: cannot connect: Connection refused (os error 111)\n\
         0 of 1 clients were in their rooms\n"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn too_few_file_descriptors_names_the_limit() {
    // Enough to start, too few for 100 connections.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("a bound address");
    let output = Command::new("sh")
        .args(["-c", r#"ulimit -n 32 && exec "$0" "$@""#, LOAD])
        .args([&addr.to_string(), "--clients", "100"])
        .output()
        .expect("sh starts");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(
            "error: cannot connect: Too many open files (os error 24): each connection is a \
             file descriptor, and this process may open 32 (`ulimit -n`)\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(" of 100 clients were in their rooms\n"),
        "{stderr}"
    );
}

#[test]
fn a_server_that_never_lets_them_in() {
    let addr = stand_in(|_| None);
    let output = load(addr, &["--clients", "2", "--timeout", "0.5"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: not every client was in its room within 0.5 s\n\
         0 of 2 clients were in their rooms\n"
    );
}

#[test]
fn a_server_that_loses_every_message() {
    let addr = stand_in(|line| match line.strip_prefix("message ") {
        Some(_) => Some("* you missed 1 messages".to_owned()),
        None => rooms_only(line),
    });
    let args = ["--clients", "2", "--room-size", "2", "--messages", "3"];
    let output = load(addr, &args);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "Expected 6 deliveries, received 0: 6 missing\n  \
             6 messages the server reported missed\n"
        ),
        "{stdout}"
    );
}

#[test]
fn a_server_that_delivers_nothing() {
    let addr = stand_in(rooms_only);
    let args = ["--clients", "2", "--room-size", "2", "--messages", "1"];
    let output = load(addr, &[&args[..], &["--timeout", "0.5"]].concat());
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "Expected 2 deliveries, received 0: 2 missing\n  \
             2 clients still waiting at the timeout\n"
        ),
        "{stdout}"
    );
}
