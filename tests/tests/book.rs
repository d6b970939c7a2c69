//! The book's integrity: every page exists, every include resolves, every listing is shown
//! and checked, every timing claim matches its recording, and the rendered HTML holds what
//! the pages promise.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use book_checks::book::{self, Page};
use book_checks::claim::{self, Against};
use book_checks::listing::DEPENDENCIES_ANCHOR;
use book_checks::{files, glossary, listing, quiz};
use scraper::{Html, Selector};

mod common;

fn pages() -> Vec<Page> {
    book::pages().expect("cannot read SUMMARY.md")
}

/// The pages that can be read, with their text; `every_summary_page_exists` reports the rest.
fn readable_pages() -> Vec<(Page, String)> {
    pages()
        .into_iter()
        .filter_map(|page| Some((page.clone(), page.text().ok()?)))
        .collect()
}

/// Every failure at once, so one run shows everything that is wrong.
fn assert_none(problems: impl IntoIterator<Item = String>, what: &str) {
    let problems: Vec<String> = problems.into_iter().collect();
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
    let orphans = book::markdown_files()
        .into_iter()
        .filter(|f| !listed.contains(f))
        .map(|f| format!("src/{} is not linked from SUMMARY.md", f.display()));
    assert_none(orphans, "pages no reader can reach");
}

#[test]
fn every_include_resolves() {
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
        for include in book::includes(&page.path, &text) {
            if !include.target.is_file() {
                let target = include.target.display();
                problems.push(page.problem(format!(
                    "{} names {target}, which does not exist",
                    include.directive
                )));
            } else if let Err(e) = include.included_text() {
                problems.push(page.problem(e));
            }
        }
    }
    assert_none(problems, "broken includes");
}

#[test]
fn every_topic_page_ends_with_what_to_notice() {
    let mut problems = Vec::new();
    for (page, text) in readable_pages().into_iter().filter(|(p, _)| p.nested) {
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
        let picture = dir.join("timeline.svg");
        if output.is_file() && !included.contains(&picture) {
            problems.push(format!("no page shows listings/{name}/timeline.svg"));
        }
        let diagnostic = dir.join("diagnostic.txt");
        if diagnostic.is_file() && !included.contains(&diagnostic) {
            problems.push(format!("no page includes listings/{name}/diagnostic.txt"));
        }
    }
    assert_none(problems, "listings the book does not show");
}

/// The listings of the workspace and the compile-error listings it excludes.
fn every_listing() -> Vec<listing::Listing> {
    let mut listings = listing::all().expect("cannot list the listings");
    listings.extend(listing::compile_errors().expect("cannot list the compile-error listings"));
    listings
}

#[test]
fn every_listing_has_a_transcript_or_tests_of_its_own() {
    let errors = listing::compile_errors().expect("cannot list the compile-error listings");
    let unchecked = listing::all()
        .expect("cannot list the listings")
        .into_iter()
        .filter(|l| !l.has_transcript() && !l.has_own_tests())
        .map(|l| {
            format!(
                "listings/{0} has neither output.txt (run `cargo bless {0}`) nor tests/*.rs",
                l.name
            )
        });
    let undiagnosed = errors.into_iter().filter(|l| !l.has_diagnostic()).map(|l| {
        format!(
            "listings/{0}, a compile-error listing, has no diagnostic.txt (run `cargo bless {0}`)",
            l.name
        )
    });
    assert_none(unchecked.chain(undiagnosed), "listings nothing checks");
}

#[test]
fn every_transcript_has_its_timing() {
    let problems: Vec<String> = listing::all()
        .expect("cannot list the listings")
        .into_iter()
        .filter(|l| l.has_transcript())
        .filter_map(|l| l.transcript().err())
        .collect();
    assert_none(problems, "transcripts without a usable timing.txt");
}

