//! A chat recorded from both sides: the real server, with alice, bob and carol over TCP.
//! Run it with `cargo run -p chat-session`; it needs `listings/chat-server/` beside it.

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use chat_server::{Config, serve};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::{Instant, sleep_until, timeout};
use tokio_util::sync::CancellationToken;

/// Time between two steps of the script: every line a step causes is out well before the next.
const STEP: Duration = Duration::from_millis(250);

// ANCHOR: client
/// One scripted client. Whatever it sends or hears is printed after its name.
struct Client {
    name: &'static str,
    from_server: Lines<BufReader<OwnedReadHalf>>,
    to_server: OwnedWriteHalf,
}

impl Client {
    /// Connects, and sends the name as the first line.
    async fn join(addr: SocketAddr, name: &'static str) -> Client {
        // Printed before connecting: what the server logs about it comes after.
        println!("{name:<6} > {name}");
        let stream = TcpStream::connect(addr).await.expect("the server is up");
        let (from_server, to_server) = stream.into_split();
        let mut client = Client {
            name,
            from_server: BufReader::new(from_server).lines(),
            to_server,
        };
        client.write(name).await;
        client
    }

    async fn send(&mut self, line: &str) {
        println!("{:<6} > {line}", self.name);
        self.write(line).await;
    }

    async fn write(&mut self, line: &str) {
        let line = format!("{line}\n");
        let written = self.to_server.write_all(line.as_bytes()).await;
        written.expect("the server reads");
    }

    /// Waits for the next line from the server, and prints it.
    async fn hears(&mut self) {
        let line = timeout(Duration::from_secs(1), self.from_server.next_line()).await;
        match line {
            Ok(Ok(Some(line))) => println!("{:<6} < {line}", self.name),
            Ok(Ok(None)) => println!("{:<6} (the server closed the connection)", self.name),
            Ok(Err(e)) => println!("{:<6} (error: {e})", self.name),
            Err(_) => println!("{:<6} (nothing for a second)", self.name),
        }
    }

    /// Closes its sending side, as `chat-client` does at the end of its input, and hears
    /// whatever else the server sends, until the server closes the connection.
    async fn leave(mut self) {
        println!("{:<6} (leaves)", self.name);
        self.to_server.shutdown().await.expect("the socket closes");
        while let Ok(Some(line)) = self.from_server.next_line().await {
            println!("{:<6} < {line}", self.name);
        }
        println!("{:<6} (the server closed the connection)", self.name);
    }
}
// ANCHOR_END: client

// ANCHOR: log
/// Where the server's log goes: stdout, each line marked as the server's. The log writes
/// a whole line at a time, so one `write` call is one line.
struct ServerLog;

impl Write for ServerLog {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        print!("server {}", String::from_utf8_lossy(line).trim_start());
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()
    }
}
// ANCHOR_END: log

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(|| ServerLog)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .init();
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("a free port");
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    let config = Config {
        name_timeout: Duration::from_secs(10),
        write_timeout: Duration::from_secs(10),
        grace: Duration::from_secs(1),
    };
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(serve(listener, config, shutdown.clone()));

    let start = Instant::now();
    let mut step = 0;
    let mut next_step = || {
        step += 1;
        sleep_until(start + STEP * step)
    };

    let mut alice = Client::join(addr, "alice").await;
    alice.hears().await;

    next_step().await;
    let mut bob = Client::join(addr, "bob").await;
    bob.hears().await;
    alice.hears().await;

    next_step().await;
    let mut carol = Client::join(addr, "carol").await;
    carol.hears().await;
    alice.hears().await;
    bob.hears().await;

    next_step().await;
    alice.send("hello, everyone").await;
    bob.hears().await;
    carol.hears().await;

    next_step().await;
    bob.send("/join rust").await;
    bob.hears().await;
    alice.hears().await;
    carol.hears().await;

    next_step().await;
    carol.send("/join rust").await;
    carol.hears().await;
    bob.hears().await;
    alice.hears().await;

    next_step().await;
    bob.send("anyone here?").await;
    carol.hears().await;

    next_step().await;
    carol.leave().await;
    bob.hears().await;

    next_step().await;
    bob.leave().await;

    next_step().await;
    alice.leave().await;

    next_step().await;
    println!("server (the session cancels the shutdown token)");
    shutdown.cancel();
    server.await.expect("the server ends cleanly");
}
// ANCHOR_END: main
