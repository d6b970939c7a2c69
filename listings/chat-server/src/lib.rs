//! A line-based chat server: one task per connection, rooms of `broadcast` channels, and a
//! shutdown that gives the clients a deadline. `src/main.rs` runs it as a program.

use std::collections::HashMap;
use std::future::{Future, pending};
use std::io;
use std::ops::ControlFlow::{self, Break, Continue};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{sleep, timeout};
use tokio_util::bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder, Framed, LinesCodec, LinesCodecError};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, Span, error, field, info, info_span, warn};

/// The longest line a client may send, in bytes, not counting the `\n`.
pub const MAX_LINE: usize = 1024;

/// How many messages a room holds for a client that has not read them yet.
const ROOM_CAPACITY: usize = 128;

/// How long the accept loop rests after a failed accept.
const BACK_OFF: Duration = Duration::from_millis(100);

/// How long `serve` waits for the connections it has cut off.
const CUT_OFF_WAIT: Duration = Duration::from_secs(1);

/// What a server can be told at its start.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// How long a new client has to send its name.
    pub name_timeout: Duration,
    /// How long a write to a client may wait for the client to read, before the client is
    /// disconnected.
    pub write_timeout: Duration,
    /// How long the clients have, after the shutdown notice, before they are cut off.
    pub grace: Duration,
}

// ANCHOR: serve
/// Serves chat clients on `listener` until `shutdown` is cancelled, then gives the clients
/// `config.grace` to leave, and returns once every connection is closed, at most a second
/// after the grace.
pub async fn serve(listener: TcpListener, config: Config, shutdown: CancellationToken) {
    let server = Arc::new(Server {
        rooms: Mutex::default(),
        config,
        shutdown: shutdown.clone(),
        cut_off: CancellationToken::new(),
    });
    let tracker = TaskTracker::new();
    let mut number = 0;
    loop {
        let stream = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                // This connection failed before it could be taken; the next one may be fine.
                Err(e) if lost_before_accept(&e) => {
                    info!("a connection was lost before it was accepted: {e}");
                    continue;
                }
                // Out of file descriptors (EMFILE, ENFILE) or memory (ENOBUFS, ENOMEM), or
                // something unforeseen: the connection waits in the listen backlog, and
                // accepting again at once would only spin.
                Err(e) => {
                    error!("cannot accept a connection: {e}; trying again in 100 ms");
                    sleep(BACK_OFF).await;
                    continue;
                }
            },
        };
        number += 1;
        // ANCHOR: span
        let span = info_span!("connection", n = number, name = field::Empty);
        tracker.spawn(
            Connection::new(stream, number, server.clone())
                .run()
                .instrument(span),
        );
        // ANCHOR_END: span
    }

    // ANCHOR: shutdown
    // New clients are refused from here on, instead of waiting in the backlog.
    drop(listener);
    tracker.close();
    let grace = config.grace.as_secs_f64();
    info!(
        open = tracker.len(),
        "stopped accepting; clients have {grace} s to leave"
    );
    if timeout(config.grace, tracker.wait()).await.is_err() {
        info!(
            open = tracker.len(),
            "deadline passed; cutting off the rest"
        );
        server.cut_off.cancel();
        // Every wait in a connection's task, its writes included, also waits for
        // `cut_off`, so each task ends at its next turn. The bound is for a task that does
        // not, through some bug: a process that never exits is worse than a few
        // connections dropped without their last log line.
        if timeout(CUT_OFF_WAIT, tracker.wait()).await.is_err() {
            error!(
                open = tracker.len(),
                "still open after the cut-off; giving up"
            );
            return;
        }
    }
    info!("all connections closed");
    // ANCHOR_END: shutdown
}
// ANCHOR_END: serve

// ANCHOR: signal
/// On Unix, watches for SIGINT (Ctrl-C) and SIGTERM from the moment it is called; the future
/// completes at the first of them with its name. Elsewhere, it watches for Ctrl-C alone,
/// and only from its first poll.
pub fn shutdown_signal() -> io::Result<impl Future<Output = &'static str>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        // Both handlers are in place before this returns, so a signal that comes before the
        // future is first polled is not missed.
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => "SIGINT",
                _ = terminate.recv() => "SIGTERM",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            match tokio::signal::ctrl_c().await {
                Ok(()) => "Ctrl-C",
                Err(_) => pending().await,
            }
        })
    }
}
// ANCHOR_END: signal

/// What every connection shares.
struct Server {
    /// The rooms by name. A room is a broadcast channel, made when its first client joins
    /// and forgotten when its last one leaves.
    rooms: Mutex<HashMap<String, broadcast::Sender<Message>>>,
    config: Config,
    shutdown: CancellationToken,
    /// Cancelled when the grace period is over.
    cut_off: CancellationToken,
}

// ANCHOR: message
/// A line as a room passes it on: the connection that sent it, which skips it, and the text.
#[derive(Clone)]
struct Message {
    from: u64,
    text: Arc<str>,
}