#[test]
fn timelines_match_their_recordings() {
    let mut problems = Vec::new();
    for l in listing::all().expect("cannot list the listings") {
        if !l.has_transcript() {
            continue;
        }
        let drawn = l.transcript().and_then(|t| l.draw_timeline(&t));
        match (drawn, std::fs::read_to_string(l.timeline_path())) {
            (Err(e), _) => problems.push(e),
            (Ok(_), Err(e)) => problems.push(format!(
                "cannot read listings/{0}/timeline.svg ({e}): run `cargo bless {0}`",
                l.name
            )),
            (Ok(drawn), Ok(committed)) if drawn != committed => problems.push(format!(
                "listings/{0}/timeline.svg is not what timing.txt and timeline.toml draw: \
                 pictures are only ever written by `cargo bless {0}`",
                l.name
            )),
            _ => {}
        }
    }
    assert_none(
        problems,
        "timeline pictures out of step with their recordings",
    );
}

#[test]
fn play_buttons_only_where_the_playground_can_run_the_listing() {
    let listings = every_listing();
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
        for block in book::code_blocks(&text) {
            // A block that holds nothing but one include of a listing's source.
            let Ok([include]) =
                <[book::Include; 1]>::try_from(book::includes(&page.path, block.body.trim()))
            else {
                continue;
            };
            let (directive, target) = (&include.kind, &include.target);
            let path = target
                .strip_prefix(book_checks::root())
                .unwrap_or(target)
                .display();
            let Some(l) =
                listing::owner_of(target).and_then(|name| listings.iter().find(|l| l.name == name))
            else {
                continue;
            };
            if !target.starts_with(l.dir.join("src")) || block.attributes().next() != Some("rust") {
                continue;
            }
            let quiet = block.attributes().any(|a| a == "noplayground");
            if l.runs_in_playground() && (quiet || directive != "rustdoc_include") {
                problems.push(format!(
                    "{}: {path} runs in the Playground: include it with `rustdoc_include`, \
                     which hides the rest of the program, and without `noplayground`",
                    page.rel.display()
                ));
            }
            if let Some(obstacle) = l.playground_obstacle().filter(|_| !quiet) {
                problems.push(format!(
                    "{}: {path} cannot run in the Playground ({obstacle}): mark the block \
                     `noplayground`",
                    page.rel.display()
                ));
            }
        }
    }
    assert_none(problems, "play buttons that would not work, or are missing");
}

#[test]
fn pages_say_how_to_run_their_listings() {
    let errors = listing::compile_errors().expect("cannot list the compile-error listings");
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
        let shown: BTreeSet<String> = book::includes(&page.path, &text)
            .iter()
            .filter(|i| i.target.components().any(|c| c.as_os_str() == "src"))
            .filter_map(|i| listing::owner_of(&i.target))
            .collect();
        for name in shown {
            if let Some(l) = errors.iter().find(|l| l.name == name) {
                let cargo = match l.diagnostic_tool {
                    listing::DiagnosticTool::Rustc => "build",
                    listing::DiagnosticTool::Clippy => "clippy",
                };
                let build = format!("cargo {cargo} --manifest-path listings/{name}/Cargo.toml");
                if !text.contains(&build) {
                    let excluded = "which the workspace excludes";
                    problems.push(page.problem(format!(
                        "shows {name}, {excluded}, but never says `{build}`"
                    )));
                }
                continue;
            }
            // A program is run; a library of tests is tested.
            let run = format!("cargo run -p {name}");
            let test = format!("cargo test -p {name}");
            if !text.contains(&run) && !text.contains(&test) {
                let said = format!("never says `{run}` (or `{test}`)");
                problems.push(page.problem(format!("shows {name} but {said}")));
            }
        }
    }
    assert_none(problems, "listings a reader is not told how to run");
}

#[test]
fn timing_claims_match_the_recordings() {
    let listings = listing::all().expect("cannot list the listings");
    let mut problems = Vec::new();
    let claims = match claim::all() {
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
        match l.transcript() {
            Ok(t) => problems.extend(claim.check(&t, Against::Recording).err()),
            Err(e) => problems.push(e),
        }
    }
    assert_none(problems, "timing claims the recordings contradict");
}

