//! Writes FILES files of SIZE bytes, one after the other, with blocking `std::fs` calls.
//! Run it with `cargo run -p files-sync` (20 files of 250000 bytes) or `-- FILES SIZE`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::num::NonZeroUsize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use tempfile::TempDir;

/// What runs without arguments: small enough to finish in a few hundredths of a second.
const DEFAULT_FILES: usize = 20;
const DEFAULT_SIZE: usize = 250_000;

/// The usage line: both arguments are optional.
fn usage() -> String {
    format!(
        "usage: files-sync [FILES [SIZE]]   \
         (by default {DEFAULT_FILES} files of {DEFAULT_SIZE} bytes)"
    )
}

/// One line of a file: 99 `x`s and a newline.
const LINE: [u8; 100] = {
    let mut line = [b'x'; 100];
    line[99] = b'\n';
    line
};

/// The lines of a file of `size` bytes: whole lines, then a shorter one if `size` calls for
/// it. Every line ends with a newline.
fn lines(size: usize) -> impl Iterator<Item = &'static [u8]> {
    (0..size).step_by(LINE.len()).map(move |start| {
        let len = (size - start).min(LINE.len());
        &LINE[LINE.len() - len..]
    })
}

/// FILES and SIZE, both optional.
fn files_and_size() -> Result<(usize, usize), String> {
    let mut args = std::env::args().skip(1);
    let files = number(args.next(), "FILES", DEFAULT_FILES)?;
    let size = number(args.next(), "SIZE", DEFAULT_SIZE)?;
    if let Some(extra) = args.next() {
        return Err(format!("unexpected argument `{extra}`"));
    }
    files
        .checked_mul(size)
        .ok_or("FILES times SIZE is more bytes than this machine can count")?;
    Ok((files, size))
}

fn number(arg: Option<String>, name: &str, default: usize) -> Result<usize, String> {
    let Some(arg) = arg else {
        return Ok(default);
    };
    // `NonZeroUsize` turns down `0` along with anything that is not a number.
    arg.parse()
        .map(NonZeroUsize::get)
        .map_err(|_| format!("{name} must be a whole number above 0, not `{arg}`"))
}

// ANCHOR: save
fn save(path: &Path, size: usize) -> io::Result<()> {
    let mut file = BufWriter::new(File::create(path)?);
    for line in lines(size) {
        file.write_all(line)?;
    }
    // Dropping a `BufWriter` writes out the rest too, but throws away any error doing so.
    file.flush()
}
// ANCHOR_END: save

fn main() -> ExitCode {
    let (files, size) = match files_and_size() {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("{}", usage());
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
    // Errors come back here as values, never through `std::process::exit`, which would
    // skip the destructors and leave the temporary directory behind.
    match write_files(files, size) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("error: {problem}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: write
fn write_files(files: usize, size: usize) -> Result<(), String> {
    // A fresh directory, removed with everything in it when `dir` is dropped: on every
    // `?` below as well as at the end.
    let dir = TempDir::new().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let start = Instant::now();
    for idx in 0..files {
        let name = format!("{idx}.txt");
        save(&dir.path().join(&name), size).map_err(|e| format!("{name}: {e}"))?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "Wrote {files} files of {size} bytes, {} bytes in all",
        files * size
    );
    println!("Elapsed: {elapsed:.2}s");
    // `close` removes the directory as dropping it would, but reports a failure to.
    dir.close()
        .map_err(|e| format!("cannot remove the temporary directory: {e}"))
}
// ANCHOR_END: write
