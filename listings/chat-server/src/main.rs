//! A line-based chat server on 127.0.0.1, with rooms, that stops cleanly at Ctrl-C or SIGTERM.
//! Run it with `cargo run -p chat-server -- 7878`, then start clients in other terminals.

use std::io;
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::time::Duration;

use chat_server::{Config, serve, shutdown_signal};
use clap::Parser;
use tokio::net::{TcpListener, TcpSocket};
use tokio_util::sync::CancellationToken;
use tracing::info;

/// A line-based chat server on 127.0.0.1, with rooms.
#[derive(Parser)]
struct Args {
    /// The port to listen on; 0 lets the system pick a free one.
    #[arg(default_value_t = 0)]
    port: u16,
    /// How long a new client has to send its name.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    name_timeout: Duration,
    /// How long a client may leave the server's lines unread, before it is disconnected.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    write_timeout: Duration,
    /// How long the clients have to leave after Ctrl-C or SIGTERM, before they are cut off.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = seconds)]
    grace: Duration,
}

/// A number of seconds above 0, as a `Duration`.
fn seconds(arg: &str) -> Result<Duration, String> {
    arg.parse()
        .ok()
        .filter(|secs: &f64| *secs > 0.0)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| "expected a number of seconds above 0".to_owned())
}

// ANCHOR: listen
/// A listener on 127.0.0.1: loopback only, a chat server for the machine it runs on.
fn listen(port: u16) -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    // A server restarted right after it stopped may find its old connections still
    // lingering in TIME_WAIT on the port; this lets it bind all the same.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind((Ipv4Addr::LOCALHOST, port).into())?;
    // Room for 1024 connections the kernel has completed and `accept` has not yet taken,
    // not the 128 that `TcpListener::bind` asks for: see "Bad input".
    socket.listen(1024)
}
// ANCHOR_END: listen

// ANCHOR: main
#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listener = match listen(args.port) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    // On Unix, watching from before the first line, so that a signal sent on reading it counts.
    let signal = match shutdown_signal() {
        Ok(signal) => signal,
        Err(e) => {
            eprintln!("error: cannot watch for signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    // The first line tells whoever started the server where to find it.
    println!("Listening on {addr}");
    // Logs go to stdout, a line an event, with nothing that changes from run to run.
    tracing_subscriber::fmt()
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .init();

    let config = Config {
        name_timeout: args.name_timeout,
        write_timeout: args.write_timeout,
        grace: args.grace,
    };
    let shutdown = CancellationToken::new();
    let stop = async {
        let name = signal.await;
        info!("{name}: stopping");
        shutdown.cancel();
    };
    // `serve` returns only after the shutdown, so the two end together.
    tokio::join!(serve(listener, config, shutdown.clone()), stop);
    ExitCode::SUCCESS
}
// ANCHOR_END: main
