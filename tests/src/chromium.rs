//! Headless Chromium, as the browser check and `cargo pdf` start it: the one on `PATH`, or
//! the program `CHROMIUM` names, with a fresh profile, its console on stderr, and a limit
//! on how long it may run.

use std::ffi::OsStr;
use std::io::{Read, Seek};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable that names the Chromium to run, when `chromium` on `PATH` is
/// missing or is not the one wanted.
pub const PROGRAM_VARIABLE: &str = "CHROMIUM";

/// How long one Chromium run may take, in real time, before it is stopped. A run usually
/// takes a few seconds; this only turns a hang into a failure.
pub const LIMIT: Duration = Duration::from_secs(180);

/// Runs headless Chromium with `args`, a fresh profile and its console logged to stderr,
/// to its end or for [`LIMIT`] at most, and returns its stdout and stderr.
pub fn run<I, S>(args: I) -> Result<(String, String), String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    // A fresh profile each time: no cache, cookies or storage carried over from another run.
    let profile = tempfile::tempdir().map_err(|e| format!("no scratch profile: {e}"))?;
    let exe = std::env::var_os(PROGRAM_VARIABLE).unwrap_or_else(|| "chromium".into());
    let mut command = Command::new(exe);
    command.args([
        "--headless",
        // Chromium refuses to start as root with its sandbox, and CI runs as root. It only
        // ever opens the book's own pages here.
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    command.arg(format!("--user-data-dir={}", profile.path().display()));
    command.args(args);
    run_to_limit(command, LIMIT)
}

/// Runs `command` to its end, or stops it after `limit`, and returns its stdout and stderr.
/// Both go to unnamed temporary files rather than pipes, so nothing has to drain them while
/// we wait.
fn run_to_limit(mut command: Command, limit: Duration) -> Result<(String, String), String> {
    let scratch = || tempfile::tempfile().map_err(|e| format!("no scratch file: {e}"));
    let (mut stdout, mut stderr) = (scratch()?, scratch()?);
    let stdio = |f: &std::fs::File| f.try_clone().map(Stdio::from);
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(stdio(&stdout).map_err(|e| e.to_string())?)
        .stderr(stdio(&stderr).map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| {
            format!(
                "cannot start Chromium as `{program}`: {e}\n\
                 Install it (`apt-get install chromium`), or set {PROGRAM_VARIABLE} to its path."
            )
        })?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if start.elapsed() > limit => {
                // Our own child, by its handle.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("Chromium was still running after {limit:?}"));
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let read = |f: &mut std::fs::File| -> Result<String, String> {
        let mut bytes = Vec::new();
        f.rewind()
            .and_then(|()| f.read_to_end(&mut bytes))
            .map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let (out, err) = (read(&mut stdout)?, read(&mut stderr)?);
    if !status.success() {
        return Err(format!("Chromium failed: {status}\n{}", last_lines(&err)));
    }
    Ok((out, err))
}

/// The end of Chromium's log, which says why it stopped; the rest is start-up noise.
pub fn last_lines(log: &str) -> String {
    let tail: Vec<&str> = log.lines().rev().take(5).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    tail.join("\n")
}
