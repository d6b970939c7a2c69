//! The book as one PDF, written exactly as `cargo pdf` writes it (`book_checks::pdf`) and
//! read back with pdf-extract: its page count fits the book, it shows every listing file a
//! page includes and every timeline, and it is set in the book's own fonts.
//!
//! It needs Chromium (`apt-get install chromium`, or set `CHROMIUM`), so plain `cargo test`
//! skips it: `cargo test -p book-checks --test pdf -- --ignored` runs it, as `.ci/run` does.
//! The PDF it checks is left at the path `cargo pdf` prints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use book_checks::book::{self, Include};
use pdf_extract::{Document, Object, PlainTextOutput};

/// The page count's bounds, in lines a page of a chapter holds, counted by
/// [`reader_lines`]. A Letter page at mdBook's print size holds about 45 lines of prose or
/// 50 of code; code blocks, which do not break across pages, tables whose cells wrap, and
/// each chapter's last page leave some pages short. Chromium 156 prints the chapters at 23
/// to 53 lines a page (a chapter of one page at 19). Twice the densest and half the
/// sparsest of more than one page leave room for another Chromium or a page that grows; a
/// PDF outside them has lost whole chapters, or its print styles (the sidebar on every
/// page, say).
const DENSEST_LINES_PER_PAGE: usize = 100;
const SPARSEST_LINES_PER_PAGE: usize = 12;

/// Characters in a line of prose across a Letter page at mdBook's print size, about.
const LINE_WIDTH: usize = 90;

/// The height of a timeline of three lanes, in lines of prose.
const TIMELINE_LINES: usize = 6;

/// A line of a listing is looked for only when it is at least this long, without its
/// whitespace: shorter ones (`}`, `Ok(())`) would be found anywhere.
const DISTINCTIVE: usize = 12;

/// The fonts mdBook ships and the book is set in: prose, and code. Without them Chromium
/// printed before the book's fonts had loaded, and fell back to the system's.
const BOOK_FONTS: [&str; 2] = ["OpenSans", "SourceCodePro"];

/// The PDF as the checks read it.
struct Printed {
    path: PathBuf,
    pages: usize,
    /// All its text, made [`comparable`].
    text: String,
    /// The alternative text of each figure, in the order of the PDF's objects. Chromium tags
    /// the PDF, and a timeline's accessible name (its `<title>`, then its `<desc>`) becomes
    /// its figure's `/Alt`.
    figures: Vec<String>,
    /// The fonts it embeds, without the subset prefix (`OpenSans-Bold`).
    fonts: BTreeSet<String>,
}

/// Written once, for every check in this file.
static PRINTED: LazyLock<Result<Printed, String>> =
    LazyLock::new(|| read(&book_checks::pdf::write()?));

fn printed() -> &'static Printed {
    PRINTED.as_ref().unwrap_or_else(|e| panic!("the PDF: {e}"))
}

fn read(path: &Path) -> Result<Printed, String> {
    let doc = Document::load(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut text = String::new();
    pdf_extract::output_doc(&doc, &mut PlainTextOutput::new(&mut text))
        .map_err(|e| format!("cannot take the text of {}: {e}", path.display()))?;
    let mut figures = Vec::new();
    let mut fonts = BTreeSet::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).ok();
        if name(b"S") == Some(b"Figure".as_slice())
            && let Ok(alt) = dict.get(b"Alt").and_then(pdf_extract::decode_text_string)
        {
            figures.push(alt);
        }
        if name(b"Type") == Some(b"Font".as_slice())
            && let Some(font) = name(b"BaseFont")
        {
            let font = String::from_utf8_lossy(font);
            let unprefixed = font.split_once('+').map_or(&*font, |(_, f)| f);
            fonts.insert(unprefixed.to_owned());
        }
    }
    Ok(Printed {
        path: path.to_owned(),
        pages: doc.get_pages().len(),
        text: comparable(&text),
        figures,
        fonts,
    })
}

/// Text as it can be compared with the PDF's: without whitespace, since the PDF breaks and
/// spaces lines as the page needs (a long code line wraps, a word may stand apart), and
/// with the ligatures of the prose font spelt out.
fn comparable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Every page of the book with its text and includes, in `SUMMARY.md` order.
fn pages() -> Vec<(book::Page, String, Vec<Include>)> {
    book::pages()
        .expect("cannot read SUMMARY.md")
        .into_iter()
        .map(|page| {
            let text = page.text().unwrap_or_else(|e| panic!("{e}"));
            let includes = book::includes(&page.path, &text);
            (page, text, includes)
        })
        .collect()
}

fn is_timeline(include: &Include) -> bool {
    include
        .target
        .file_name()
        .is_some_and(|n| n == "timeline.svg")
}

/// A file of a listing: under `listings/`.
fn is_listing_file(include: &Include) -> bool {
    include
        .target
        .starts_with(book_checks::root().join("listings"))
}

