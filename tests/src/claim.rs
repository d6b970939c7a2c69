//! Timing claims: the bold durations in the prose, each tied to an event in a recording.
//!
//! ```text
//! The run takes **2 s**<!-- timing: print-async end -->, and `Second` comes
//! after **1 s**<!-- timing: print-async "Second" -->.
//! ```
//!
//! A claim holds at its own precision: `**0.59 s**` says the event happened at 0.59 s give
//! or take half a hundredth, and `**2 s**` at 2 s give or take half a second. Against its
//! recording a claim gets [`RECORDED_SLACK`] beyond that, so a re-bless does not churn it;
//! against a fresh run it gets the transcript check's [`TOLERANCE`] instead.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::settings::{RECORDED_SLACK, TOLERANCE};
use crate::transcript::Transcript;

static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\*\*(\d+(?:\.\d+)?) s\*\*<!-- timing: ([a-z0-9-]+) (end|"[^"]+") -->"#)
        .expect("valid regex")
});

/// A bold duration such as `**2 s**`: in this book, always a timing claim.
static BOLD_DURATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*\d+(?:\.\d+)? ?m?s\*\*").expect("valid regex"));

/// What a timing claim times.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The moment the program exits.
    End,
    /// The first line that starts with this text.
    Line(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub page: PathBuf,
    /// The figure as written, such as `0.59`.
    pub figure: String,
    pub listing: String,
    pub event: Event,
}

/// Which run a claim is held to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Against {
    /// `timing.txt`: the figure must be the recording, rounded.
    Recording,
    /// A fresh run, which may drift by the transcript check's tolerance.
    FreshRun,
}

impl Claim {
    pub fn secs(&self) -> f64 {
        self.figure.parse().expect("the pattern matched a number")
    }

    /// Half the figure's last digit: 0.005 for `0.59`, 0.5 for `2`.
    pub fn half_unit(&self) -> f64 {
        let decimals = self.figure.split_once('.').map_or(0, |(_, d)| d.len());
        0.5 * 10f64.powi(-(decimals as i32))
    }

    /// Checks the claim against a transcript.
    pub fn check(&self, transcript: &Transcript, against: Against) -> Result<(), String> {
        let (what, at) = match &self.event {
            Event::End => ("the run ends".to_owned(), Some(transcript.end)),
            Event::Line(prefix) => (format!("`{prefix}` appears"), transcript.time_of(prefix)),
        };
        let at = at.ok_or_else(|| {
            format!(
                "{}: claims {what} at {} s, but {} prints no such line",
                self.page.display(),
                self.figure,
                self.listing
            )
        })?;
        let slack = match against {
            Against::Recording => RECORDED_SLACK,
            Against::FreshRun => TOLERANCE,
        };
        if (at - self.secs()).abs() > self.half_unit() + slack + 1e-9 {
            return Err(format!(
                "{}: claims {what} at {} s in {}, but it happens at {at:.3} s{}",
                self.page.display(),
                self.figure,
                self.listing,
                match against {
                    Against::Recording => " in its recording: say the recorded figure, rounded",
                    Against::FreshRun => " in a fresh run",
                }
            ));
        }
        Ok(())
    }
}

/// The timing claims in a page. A `<!-- timing` comment that is not in the claim form is an
/// error, so a typo cannot silently turn a claim into an unchecked remark.
pub fn in_page(page: &Path, text: &str) -> Result<Vec<Claim>, String> {
    let claims: Vec<Claim> = CLAIM
        .captures_iter(text)
        .map(|c| Claim {
            page: page.to_path_buf(),
            figure: c[1].to_owned(),
            listing: c[2].to_owned(),
            event: match &c[3] {
                "end" => Event::End,
                quoted => Event::Line(quoted.trim_matches('"').to_owned()),
            },
        })
        .collect();
    // Every bold duration is a claim, and every timing comment too: so a misspelt comment,
    // or a figure whose comment was forgotten, cannot go unchecked.
    let comments = text.matches("<!-- timing").count();
    let bold_durations = BOLD_DURATION.find_iter(text).count();
    if comments != claims.len() || bold_durations != claims.len() {
        return Err(format!(
            "{}: {comments} timing comments and {bold_durations} bold durations, but {} timing \
             claims; write each as **N s**<!-- timing: LISTING end --> or \
             **N s**<!-- timing: LISTING \"LINE\" -->",
            page.display(),
            claims.len()
        ));
    }
    Ok(claims)
}

/// Every timing claim in the book, across the pages in `SUMMARY.md`. A missing page has no
/// claims here; `every_summary_page_exists` reports it.
pub fn all() -> Result<Vec<Claim>, String> {
    let mut all = Vec::new();
    for page in crate::book::pages()?
        .into_iter()
        .filter(|p| p.path.is_file())
    {
        all.extend(in_page(&page.rel, &page.text()?)?);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::transcript;

    fn claim(text: &str) -> Claim {
        in_page(Path::new("page.md"), text).unwrap().remove(0)
    }

    #[test]
    fn a_claim_holds_at_its_own_precision() {
        let run = transcript(&[(0.593, "Page 1")], 2.006);
        let end = |figure: &str| claim(&format!("**{figure} s**<!-- timing: x end -->"));
        assert!(end("2").check(&run, Against::Recording).is_ok());
        assert!(end("2.0").check(&run, Against::Recording).is_ok());
        assert!(end("2.01").check(&run, Against::Recording).is_ok());
        assert!(end("2.1").check(&run, Against::Recording).is_err());
        let page = |figure: &str| claim(&format!("**{figure} s**<!-- timing: x \"Page 1\" -->"));
        assert!(page("0.55").check(&run, Against::Recording).is_err());
        assert!(page("0.59").check(&run, Against::Recording).is_ok());
        assert!(page("0.6").check(&run, Against::Recording).is_ok());
    }

    #[test]
    fn a_fresh_run_may_drift_by_the_tolerance() {
        let fresh = transcript(&[(0.70, "Page 1")], 0.70);
        let c = claim("**0.59 s**<!-- timing: x \"Page 1\" -->");
        assert!(c.check(&fresh, Against::FreshRun).is_ok());
        assert!(c.check(&fresh, Against::Recording).is_err());
        let late = transcript(&[(0.80, "Page 1")], 0.80);
        assert!(c.check(&late, Against::FreshRun).is_err());
    }

    #[test]
    fn a_bold_duration_without_its_comment_is_an_error() {
        assert!(in_page(Path::new("p.md"), "takes **2 s** in all").is_err());
        assert!(in_page(Path::new("p.md"), "**2 s**<!-- timing: x ned -->").is_err());
    }

    #[test]
    fn a_claim_on_a_missing_line_is_an_error() {
        let run = transcript(&[(1.0, "A")], 1.0);
        let c = claim("**1 s**<!-- timing: x \"B\" -->");
        assert!(
            c.check(&run, Against::Recording)
                .unwrap_err()
                .contains("no such line")
        );
    }
}
