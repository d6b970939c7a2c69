//! Turns every page of the book into a doctest module, so that `cargo test` compiles each
//! inline ```` ```rust ```` block the way rustdoc compiles examples in doc comments.
//!
//! Blocks that pull a listing in with `{{#include}}` are not snippets: their text is a
//! directive, and the listing is built as a crate of its own. They are marked `text` in the
//! copy rustdoc reads. Nothing else changes, so line numbers in errors match the page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

fn main() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo::rerun-if-changed={}", src.display());

    let mut pages = Vec::new();
    collect(&src, &mut pages);
    pages.sort();

    let mut modules = String::new();
    let mut compile_fail = String::new();
    for page in pages {
        let rel = page.strip_prefix(&src).expect("found under src");
        if rel == Path::new("SUMMARY.md") {
            continue;
        }
        let text = std::fs::read_to_string(&page).expect("page is readable");
        for (line, block) in blocks_with_error_codes(&text) {
            writeln!(compile_fail, "# {} line {line}\n\n{block}\n", rel.display()).unwrap();
        }
        let copy = out.join(rel.to_string_lossy().replace('/', "__"));
        std::fs::write(&copy, without_include_blocks(&text)).expect("OUT_DIR is writable");
        let module: String = rel
            .with_extension("")
            .to_string_lossy()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        writeln!(
            modules,
            "#[doc = include_str!({:?})]\npub mod r#{module} {{}}",
            copy.display()
        )
        .unwrap();
    }
    std::fs::write(out.join("snippets.rs"), modules).expect("OUT_DIR is writable");
    std::fs::write(out.join("compile_fail.md"), compile_fail).expect("OUT_DIR is writable");
}

/// The fenced blocks marked `compile_fail,E…`, as written, with the line each starts on.
/// Stable rustdoc ignores the error code of a doctest; `tests/book.rs` has these blocks
/// compiled again by a rustdoc that checks it.
fn blocks_with_error_codes(text: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
            let words: Vec<&str> = info.split(',').map(str::trim).collect();
            let has_code = words.iter().any(|w| {
                w.len() == 5 && w.starts_with('E') && w[1..].chars().all(|c| c.is_ascii_digit())
            });
            if words.contains(&"compile_fail") && has_code {
                let line = text[..range.start].lines().count() + 1;
                blocks.push((line, text[range].trim_end().to_owned()));
            }
        }
    }
    blocks
}

fn collect(dir: &Path, pages: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, pages);
        } else if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
}

/// Relabels fenced code blocks whose body holds an mdBook directive as `text`.
fn without_include_blocks(text: &str) -> String {
    let mut relabel = Vec::new();
    let mut open: Option<std::ops::Range<usize>> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => open = Some(range),
            Event::Text(body) if open.is_some() && body.contains("{{#") => {
                if let Some(block) = open.take() {
                    relabel.push(block);
                }
            }
            Event::End(_) => open = None,
            _ => {}
        }
    }
    let mut result = text.to_owned();
    // Back to front, so earlier offsets stay valid.
    for block in relabel.into_iter().rev() {
        let fence_line_end = block.start + text[block.clone()].find('\n').unwrap_or(0);
        let fence = &text[block.start..fence_line_end];
        let marks = fence
            .trim_start()
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .count();
        let indent = fence.len() - fence.trim_start().len();
        let new_fence = format!("{}{}text", &fence[..indent], &fence.trim_start()[..marks]);
        result.replace_range(block.start..fence_line_end, &new_fence);
    }
    result
}
