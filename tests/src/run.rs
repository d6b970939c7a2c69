//! Running a listing and recording when each line of its output appeared.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::listing::Listing;
use crate::transcript::{Line, Transcript};

use crate::settings::{LAUNCH_GAP, RUN_LIMIT};

static LAUNCH_GATE: Mutex<()> = Mutex::new(());

/// A finished run: what the listing printed and when, plus its stderr.
#[derive(Debug)]
pub struct Run {
    pub transcript: Transcript,
    pub stderr: String,
}

impl Run {
    /// Holds this run to a listing's recording: the same lines, each at its moment. The
    /// report says how to re-record, and what the run wrote to stderr.
    pub fn matches_recording(&self, listing: &Listing, favoured: bool) -> Result<(), String> {
        let recorded = listing.transcript()?;
        crate::transcript::compare(&recorded, &self.transcript).map_err(|report| {
            let stderr = if self.stderr.is_empty() {
                String::new()
            } else {
                format!("\nstderr of the fresh run:\n{}", self.stderr)
            };
            let priority = if favoured {
                ""
            } else {
                "\nThe recordings ran at normal priority (not root): on a busy machine, other \
                 programs can delay their lines. See README, \"On a busy machine\"."
            };
            let name = &listing.name;
            format!(
                "{name}: {report}\nIf the listing changed on purpose, re-record it with \
                 `cargo bless {name}`.{stderr}{priority}"
            )
        })
    }
}

/// Runs `exe` with `args` in `dir` and records each stdout line with the time it arrived,
/// in seconds from just before the process was started.
///
/// Rust's stdout is line-buffered even into a pipe, so a line arrives when it is printed.
/// `launched` is called once the launch is over: when the listing has printed, or
/// `LAUNCH_GAP` has passed.
pub fn record(
    exe: &Path,
    args: &[String],
    dir: &Path,
    launched: &mut dyn FnMut(),
) -> Result<Run, String> {
    // Launches are staggered. A listing alone prints its first line within 3 ms of being
    // started, but twenty started in the same instant on two cores queue for the CPU, and
    // the last of them was seen 150 ms late: jitter the timing check would have to absorb.
    // So each launch holds the gate until its listing prints or `LAUNCH_GAP` has passed;
    // the listings still run side by side.
    let gate = LAUNCH_GATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let start = Instant::now();
    let mut command = Command::new(exe);
    let mut child = spawn_piped(command.args(args), exe, dir)?;

    let stderr_reader = read_in_background(child.stderr.take().expect("stderr is piped"));

    // Lines are stamped on a thread of their own so that the stamp is taken the moment the
    // line can be read, whatever the main thread is doing.
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout is piped");
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let at = start.elapsed();
                    let text = String::from_utf8_lossy(&buf);
                    let text = text.strip_suffix('\n').unwrap_or(&text);
                    let text = text.strip_suffix('\r').unwrap_or(text).to_owned();
                    if tx.send((at, text)).is_err() {
                        break;
                    }
                }
            }
        }
    });

    let mut lines = Vec::new();
    let deadline = start + RUN_LIMIT;
    let mut gate = Some(gate);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let wait = match gate {
            Some(_) => left.min(LAUNCH_GAP.saturating_sub(start.elapsed())),
            None => left,
        };
        let received = rx.recv_timeout(wait);
        if gate.is_some() && (received.is_ok() || start.elapsed() >= LAUNCH_GAP) {
            gate = None;
            launched();
        }
        match received {
            Ok((at, text)) => lines.push(Line {
                at: at.as_secs_f64(),
                text,
            }),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} was still running after {} s and was killed; it printed {} lines",
                    exe.display(),
                    RUN_LIMIT.as_secs(),
                    lines.len()
                ));
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("could not wait for {}: {e}", exe.display()))?;
    let end = start.elapsed().as_secs_f64();
    let stderr = stderr_reader.join().unwrap_or_default();
    let exit = status.code().ok_or_else(|| {
        format!(
            "{} was killed by a signal ({status}); stderr:\n{stderr}",
            exe.display()
        )
    })?;
    Ok(Run {
        transcript: Transcript { lines, exit, end },
        stderr,
    })
}

/// Runs a listing as its transcript records it: with its arguments and, where it needs
/// one, a server of its own. `exes` holds the built programs by name.
pub fn record_listing(
    listing: &Listing,
    exes: &BTreeMap<String, PathBuf>,
    launched: &mut dyn FnMut(),
) -> Result<Run, String> {
    let exe = exes
        .get(&listing.name)
        .ok_or_else(|| format!("{} was not built", listing.name))?;
    let Some(server) = &listing.run.server else {
        return record(exe, &listing.run.args, &listing.dir, launched);
    };
    let server_exe = exes
        .get(&server.listing)
        .ok_or_else(|| format!("the server {} was not built", server.listing))?;
    crate::server::record_against_server(
        server,
        server_exe,
        exe,
        &listing.run.args,
        &listing.dir,
        launched,
    )
}

/// Runs one of a listing's test executables, as `cargo test` would, in the listing's folder.
/// They run at ordinary priority (see [`crate::priority`]), and an `Err` carries what
/// they printed.
pub fn test_binary(exe: &Path, dir: &Path) -> Result<(), String> {
    let mut command = Command::new(exe);
    crate::priority::ordinary(&mut command);
    let mut child = spawn_piped(&mut command, exe, dir)?;
    let stdout = read_in_background(child.stdout.take().expect("stdout is piped"));
    let stderr = read_in_background(child.stderr.take().expect("stderr is piped"));
    let deadline = Instant::now() + RUN_LIMIT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} was still running after {} s and was killed",
                    exe.display(),
                    RUN_LIMIT.as_secs()
                ));
            }
            Err(e) => return Err(format!("could not wait for {}: {e}", exe.display())),
        }
    };
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    if status.success() {
        return Ok(());
    }
    // libtest prints the failures last; what comes before is one `ok` line per test.
    let report = stdout
        .find("\nfailures:\n")
        .map_or(stdout.as_str(), |at| &stdout[at + 1..]);
    Err(format!(
        "{} failed ({status}):\n{report}{stderr}",
        exe.display()
    ))
}

/// Starts `command` in `dir` with no input and both outputs piped to us.
fn spawn_piped(command: &mut Command, exe: &Path, dir: &Path) -> Result<Child, String> {
    command
        .current_dir(dir)
        // With `RUST_BACKTRACE` set, a panicking listing walks its stack before it goes on:
        // 60 ms on our test machine. The recordings must not depend on the caller's shell.
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", exe.display()))
}

/// Reads a child's pipe to its end on a thread of its own, so that a full pipe never stalls
/// the child while we wait for something else.
fn read_in_background(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}
