//! Recording listings that talk to a server listing: the HTTP listings fetch from the demo
//! site (`listings/demo-site`), the load client talks to the chat server.
//!
//! A reader runs the server in one terminal on the port its page gives
//! (`cargo run -p demo-site -- 8000`) and the listing in another, so argument files and
//! transcripts name `127.0.0.1:<that port>`. The checks never bind a fixed port: each
//! recorded run gets a server of its own, started with no arguments, on a port the system
//! picks. The address is swapped in on the way in (arguments, and the files they name) and
//! swapped back on the way out (every printed line), so the transcript reads as the
//! reader's run.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::listing::ServerSettings;
use crate::run::{Run, record};

/// A server listing's program on a free loopback port, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub addr: String,
}

impl Server {
    /// Starts the program with no arguments, which must make it listen on a port the system
    /// picks, and reads the address it prints first: `Listening on 127.0.0.1:<port>`, or
    /// `Listening on http://127.0.0.1:<port>`.
    pub fn start(exe: &Path) -> Result<Server, String> {
        let mut child = Command::new(exe)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start the server {}: {e}", exe.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut first = String::new();
        let read = stdout.read_line(&mut first);
        let addr = first
            .trim()
            .strip_prefix("Listening on ")
            .map(|addr| addr.trim_start_matches("http://").trim_end_matches('/'))
            .filter(|addr| addr.starts_with("127.0.0.1:"))
            .map(str::to_owned);
        let Some(addr) = addr.filter(|_| read.is_ok()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the server {} printed `{}` instead of `Listening on 127.0.0.1:<port>`",
                exe.display(),
                first.trim()
            ));
        };
        // Whatever it prints later must not fill the pipe and stall it.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Ok(Server { child, addr })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `exe` against a fresh server. An argument naming a file in the listing's folder is
/// passed as a copy with the server's real address; any other argument has the address
/// replaced in place.
pub fn record_against_server(
    settings: &ServerSettings,
    server_exe: &Path,
    exe: &Path,
    args: &[String],
    dir: &Path,
    launched: &mut dyn FnMut(),
) -> Result<Run, String> {
    let reader_addr = format!("127.0.0.1:{}", settings.port);
    let server = Server::start(server_exe)?;
    let scratch = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
    let mut swaps = vec![(server.addr.clone(), reader_addr.clone())];
    let mut real_args = Vec::new();
    for arg in args {
        let file = dir.join(arg);
        if file.is_file() {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let copy = scratch
                .path()
                .join(file.file_name().expect("a file has a name"));
            std::fs::write(&copy, text.replace(&reader_addr, &server.addr))
                .map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
            let copy = copy.to_string_lossy().into_owned();
            swaps.push((copy.clone(), arg.clone()));
            real_args.push(copy);
        } else {
            real_args.push(arg.replace(&reader_addr, &server.addr));
        }
    }
    let mut run = record(exe, &real_args, dir, launched)?;
    let restore = |text: &str| {
        swaps.iter().fold(text.to_owned(), |text, (real, shown)| {
            text.replace(real, shown)
        })
    };
    for line in &mut run.transcript.lines {
        line.text = restore(&line.text);
    }
    run.stderr = restore(&run.stderr);
    Ok(run)
}
