//! The book model: its pages in `SUMMARY.md` order, and what each page's Markdown holds:
//! `{{#include}}` directives, links to other pages, fenced code blocks and prose. SUMMARY is
//! read by mdBook's own parser, pages through pulldown-cmark, and includes exactly as
//! mdBook's `links` preprocessor reads them.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use regex::Regex;

#[cfg(test)]
mod tests;

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

    /// A problem found on this page, named after the page so a report can be acted on.
    pub fn problem(&self, what: impl std::fmt::Display) -> String {
        format!("{}: {what}", self.rel.display())
    }

    /// Where mdBook writes this page, relative to the output folder.
    pub fn html_rel(&self) -> PathBuf {
        self.rel.with_extension("html")
    }
}

/// Every page `SUMMARY.md` links to, in reading order.
pub fn pages() -> Result<Vec<Page>, String> {
    let summary_path = src_dir().join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .map_err(|e| format!("cannot read {}: {e}", summary_path.display()))?;
    pages_in_summary(&summary)
}

/// The pages a `SUMMARY.md` lists, in order, as mdBook reads them.
pub fn pages_in_summary(summary: &str) -> Result<Vec<Page>, String> {
    use mdbook_summary::SummaryItem;
    fn walk(items: &[SummaryItem], depth: usize, out: &mut Vec<Page>) {
        for item in items {
            if let SummaryItem::Link(link) = item {
                if let Some(rel) = &link.location {
                    out.push(Page {
                        path: src_dir().join(rel),
                        rel: rel.clone(),
                        nested: depth > 0,
                    });
                }
                walk(&link.nested_items, depth + 1, out);
            }
        }
    }
    let summary =
        mdbook_summary::parse_summary(summary).map_err(|e| format!("SUMMARY.md: {e:#}"))?;
    let mut pages = Vec::new();
    walk(&summary.prefix_chapters, 0, &mut pages);
    walk(&summary.numbered_chapters, 0, &mut pages);
    walk(&summary.suffix_chapters, 0, &mut pages);
    Ok(pages)
}

/// Every Markdown file under `src/` except `SUMMARY.md`, relative to `src/`.
pub fn markdown_files() -> Vec<PathBuf> {
    crate::files::with_extension(&src_dir(), "md")
        .into_iter()
        .filter_map(|p| p.strip_prefix(src_dir()).ok().map(Path::to_path_buf))
        .filter(|p| p != Path::new("SUMMARY.md"))
        .collect()
}

/// A link from one page to another, resolved against the linking page's folder.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    pub target: PathBuf,
    pub anchor: Option<String>,
}

/// Every link to another Markdown page in a page's text: `[text](page.md)` or
/// `[text](page.md#anchor)`, but not a web address.
pub fn page_links(page_path: &Path, text: &str) -> Vec<PageLink> {
    let dir = page_path.parent().unwrap_or(Path::new("."));
    Parser::new(text)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.into_string()),
            _ => None,
        })
        .filter(|url| !url.contains("://") && !url.starts_with("mailto:"))
        .filter_map(|url| {
            let (file, anchor) = match url.split_once('#') {
                Some((file, anchor)) => (file.to_owned(), Some(anchor.to_owned())),
                None => (url, None),
            };
            file.ends_with(".md").then(|| PageLink {
                target: normalize(&dir.join(file)),
                anchor,
            })
        })
        .collect()
}

/// A fenced code block: its info string (`rust,noplayground`, `text`, …) and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    pub info: String,
    pub body: String,
}

impl CodeBlock {
    /// The words of the info string: `rust,no_run` gives `rust` and `no_run`.
    pub fn attributes(&self) -> impl Iterator<Item = &str> {
        self.info
            .split([',', ' '])
            .map(str::trim)
            .filter(|a| !a.is_empty())
    }
}

