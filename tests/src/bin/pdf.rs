//! Writes the whole book as one PDF, to read offline, and prints where it landed.
//! Run it with `cargo pdf`. It needs Chromium: `chromium` on `PATH`, or set `CHROMIUM`.

use std::process::ExitCode;

use book_checks::pdf;

const USAGE: &str = "usage: cargo pdf
  Renders the book and has headless Chromium print it to target/book/<title>.pdf, then
  prints that path. Chromium is `chromium` on PATH, or the program CHROMIUM names.";

fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    match pdf::write() {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pdf: {e}");
            ExitCode::FAILURE
        }
    }
}
