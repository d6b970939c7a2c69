//! Load on the chat server: N clients in rooms of 10 send M messages each; every line is counted.
//! Run it with `cargo run -p chat-load -- 127.0.0.1:7878 --clients 50`, the server in a second terminal.

use std::io;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use clap::Parser;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};
use tokio_util::codec::{FramedRead, LinesCodec};

/// N chat clients in rooms, each sending M messages; counts every message delivered.
#[derive(Parser)]
struct Args {
    /// The chat server's address, such as 127.0.0.1:7878.
    address: SocketAddr,
    /// How many clients to connect, each on a connection of its own.
    #[arg(long, value_name = "N")]
    clients: NonZeroUsize,
    /// How many messages each client sends.
    #[arg(long, value_name = "M", default_value = "10")]
    messages: usize,
    /// How many clients share a room.
    #[arg(long, value_name = "SIZE", default_value = "10")]
    room_size: NonZeroUsize,
    /// How long each phase, connecting and talking, may take before the test gives up.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = seconds)]
    timeout: Duration,
}

/// A number of seconds above 0, as a `Duration`.
fn seconds(arg: &str) -> Result<Duration, String> {
    arg.parse()
        .ok()
        .filter(|secs: &f64| *secs > 0.0)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| "expected a number of seconds above 0".to_owned())
}

/// The longest line the server sends: a message of 1,024 bytes after a name of up to 32
/// characters.
const MAX_LINE: usize = 2048;

/// How many clients may be between `connect` and their room at once. Thousands of connects
/// at once would overflow the server's listen backlog (the kernel then sets handshakes
/// aside, and their clients wait for TCP to try again, a fifth of a second to a second
/// later), and crowd the lobby everyone passes through.
const CONNECTING: usize = 100;

/// One client of the test, and what it has heard.
struct Client {
    /// Clients are numbered from 0; client `i` is called `load-i`.
    i: usize,
    /// The first client of its room, and how many are in it.
    room: (usize, usize),
    lines: FramedRead<OwnedReadHalf, LinesCodec>,
    writer: OwnedWriteHalf,
    /// Which message of which room-mate has arrived: `seen[(j - first) * m + k - 1]`.
    seen: Vec<bool>,
    /// Messages that arrived once, as expected.
    received: usize,
    /// Messages the server said this client missed: `* you missed N messages`.
    missed: usize,
    /// Lines that were not an expected message: one from outside the room, or twice.
    unexpected: usize,
    /// Whether the server closed the connection.
    closed: bool,
}

// ANCHOR: enter
impl Client {
    /// Connects, sends the name and `/join room-K`, and waits for `* you are in room-K`.
    async fn enter(
        addr: SocketAddr,
        i: usize,
        room_size: usize,
        n: usize,
        messages: usize,
    ) -> Result<Client, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("cannot connect: {}", explain(&e)))?;
        let (reader, writer) = stream.into_split();
        let first = i / room_size * room_size;
        let size = room_size.min(n - first);
        let mut client = Client {
            i,
            room: (first, size),
            lines: FramedRead::new(reader, LinesCodec::new_with_max_length(MAX_LINE)),
            writer,
            seen: vec![false; size * messages],
            received: 0,
            missed: 0,
            unexpected: 0,
            closed: false,
        };
        let room = format!("room-{}", first / room_size);
        client.send(&format!("load-{i}\n/join {room}\n")).await?;
        // Until then, the lines are the lobby's: other clients passing through.
        let joined = format!("* you are in {room}");
        loop {
            match client.lines.next().await {
                Some(Ok(line)) if line == joined => return Ok(client),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(format!("load-{i} cannot read: {e}")),
                None => return Err(format!("the server closed load-{i}'s connection")),
            }
        }
    }

    async fn send(&mut self, text: &str) -> Result<(), String> {
        let written = self.writer.write_all(text.as_bytes()).await;
        written.map_err(|e| format!("load-{} cannot send: {e}", self.i))
    }
}
// ANCHOR_END: enter

