//! Reading the book's sources: the pages in `SUMMARY.md`, their `{{#include}}`s, their
//! inline snippets and their timing claims.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// `{{#include path}}`, `{{#include path:anchor}}`, `{{#rustdoc_include path:3:9}}`, … but
/// not the escaped `\{{#include …}}`.
static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|[^\\])\{\{#(include|rustdoc_include|playground)\s+([^\s}]+)[^}]*\}\}")
        .expect("valid regex")
});

/// A timing claim: a bold duration, directly followed by a comment naming the listing and
/// the event it times, either the end of the run or the first line starting with a text:
///
/// ```text
/// The run takes **2 s**<!-- timing: print-async end -->, and `Second` comes
/// after **1 s**<!-- timing: print-async "Second" -->.
/// ```
static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\*\*(\d+(?:\.\d+)?) s\*\*<!-- timing: ([a-z0-9-]+) (end|"[^"]+") -->"#)
        .expect("valid regex")
});

/// A bold duration such as `**2 s**`: in this book, always a timing claim.
static BOLD_DURATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*\d+(?:\.\d+)? ?m?s\*\*").expect("valid regex"));

/// A link to another page of the book: `[text](page.md)` or `[text](page.md#anchor)`.
static PAGE_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(([^)\s:#]+\.md)(?:#([^)\s]+))?\)").expect("valid regex"));

static SUMMARY_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(([^)\s]+\.md)\)").expect("valid regex"));

pub fn src_dir() -> PathBuf {
    crate::root().join("src")
}

/// A page of the book, as listed in `SUMMARY.md`.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to `src/`, for example `print-async.md`.
    pub rel: PathBuf,
    pub path: PathBuf,
    /// Listed under a chapter in `SUMMARY.md`: a page of its own slide or topic, as opposed
    /// to the introduction or a chapter's opening page.
    pub nested: bool,
}

impl Page {
    pub fn text(&self) -> Result<String, String> {
        std::fs::read_to_string(&self.path)
            .map_err(|e| format!("cannot read page {}: {e}", self.path.display()))
    }

    /// Where mdBook writes this page, relative to the output folder.
    pub fn html_rel(&self) -> PathBuf {
        self.rel.with_extension("html")
    }
}

/// Every page `SUMMARY.md` links to, in order.
pub fn pages() -> Result<Vec<Page>, String> {
    let summary_path = src_dir().join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .map_err(|e| format!("cannot read {}: {e}", summary_path.display()))?;
    Ok(summary
        .lines()
        .filter_map(|line| {
            let c = SUMMARY_LINK.captures(line)?;
            let rel = PathBuf::from(&c[1]);
            Some(Page {
                path: src_dir().join(&rel),
                nested: line.starts_with(char::is_whitespace),
                rel,
            })
        })
        .collect())
}

/// Every Markdown file under `src/` except `SUMMARY.md`, relative to `src/`.
pub fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src_dir(), &mut files);
    let mut rel: Vec<PathBuf> = files
        .into_iter()
        .filter_map(|p| p.strip_prefix(src_dir()).ok().map(Path::to_path_buf))
        .filter(|p| p != Path::new("SUMMARY.md"))
        .collect();
    rel.sort();
    rel
}

/// A link from one page to another, resolved against the linking page's folder.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub target: PathBuf,
    pub anchor: Option<String>,
}

/// Every link to another Markdown page in a page's text.
pub fn page_links(page_path: &Path, text: &str) -> Vec<PageLink> {
    let dir = page_path.parent().unwrap_or(Path::new("."));
    PAGE_LINK
        .captures_iter(text)
        .map(|c| PageLink {
            target: normalize(&dir.join(&c[1])),
            anchor: c.get(2).map(|a| a.as_str().to_owned()),
        })
        .collect()
}

/// One `{{#include …}}` directive in a page.
#[derive(Debug, Clone)]
pub struct Include {
    /// The directive as written.
    pub directive: String,
    /// The file it names, resolved against the page's folder.
    pub target: PathBuf,
    /// What follows the path: an anchor name, or a line range.
    pub selector: Option<String>,
}