#[test]
fn prediction_questions_match_the_recordings() {
    let listings = listing::all().expect("cannot list the listings");
    let questions = match quiz::all() {
        Ok(questions) => questions,
        Err(problems) => return assert_none(problems, "malformed prediction questions"),
    };
    let mut problems = Vec::new();
    // Every recording, so that an `absent` line can be told from a misspelt one.
    let mut book = Vec::new();
    for l in listings.iter().filter(|l| l.has_transcript()) {
        match l.transcript() {
            Ok(t) => book.push(t),
            Err(e) => problems.push(e),
        }
    }
    for question in questions {
        let Some(l) = listings.iter().find(|l| l.name == question.listing) else {
            problems.push(format!(
                "{}: asks about unknown listing `{}`",
                question.place(),
                question.listing
            ));
            continue;
        };
        match l.transcript() {
            Ok(recording) => problems.extend(question.check(&recording, &book)),
            Err(e) => problems.push(format!("{}: {e}", question.place())),
        }
    }
    assert_none(problems, "prediction questions the recordings contradict");
}

#[test]
fn every_transcript_page_asks_a_question() {
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
        // Each transcript the page shows: where it is included, and whose it is.
        let shown: Vec<quiz::Shown> = book::includes(&page.path, &text)
            .into_iter()
            .filter(|i| i.target.file_name().is_some_and(|f| f == "output.txt"))
            .filter_map(|i| {
                Some(quiz::Shown {
                    offset: text.find(&i.directive)?,
                    listing: listing::owner_of(&i.target)?,
                    directive: i.directive,
                })
            })
            .collect();
        match quiz::in_page(&page.rel, &text) {
            Ok(questions) => problems.extend(quiz::placement(&page.rel, &questions, &shown)),
            Err(malformed) => problems.extend(malformed),
        }
    }
    assert_none(
        problems,
        "transcripts shown without a question first, or questions about another transcript",
    );
}

#[test]
fn rendered_questions_hide_their_answers() {
    let selector = |s: &str| Selector::parse(s).expect("valid selector");
    let (blockquote, opening) = (selector("blockquote"), selector("blockquote > p > strong"));
    let (item, summary) = (
        selector("blockquote > ul > li"),
        selector("details > summary"),
    );
    let answer = selector("details > p > strong");
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
        // Malformed questions are `prediction_questions_match_the_recordings`' to report.
        let Ok(questions) = quiz::in_page(&page.rel, &text) else {
            continue;
        };
        if questions.is_empty() {
            continue;
        }
        let html = std::fs::read_to_string(rendered().join(page.html_rel())).unwrap_or_default();
        let document = Html::parse_document(&html);
        let shown: Vec<_> = document
            .select(&blockquote)
            .filter(|b| {
                b.select(&opening)
                    .next()
                    .is_some_and(|s| s.text().collect::<String>() == "Predict.")
            })
            .collect();
        if shown.len() != questions.len() {
            problems.push(page.problem(format!(
                "asks {} prediction question(s), but the rendered page shows {} as a \
                 blockquote that opens with **Predict.**",
                questions.len(),
                shown.len()
            )));
            continue;
        }
        for (question, quote) in questions.iter().zip(shown) {
            let place = question.place();
            // A wrapped line that starts with `+ ` or `1. ` would make a list of its own.
            let children = |e: scraper::ElementRef| -> Vec<String> {
                e.child_elements()
                    .map(|c| c.value().name().to_owned())
                    .collect()
            };
            let details = quote
                .child_elements()
                .find(|c| c.value().name() == "details");
            if children(quote) != ["p", "ul", "details"]
                || details.is_none_or(|d| children(d) != ["summary", "p"])
            {
                problems.push(format!(
                    "{place}: the rendered question must be a paragraph, a list of choices and \
                     `<details>` holding the summary and one paragraph; it is {:?}, with {:?} \
                     in its `<details>`. Does a wrapped line start with `+ `, `- ` or `1. `?",
                    children(quote),
                    details.map(children)
                ));
                continue;
            }
            let letters: Vec<String> = quote
                .select(&item)
                .map(|li| li.text().collect::<String>().chars().take(2).collect())
                .collect();
            let expected: Vec<String> = question
                .choices
                .iter()
                .map(|c| format!("{}.", c.letter))
                .collect();
            if letters != expected {
                problems.push(format!(
                    "{place}: the rendered choices start {letters:?}, not {expected:?}"
                ));
            }
            let summaries: Vec<String> =
                quote.select(&summary).map(|s| s.text().collect()).collect();
            let answers: Vec<String> = quote.select(&answer).map(|s| s.text().collect()).collect();
            if summaries != ["Answer"] || answers.first() != Some(&format!("{}.", question.answer))
            {
                problems.push(format!(
                    "{place}: the rendered question must hide its answer, **{}.**, in one \
                     `<details>` whose summary is `Answer`; it has summaries {summaries:?} and \
                     answers {answers:?} inside them",
                    question.answer
                ));
            }
        }
    }
    assert_none(problems, "prediction questions that render badly");
}

