//! `select!` in a loop: each connection's lines and a news feed read at once, with a name
//! deadline pinned outside the loop. Run it with `cargo run -p select-loop`.

use std::fmt::Display;
use std::net::SocketAddr;
use std::time::Duration;

use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{Instant, sleep, sleep_until};
use tokio_util::codec::{FramedRead, LinesCodec};

/// How long a new connection has to send its name.
const NAME_TIME: Duration = Duration::from_secs(1);

/// Prints what connection `id` did, and when.
fn say(id: usize, start: Instant, what: impl Display) {
    println!("#{id} {what} at {:.2}s", start.elapsed().as_secs_f64());
}

// ANCHOR: state
/// Serves one connection until there is nothing left to do: its first line is its name,
/// which must come within `NAME_TIME`; each later line is a message. Every connection
/// gets the news, named or not.
async fn session(
    id: usize,
    socket: TcpStream,
    mut news: broadcast::Receiver<String>,
    start: Instant,
) {
    say(id, start, "connected");
    let mut lines = FramedRead::new(socket, LinesCodec::new_with_max_length(1024));
    let mut name: Option<String> = None;
    let mut reading = true; // until the client has finished sending
    let mut listening = true; // until the news feed closes
    // One timer for the whole wait, made before the loop, and polled by each `select!`
    // through `&mut`.
    let name_deadline = sleep(NAME_TIME);
    tokio::pin!(name_deadline);
    // ANCHOR_END: state
    // ANCHOR: loop
    loop {
        tokio::select! {
            // Check the branches in the order written: a name and the deadline that arrive
            // together go to the deadline, and a line goes before news that came with it.
            biased;
            () = &mut name_deadline, if name.is_none() => {
                say(id, start, format!("no name after {} s: closing", NAME_TIME.as_secs()));
                break;
            }
            line = lines.next(), if reading => match line {
                Some(Ok(line)) => match &name {
                    None => {
                        say(id, start, format!("is {line}"));
                        name = Some(line);
                    }
                    Some(name) => say(id, start, format!("{name} says {line:?}")),
                },
                Some(Err(error)) => {
                    say(id, start, format!("cannot read: {error}"));
                    reading = false;
                }
                None => {
                    say(id, start, "finished sending");
                    reading = false;
                }
            },
            item = news.recv(), if listening => match item {
                Ok(item) => {
                    let to = name.as_deref().unwrap_or("(no name yet)");
                    say(id, start, format!("{item} for {to}"));
                }
                Err(RecvError::Lagged(missed)) => say(id, start, format!("missed {missed} items")),
                Err(RecvError::Closed) => {
                    say(id, start, "the news feed closed");
                    listening = false;
                }
            },
            else => {
                say(id, start, "nothing left to wait for: closing");
                break;
            }
        }
    }
}
// ANCHOR_END: loop

// ANCHOR: news
/// When each piece of news goes out, in ms from the start; the feed closes after the last.
const NEWS_AT: [u64; 4] = [400, 800, 1200, 1600];
const NEWS_CLOSES_AT: u64 = 1800;

async fn publish(news: broadcast::Sender<String>, start: Instant) {
    for (n, at) in NEWS_AT.into_iter().enumerate() {
        sleep_until(start + Duration::from_millis(at)).await;
        // `send` fails only when nobody is subscribed, and then the news is not missed.
        let _ = news.send(format!("news {}", n + 1));
    }
    sleep_until(start + Duration::from_millis(NEWS_CLOSES_AT)).await;
    // Dropping the only sender closes the feed: each receiver gets `Closed` once it has
    // read what is left.
    drop(news);
}
// ANCHOR_END: news

// ANCHOR: clients
/// Two scripted clients: alice sends her name and a message, then finishes sending but
/// keeps listening; the other one never says a word.
async fn clients(addr: SocketAddr, start: Instant) -> std::io::Result<()> {
    let at = |ms| sleep_until(start + Duration::from_millis(ms));
    let mut alice = TcpStream::connect(addr).await?;
    let mut silent = TcpStream::connect(addr).await?;
    at(200).await;
    alice.write_all(b"alice\n").await?;
    at(600).await;
    alice.write_all(b"hello\n").await?;
    at(1400).await;
    // Closes alice's sending side only: the server reads the end of her stream, and can
    // still write to her.
    alice.shutdown().await?;
    // Each waits for the server to close its connection, as a real client would.
    silent.read_to_end(&mut Vec::new()).await?;
    alice.read_to_end(&mut Vec::new()).await?;
    Ok(())
}
// ANCHOR_END: clients

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let start = Instant::now();
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let clients = tokio::spawn(clients(listener.local_addr()?, start));
    let (news, _) = broadcast::channel(16);
    let (first, _) = listener.accept().await?;
    let first_news = news.subscribe();
    let (second, _) = listener.accept().await?;
    let second_news = news.subscribe();
    tokio::spawn(publish(news, start));
    // Two futures joined in one task, rather than a task each as a server would spawn, so
    // that lines printed in the same instant always come out in this order.
    tokio::join!(
        biased;
        session(1, first, first_news, start),
        session(2, second, second_news, start),
    );
    clients.await?
}
// ANCHOR_END: main
