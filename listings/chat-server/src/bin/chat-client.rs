//! A chat client: the lines you type go to the server, the lines it sends are printed.
//! Run it with `cargo run -p chat-server --bin chat-client -- 127.0.0.1:7878 alice`.

use std::process::ExitCode;

use chat_server::MAX_LINE;
use clap::Parser;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_util::codec::{FramedRead, LinesCodec};

/// A chat client: the lines you type go to the server, the lines it sends are printed.
#[derive(Parser)]
struct Args {
    /// The server's address, such as 127.0.0.1:7878.
    address: String,
    /// Your name in the chat.
    name: String,
}

// ANCHOR: client
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let stream = match TcpStream::connect(&args.address).await {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("error: cannot connect to {}: {e}", args.address);
            return ExitCode::FAILURE;
        }
    };
    let (from_server, mut to_server) = stream.into_split();
    // The server's lines are held to the server's own limit, with a line's worth to spare.
    let mut from_server =
        FramedRead::new(from_server, LinesCodec::new_with_max_length(2 * MAX_LINE));
    let mut typed = stdin_lines();
    let mut typing = true;
    let mut line = format!("{}\n", args.name);
    loop {
        if !line.is_empty() {
            if let Err(e) = to_server.write_all(line.as_bytes()).await {
                eprintln!("error: cannot send: {e}");
                return ExitCode::FAILURE;
            }
            line.clear();
        }
        tokio::select! {
            received = from_server.next() => match received {
                Some(Ok(received)) => println!("{received}"),
                Some(Err(e)) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
                // The server closed the connection.
                None => return ExitCode::SUCCESS,
            },
            // Once input has ended, `recv` would return `None` at once, every time.
            typed_line = typed.recv(), if typing => match typed_line {
                Some(typed_line) => line = typed_line + "\n",
                // End of input: tell the server, and print what it sends until it closes.
                None => {
                    typing = false;
                    let _ = to_server.shutdown().await;
                }
            },
        }
    }
}
// ANCHOR_END: client

/// The lines of standard input, read on a thread of its own: a read of the terminal cannot
/// be cancelled, and Tokio's own `stdin` would keep the program from ending while it waits.
fn stdin_lines() -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel(16);
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { break };
            if sender.blocking_send(line).is_err() {
                break;
            }
        }
    });
    receiver
}