/// The book rendered to HTML once for all the tests here.
fn rendered() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| common::render_book("book"))
}

#[test]
fn rendered_book_has_no_unresolved_directives() {
    let files = files::with_extension(rendered(), "html");
    assert!(!files.is_empty(), "mdBook wrote no HTML");
    let unresolved = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|html| html.contains("{{#")))
        .map(|f| format!("{} holds a literal `{{{{#`", f.display()));
    assert_none(unresolved, "directives mdBook left unresolved");
}

#[test]
fn every_link_between_pages_resolves() {
    let problems = readable_pages().into_iter().flat_map(|(page, text)| {
        book::page_links(&page.path, &text)
            .iter()
            .filter_map(why_broken)
            .map(|why| page.problem(why))
            .collect::<Vec<_>>()
    });
    assert_none(problems, "broken links between pages");
}

/// What is wrong with a link from one page to another, if anything: it leaves `src/`, or
/// names a page that does not exist, or a heading the rendered page does not have.
fn why_broken(link: &book::PageLink) -> Option<String> {
    let Ok(rel) = link.target.strip_prefix(book::src_dir()) else {
        return Some(format!("links outside src/: {}", link.target.display()));
    };
    if !link.target.is_file() {
        return Some(format!("links to {}, which does not exist", rel.display()));
    }
    let anchor = link.anchor.as_ref()?;
    let html =
        std::fs::read_to_string(rendered().join(rel.with_extension("html"))).unwrap_or_default();
    (!html.contains(&format!("id=\"{anchor}\""))).then(|| {
        format!(
            "links to {}#{anchor}, but that page has no such heading",
            rel.display()
        )
    })
}

