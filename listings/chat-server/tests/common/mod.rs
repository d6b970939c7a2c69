//! What the server's tests share: the server program started on a free port, scripted
//! clients, and the check that two clients can still talk to each other.

#![allow(dead_code)] // each test file uses its own part of this

use std::io::{self, BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader as AsyncBufReader, Lines};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::{sleep, timeout};

pub const SERVER: &str = env!("CARGO_BIN_EXE_chat-server");

/// How long a test waits for a line that should come: long, for a loaded machine.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The server program, running on a free port of its own; stopped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// `chat-server 0 ARGS…`
    pub fn start(args: &[&str]) -> Server {
        let mut command = Command::new(SERVER);
        command.arg("0").args(args);
        Server::spawn(command)
    }

    /// `chat-server 0 ARGS…` allowed only `fds` open file descriptors, sockets included.
    pub fn start_with_fd_limit(fds: u32, args: &[&str]) -> Server {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!(r#"ulimit -n {fds} && exec "$0" "$@""#))
            .arg(SERVER)
            .arg("0")
            .args(args);
        Server::spawn(command)
    }

    fn spawn(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("a first line");
        let addr = first
            .trim_end()
            .strip_prefix("Listening on ")
            .unwrap_or_else(|| panic!("the first line names the address: {first:?}"))
            .parse()
            .expect("an address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let collected = log.clone();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                collected.lock().unwrap().push(line);
            }
        });
        Server { child, addr, log }
    }

    /// The log lines so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until a log line contains `text`, and returns it.
    pub async fn logged(&self, text: &str) -> String {
        let found = timeout(PATIENCE, async {
            loop {
                if let Some(line) = self.log().into_iter().find(|l| l.contains(text)) {
                    return line;
                }
                sleep(Duration::from_millis(20)).await;
            }
        });
        found
            .await
            .unwrap_or_else(|_| panic!("no log line with {text:?} in {:#?}", self.log()))
    }

    pub fn is_running(&mut self) -> bool {
        self.child
            .try_wait()
            .expect("the server can be asked")
            .is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the signal tests need: a signal from outside, and the way the server ended.
impl Server {
    /// Sends the server a signal with `kill -NAME PID`, as systemd does with `TERM` and a
    /// terminal's Ctrl-C with `INT`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("`kill` runs");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits for the server to end, and returns its exit status.
    pub async fn exit_status(&mut self) -> ExitStatus {
        let exited = timeout(PATIENCE, async {
            loop {
                if let Some(status) = self.child.try_wait().expect("the server can be asked") {
                    return status;
                }
                sleep(Duration::from_millis(20)).await;
            }
        });
        exited
            .await
            .unwrap_or_else(|_| panic!("the server still runs after {PATIENCE:?}"))
    }
}

/// A scripted client over a real connection.
pub struct Client {
    pub name: String,
    from_server: Lines<AsyncBufReader<OwnedReadHalf>>,
    to_server: OwnedWriteHalf,
}

impl Client {
    /// A connection that has not said anything yet.
    pub async fn connect(addr: SocketAddr, name: &str) -> Client {
        let stream = TcpStream::connect(addr)
            .await
            // Thousands of connections need as many file descriptors here as in the server.
            .unwrap_or_else(|e| panic!("{name} cannot connect (is `ulimit -n` too low?): {e}"));
        let (from_server, to_server) = stream.into_split();
        Client {
            name: name.to_owned(),
            from_server: AsyncBufReader::new(from_server).lines(),
            to_server,
        }
    }

    /// Connected, named, and welcomed to the lobby.
    pub async fn named(addr: SocketAddr, name: &str) -> Client {
        let mut client = Client::connect(addr, name).await;
        client.send(name).await;
        client
            .expect(&format!("* welcome {name}, you are in lobby"))
            .await;
        client
    }

    pub async fn send(&mut self, line: &str) {
        self.send_bytes(format!("{line}\n").as_bytes()).await;
    }

    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.try_send_bytes(bytes)
            .await
            .unwrap_or_else(|e| panic!("{} cannot send: {e}", self.name));
    }

    /// Sends, or says why it cannot: for a client that the server may hang up on.
    pub async fn try_send_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.to_server.write_all(bytes).await
    }

    /// The next line from the server, or `None` once the server has closed the connection.
    pub async fn next(&mut self) -> Option<String> {
        timeout(PATIENCE, self.from_server.next_line())
            .await
            .unwrap_or_else(|_| panic!("{} heard nothing for {PATIENCE:?}", self.name))
            .unwrap_or_else(|e| panic!("{} cannot read: {e}", self.name))
    }

    pub async fn expect(&mut self, line: &str) {
        assert_eq!(self.next().await.as_deref(), Some(line), "{}", self.name);
    }

    /// The server closes the connection without sending anything more.
    pub async fn expect_closed(&mut self) {
        assert_eq!(self.next().await, None, "{}", self.name);
    }

    /// Closes this side of the connection, as a client does when it is done.
    pub async fn close(&mut self) {
        let _ = self.to_server.shutdown().await;
    }
}

// ANCHOR: talking
/// Alice and Bob, in the lobby before the trouble starts.
pub async fn alice_and_bob(addr: SocketAddr) -> (Client, Client) {
    let mut alice = Client::named(addr, "alice").await;
    let bob = Client::named(addr, "bob").await;
    alice.expect("* bob joined").await;
    (alice, bob)
}

/// Both hear the same line.
pub async fn both_hear(alice: &mut Client, bob: &mut Client, line: &str) {
    alice.expect(line).await;
    bob.expect(line).await;
}

/// Alice and Bob still get each other's messages, and nothing else in between.
pub async fn still_talking(alice: &mut Client, bob: &mut Client) {
    alice.send("still there?").await;
    bob.expect("alice: still there?").await;
    bob.send("still here").await;
    alice.expect("bob: still here").await;
}
// ANCHOR_END: talking