/// A client that has given its name, and the room it is in.
struct Member {
    name: String,
    room: String,
    sender: broadcast::Sender<Message>,
    receiver: broadcast::Receiver<Message>,
}
// ANCHOR_END: message

// ANCHOR: codec
/// `LinesCodec`, except at the end of the connection: a last line without its `\n` is an
/// error, not a line, because the client never finished it.
struct ChatCodec(LinesCodec);

impl Decoder for ChatCodec {
    type Item = String;
    type Error = LinesCodecError;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<String>, LinesCodecError> {
        self.0.decode(buf)
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<String>, LinesCodecError> {
        match self.0.decode(buf)? {
            None if !buf.is_empty() => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed mid-line",
            )
            .into()),
            line => Ok(line),
        }
    }
}

impl Encoder<&str> for ChatCodec {
    type Error = LinesCodecError;

    fn encode(&mut self, line: &str, buf: &mut BytesMut) -> Result<(), LinesCodecError> {
        self.0.encode(line, buf)
    }
}
// ANCHOR_END: codec

// ANCHOR: connection
/// One client's connection, served by a task of its own.
struct Connection {
    number: u64,
    lines: Framed<TcpStream, ChatCodec>,
    /// `None` until the client has sent its name.
    me: Option<Member>,
    server: Arc<Server>,
}

impl Connection {
    fn new(stream: TcpStream, number: u64, server: Arc<Server>) -> Self {
        // Chat lines are small, and each should leave at once rather than wait for company.
        let _ = stream.set_nodelay(true);
        let codec = ChatCodec(LinesCodec::new_with_max_length(MAX_LINE));
        Connection {
            number,
            lines: Framed::new(stream, codec),
            me: None,
            server,
        }
    }
    // ANCHOR_END: connection

    // ANCHOR: run
    async fn run(mut self) {
        info!("connected");
        // Made once, outside the loop: a `sleep` made inside it would start afresh at
        // every turn, and a client that kept sending bad names would never run out of time.
        let name_deadline = sleep(self.server.config.name_timeout);
        tokio::pin!(name_deadline);
        let mut warned = false;
        loop {
            let next = tokio::select! {
                // In this order: the stops first; then the room, so that the task passes on
                // everything its room holds before it reads the client's next line.
                biased;
                () = self.server.cut_off.cancelled() => Break(()),
                () = self.server.shutdown.cancelled(), if !warned => {
                    warned = true;
                    let secs = self.server.config.grace.as_secs_f64();
                    self.tell(&format!("* server shutting down in {secs} s")).await
                }
                () = &mut name_deadline, if self.me.is_none() => {
                    warn!("no name in time");
                    let secs = self.server.config.name_timeout.as_secs_f64();
                    let _ = self.tell(&format!("* no name within {secs} s; goodbye")).await;
                    Break(())
                }
                message = next_message(&mut self.me) => self.on_message(message).await,
                line = self.lines.next() => match line {
                    Some(Ok(line)) => self.on_line(line).await,
                    Some(Err(e)) => self.on_bad_input(e).await,
                    None => Break(()),
                },
            };
            if next.is_break() {
                break;
            }
        }
        info!("disconnected");
        self.leave();
    }
    // ANCHOR_END: run

    // ANCHOR: on_line
    /// The client's first line is its name; after that, `/join ROOM` or a message.
    async fn on_line(&mut self, line: String) -> ControlFlow<()> {
        let line = without_controls(&line);
        let Some(me) = &self.me else {
            return self.on_name(line).await;
        };
        match line.strip_prefix("/join ") {
            Some(room) => self.join(room).await,
            None => {
                self.say(format!("{}: {line}", me.name));
                // Lets the others' tasks write the line out before this one reads on: a
                // client that floods the room would otherwise outrun them, and they would lag.
                tokio::task::yield_now().await;
                Continue(())
            }
        }
    }

    async fn on_name(&mut self, name: String) -> ControlFlow<()> {
        if !is_word(&name) {
            return self
                .tell("* a name is 1 to 32 characters, none of them spaces")
                .await;
        }
        Span::current().record("name", field::display(&name));
        let welcome = format!("* welcome {name}, you are in lobby");
        self.enter(name, "lobby");
        self.tell(&welcome).await
    }

    async fn join(&mut self, room: &str) -> ControlFlow<()> {
        if !is_word(room) {
            return self
                .tell("* a room name is 1 to 32 characters, none of them spaces")
                .await;
        }
        if self.me.as_ref().is_some_and(|me| me.room != room) {
            let name = self.leave().expect("only a member can join");
            self.enter(name, room);
        }
        self.tell(&format!("* you are in {room}")).await
    }

