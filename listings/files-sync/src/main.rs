//! Writes FILES files of SIZE bytes, one after the other, with blocking `std::fs` calls.
//! Run it with `cargo run -p files-sync` (20 files of 250000 bytes) or `-- FILES SIZE`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::num::NonZeroUsize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use tempfile::TempDir;

/// Writes FILES files of SIZE bytes, one after the other, with blocking `std::fs` calls.
#[derive(Parser)]
struct Args {
    /// How many files to write.
    // The defaults finish in a few hundredths of a second.
    #[arg(default_value = "20")]
    files: NonZeroUsize,
    /// How many bytes each file holds.
    #[arg(default_value = "250000")]
    size: NonZeroUsize,
}

impl Args {
    /// FILES and SIZE, once it is sure that their product, the bytes in all, can be counted.
    fn files_and_size(&self) -> (usize, usize) {
        let (files, size) = (self.files.get(), self.size.get());
        if files.checked_mul(size).is_none() {
            let problem = "FILES times SIZE is more bytes than this machine can count";
            Self::command()
                .error(ErrorKind::ValueValidation, problem)
                .exit();
        }
        (files, size)
    }
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
    let (files, size) = Args::parse().files_and_size();
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
