//! The checks behind the book, and the `bless` command that records transcripts.
//!
//! A listing is a crate under `listings/`. Its transcript is `output.txt`, the lines it
//! printed, and `timing.txt`, the moment each line appeared. Both are written by
//! `cargo bless` from a real run and never by hand; `tests/listings.rs` holds fresh runs to
//! them, and runs each listing's own tests as well. `tests/README.md` maps each check to the
//! module that implements it.

#![allow(clippy::needless_doctest_main)]

pub mod book;
pub mod cargo;
pub mod chromium;
pub mod claim;
pub mod copy_out;
pub mod diagnostic;
pub mod files;
pub mod glossary;
pub mod listing;
pub mod pdf;
pub mod priority;
pub mod quiz;
pub mod render;
pub mod run;
pub mod schedule;
pub mod server;
pub mod settings;
pub mod timeline;
pub mod transcript;

/// The book's inline ```` ```rust ```` snippets, compiled as doctests (see `build.rs`).
pub mod snippets {
    include!(concat!(env!("OUT_DIR"), "/snippets.rs"));
}

/// The book's ```` ```rust,compile_fail,E0XXX ```` snippets gathered in one Markdown file
/// by `build.rs`, for the check that they fail with the error code they name.
pub const COMPILE_FAIL_SNIPPETS: &str = concat!(env!("OUT_DIR"), "/compile_fail.md");

use std::path::{Path, PathBuf};

/// The root of the workspace: the folder that holds `book.toml`.
pub fn root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the checks crate lives one level below the workspace root")
            .to_path_buf()
    })
}
