//! Writes FILES files of SIZE bytes, all at once, with `tokio::fs` and one task per file.
//! Run it with `cargo run -p files-async` (20 files of 250000 bytes) or `-- FILES SIZE`.

use std::io;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use futures::future::join_all;
use tempfile::TempDir;
use tokio::fs::File;
use tokio::io::{AsyncWriteExt, BufWriter};

/// Writes FILES files of SIZE bytes, all at once, with `tokio::fs` and one task per file.
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
async fn save(path: PathBuf, size: usize) -> io::Result<()> {
    let mut file = BufWriter::new(File::create(path).await?);
    for line in lines(size) {
        file.write_all(line).await?;
    }
    // Drop cannot await, so without this the data may never arrive: Tokio's `BufWriter`
    // discards what it still holds, and the `File` hands each write to the blocking pool
    // and returns at once, so its last write can still be in flight. `flush` writes the
    // rest, waits for it, and returns its error, which would otherwise be lost.
    file.flush().await
}
// ANCHOR_END: save

// One thread is enough: the writes run on Tokio's blocking pool, not on this thread.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (files, size) = Args::parse().files_and_size();
    // Returned, never `std::process::exit`, which would skip the removal of the directory.
    write_files(files, size).await
}

async fn write_files(files: usize, size: usize) -> ExitCode {
    // Removed with everything in it when `dir` is dropped, however this function returns.
    let dir = match TempDir::new() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("error: cannot create a temporary directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    // ANCHOR: tasks
    let start = Instant::now();
    let tasks =
        (0..files).map(|idx| tokio::spawn(save(dir.path().join(format!("{idx}.txt")), size)));
    // Waits for every task, so one failure costs only its own file.
    let results = join_all(tasks).await;
    let elapsed = start.elapsed().as_secs_f64();

    let mut written = 0;
    for (idx, result) in results.into_iter().enumerate() {
        match result {
            Ok(Ok(())) => written += 1,
            Ok(Err(e)) => eprintln!("error: {idx}.txt: {e}"),
            Err(panicked) => eprintln!("error: {idx}.txt: {panicked}"),
        }
    }
    // ANCHOR_END: tasks
    println!(
        "Wrote {written} files of {size} bytes, {} bytes in all",
        written * size
    );
    println!("Elapsed: {elapsed:.2}s");
    let mut code = ExitCode::SUCCESS;
    if written < files {
        eprintln!("error: {} of {files} files failed", files - written);
        code = ExitCode::FAILURE;
    }
    // `close` removes the directory as dropping it would, but reports a failure to.
    if let Err(e) = dir.close() {
        eprintln!("error: cannot remove the temporary directory: {e}");
        code = ExitCode::FAILURE;
    }
    code
}