/// Every fenced code block of a page, in order.
pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<CodeBlock> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(CodeBlock {
                    info: info.into_string(),
                    body: String::new(),
                });
            }
            Event::Text(body) => {
                if let Some(block) = &mut open {
                    block.body.push_str(&body);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// The prose of a page, one piece per paragraph, heading, list item or table cell: its
/// text and inline code, without code blocks or HTML, with link targets left out.
pub fn prose(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut in_code_block = false;
    for event in Parser::new_ext(text, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) | Event::Code(t) if !in_code_block => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => {
                if !current.trim().is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        pieces.push(current);
    }
    pieces
}

/// What an include directive takes from its file.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// Lines `start..end`, counted from 0, as mdBook's `file:2:5` means lines 2 to 5.
    Lines { start: usize, end: Option<usize> },
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

impl Selection {
    /// Reads what follows the path, as mdBook does: `2` is line 2 alone, `2:` line 2 to the
    /// end, `:5` lines 1 to 5, `2:5` lines 2 to 5, and a word is an anchor.
    pub fn parse(spec: Option<&str>) -> Selection {
        let mut parts = spec.unwrap_or("").splitn(3, ':');
        let first = parts.next();
        let start = match first {
            Some(n) if n.parse::<usize>().is_ok() => Some(n.parse::<usize>().unwrap_or(1)),
            None | Some("") => None,
            Some(anchor) => return Selection::Anchor(anchor.to_owned()),
        };
        let end = parts.next().map(str::parse::<usize>);
        match (start, end) {
            (Some(s), Some(Ok(e))) => Selection::Lines {
                start: s.saturating_sub(1),
                end: Some(e),
            },
            (Some(s), Some(Err(_))) => Selection::Lines {
                start: s.saturating_sub(1),
                end: None,
            },
            (Some(s), None) => Selection::Lines {
                start: s.saturating_sub(1),
                end: Some(s.max(1)),
            },
            (None, Some(Ok(e))) => Selection::Lines {
                start: 0,
                end: Some(e),
            },
            (None, None | Some(Err(_))) => Selection::Lines {
                start: 0,
                end: None,
            },
        }
    }

    /// The lines this takes from `file`, as the page shows them: mdBook keeps a range
    /// as it is, and drops the marker lines inside an anchored part.
    pub fn take(&self, file: &str) -> Option<String> {
        match self {
            Selection::Lines { start, end } => {
                let lines = file.lines().skip(*start);
                let taken: Vec<&str> = match end {
                    Some(end) => lines.take(end.saturating_sub(*start)).collect(),
                    None => lines.collect(),
                };
                Some(taken.join("\n"))
            }
            Selection::Anchor(name) => {
                let mut lines = file.lines();
                lines
                    .by_ref()
                    .find(|l| anchor_name(&ANCHOR_START, l) == Some(name))?;
                let taken: Vec<&str> = lines
                    .take_while(|l| anchor_name(&ANCHOR_END, l) != Some(name))
                    .filter(|l| !ANCHOR_START.is_match(l) && !ANCHOR_END.is_match(l))
                    .collect();
                Some(taken.join("\n"))
            }
        }
    }
}

/// mdBook's anchor markers, as its `take_lines` reads them.
pub static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*(?P<name>[\w_-]+)").expect("valid regex"));
pub static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*(?P<name>[\w_-]+)").expect("valid regex"));

fn anchor_name<'a>(marker: &Regex, line: &'a str) -> Option<&'a str> {
    Some(marker.captures(line)?.name("name")?.as_str())
}

/// Every anchor a file declares, in order.
pub fn anchors_in(file: &str) -> Vec<String> {
    file.lines()
        .filter(|l| !ANCHOR_END.is_match(l))
        .filter_map(|l| anchor_name(&ANCHOR_START, l).map(str::to_owned))
        .collect()
}

/// mdBook's directive syntax, from its `links` preprocessor: an escaped `\{{#…}}`, or
/// `{{#type target properties}}`.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").expect("valid regex")
});

/// One `{{#include …}}`, `{{#rustdoc_include …}}` or `{{#playground …}}` in a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    /// The directive as written.
    pub directive: String,
    /// `include`, `rustdoc_include` or `playground`.
    pub kind: String,
    /// The file it names, resolved against the page's folder.
    pub target: PathBuf,
    pub selection: Selection,
}

impl Include {
    /// The lines the page shows.
    pub fn included_text(&self) -> Result<String, String> {
        let file = std::fs::read_to_string(&self.target).map_err(|e| {
            format!(
                "{}: cannot read {}: {e}",
                self.directive,
                self.target.display()
            )
        })?;
        self.selection.take(&file).ok_or_else(|| {
            format!(
                "{}: {} has no `ANCHOR: {}`",
                self.directive,
                self.target.display(),
                match &self.selection {
                    Selection::Anchor(name) => name.as_str(),
                    Selection::Lines { .. } => "",
                }
            )
        })
    }
}

/// Every include directive in a page's text.
pub fn includes(page_path: &Path, text: &str) -> Vec<Include> {
    let dir = page_path.parent().unwrap_or(Path::new("."));
    DIRECTIVE
        .captures_iter(text)
        .filter_map(|c| {
            let kind = c.get(1)?.as_str();
            if !matches!(kind, "include" | "rustdoc_include" | "playground") {
                return None;
            }
            let target = c.get(2)?.as_str().split_whitespace().next()?;
            let (file, spec) = match target.split_once(':') {
                Some((file, spec)) => (file, Some(spec)),
                None => (target, None),
            };
            let selection = if kind == "playground" {
                Selection::parse(None)
            } else {
                Selection::parse(spec)
            };
            Some(Include {
                directive: c[0].to_owned(),
                kind: kind.to_owned(),
                target: normalize(&dir.join(file)),
                selection,
            })
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
