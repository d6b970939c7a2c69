//! What the book checks share: the book rendered with mdBook, as a library.

use std::path::{Path, PathBuf};

/// Renders the book into `<target>/tmp/<folder>` and returns that folder. A page listed in
/// `SUMMARY.md` but missing is an error, whatever `book.toml` says.
pub fn render_book(folder: &str) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    let _ = std::fs::remove_dir_all(&out);
    let mut book =
        mdbook_driver::MDBook::load(book_checks::root()).expect("mdBook cannot load the book");
    book.config.build.build_dir = out.clone();
    book.config.build.create_missing = false;
    book.build().expect("mdBook cannot build the book");
    out
}
