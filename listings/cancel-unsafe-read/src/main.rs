//! `read_line` raced against a timer in a `select!` loop: each tick drops the part of a line
//! it had read. Run it with `cargo run -p cancel-unsafe-read`.

use std::error::Error;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, interval_at, sleep_until};

fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

// ANCHOR: writer
/// What the writer sends, and when, in ms from the start: three lines, two of them in
/// pieces, each piece 400 ms after the one before.
const PIECES: [(u64, &str); 6] = [
    (200, "hello\n"),
    (600, "wor"),
    (1000, "ld\n"),
    (1400, "can"),
    (1800, "cel"),
    (2200, "led\n"),
];
/// When the writer closes the connection, in ms from the start.
const CLOSE_AT: u64 = 2600;

/// Connects to `addr`, sends each piece on time, closes, and returns everything it sent.
async fn writer(addr: SocketAddr, start: Instant) -> std::io::Result<String> {
    let mut socket = TcpStream::connect(addr).await?;
    for (at, piece) in PIECES {
        sleep_until(start + Duration::from_millis(at)).await;
        socket.write_all(piece.as_bytes()).await?;
        println!("writer sent {piece:?} at {:.2}s", secs(start));
    }
    sleep_until(start + Duration::from_millis(CLOSE_AT)).await;
    socket.shutdown().await?;
    println!("writer closed the connection at {:.2}s", secs(start));
    Ok(PIECES.iter().map(|(_, piece)| *piece).collect())
}
// ANCHOR_END: writer

// ANCHOR: report
/// Compares what the writer sent with the lines the reader got.
fn report(sent: &str, got: &[String]) {
    let sent_lines: Vec<&str> = sent.lines().collect();
    println!("sent {} bytes: {sent_lines:?}", sent.len());
    // Each line lost its "\n" on the way; count it back in.
    let got_bytes: usize = got.iter().map(|line| line.len() + 1).sum();
    println!("read {got_bytes} bytes: {got:?}");
    println!("lost {} bytes", sent.len() - got_bytes);
}
// ANCHOR_END: report

/// The reader's other duty: a timer every 400 ms, each tick halfway between two pieces.
const TICK: Duration = Duration::from_millis(400);

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let start = Instant::now();
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let sent = tokio::spawn(writer(listener.local_addr()?, start));
    let (socket, _) = listener.accept().await?;

    // ANCHOR: read
    let mut reader = BufReader::new(socket);
    let mut ticks = interval_at(start + TICK, TICK);
    let mut line = String::new();
    let mut got = Vec::new();
    loop {
        tokio::select! {
            read = reader.read_line(&mut line) => {
                if read? == 0 {
                    println!("reader saw the end of the stream at {:.2}s", secs(start));
                    break;
                }
                let text = line.trim_end_matches('\n').to_owned();
                println!("reader got {text:?} at {:.2}s", secs(start));
                got.push(text);
                line.clear();
            }
            _ = ticks.tick() => println!("tick at {:.2}s", secs(start)),
        }
    }
    // ANCHOR_END: read
    report(&sent.await??, &got);
    Ok(())
}
