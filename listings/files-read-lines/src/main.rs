//! Writes FILES files of SIZE bytes, reads them back as streams of lines with tokio-util's
//! `LinesCodec`, and checks every byte came back. Run it with `cargo run -p files-read-lines`.

use std::io;
use std::num::NonZeroUsize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use futures::StreamExt;
use futures::future::join_all;
use tempfile::TempDir;
use tokio::fs::File;
use tokio_util::codec::{FramedRead, LinesCodec};

/// Writes FILES files of SIZE bytes, then reads them back as streams of lines.
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

/// What came out of one file.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Count {
    lines: usize,
    bytes: usize,
}

// ANCHOR: count
async fn count(path: &Path) -> io::Result<Count> {
    let file = File::open(path).await?;
    // `FramedRead` turns the file into a `Stream`; `LinesCodec` cuts it at each newline and
    // yields the line as a `String`, without the newline. (For input you do not trust,
    // `LinesCodec::new_with_max_length` caps how much one line may hold in memory.)
    let mut lines = FramedRead::new(file, LinesCodec::new());
    let mut count = Count::default();
    while let Some(line) = lines.next().await {
        let line = line.map_err(io::Error::other)?;
        count.lines += 1;
        count.bytes += line.len() + 1; // and the newline the codec took off
    }
    Ok(count)
}
// ANCHOR_END: count

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (files, size) = Args::parse().files_and_size();
    // Returned, never `std::process::exit`, which would skip the removal of the directory.
    match write_and_read(files, size).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("error: {problem}");
            ExitCode::FAILURE
        }
    }
}

async fn write_and_read(files: usize, size: usize) -> Result<(), String> {
    // Removed with everything in it when `dir` is dropped, on every `?` below too.
    let dir = TempDir::new().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let paths: Vec<_> = (0..files)
        .map(|idx| dir.path().join(format!("{idx}.txt")))
        .collect();
    let content: Vec<u8> = lines(size).flatten().copied().collect();
    // `tokio::fs::write` creates, writes and closes a file in one blocking call. `join_all`
    // waits for every write even when one fails; `try_join_all` would stop waiting, and the
    // blocking pool would go on writing, perhaps after the directory was removed.
    let written = join_all(paths.iter().map(|path| tokio::fs::write(path, &content))).await;
    for (idx, result) in written.into_iter().enumerate() {
        result.map_err(|e| format!("{idx}.txt: {e}"))?;
    }
    println!(
        "Wrote {files} files of {size} bytes, {} bytes in all",
        files * size
    );

    // ANCHOR: read
    // Only the reading is timed.
    let start = Instant::now();
    let counts = join_all(paths.iter().map(|path| count(path))).await;
    let elapsed = start.elapsed().as_secs_f64();
    // ANCHOR_END: read

    let expected = Count {
        lines: size.div_ceil(LINE.len()),
        bytes: size,
    };
    let mut total = Count::default();
    let mut wrong = 0;
    for (idx, counted) in counts.into_iter().enumerate() {
        match counted {
            Ok(count) if count == expected => {
                total.lines += count.lines;
                total.bytes += count.bytes;
            }
            Ok(count) => {
                wrong += 1;
                eprintln!("error: {idx}.txt: read {count:?}, expected {expected:?}");
            }
            Err(e) => {
                wrong += 1;
                eprintln!("error: {idx}.txt: {e}");
            }
        }
    }
    println!(
        "Read back {} lines, {} bytes: {} of {files} files as written",
        total.lines,
        total.bytes,
        files - wrong
    );
    println!("Elapsed: {elapsed:.2}s");
    if wrong > 0 {
        return Err(format!(
            "{wrong} of {files} files did not read back as written"
        ));
    }
    dir.close()
        .map_err(|e| format!("cannot remove the temporary directory: {e}"))
}
