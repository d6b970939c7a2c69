//! What the book checks share: the book rendered with mdBook, as a library.

use std::path::{Path, PathBuf};

/// Renders the book into `<target>/tmp/<folder>` and returns that folder.
pub fn render_book(folder: &str) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    book_checks::render::html(&out).unwrap_or_else(|e| panic!("{e}"));
    out
}
