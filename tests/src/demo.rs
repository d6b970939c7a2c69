//! Recording listings that fetch from the demo site (`listings/demo-site`).
//!
//! A reader runs `cargo run -p demo-site -- 8000` in one terminal and a request listing in
//! another, so URL files and transcripts name `127.0.0.1:8000`. The checks never bind a fixed
//! port: each recorded run gets a demo site of its own on a port the system picks. The
//! address is swapped in on the way in (arguments, and the URL files they name) and swapped
//! back on the way out (every printed line), so the transcript reads as the reader's run.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::run::{Run, record};

/// The demo site's package, and the binary's name.
pub const PACKAGE: &str = "demo-site";

/// The address the book's URL files and transcripts use.
pub const READER_ADDR: &str = "127.0.0.1:8000";

/// A demo site on a free loopback port, stopped when dropped.
pub struct DemoSite {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub addr: String,
}

impl DemoSite {
    /// Starts the site on port 0 and reads the address it prints first:
    /// `Listening on http://127.0.0.1:<port>`.
    pub fn start(exe: &Path) -> Result<DemoSite, String> {
        let mut child = Command::new(exe)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start the demo site {}: {e}", exe.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut first = String::new();
        let read = stdout.read_line(&mut first);
        let addr = first
            .trim()
            .rsplit_once("http://")
            .map(|(_, addr)| addr.trim_end_matches('/').to_owned());
        let Some(addr) = addr.filter(|_| read.is_ok()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the demo site printed `{}` instead of `Listening on http://127.0.0.1:<port>`",
                first.trim()
            ));
        };
        // Whatever it prints later must not fill the pipe and stall it.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Ok(DemoSite { child, addr })
    }
}

impl Drop for DemoSite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `exe` against a fresh demo site. An argument naming a file in the listing's folder
/// is passed as a copy with the site's real address; any other argument has the address
/// replaced in place.
pub fn record_against_site(
    site_exe: &Path,
    exe: &Path,
    args: &[String],
    dir: &Path,
    launched: &mut dyn FnMut(),
) -> Result<Run, String> {
    let site = DemoSite::start(site_exe)?;
    let scratch = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
    let mut swaps = vec![(site.addr.clone(), READER_ADDR.to_owned())];
    let mut real_args = Vec::new();
    for arg in args {
        let file = dir.join(arg);
        if file.is_file() {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let copy = scratch
                .path()
                .join(file.file_name().expect("a file has a name"));
            std::fs::write(&copy, text.replace(READER_ADDR, &site.addr))
                .map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
            let copy = copy.to_string_lossy().into_owned();
            swaps.push((copy.clone(), arg.clone()));
            real_args.push(copy);
        } else {
            real_args.push(arg.replace(READER_ADDR, &site.addr));
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