// ANCHOR: talk
impl Client {
    /// Sends `messages` messages, each once every room-mate's previous one has arrived, and
    /// reads until every room-mate's last one has. Returns early if the server closes.
    async fn talk(&mut self, messages: usize) {
        let others = self.room.1 - 1;
        let mut sent = 0;
        while sent < messages || self.heard() < others * messages {
            // A client waits for its room-mates' previous messages before it sends the next,
            // so that a room never has more than about two rounds of messages in flight: a
            // load that outran the server would measure what a flood pushes out of a room.
            if sent < messages && self.heard() >= others * sent {
                sent += 1;
                let text = format!("message {sent}\n");
                if self.send(&text).await.is_err() {
                    self.closed = true;
                    return;
                }
                continue;
            }
            match self.lines.next().await {
                Some(Ok(line)) => self.hear(&line, messages),
                Some(Err(_)) | None => {
                    self.closed = true;
                    return;
                }
            }
        }
    }

    /// The messages heard of, delivered or missed.
    fn heard(&self) -> usize {
        self.received + self.missed
    }

    /// Counts a line: `load-J: message K` from a room-mate, or a notice.
    fn hear(&mut self, line: &str, messages: usize) {
        if let Some(notice) = line.strip_prefix("* ") {
            // Other notices, such as `* load-3 joined`, are not messages.
            let missed = notice.strip_prefix("you missed ");
            if let Some(count) = missed.and_then(|rest| rest.strip_suffix(" messages")) {
                self.missed += count.parse().unwrap_or(1);
            }
            return;
        }
        let (first, size) = self.room;
        let message = line.split_once(": message ").and_then(|(name, k)| {
            let j: usize = name.strip_prefix("load-")?.parse().ok()?;
            let k: usize = k.parse().ok()?;
            let from_a_room_mate = (first..first + size).contains(&j) && j != self.i;
            (from_a_room_mate && (1..=messages).contains(&k))
                .then(|| (j - first) * messages + k - 1)
        });
        match message {
            Some(index) if !self.seen[index] => {
                self.seen[index] = true;
                self.received += 1;
            }
            _ => self.unexpected += 1,
        }
    }
}
// ANCHOR_END: talk

// ANCHOR: main
#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let n = args.clients.get();
    let room_size = args.room_size.get();
    let m = args.messages;
    LazyLock::force(&OPEN_FILES);
    println!(
        "{} clients connecting to {}, in rooms of {room_size}",
        grouped(n),
        args.address
    );

    // Phase 1: every client connects and joins its room. Nobody speaks until all are in,
    // so no message goes out before its listeners are there.
    let start = Instant::now();
    let deadline = start + args.timeout;
    let gate = Arc::new(Semaphore::new(CONNECTING));
    let mut entering = JoinSet::new();
    for i in 0..n {
        let gate = gate.clone();
        entering.spawn(async move {
            let _turn = gate.acquire().await.expect("the semaphore is never closed");
            Client::enter(args.address, i, room_size, n, m).await
        });
    }
    let mut clients = Vec::with_capacity(n);
    while clients.len() < n {
        let why = match timeout_at(deadline, entering.join_next()).await {
            Ok(Some(Ok(Ok(client)))) => {
                clients.push(client);
                continue;
            }
            Ok(Some(Ok(Err(why)))) => why,
            Ok(Some(Err(e))) => panic!("a client panicked: {e}"),
            Ok(None) => unreachable!("n clients were spawned"),
            Err(_) => format!(
                "not every client was in its room within {} s",
                args.timeout.as_secs_f64()
            ),
        };
        // Returning drops the set, which aborts the clients still on their way in.
        eprintln!("error: {why}");
        eprintln!(
            "{} of {} clients were in their rooms",
            grouped(clients.len()),
            grouped(n)
        );
        return ExitCode::FAILURE;
    }
    println!(
        "{} connections held, each client in its room, after {:.2}s",
        grouped(n),
        start.elapsed().as_secs_f64()
    );

    // Phase 2: every client sends its messages and counts what it hears.
    println!("Each client sends {m} messages: {} in all", grouped(n * m));
    let start = Instant::now();
    let deadline = start + args.timeout;
    let mut talking = JoinSet::new();
    for mut client in clients {
        talking.spawn(async move {
            let finished = timeout_at(deadline, client.talk(m)).await.is_ok();
            (client, finished)
        });
    }
    // Every connection stays open until every client is done: a client that hung up early
    // would have the server cut off what it had not yet read from it.
    let clients = talking.join_all().await;
    let elapsed = start.elapsed().as_secs_f64();
    report(&clients, m, elapsed)
}
// ANCHOR_END: main

