//! The whole course as one PDF, to read offline: mdBook renders the book, and headless
//! Chromium prints mdBook's `print.html`, which holds every chapter, each from a new page.
//! `cargo pdf` writes it; `tests/pdf.rs` writes it the same way and reads it back.

use std::path::{Path, PathBuf};

use crate::{cargo, chromium, render};

/// Where the PDF lands: `target/book/`, named after the book's title
/// (`async-rust-slide-by-slide.pdf`), so that every run replaces the last one.
pub fn path() -> Result<PathBuf, String> {
    let name = format!("{}.pdf", file_stem(&render::title()?));
    Ok(cargo::target_dir()?.join("book").join(name))
}

/// A title as a file name: lower case, each run of anything but letters and digits one `-`.
fn file_stem(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Renders the book and prints it to [`path`], replacing any PDF already there, and returns
/// that path.
pub fn write() -> Result<PathBuf, String> {
    let pdf = path()?;
    let folder = pdf.parent().expect("the PDF's path ends in a folder");
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let html = tempfile::tempdir().map_err(|e| format!("no scratch folder for the HTML: {e}"))?;
    render::html(html.path())?;
    print(&html.path().join("print.html"), &pdf)?;
    Ok(pdf)
}

/// Has Chromium print `page` to `pdf`.
///
/// Without `--virtual-time-budget`, unlike the browser check: `print.html` calls
/// `window.print()` 100 ms after `load`, and under a virtual-time budget that call ends
/// headless Chromium (156) with success before it writes anything. Without one, Chromium
/// prints at `load`, which waits for the book's own fonts, styles and images, and after the
/// scripts that highlight the code and hide its hidden lines have run; `tests/pdf.rs` checks
/// that the fonts made it. The Run buttons' request to the Playground, which fails offline,
/// is still pending then and changes nothing on paper.
fn print(page: &Path, pdf: &Path) -> Result<(), String> {
    // A PDF left by an earlier run must not pass for this one.
    match std::fs::remove_file(pdf) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("cannot replace {}: {e}", pdf.display()));
        }
        _ => {}
    }
    let (_, log) = chromium::run([
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".to_owned(),
        // Bookmarks from the headings, for moving around the PDF as in the book's sidebar.
        "--generate-pdf-document-outline".to_owned(),
        // Chromium makes a path on its command line into a file URL itself, escaping and all.
        page.display().to_string(),
    ])?;
    match std::fs::metadata(pdf) {
        Ok(written) if written.len() > 0 => Ok(()),
        _ => Err(format!(
            "Chromium ended without writing {}\n{}",
            pdf.display(),
            chromium::last_lines(&log)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn a_title_becomes_a_file_stem() {
        assert_eq!(
            file_stem("Async Rust, slide by slide"),
            "async-rust-slide-by-slide"
        );
        assert_eq!(file_stem("  Tokio: 1.x & you "), "tokio-1-x-you");
    }
}
