//! The book rendered to HTML by mdBook as a library, the version this crate pins, for the
//! checks of the rendered pages and for the PDF.

use std::path::Path;

/// Renders the book into `out`, emptied first. A page listed in `SUMMARY.md` but missing is
/// an error, whatever `book.toml` says.
pub fn html(out: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(out);
    let mut book = mdbook_driver::MDBook::load(crate::root())
        .map_err(|e| format!("mdBook cannot load the book: {e:#}"))?;
    book.config.build.build_dir = out.to_path_buf();
    book.config.build.create_missing = false;
    book.build()
        .map_err(|e| format!("mdBook cannot build the book: {e:#}"))
}

/// The book's title, from `book.toml`.
pub fn title() -> Result<String, String> {
    let book_toml = crate::root().join("book.toml");
    mdbook_driver::config::Config::from_disk(&book_toml)
        .map_err(|e| format!("cannot read {}: {e:#}", book_toml.display()))?
        .book
        .title
        .ok_or_else(|| format!("{} gives the book no title", book_toml.display()))
}