#[test]
fn rendered_pages_show_their_listings_and_transcripts() {
    let code = Selector::parse("code").expect("valid selector");
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
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
            if include.target.extension().is_some_and(|e| e == "svg") {
                let svg = std::fs::read_to_string(&include.target).unwrap_or_default();
                let title = svg
                    .lines()
                    .find(|l| l.starts_with("<title"))
                    .unwrap_or("<svg");
                if !html.contains(title) {
                    problems.push(format!(
                        "{}: the rendered page lacks the picture {}",
                        page.rel.display(),
                        include.directive
                    ));
                }
                continue;
            }
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

#[test]
fn every_anchor_is_shown_or_held_to_a_copy() {
    let mut used: BTreeSet<(PathBuf, String)> = BTreeSet::new();
    for (page, text) in readable_pages() {
        for include in book::includes(&page.path, &text) {
            if let book::Selection::Anchor(name) = include.selection {
                used.insert((include.target, name));
            }
        }
    }
    let listings = listing::all().expect("cannot list the listings");
    for l in &listings {
        for copy in &l.copies {
            let original = book_checks::root().join("listings").join(&copy.listing);
            for anchor in &copy.anchors {
                used.insert((l.dir.join(&copy.file), anchor.clone()));
                used.insert((original.join("src/main.rs"), anchor.clone()));
            }
        }
    }
    let mut problems = Vec::new();
    for dir in listing::folders() {
        for file in files::with_extension(&dir, "rs") {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for anchor in book::anchors_in(&text) {
                if !used.contains(&(file.clone(), anchor.clone())) {
                    problems.push(format!(
                        "{}: `ANCHOR: {anchor}` is included by no page: include it, or remove it",
                        file.strip_prefix(book_checks::root())
                            .unwrap_or(&file)
                            .display()
                    ));
                }
            }
        }
    }
    assert_none(problems, "anchors nothing uses");
}

#[test]
fn copies_match_their_originals_word_for_word() {
    let listings = listing::all().expect("cannot list the listings");
    let mut problems = Vec::new();
    for l in &listings {
        for copy in &l.copies {
            let Some(original) = listings.iter().find(|o| o.name == copy.listing) else {
                problems.push(format!(
                    "{}: copy-of names no listing `{}`",
                    l.name, copy.listing
                ));
                continue;
            };
            let read = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_default();
            let ours = read(l.dir.join(&copy.file));
            let theirs = read(original.dir.join("src/main.rs"));
            for anchor in &copy.anchors {
                let part = |text: &str| book::Selection::Anchor(anchor.clone()).take(text);
                match (part(&ours), part(&theirs)) {
                    (Some(a), Some(b)) if a == b => {}
                    (Some(_), Some(_)) => problems.push(format!(
                        "{}: the `{anchor}` part differs from {}'s, which the book says it copies \
                         word for word",
                        l.name, original.name
                    )),
                    _ => problems.push(format!(
                        "{}/{} or {}/src/main.rs lacks `ANCHOR: {anchor}`",
                        l.name,
                        copy.file.display(),
                        original.name
                    )),
                }
            }
        }
    }
    assert_none(problems, "copies that drifted from their originals");
}

#[test]
fn no_page_uses_a_term_before_it_is_introduced() {
    let path = book::src_dir().join(glossary::PAGE);
    let text = std::fs::read_to_string(&path).expect("src/glossary.md exists");
    let terms = match glossary::parse(&text) {
        Ok(terms) => terms,
        Err(e) => return assert_none(vec![e], "a malformed glossary"),
    };
    assert!(
        terms.len() >= 12,
        "the glossary names {} terms",
        terms.len()
    );
    assert_none(
        glossary::check_order(&pages(), &terms),
        "ideas used before they are introduced",
    );
}

/// Stable rustdoc compiles a `compile_fail,E0XXX` doctest but ignores the code: any error
/// passes. So those snippets are tested again here by a rustdoc that checks the code.
/// `RUSTC_BOOTSTRAP=1` is what turns that check on; it is set for this one rustdoc process
/// only, which reads the snippets and builds nothing else.
#[test]
fn compile_fail_snippets_fail_with_their_error_code() {
    let snippets = std::fs::read_to_string(book_checks::COMPILE_FAIL_SNIPPETS)
        .expect("build.rs gathered the snippets");
    assert!(
        snippets.contains("compile_fail"),
        "no snippet names an error code"
    );
    let externs = doctest_externs();
    let out = tempfile::tempdir().expect("a scratch folder");
    let output =
        std::process::Command::new(std::env::var_os("RUSTDOC").unwrap_or_else(|| "rustdoc".into()))
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["--test", "--edition", "2024"])
            .arg(book_checks::COMPILE_FAIL_SNIPPETS)
            .args(externs)
            .arg("--out-dir")
            .arg(out.path())
            .output()
            .expect("rustdoc runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "compile_fail snippets whose error code is wrong:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `--extern` and `-L` arguments for the crates the book's snippets use, taken from the
/// build of this crate's tests.
fn doctest_externs() -> Vec<String> {
    let output = std::process::Command::new(book_checks::cargo::program())
        .current_dir(book_checks::root())
        .args([
            "test",
            "--no-run",
            "--package",
            "book-checks",
            "--message-format=json",
        ])
        .output()
        .expect("cargo runs");
    let mut args = Vec::new();
    for message in cargo_metadata::Message::parse_stream(&output.stdout[..]).flatten() {
        let cargo_metadata::Message::CompilerArtifact(artifact) = message else {
            continue;
        };
        if !["tokio", "futures"].contains(&artifact.target.name.as_str()) {
            continue;
        }
        for file in artifact
            .filenames
            .iter()
            .filter(|f| f.extension() == Some("rlib"))
        {
            args.push(format!("--extern={}={file}", artifact.target.name));
            args.push(format!(
                "-Ldependency={}",
                file.parent().expect("in a folder")
            ));
        }
    }
    assert_eq!(
        args.len(),
        4,
        "found tokio and futures among the built crates"
    );
    args
}

/// A reader who copies a listing into a project of their own needs its dependencies, with
/// their versions and features: each page shows the `[dependencies]` table of every listing
/// whose code it shows (one table serves listings whose tables are the same), included
/// from the manifest. A listing whose manifest names another listing by path needs that
/// one beside it, and its page says so.
#[test]
fn pages_show_the_dependencies_of_their_listings() {
    let listings = every_listing();
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
        let includes = book::includes(&page.path, &text);
        let tables: Vec<String> = includes
            .iter()
            .filter(|i| i.target.ends_with("Cargo.toml"))
            .filter(|i| i.selection == book::Selection::Anchor(DEPENDENCIES_ANCHOR.to_owned()))
            .filter_map(|i| i.included_text().ok())
            .collect();
        let shown: BTreeSet<String> = includes
            .iter()
            .filter(|i| i.target.components().any(|c| c.as_os_str() == "src"))
            .filter_map(|i| listing::owner_of(&i.target))
            .collect();
        // A listing shown beside one that needs it by path (the demo site beside an HTTP
        // listing) is covered by the sentence that says to copy it along.
        let companions: BTreeSet<&String> = listings
            .iter()
            .filter(|l| shown.contains(&l.name))
            .flat_map(|l| &l.companions)
            .collect();
        for l in listings.iter().filter(|l| shown.contains(&l.name)) {
            if let Some(table) = l.dependencies_table()
                && !companions.contains(&l.name)
                && !tables.contains(&table)
            {
                problems.push(page.problem(format!(
                    "shows {0} but not its dependencies: add a ```toml block with \
                     {{{{#include ../listings/{0}/Cargo.toml:{DEPENDENCIES_ANCHOR}}}}}",
                    l.name
                )));
            }
            for companion in &l.companions {
                let beside = format!("`listings/{companion}/` beside it");
                if !text.contains(&beside) {
                    problems.push(page.problem(format!(
                        "shows {}, whose manifest names {companion} by path, and does not say \
                         to copy {beside:?}",
                        l.name
                    )));
                }
            }
        }
    }
    assert_none(problems, "listings shown without what a copy of them needs");
}

/// Each listing names its own dependencies, so that its folder is a project of its own
/// (nothing inherited from the workspace), and all of them agree: one version requirement
/// per crate across the listings and the checks, which the lock satisfies. Test-only
/// features stay out of what a reader copies.
#[test]
fn listing_manifests_agree() {
    let metadata = cargo_metadata::MetadataCommand::new()
        .cargo_path(book_checks::cargo::program())
        .manifest_path(book_checks::root().join("Cargo.toml"))
        .exec()
        .expect("cargo metadata failed");
    let locked: BTreeMap<&str, Vec<&cargo_metadata::semver::Version>> = metadata
        .packages
        .iter()
        .filter(|p| p.source.is_some())
        .fold(BTreeMap::new(), |mut m, p| {
            m.entry(p.name.as_str()).or_default().push(&p.version);
            m
        });
    let mut problems = Vec::new();
    let mut requirements: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for package in metadata.workspace_packages() {
        let manifest = package.manifest_path.as_std_path();
        let in_listings = listing::owner_of(manifest).is_some();
        let raw = std::fs::read_to_string(manifest).unwrap_or_default();
        if in_listings && raw.contains("workspace = true") {
            problems.push(format!(
                "{}: inherits from the workspace (`workspace = true`), so a copy of the \
                 folder does not build",
                manifest.display()
            ));
        }
        for dep in package.dependencies.iter().filter(|d| d.source.is_some()) {
            requirements
                .entry(dep.name.clone())
                .or_default()
                .insert(dep.req.to_string());
            let versions = locked.get(dep.name.as_str()).map_or(&[][..], Vec::as_slice);
            if !versions.iter().any(|v| dep.req.matches(v)) {
                problems.push(format!(
                    "{}: {} {} matches no version in Cargo.lock ({versions:?})",
                    manifest.display(),
                    dep.name,
                    dep.req
                ));
            }
            if in_listings
                && dep.kind == cargo_metadata::DependencyKind::Normal
                && dep.features.iter().any(|f| f == "test-util")
            {
                problems.push(format!(
                    "{}: {} with `test-util` in [dependencies]; a test-only feature belongs \
                     in [dev-dependencies]",
                    manifest.display(),
                    dep.name
                ));
            }
        }
    }
    // The listings the workspace excludes are not in its metadata: their manifests are read
    // as written, and their requirements join the others'. A requirement written as the
    // workspace's listings write it is one the lock satisfies.
    for l in listing::compile_errors().expect("cannot list the compile-error listings") {
        let path = l.dir.join("Cargo.toml");
        let manifest: toml::Table = std::fs::read_to_string(&path)
            .expect("a listing has a manifest")
            .parse()
            .expect("a listing's manifest is TOML");
        for table in ["dependencies", "dev-dependencies"] {
            let deps = manifest.get(table).and_then(toml::Value::as_table);
            for (name, dep) in deps.into_iter().flatten() {
                let version = dep
                    .as_str()
                    .or_else(|| dep.get("version").and_then(toml::Value::as_str));
                match version {
                    Some(v) => {
                        let req = cargo_metadata::semver::VersionReq::parse(v)
                            .map_or_else(|_| v.to_owned(), |r| r.to_string());
                        requirements.entry(name.clone()).or_default().insert(req);
                    }
                    None => problems.push(format!(
                        "{}: {name} names no version, so a copy of the folder does not build",
                        path.display()
                    )),
                }
            }
        }
    }
    for (name, reqs) in requirements.iter().filter(|(_, reqs)| reqs.len() > 1) {
        problems.push(format!("{name} is required as {reqs:?}: pick one"));
    }
    assert_none(problems, "manifests that disagree");
}

/// A `cargo add` line in the prose is a manifest in another form, so it is held to the one it
/// stands for: it names a version (without one, cargo takes the newest, which may be a
/// major version ahead of the book, as sqlx 0.9 was), and the version and features that a
/// listing shown on the page asks for.
#[test]
fn cargo_add_lines_match_the_manifests() {
    let command = regex::Regex::new(
        r"cargo add (?P<dev>--dev )?(?P<name>[a-z][a-z0-9_-]*)(?:@(?P<version>[0-9.]+))?(?: --features (?P<features>[a-z0-9_,-]+))?",
    )
    .expect("valid regex");
    let listings = listing::all().expect("cannot list the listings");
    let mut problems = Vec::new();
    for (page, text) in readable_pages() {
        let shown: BTreeSet<String> = book::includes(&page.path, &text)
            .iter()
            .filter_map(|i| listing::owner_of(&i.target))
            .collect();
        for add in command.captures_iter(&text) {
            let (name, line) = (&add["name"], &add[0]);
            let table = if add.name("dev").is_some() {
                "dev-dependencies"
            } else {
                "dependencies"
            };
            let Some(version) = add.name("version").map(|v| v.as_str()) else {
                problems.push(page.problem(format!("`{line}` names no version")));
                continue;
            };
            let mut features: Vec<&str> = add
                .name("features")
                .map_or(vec![], |f| f.as_str().split(',').collect());
            features.sort_unstable();
            let asked = listings
                .iter()
                .filter(|l| shown.contains(&l.name))
                .filter_map(|l| manifest_dependency(l, table, name))
                .any(|(v, f)| {
                    v.strip_prefix(version)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                        && f == features
                });
            if !asked {
                problems.push(page.problem(format!(
                    "`{line}`: no listing on the page asks for {name} at {version} with exactly \
                     those features"
                )));
            }
        }
    }
    assert_none(
        problems,
        "`cargo add` lines that disagree with the manifests",
    );
}

/// A listing's dependency on `name` in `table` (`dependencies` or `dev-dependencies`): its
/// version requirement and sorted features.
fn manifest_dependency(
    l: &listing::Listing,
    table: &str,
    name: &str,
) -> Option<(String, Vec<String>)> {
    let manifest: toml::Table = std::fs::read_to_string(l.dir.join("Cargo.toml"))
        .ok()?
        .parse()
        .ok()?;
    match manifest.get(table)?.get(name)? {
        toml::Value::String(version) => Some((version.clone(), vec![])),
        toml::Value::Table(table) => {
            let mut features: Vec<String> = table
                .get("features")
                .and_then(toml::Value::as_array)
                .map_or(vec![], |a| {
                    a.iter()
                        .filter_map(|f| f.as_str().map(str::to_owned))
                        .collect()
                });
            features.sort_unstable();
            Some((table.get("version")?.as_str()?.to_owned(), features))
        }
        _ => None,
    }
}