/// Prints what arrived against what should have, and returns success if everything did.
fn report(clients: &[(Client, bool)], m: usize, elapsed: f64) -> ExitCode {
    let expected: usize = clients.iter().map(|(c, _)| (c.room.1 - 1) * m).sum();
    let received: usize = clients.iter().map(|(c, _)| c.received).sum();
    let missed: usize = clients.iter().map(|(c, _)| c.missed).sum();
    let unexpected: usize = clients.iter().map(|(c, _)| c.unexpected).sum();
    let closed = clients.iter().filter(|(c, _)| c.closed).count();
    let late = clients.iter().filter(|(_, finished)| !finished).count();
    let every = received == expected && unexpected == 0;
    let verdict = if every {
        "every message delivered".to_owned()
    } else {
        format!("{} missing", grouped(expected - received))
    };
    println!(
        "Expected {} deliveries, received {}: {verdict}",
        grouped(expected),
        grouped(received)
    );
    for (count, what) in [
        (missed, "messages the server reported missed"),
        (unexpected, "lines that were not an expected message"),
        (closed, "connections the server closed"),
        (late, "clients still waiting at the timeout"),
    ] {
        if count > 0 {
            println!("  {} {what}", grouped(count));
        }
    }
    println!("Messages took {elapsed:.2}s");
    if every {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

// ANCHOR: explain
/// This process's limit on open files, read at the start: once the descriptors have run out,
/// the file that tells the limit cannot be opened either.
static OPEN_FILES: LazyLock<String> =
    LazyLock::new(|| limit("/proc/self/limits", "Max open files"));

/// An error from `connect`, with the limit behind it when the OS names one.
fn explain(e: &io::Error) -> String {
    // The same numbers on Linux, macOS and the BSDs.
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    match e.raw_os_error() {
        Some(EMFILE) => format!(
            "{e}: each connection is a file descriptor, and this process may open {} \
             (`ulimit -n`)",
            *OPEN_FILES
        ),
        Some(ENFILE) => format!(
            "{e}: the whole system is out of file descriptors (fs.file-max = {})",
            limit("/proc/sys/fs/file-max", "")
        ),
        _ if e.kind() == io::ErrorKind::AddrNotAvailable => format!(
            "{e}: no local port is free to connect from; Linux picks them from \
             net.ipv4.ip_local_port_range, {}",
            limit("/proc/sys/net/ipv4/ip_local_port_range", "")
        ),
        _ => e.to_string(),
    }
}

/// Part of a /proc file, for an error message: the soft limit on the line starting with
/// `key`, or the whole first line when `key` is empty. `unknown` off Linux.
fn limit(path: &str, key: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let line = text.lines().find(|l| l.starts_with(key)).unwrap_or("");
    let values = line.strip_prefix(key).unwrap_or(line).split_whitespace();
    let found: Vec<&str> = if key.is_empty() {
        values.collect()
    } else {
        values.take(1).collect()
    };
    if found.is_empty() {
        "unknown".to_owned()
    } else {
        found.join(" to ")
    }
}
// ANCHOR_END: explain

/// `10000` as `10,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
