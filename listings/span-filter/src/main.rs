//! A span per connection, a field recorded late, and an `EnvFilter` that picks lines by it.
//! Run it with `cargo run -p span-filter`, or give a filter of your own: `-- 'warn'`.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, sleep_until};
use tokio_util::codec::{FramedRead, LinesCodec};
use tracing::{Instrument, Span, field, info, info_span, warn};
use tracing_subscriber::EnvFilter;

/// Two scripted chat clients on a server that logs as the chat server does, through a filter.
#[derive(Parser)]
struct Args {
    /// Which log lines to keep, in `RUST_LOG`'s syntax.
    #[arg(default_value = "warn,[connection{name=bob}]=info", value_parser = filter)]
    filter: String,
}

/// `arg` if `EnvFilter` can read it.
fn filter(arg: &str) -> Result<String, String> {
    EnvFilter::try_new(arg)
        .map(|_| arg.to_owned())
        .map_err(|e| e.to_string())
}

// ANCHOR: connection
/// Serves one client: its first line is its name, `/join ROOM` moves it, and a line longer
/// than 16 bytes ends the connection. Logs what happens, inside the connection's span.
async fn connection(socket: TcpStream) {
    info!("connected");
    let mut lines = FramedRead::new(socket, LinesCodec::new_with_max_length(16));
    let mut named = false;
    while let Some(line) = lines.next().await {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                warn!("{e}");
                break;
            }
        };
        let room = if !named {
            // The span was made with `name` empty; from here on, its lines show the name.
            Span::current().record("name", field::display(&line));
            named = true;
            "lobby"
        } else if let Some(room) = line.strip_prefix("/join ") {
            room
        } else {
            continue;
        };
        info!(room = %room, "joined");
    }
    info!("disconnected");
}
// ANCHOR_END: connection

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    println!("Filter: {}", args.filter);
    tracing_subscriber::fmt()
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_env_filter(EnvFilter::new(&args.filter))
        .init();

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let clients = tokio::spawn(clients(listener.local_addr()?));
    for n in 1..=2 {
        let (socket, _) = listener.accept().await?;
        let span = info_span!("connection", n, name = field::Empty);
        tokio::spawn(connection(socket).instrument(span));
    }
    clients.await?
}
// ANCHOR_END: main

// ANCHOR: clients
/// alice, then bob, each step 200 ms after the one before.
async fn clients(addr: SocketAddr) -> std::io::Result<()> {
    let start = Instant::now();
    let at = |ms| sleep_until(start + Duration::from_millis(ms));
    let mut alice = TcpStream::connect(addr).await?;
    at(200).await;
    alice.write_all(b"alice\n").await?;
    at(400).await;
    let mut bob = TcpStream::connect(addr).await?;
    at(600).await;
    bob.write_all(b"bob\n").await?;
    at(800).await;
    bob.write_all(b"/join rust\n").await?;
    at(1000).await;
    alice.write_all(b"a line far too long\n").await?;
    at(1200).await;
    drop(bob);
    at(1400).await;
    Ok(())
}
// ANCHOR_END: clients