/// A line mdBook hides in a Rust block: `#` alone, or `#` and a space, after indentation.
fn hidden_in_rust(line: &str) -> bool {
    let line = line.trim_start();
    line == "#" || line.starts_with("# ")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(book_checks::root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
#[ignore = "needs Chromium; run with `cargo test -p book-checks --test pdf -- --ignored`"]
fn page_count_fits_the_book() {
    let printed = printed();
    // mdBook starts every chapter on a new page, so each chapter is counted on its own.
    let (mut fewest, mut most, mut lines_in_all) = (0, 0, 0);
    let chapters = pages();
    for (page, text, includes) in &chapters {
        let lines =
            reader_lines(text, includes).unwrap_or_else(|e| panic!("{}: {e}", page.rel.display()));
        fewest += lines.div_ceil(DENSEST_LINES_PER_PAGE);
        most += lines.div_ceil(SPARSEST_LINES_PER_PAGE);
        lines_in_all += lines;
    }
    assert!(
        (fewest..=most).contains(&printed.pages),
        "{} has {} pages, but the book's {} chapters, {lines_in_all} lines in all, call for \
         {fewest} to {most}",
        printed.path.display(),
        printed.pages,
        chapters.len(),
    );
}

/// How many lines a reader sees of a page, about: its Markdown with each include replaced
/// by what it includes, a line longer than [`LINE_WIDTH`] counted as the lines it wraps to,
/// and a timeline as [`TIMELINE_LINES`].
fn reader_lines(text: &str, includes: &[Include]) -> Result<usize, String> {
    let mut shown = text.to_owned();
    let mut timelines = 0;
    for include in includes {
        let replacement = if is_timeline(include) {
            timelines += 1;
            String::new()
        } else {
            include.included_text()?
        };
        shown = shown.replacen(&include.directive, &replacement, 1);
    }
    let wrapped: usize = shown
        .lines()
        .map(|l| l.chars().count().div_ceil(LINE_WIDTH).max(1))
        .sum();
    Ok(wrapped + timelines * TIMELINE_LINES)
}

#[test]
#[ignore = "needs Chromium; run with `cargo test -p book-checks --test pdf -- --ignored`"]
fn every_listing_file_a_page_includes_is_in_the_pdf() {
    let printed = printed();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (page, _, includes) in pages() {
        for include in includes
            .iter()
            .filter(|i| is_listing_file(i) && !is_timeline(i))
        {
            let shown = include
                .included_text()
                .unwrap_or_else(|e| panic!("{}: {e}", page.rel.display()));
            let rust = include.target.extension().is_some_and(|e| e == "rs");
            let visible: Vec<&str> = shown
                .lines()
                .filter(|l| !(rust && hidden_in_rust(l)))
                .collect();
            let mut sought: Vec<String> = visible
                .iter()
                .copied()
                .filter(|l| comparable(l).chars().count() >= DISTINCTIVE)
                .map(str::to_owned)
                .collect();
            // A file of short lines only (`A 0`, `B 0`, …) is sought as a whole, in order.
            if sought.is_empty() {
                sought.push(visible.join("\n"));
            }
            let missing: Vec<&String> = sought
                .iter()
                .filter(|l| !printed.text.contains(&comparable(l)))
                .collect();
            checked += sought.len();
            if !missing.is_empty() {
                problems.push(format!(
                    "{}: {} of {} lines sought from {} are not in the PDF ({}), the first:\n      {}",
                    page.rel.display(),
                    missing.len(),
                    sought.len(),
                    relative(&include.target),
                    include.directive,
                    missing[0].trim()
                ));
            }
        }
    }
    assert!(checked > 0, "no page includes a listing file");
    assert!(
        problems.is_empty(),
        "{}:\n  {}",
        printed.path.display(),
        problems.join("\n  ")
    );
}

#[test]
#[ignore = "needs Chromium; run with `cargo test -p book-checks --test pdf -- --ignored`"]
fn every_timeline_is_a_figure_in_the_pdf() {
    let printed = printed();
    let title = regex::Regex::new(r"<title[^>]*>([^<]+)</title>").expect("valid regex");
    // Each timeline by its title: its file, and the pages that show it.
    let mut wanted: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for (page, _, includes) in pages() {
        for include in includes.iter().filter(|i| is_timeline(i)) {
            let svg = include
                .included_text()
                .unwrap_or_else(|e| panic!("{}: {e}", page.rel.display()));
            let file = relative(&include.target);
            let Some(name) = title.captures(&svg) else {
                panic!("{file} has no <title>");
            };
            let (_, on_pages) = wanted
                .entry(unescape(&name[1]))
                .or_insert_with(|| (file, Vec::new()));
            on_pages.push(page.rel.display().to_string());
        }
    }
    assert!(!wanted.is_empty(), "no page includes a timeline");
    let mut problems = Vec::new();
    for (name, (file, on_pages)) in &wanted {
        // The title, then the description or nothing: `… of sleep-loop-async` must not
        // count the figure of `sleep-loop-async-gather`.
        let found = printed
            .figures
            .iter()
            .filter(|alt| {
                alt.strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
            .count();
        if found < on_pages.len() {
            problems.push(format!(
                "{file} (\"{name}\") is shown on {}, but {found} of the PDF's figures bear its title",
                on_pages.join(", ")
            ));
        }
    }
    let tagged = if printed.figures.is_empty() {
        "no figure at all: Chromium did not tag the PDF"
    } else {
        "figures"
    };
    assert!(
        problems.is_empty(),
        "{} ({} {tagged}):\n  {}",
        printed.path.display(),
        printed.figures.len(),
        problems.join("\n  ")
    );
}

/// The text of an SVG element as a reader sees it.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
#[ignore = "needs Chromium; run with `cargo test -p book-checks --test pdf -- --ignored`"]
fn the_pdf_is_set_in_the_books_fonts() {
    let printed = printed();
    let missing: Vec<&str> = BOOK_FONTS
        .into_iter()
        .filter(|font| !printed.fonts.iter().any(|f| f.starts_with(font)))
        .collect();
    assert!(
        missing.is_empty(),
        "{} lacks the fonts {missing:?}; it has {:?}",
        printed.path.display(),
        printed.fonts
    );
}
