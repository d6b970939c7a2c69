//! A chat client: the lines you type go to the server, the lines it sends are printed.
//! Run it with `cargo run -p chat-server --bin chat-client -- 127.0.0.1:7878 alice`.

use std::io;
use std::process::ExitCode;

use chat_server::MAX_LINE;
use clap::Parser;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
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
    let (from_server, to_server) = stream.into_split();
    // The writes have a task of their own: a write that waits for the server to read never
    // keeps this loop from reading, which may be what the server is waiting for.
    let mut sending = tokio::spawn(send_typed_lines(args.name, to_server));
    let mut sent_all = false;
    // A line from the server is a client's line of at most MAX_LINE bytes, in which each
    // one-byte control character may have become the three bytes of `�`, after a name.
    let mut from_server =
        FramedRead::new(from_server, LinesCodec::new_with_max_length(4 * MAX_LINE));
    loop {
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
            // A task's handle is polled only until it has given its result.
            sent = &mut sending, if !sent_all => match sent {
                // End of input, and the sending half is closed: print until the server closes.
                Ok(Ok(())) => sent_all = true,
                Ok(Err(e)) => {
                    eprintln!("error: cannot send: {e}");
                    return ExitCode::FAILURE;
                }
                Err(e) => panic!("the sending task panicked: {e}"),
            },
        }
    }
}

/// Sends the name, then each line typed; at the end of input, closes the sending half, so
/// that the server reads the end of the stream.
async fn send_typed_lines(name: String, mut server: OwnedWriteHalf) -> io::Result<()> {
    server.write_all(format!("{name}\n").as_bytes()).await?;
    let mut typed = stdin_lines();
    while let Some(line) = typed.recv().await {
        server.write_all(format!("{line}\n").as_bytes()).await?;
    }
    server.shutdown().await
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
