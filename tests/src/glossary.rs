//! The glossary (`src/glossary.md`) and the order of ideas it holds the book to.
//!
//! Each entry is a `##` heading that names a term, an optional paragraph `Also: form,
//! form.` listing the other ways the pages write it, and a definition whose first link is
//! the page that introduces the term. A page that comes before that one in `SUMMARY.md`
//! and uses the term in its prose must link to the introducing page (or to the glossary).

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use regex::Regex;

use crate::book::{self, Page};

/// The glossary page, relative to `src/`.
pub const PAGE: &str = "glossary.md";

#[derive(Debug, Clone)]
pub struct Term {
    /// The heading, such as `poll` or `Pin`.
    pub name: String,
    /// The heading's anchor on the glossary page, as mdBook makes it.
    pub anchor: String,
    /// Every way the term is written, the name first.
    pub forms: Vec<String>,
    /// The page that introduces it, relative to `src/`.
    pub introduced_in: PathBuf,
}

impl Term {
    /// A pattern that finds any form of the term as a whole word. A form with a capital
    /// letter is matched as written (`Send`, not `send`); others in any case.
    pub fn pattern(&self) -> Regex {
        let alternatives: Vec<String> = self
            .forms
            .iter()
            .map(|form| {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                let before = if word(form.chars().next()) { r"\b" } else { "" };
                let after = if word(form.chars().last()) { r"\b" } else { "" };
                let case = if form.chars().any(char::is_uppercase) {
                    ""
                } else {
                    "(?i)"
                };
                format!("(?:{case}{before}{}{after})", regex::escape(form))
            })
            .collect();
        Regex::new(&alternatives.join("|")).expect("escaped forms make a valid pattern")
    }
}

/// Reads the glossary's entries from its Markdown.
pub fn parse(text: &str) -> Result<Vec<Term>, String> {
    let mut terms: Vec<Term> = Vec::new();
    let mut heading: Option<String> = None;
    let mut paragraph: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                let name = heading.take().unwrap_or_default().trim().to_owned();
                terms.push(Term {
                    anchor: anchor_of(&name),
                    forms: vec![name.clone()],
                    name,
                    introduced_in: PathBuf::new(),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                } else if let Some(p) = &mut paragraph {
                    p.push_str(&t);
                }
            }
            Event::Start(Tag::Paragraph) => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                let text = paragraph.take().unwrap_or_default();
                if let (Some(term), Some(forms)) = (terms.last_mut(), text.strip_prefix("Also:")) {
                    term.forms.extend(
                        forms
                            .trim_end_matches('.')
                            .split(',')
                            .map(|f| f.trim().to_owned())
                            .filter(|f| !f.is_empty()),
                    );
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(term) = terms
                    .last_mut()
                    .filter(|t| t.introduced_in.as_os_str().is_empty())
                {
                    let file = dest_url.split('#').next().unwrap_or_default();
                    term.introduced_in = PathBuf::from(file);
                }
            }
            _ => {}
        }
    }
    match terms
        .iter()
        .find(|t| t.introduced_in.as_os_str().is_empty())
    {
        Some(t) => Err(format!(
            "{PAGE}: the entry `{}` links to no page that introduces it",
            t.name
        )),
        None => Ok(terms),
    }
}

/// The anchor mdBook gives a heading: lower case, spaces as dashes, other punctuation
/// dropped.
pub fn anchor_of(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            _ => None,
        })
        .collect()
}

/// Every use of a term, on a page before the one that introduces it, that does not link
/// ahead. Also reports an entry whose introducing page is not in the book, or does not use
/// the term at all.
pub fn check_order(pages: &[Page], terms: &[Term]) -> Vec<String> {
    let texts: Vec<String> = pages.iter().map(|p| p.text().unwrap_or_default()).collect();
    let mut problems = Vec::new();
    for term in terms {
        let pattern = term.pattern();
        let Some(intro) = pages.iter().position(|p| p.rel == term.introduced_in) else {
            problems.push(format!(
                "{PAGE}: `{}` is introduced in {}, which is not in SUMMARY.md",
                term.name,
                term.introduced_in.display()
            ));
            continue;
        };
        if !book::prose(&texts[intro])
            .iter()
            .any(|p| pattern.is_match(p))
        {
            problems.push(format!(
                "{PAGE}: `{}` is said to be introduced in {}, which never uses it",
                term.name,
                term.introduced_in.display()
            ));
        }
        for (page, text) in pages[..intro].iter().zip(&texts) {
            if page.rel == Path::new(PAGE) || links_ahead(page, text, term) {
                continue;
            }
            if let Some(piece) = book::prose(text).into_iter().find(|p| pattern.is_match(p)) {
                let at = pattern.find(&piece).expect("it matched").start();
                let excerpt: String = piece[piece[..at]
                    .char_indices()
                    .rev()
                    .nth(30)
                    .map_or(0, |(i, _)| i)..]
                    .chars()
                    .take(80)
                    .collect();
                problems.push(format!(
                    "{} uses `{}` (\"…{}…\") before {} introduces it: link there, or say it \
                     another way",
                    page.rel.display(),
                    term.name,
                    excerpt.trim(),
                    term.introduced_in.display()
                ));
            }
        }
    }
    problems
}

/// Whether a page links to the page that introduces `term`, or to its glossary entry.
fn links_ahead(page: &Page, text: &str, term: &Term) -> bool {
    let intro = book::src_dir().join(&term.introduced_in);
    let glossary = book::src_dir().join(PAGE);
    book::page_links(&page.path, text).iter().any(|link| {
        link.target == intro
            || (link.target == glossary && link.anchor.as_deref() == Some(&term.anchor))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLOSSARY: &str = "# Glossary\n\n## poll\n\nAlso: polls, polled, polling.\n\n\
        Asking a future to make progress. See [How it works](how-await-works.md#poll).\n\n\
        ## `Pin`\n\nA pointer that promises ([more](under-the-hood.md)). First in \
        [How it works](how-await-works.md).\n";

    #[test]
    fn entries_have_their_forms_and_introducing_page() {
        let terms = parse(GLOSSARY).unwrap();
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[0].forms, ["poll", "polls", "polled", "polling"]);
        assert_eq!(terms[0].introduced_in, Path::new("how-await-works.md"));
        assert_eq!(terms[1].name, "Pin");
        assert_eq!(terms[1].anchor, "pin");
        assert_eq!(terms[1].introduced_in, Path::new("under-the-hood.md"));
    }

    #[test]
    fn an_entry_without_a_link_is_an_error() {
        assert!(parse("## task\n\nA unit of work.\n").is_err());
    }

    #[test]
    fn forms_match_whole_words_and_capitals_as_written() {
        let terms = parse(GLOSSARY).unwrap();
        let poll = terms[0].pattern();
        assert!(poll.is_match("the runtime polls it"));
        assert!(poll.is_match("Poll::Pending"));
        assert!(!poll.is_match("a pollster"));
        let pin = terms[1].pattern();
        assert!(pin.is_match("a `Pin<&mut Self>`"));
        assert!(!pin.is_match("pin the version"));
    }

    #[test]
    fn forms_with_punctuation_match() {
        let term = Term {
            name: "join!".into(),
            anchor: "join".into(),
            forms: vec!["join!".into(), ".await".into()],
            introduced_in: PathBuf::from("print-async.md"),
        };
        let pattern = term.pattern();
        assert!(pattern.is_match("tokio::join!(a, b)"));
        assert!(pattern.is_match("x.await"));
        assert!(!pattern.is_match("join_all"));
    }
}