impl Include {
    /// The lines mdBook puts on the page: the whole file, an anchored part or a line range,
    /// always without the `ANCHOR` marker lines.
    pub fn included_text(&self) -> Result<String, String> {
        let file = std::fs::read_to_string(&self.target).map_err(|e| {
            format!(
                "{}: cannot read {}: {e}",
                self.directive,
                self.target.display()
            )
        })?;
        let lines: Vec<&str> = file.lines().collect();
        let selected: Vec<&str> = match self.selector.as_deref() {
            None => lines,
            Some(sel)
                if sel
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == ':') =>
            {
                let mut bounds = sel.splitn(2, ':');
                let parse = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::parse::<usize>);
                let start = parse(bounds.next())
                    .transpose()
                    .map_err(|e| e.to_string())?;
                let end = parse(bounds.next())
                    .transpose()
                    .map_err(|e| e.to_string())?;
                let from = start.unwrap_or(1).saturating_sub(1);
                let to = end.unwrap_or(lines.len()).min(lines.len());
                lines.get(from..to).unwrap_or(&[]).to_vec()
            }
            Some(anchor) => {
                let begin = lines
                    .iter()
                    .position(|l| marker(l, "ANCHOR:") == Some(anchor))
                    .ok_or_else(|| {
                        format!(
                            "{}: {} has no `ANCHOR: {anchor}`",
                            self.directive,
                            self.target.display()
                        )
                    })?;
                let len = lines[begin + 1..]
                    .iter()
                    .position(|l| marker(l, "ANCHOR_END:") == Some(anchor))
                    .ok_or_else(|| {
                        format!(
                            "{}: {} has no `ANCHOR_END: {anchor}`",
                            self.directive,
                            self.target.display()
                        )
                    })?;
                lines[begin + 1..begin + 1 + len].to_vec()
            }
        };
        Ok(selected
            .into_iter()
            .filter(|l| marker(l, "ANCHOR:").is_none() && marker(l, "ANCHOR_END:").is_none())
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// The anchor name in a line such as `// ANCHOR: main`.
fn marker<'a>(line: &'a str, kind: &str) -> Option<&'a str> {
    let (_, rest) = line.split_once(kind)?;
    let name = rest.split_whitespace().next()?;
    Some(name)
}

/// Every include directive in a page's text.
pub fn includes(page_path: &Path, text: &str) -> Vec<Include> {
    let dir = page_path.parent().unwrap_or(Path::new("."));
    INCLUDE
        .captures_iter(text)
        .map(|c| {
            let spec = &c[3];
            let (file, selector) = match spec.split_once(':') {
                Some((file, sel)) => (file, Some(sel.to_owned())),
                None => (spec, None),
            };
            Include {
                directive: c[0].trim_start_matches(|ch| ch != '{').to_owned(),
                target: normalize(&dir.join(file)),
                selector,
            }
        })
        .collect()
}

/// Removes `.` and `..` without touching the file system, so a missing file still gets a
/// readable path.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// What a timing claim times.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The moment the program exits.
    End,
    /// The first line that starts with this text.
    Line(String),
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub page: PathBuf,
    pub secs: f64,
    pub listing: String,
    pub event: Event,
}

impl Claim {
    /// Checks the claim against a transcript, recorded or fresh.
    pub fn check(&self, transcript: &crate::transcript::Transcript) -> Result<(), String> {
        let (what, at) = match &self.event {
            Event::End => ("the run ends".to_owned(), Some(transcript.end)),
            Event::Line(prefix) => (format!("`{prefix}` appears"), transcript.time_of(prefix)),
        };
        let at = at.ok_or_else(|| {
            format!(
                "{}: claims {what} at {} s, but {} prints no such line",
                self.page.display(),
                self.secs,
                self.listing
            )
        })?;
        if (at - self.secs).abs() > crate::transcript::TOLERANCE {
            return Err(format!(
                "{}: claims {what} at {} s in {}, but it happens at {at:.3} s",
                self.page.display(),
                self.secs,
                self.listing
            ));
        }
        Ok(())
    }
}

/// The timing claims in a page. A `<!-- timing` comment that is not in the claim form is an
/// error, so a typo cannot silently turn a claim into an unchecked remark.
pub fn claims(page: &Path, text: &str) -> Result<Vec<Claim>, String> {
    let claims: Vec<Claim> = CLAIM
        .captures_iter(text)
        .map(|c| Claim {
            page: page.to_path_buf(),
            secs: c[1].parse().expect("the regex matched a number"),
            listing: c[2].to_owned(),
            event: match &c[3] {
                "end" => Event::End,
                quoted => Event::Line(quoted.trim_matches('"').to_owned()),
            },
        })
        .collect();
    // Pages use HTML comments for claims only, and every bold duration is a claim: so a
    // misspelt comment, or a figure whose comment was forgotten, cannot go unchecked.
    let comments = text.matches("<!--").count();
    let bold_durations = BOLD_DURATION.find_iter(text).count();
    if comments != claims.len() || bold_durations != claims.len() {
        return Err(format!(
            "{}: {comments} comments and {bold_durations} bold durations, but {} timing claims; \
             write each as **N s**<!-- timing: LISTING end --> or **N s**<!-- timing: LISTING \"LINE\" -->",
            page.display(),
            claims.len()
        ));
    }
    Ok(claims)
}

/// Every timing claim in the book, across the pages in `SUMMARY.md`. A missing page has no
/// claims here; `every_summary_page_exists` reports it.
pub fn all_claims() -> Result<Vec<Claim>, String> {
    let mut all = Vec::new();
    for page in pages()?.into_iter().filter(|p| p.path.is_file()) {
        all.extend(claims(&page.rel, &page.text()?)?);
    }
    Ok(all)
}