    async fn on_message(&mut self, message: Result<Message, RecvError>) -> ControlFlow<()> {
        match message {
            Ok(message) if message.from == self.number => Continue(()),
            Ok(message) => self.tell(&message.text).await,
            Err(RecvError::Lagged(missed)) => {
                warn!(missed, "client too slow");
                self.tell(&format!("* you missed {missed} messages")).await
            }
            Err(RecvError::Closed) => unreachable!("a member holds a sender of its room"),
        }
    }
    // ANCHOR_END: on_line

    // ANCHOR: on_bad_input
    /// A line the codec refused. The client is told why, if it can still hear, and sent away.
    async fn on_bad_input(&mut self, e: LinesCodecError) -> ControlFlow<()> {
        let goodbye = match &e {
            LinesCodecError::MaxLineLengthExceeded => {
                format!("* line too long (the limit is {MAX_LINE} bytes); goodbye")
            }
            LinesCodecError::Io(io) if io.kind() == io::ErrorKind::InvalidData => {
                "* that line is not UTF-8; goodbye".to_owned()
            }
            // Closed mid-line, or reset: nobody is left to tell.
            LinesCodecError::Io(_) => {
                info!("{e}");
                return Break(());
            }
        };
        warn!("{e}");
        let _ = self.tell(&goodbye).await;
        Break(())
    }
    // ANCHOR_END: on_bad_input

    // ANCHOR: rooms
    /// Puts the client in `room`, made if need be, and tells the others there.
    fn enter(&mut self, name: String, room: &str) {
        info!(room = %room, "joined");
        let (sender, receiver) = {
            let mut rooms = self.server.rooms.lock().unwrap();
            let sender = rooms
                .entry(room.to_owned())
                .or_insert_with(|| broadcast::channel(ROOM_CAPACITY).0);
            // Subscribed under the lock, so that `leave` never forgets a room with a
            // client on its way in.
            (sender.clone(), sender.subscribe())
        };
        let joined = format!("* {name} joined");
        self.me = Some(Member {
            name,
            room: room.to_owned(),
            sender,
            receiver,
        });
        self.say(joined);
    }

    /// Takes the client out of its room, tells the others, and forgets the room if it is
    /// now empty. Returns the client's name, if it had given one.
    fn leave(&mut self) -> Option<String> {
        self.say(format!("* {} left", self.me.as_ref()?.name));
        let me = self.me.take()?;
        let mut rooms = self.server.rooms.lock().unwrap();
        // Dropped under the lock, as `enter` subscribes under it: so the count changes only
        // under the lock, and whoever sees it fall to 0 holds the room that the map has
        // under that name, never a newer one made after an older one was forgotten.
        drop(me.receiver);
        if me.sender.receiver_count() == 0 {
            rooms.remove(&me.room);
        }
        Some(me.name)
    }

    /// Passes `text` to everyone else in the client's room.
    fn say(&self, text: String) {
        if let Some(me) = &self.me {
            let message = Message {
                from: self.number,
                text: text.into(),
            };
            // An error would mean nobody listens, but this client's own receiver does.
            let _ = me.sender.send(message);
        }
    }
    // ANCHOR_END: rooms

    // ANCHOR: tell
    /// Sends the client one line; `Break` if it is gone, if it has read nothing for
    /// `write_timeout` while the line waited, or at the cut-off.
    async fn tell(&mut self, line: &str) -> ControlFlow<()> {
        let limit = self.server.config.write_timeout;
        let sent = tokio::select! {
            biased;
            // Stopped here, the line is lost, whole or in part: the connection ends anyway.
            () = self.server.cut_off.cancelled() => return Break(()),
            sent = timeout(limit, self.lines.send(line)) => sent,
        };
        match sent {
            Ok(Ok(())) => Continue(()),
            Ok(Err(e)) => {
                info!("cannot write: {e}");
                Break(())
            }
            Err(_) => {
                warn!("client not reading for {} s", limit.as_secs_f64());
                Break(())
            }
        }
    }
    // ANCHOR_END: tell
}

// ANCHOR: next_message
/// The next message in the client's room; while it has no name, and so no room, never.
async fn next_message(me: &mut Option<Member>) -> Result<Message, RecvError> {
    match me {
        Some(me) => me.receiver.recv().await,
        None => pending().await,
    }
}
// ANCHOR_END: next_message

// ANCHOR: controls
/// `line` with every control character in it, tab and carriage return included, replaced
/// by `�`: passed on, an escape sequence would be a command to the terminals that print it.
fn without_controls(line: &str) -> String {
    line.replace(char::is_control, "\u{FFFD}")
}
// ANCHOR_END: controls

// ANCHOR: lost
/// Whether a failed `accept` concerns only the connection it was taking: it was aborted or
/// reset before the server took it, or Linux passed on a network error that struck it.
fn lost_before_accept(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | NetworkDown | NetworkUnreachable | HostUnreachable
    )
}
// ANCHOR_END: lost

/// A name, or the name of a room: 1 to 32 characters, none of them white space.
fn is_word(word: &str) -> bool {
    (1..=32).contains(&word.chars().count()) && !word.contains(char::is_whitespace)
}
