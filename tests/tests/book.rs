//! The book's integrity: every page exists, every include resolves, every listing is shown
//! and checked, every timing claim matches its recording, and the rendered HTML holds what
//! the pages promise.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use book_checks::book::{self, Page};
use book_checks::{listing, root, transcript::Transcript};
use scraper::{Html, Selector};

fn pages() -> Vec<Page> {
    book::pages().expect("cannot read SUMMARY.md")
}

/// Every failure at once, so one run shows everything that is wrong.
fn assert_none(problems: Vec<String>, what: &str) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn every_summary_page_exists() {
    let missing: Vec<String> = pages()
        .iter()
        .filter(|p| !p.path.is_file())
        .map(|p| {
            format!(
                "{} is in SUMMARY.md but {} does not exist",
                p.rel.display(),
                p.path.display()
            )
        })
        .collect();
    assert_none(missing, "pages missing");
}

#[test]
fn every_markdown_file_is_in_summary() {
    let listed: BTreeSet<PathBuf> = pages().into_iter().map(|p| p.rel).collect();
    let orphans: Vec<String> = book::markdown_files()
        .into_iter()
        .filter(|f| !listed.contains(f))
        .map(|f| format!("src/{} is not linked from SUMMARY.md", f.display()))
        .collect();
    assert_none(orphans, "pages no reader can reach");
}

#[test]
fn every_include_resolves() {
    let mut problems = Vec::new();
    for page in pages() {
        let Ok(text) = page.text() else { continue };
        for include in book::includes(&page.path, &text) {
            if !include.target.is_file() {
                problems.push(format!(
                    "{}: {} names {}, which does not exist",
                    page.rel.display(),
                    include.directive,
                    include.target.display()
                ));
            } else if let Err(e) = include.included_text() {
                problems.push(format!("{}: {e}", page.rel.display()));
            }
        }
    }
    assert_none(problems, "broken includes");
}

#[test]
fn every_topic_page_ends_with_what_to_notice() {
    let mut problems = Vec::new();
    for page in pages().into_iter().filter(|p| p.nested) {
        let Ok(text) = page.text() else { continue };
        let Some((_, last)) = text.rsplit_once("\n## ") else {
            problems.push(format!("{} has no sections", page.rel.display()));
            continue;
        };
        let bullets = last.lines().filter(|l| l.starts_with("- ")).count();
        if !last.starts_with("What to notice\n") || !(2..=4).contains(&bullets) {
            problems.push(format!(
                "{} must end with a `## What to notice` section of 2 to 4 bullets",
                page.rel.display()
            ));
        }
    }
    assert_none(problems, "pages without their closing summary");
}

/// Which files under `listings/` the pages include.
fn included_files() -> BTreeSet<PathBuf> {
    pages()
        .iter()
        .filter_map(|p| p.text().ok().map(|t| book::includes(&p.path, &t)))
        .flatten()
        .map(|i| i.target)
        .collect()
}

#[test]
fn every_listing_folder_is_a_crate_shown_in_the_book() {
    let included = included_files();
    let mut problems = Vec::new();
    for dir in listing::folders() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !dir.join("Cargo.toml").is_file() {
            problems.push(format!("listings/{name} has no Cargo.toml"));
            continue;
        }
        let code_shown = included.iter().any(|f| f.starts_with(dir.join("src")));
        if !code_shown {
            problems.push(format!("no page includes the code of listings/{name}"));
        }
        let output = dir.join("output.txt");
        if output.is_file() && !included.contains(&output) {
            problems.push(format!("no page includes listings/{name}/output.txt"));
        }
    }
    assert_none(problems, "listings the book does not show");
}

#[test]
fn every_listing_has_a_transcript_or_tests_of_its_own() {
    let unchecked: Vec<String> = listing::all()
        .expect("cannot list the listings")
        .into_iter()
        .filter(|l| !l.has_transcript() && !l.has_own_tests())
        .map(|l| {
            format!(
                "listings/{0} has neither output.txt (run `cargo bless {0}`) nor tests/*.rs",
                l.name
            )
        })
        .collect();
    assert_none(unchecked, "listings nothing checks");
}

#[test]
fn every_transcript_has_its_timing() {
    let problems: Vec<String> = listing::all()
        .expect("cannot list the listings")
        .into_iter()
        .filter(|l| l.has_transcript())
        .filter_map(|l| Transcript::load(&l.output_path(), &l.timing_path()).err())
        .collect();
    assert_none(problems, "transcripts without a usable timing.txt");
}

#[test]
fn timing_claims_match_the_recordings() {
    let listings = listing::all().expect("cannot list the listings");
    let mut problems = Vec::new();
    let claims = match book::all_claims() {
        Ok(claims) => claims,
        Err(e) => return assert_none(vec![e], "malformed timing claims"),
    };
    for claim in claims {
        let Some(l) = listings.iter().find(|l| l.name == claim.listing) else {
            problems.push(format!(
                "{}: claims a time for unknown listing `{}`",
                claim.page.display(),
                claim.listing
            ));
            continue;
        };
        match Transcript::load(&l.output_path(), &l.timing_path()) {
            Ok(t) => problems.extend(claim.check(&t).err()),
            Err(e) => problems.push(e),
        }
    }
    assert_none(problems, "timing claims the recordings contradict");
}

/// The book rendered to HTML once, with mdBook as a library, into the test's scratch folder.
fn rendered() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("book");
        let _ = std::fs::remove_dir_all(&out);
        let mut book = mdbook_driver::MDBook::load(root()).expect("mdBook cannot load the book");
        book.config.build.build_dir = out.clone();
        book.config.build.create_missing = false;
        book.build().expect("mdBook cannot build the book");
        out
    })
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("readable output folder")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn rendered_book_has_no_unresolved_directives() {
    let mut files = Vec::new();
    html_files(rendered(), &mut files);
    assert!(!files.is_empty(), "mdBook wrote no HTML");
    let problems: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|html| html.contains("{{#")))
        .map(|f| format!("{} holds a literal `{{{{#`", f.display()))
        .collect();
    assert_none(problems, "directives mdBook left unresolved");
}

#[test]
fn rendered_pages_show_their_listings_and_transcripts() {
    let code = Selector::parse("code").expect("valid selector");
    let mut problems = Vec::new();
    for page in pages() {
        let Ok(text) = page.text() else { continue };
        let includes = book::includes(&page.path, &text);
        if includes.is_empty() {
            continue;
        }
        let html_path = rendered().join(page.html_rel());
        let Ok(html) = std::fs::read_to_string(&html_path) else {
            problems.push(format!(
                "{} was not rendered to {}",
                page.rel.display(),
                html_path.display()
            ));
            continue;
        };
        let shown: String = Html::parse_document(&html)
            .select(&code)
            .flat_map(|c| c.text())
            .collect();
        for include in includes {
            let Ok(included) = include.included_text() else {
                continue;
            };
            if let Some(line) = included
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !shown.contains(l))
            {
                problems.push(format!(
                    "{}: the rendered page lacks `{line}` from {}",
                    page.rel.display(),
                    include.directive
                ));
            }
        }
    }
    assert_none(
        problems,
        "rendered pages that do not show what they include",
    );
}
