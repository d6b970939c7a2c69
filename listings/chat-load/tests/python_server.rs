//! `chat_server.py` speaks the chat protocol as the Rust server does. It needs `python3`,
//! which the book's checks do not, so these run on request:
//! `cargo test -p chat-load --test python_server -- --ignored`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// The Python server on a free port, stopped when dropped.
struct PythonServer {
    child: Child,
    addr: String,
}

impl PythonServer {
    fn start() -> PythonServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("chat_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 starts");
        let stdout: ChildStdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("the server prints its address");
        let addr = first
            .trim()
            .strip_prefix("Listening on ")
            .expect("the first line is `Listening on …`")
            .to_owned();
        PythonServer { child, addr }
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that sends raw bytes and reads lines.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn join(addr: &str, name: &str, room: &str) -> Client {
        let stream = TcpStream::connect(addr).expect("the server is up");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("a timeout can be set");
        let writer = stream.try_clone().expect("a socket clones");
        let mut client = Client {
            reader: BufReader::new(stream),
            writer,
        };
        client.send(format!("{name}\n/join {room}\n").as_bytes());
        assert_eq!(client.hear(), format!("* welcome {name}, you are in lobby"));
        assert_eq!(client.hear(), format!("* you are in {room}"));
        client
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("the server reads");
    }

    fn hear(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("a line in time");
        line.trim_end_matches('\n').to_owned()
    }

    /// Whether the server has closed the connection: the end of the stream, or a reset
    /// when it closed with bytes of ours still unread.
    fn closed(&mut self) -> bool {
        match self.reader.read(&mut [0; 1]) {
            Ok(read) => read == 0,
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }
}

#[test]
#[ignore = "needs python3"]
fn every_message_is_delivered() {
    let server = PythonServer::start();
    let output = Command::new(env!("CARGO_BIN_EXE_chat-load"))
        .args([&server.addr, "--clients", "50", "--messages", "5"])
        .output()
        .expect("the load client starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("Expected 2,250 deliveries, received 2,250: every message delivered"),
        "{stdout}"
    );
}

#[test]
#[ignore = "needs python3"]
fn bad_lines_cost_only_their_sender() {
    let server = PythonServer::start();
    let mut alice = Client::join(&server.addr, "alice", "den");
    let mut bob = Client::join(&server.addr, "bob", "den");
    assert_eq!(alice.hear(), "* bob joined");

    let mut long = Client::join(&server.addr, "long", "den");
    long.send(&[b'x'; 1025]);
    long.send(b"\n");
    assert_eq!(
        long.hear(),
        "* line too long (the limit is 1024 bytes); goodbye"
    );
    assert!(long.closed());

    let mut latin = Client::join(&server.addr, "latin", "den");
    latin.send(b"caf\xe9\n");
    assert_eq!(latin.hear(), "* that line is not UTF-8; goodbye");
    assert!(latin.closed());

    // A line of exactly 1,024 bytes is allowed, as `LinesCodec` allows it.
    let longest = "y".repeat(1024);
    alice.send(format!("{longest}\n").as_bytes());
    for notice in [
        "* long joined",
        "* long left",
        "* latin joined",
        "* latin left",
    ] {
        assert_eq!(bob.hear(), notice);
    }
    assert_eq!(bob.hear(), format!("alice: {longest}"));
}
