//! Prediction questions: a question before a transcript, whose answer the recording decides.
//!
//! ```text
//! > **Predict.**<!-- predict: print-async --> `say("First", 2)` and `say("Second", 1)`
//! > are joined. Which word comes first?
//! >
//! > - A. `First`<!-- quiz: "First" before "Second" -->
//! > - B. `Second`<!-- quiz: "Second" before "First" -->
//! >
//! > <details><summary>Answer</summary>
//! >
//! > **B.** `join!` waits for both at once, and the shorter wait ends first.
//! >
//! > </details>
//! ```
//!
//! The `predict:` comment names the listing whose recording answers the question, and that
//! recording is the first transcript the page shows after it. Each choice declares, after
//! `quiz:`, what must hold in that recording for the choice to be true: one clause, or several
//! joined by `and`. A `"…"` names the first line that starts with that text; a duration in it
//! must agree with the one the line prints, within the duration's precision and
//! [`RECORDED_SLACK`], as a timing claim's figure must ([`crate::claim`]).
//!
//! | clause | true when |
//! |---|---|
//! | `"A" before "B"` | line A comes before line B |
//! | `end under 2.5 s`, `"A" over 1 s` | the run ends, or A appears, before or after the figure |
//! | `end between 1.5 s and 2.5 s` | … between the two figures |
//! | `end about 2 s` | … at the figure, within its own precision, as a timing claim |
//! | `"Peak" under 20 MiB` (`over`, `between`) | the amount of memory line Peak prints |
//! | `2 lines before "A"` | exactly that many lines come before line A |
//! | `3 lines "A"` | exactly that many lines start with A |
//! | `"A" present`, `"A" absent` | some line starts with A, or none does |
//! | `exit code 1` | the run exits with that code |
//!
//! Anything else is an error, and so is a clause the recording cannot settle: a line that is
//! not there (except for `absent`, `present` and counts), a line whose printed duration
//! differs from the one in its name, `"A" before "A"`, or a figure so close to the recording
//! that a fresh run could land on its other side ([`QUIZ_MARGIN`]). An `absent` line, or a
//! count of 0, must be one that some recording in the book prints, so that a misspelling
//! cannot make it true. Every figure a choice declares must be in the choice's text, so that
//! what the reader sees says what is checked. A question holds when its answer is true and
//! every other choice false.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::settings::{QUIZ_MARGIN, RECORDED_SLACK};
use crate::transcript::{self, Transcript};

/// How a question opens, up to the listing's name.
const HEAD: &str = "**Predict.**<!-- predict: ";
/// The line that hides the answer until it is clicked.
const SUMMARY: &str = "<details><summary>Answer</summary>";
const DETAILS_END: &str = "</details>";
/// The letters of the choices, in order; a question has 2 to 4 of them.
const LETTERS: [char; 4] = ['A', 'B', 'C', 'D'];

static LISTING_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:-[a-z0-9]+)*$").expect("valid regex"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+(?:\.\d+)?$").expect("valid regex"));
static COUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+$").expect("valid regex"));
/// A figure in a choice's text, such as `2.5`, `20` or `2,250`.
static FIGURE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?").expect("valid regex")
});
/// Whole numbers spelt out, each at the place of its value.
const NUMBER_WORDS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];
static NUMBER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:none|once|twice|{})\b",
        NUMBER_WORDS.join("|")
    ))
    .expect("valid regex")
});

/// The forms a clause may take, for error messages.
const FORMS: &str = "\"LINE\" before \"LINE\"; end|\"LINE\" under|over|about N s; \
    end|\"LINE\" between N s and M s; \"LINE\" under|over N MiB; \"LINE\" between N MiB and M MiB; \
    N lines before \"LINE\"; N lines \"LINE\"; \"LINE\" present|absent; exit code N; \
    joined by `and`";

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub page: PathBuf,
    /// The line of the page that opens the question, counted from 1.
    pub line: usize,
    /// Where the question starts in the page's text, in bytes.
    pub offset: usize,
    /// The listing whose recording answers it.
    pub listing: String,
    pub choices: Vec<Choice>,
    /// The letter the answer gives.
    pub answer: char,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub letter: char,
    /// What the reader sees, with the list marker and the letter taken off.
    pub text: String,
    /// The declaration as written, after `quiz:`.
    pub declared: String,
    /// All of them must hold for the choice to be true.
    pub clauses: Vec<Clause>,
}

/// What a clause times: the end of the run, or the first line that starts with a text.
#[derive(Debug, Clone, PartialEq)]
pub enum Moment {
    End,
    Line(String),
}

/// A figure as written, such as `2.5`: its digits give its precision.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure(pub String);

impl Figure {
    pub fn value(&self) -> f64 {
        self.0.parse().expect("the parser took only numbers")
    }

    /// Half the figure's last digit: 0.05 for `2.5`, 0.5 for `2`.
    pub fn half_unit(&self) -> f64 {
        let decimals = self.0.split_once('.').map_or(0, |(_, d)| d.len());
        0.5 * 10f64.powi(-(decimals as i32))
    }
}

/// How a measured value is compared with figures.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Under(Figure),
    Over(Figure),
    Between(Figure, Figure),
    /// At the figure, within the figure's precision; seconds only.
    About(Figure),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    Before(String, String),
    Time(Moment, Test),
    Memory(String, Test),
    LinesBefore(usize, String),
    Lines(usize, String),
    Present(String),
    Absent(String),
    Exit(i32),
}

/// Whether a clause or a choice holds in a recording, and the facts that decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub holds: bool,
    pub facts: String,
}

impl Test {
    /// Compares `value` with the figures. A figure within `margin` of the value is an error:
    /// a fresh run could land on either side of it. `unit` is for the messages.
    fn holds(&self, value: f64, margin: f64, unit: &str) -> Result<bool, String> {
        let clear = |f: &Figure| {
            if (value - f.value()).abs() < margin {
                Err(format!(
                    "{} {unit} is within {margin:.2} {unit} of the recorded {value:.3} {unit}: \
                     a fresh run may land on either side of it, so choose a figure further away",
                    f.0
                ))
            } else {
                Ok(())
            }
        };
        match self {
            Test::Under(f) => clear(f).map(|()| value < f.value()),
            Test::Over(f) => clear(f).map(|()| value > f.value()),
            Test::Between(low, high) => {
                clear(low)?;
                clear(high)?;
                Ok(low.value() < value && value < high.value())
            }
            Test::About(f) => {
                let off = (value - f.value()).abs();
                if off <= f.half_unit() + RECORDED_SLACK + 1e-9 {
                    Ok(true)
                } else if off >= f.half_unit() + margin {
                    Ok(false)
                } else {
                    Err(format!(
                        "about {} {unit} is too close to call against the recorded {value:.3} \
                         {unit}: true within {:.3} {unit} of it, false from {:.3} {unit} away",
                        f.0,
                        f.half_unit() + RECORDED_SLACK,
                        f.half_unit() + margin
                    ))
                }
            }
        }
    }
}

/// The lines a `"…"` names, by their place in the transcript: those that start with its
/// text, where each duration the text holds agrees with the one the line prints there, within
/// the duration's precision and [`RECORDED_SLACK`]. An error if lines start so but print other
/// durations: a duration in a name is a claim about the line, and must not quietly pick
/// another line, or none.
fn named(recording: &Transcript, name: &str) -> Result<Vec<usize>, String> {
    let prefix = transcript::skeleton(name);
    let loose: Vec<usize> = (0..recording.lines.len())
        .filter(|&n| transcript::skeleton(&recording.lines[n].text).starts_with(&prefix))
        .collect();
    let wanted = transcript::durations_in(name);
    let agrees = |&n: &usize| {
        let printed = transcript::durations_in(&recording.lines[n].text);
        wanted.iter().zip(&printed).all(|((want, half_unit), got)| {
            (want - got.0).abs() <= half_unit + RECORDED_SLACK + 1e-9
        })
    };
    let strict: Vec<usize> = loose.iter().copied().filter(agrees).collect();
    if strict.is_empty() && !loose.is_empty() {
        let printed: Vec<String> = loose
            .iter()
            .take(3)
            .map(|&n| format!("`{}`", recording.lines[n].text))
            .collect();
        return Err(format!(
            "`{name}` names no line: the lines that start so print other durations ({}{}). A \
             duration in a name must agree with the line's own, within its precision and {:.0} \
             ms",
            printed.join(", "),
            if loose.len() > 3 { ", …" } else { "" },
            RECORDED_SLACK * 1000.0
        ));
    }
    Ok(strict)
}

/// The line a clause names, by its place in the transcript; an error if there is none.
fn find(recording: &Transcript, name: &str) -> Result<usize, String> {
    named(recording, name)?
        .first()
        .copied()
        .ok_or_else(|| format!("no line starts with `{name}`"))
}

impl Clause {
    /// Whether the clause holds in `recording`, or why the recording cannot settle it.
    pub fn judge(&self, recording: &Transcript) -> Result<Verdict, String> {
        let verdict = |holds: bool, facts: String| Ok(Verdict { holds, facts });
        match self {
            Clause::Before(a, b) => {
                let (pa, pb) = (find(recording, a)?, find(recording, b)?);
                if pa == pb {
                    return Err(format!(
                        "`{a}` and `{b}` name the same line, {}, so `before` can never hold",
                        pa + 1
                    ));
                }
                verdict(
                    pa < pb,
                    format!("`{a}` is line {}, `{b}` line {}", pa + 1, pb + 1),
                )
            }
            Clause::Time(moment, test) => {
                let (what, at) = match moment {
                    Moment::End => ("the run ends".to_owned(), recording.end),
                    Moment::Line(line) => (
                        format!("`{line}` appears"),
                        recording.lines[find(recording, line)?].at,
                    ),
                };
                let holds = test.holds(at, QUIZ_MARGIN, "s")?;
                verdict(holds, format!("{what} at {at:.3} s"))
            }
            Clause::Memory(line, test) => {
                let text = &recording.lines[find(recording, line)?].text;
                let mib = transcript::memory_in(text)
                    .ok_or_else(|| format!("`{line}` prints no amount in MiB: `{text}`"))?;
                let margin = 2.0 * transcript::memory_tolerance(mib);
                let holds = test.holds(mib, margin, "MiB")?;
                verdict(holds, format!("`{line}` prints {mib:.2} MiB"))
            }
            Clause::LinesBefore(n, line) => {
                let at = find(recording, line)?;
                verdict(at == *n, format!("{at} line(s) come before `{line}`"))
            }
            Clause::Lines(n, prefix) => {
                let count = named(recording, prefix)?.len();
                verdict(
                    count == *n,
                    format!("{count} line(s) start with `{prefix}`"),
                )
            }
            Clause::Present(prefix) | Clause::Absent(prefix) => {
                let present = !named(recording, prefix)?.is_empty();
                let facts = if present {
                    format!("a line starts with `{prefix}`")
                } else {
                    format!("no line starts with `{prefix}`")
                };
                verdict(present == matches!(self, Clause::Present(_)), facts)
            }
            Clause::Exit(code) => verdict(
                recording.exit == *code,
                format!("the run exits with code {}", recording.exit),
            ),
        }
    }
}

impl Clause {
    /// The line the clause says is missing: an `absent` line, or one counted 0 times.
    fn missing_line(&self) -> Option<&str> {
        match self {
            Clause::Absent(line) | Clause::Lines(0, line) => Some(line),
            _ => None,
        }
    }

    /// The figures the clause holds the recording to, as written: moments, amounts of
    /// memory and counts of lines.
    fn figures(&self) -> Vec<String> {
        let of_test = |test: &Test| match test {
            Test::Under(f) | Test::Over(f) | Test::About(f) => vec![f.0.clone()],
            Test::Between(low, high) => vec![low.0.clone(), high.0.clone()],
        };
        match self {
            Clause::Time(_, test) | Clause::Memory(_, test) => of_test(test),
            Clause::LinesBefore(n, _) | Clause::Lines(n, _) => vec![n.to_string()],
            Clause::Before(..) | Clause::Present(_) | Clause::Absent(_) | Clause::Exit(_) => {
                Vec::new()
            }
        }
    }
}

/// The numbers a reader sees in a choice's text: figures as written, with thousands
/// separated by commas or not (`2,250` is `2250`), and whole numbers spelt out, from `none`
/// and `once` to `twelve`.
fn numbers_in(text: &str) -> Vec<String> {
    let figures = FIGURE_IN_TEXT
        .find_iter(text)
        .map(|m| m.as_str().replace(',', ""));
    let words = NUMBER_WORD.find_iter(text).filter_map(|m| {
        let word = m.as_str().to_lowercase();
        let value = match word.as_str() {
            "none" | "zero" => 0,
            "once" => 1,
            "twice" => 2,
            _ => NUMBER_WORDS.iter().position(|w| *w == word)?,
        };
        Some(value.to_string())
    });
    figures.chain(words).collect()
}

impl Choice {
    /// Whether every clause holds; an error if any clause cannot be settled.
    pub fn judge(&self, recording: &Transcript) -> Result<Verdict, String> {
        let verdicts = self
            .clauses
            .iter()
            .map(|c| c.judge(recording))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Verdict {
            holds: verdicts.iter().all(|v| v.holds),
            facts: verdicts
                .iter()
                .map(|v| v.facts.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        })
    }
}

impl Question {
    /// Where the question is, for messages: `page.md:12`.
    pub fn place(&self) -> String {
        format!("{}:{}", self.page.display(), self.line)
    }

    /// Everything wrong with the question against its listing's recording: a choice the
    /// recording cannot settle, an answer that is false, another choice that is true, or a
    /// line said to be missing that no recording in `book`, the book's transcripts, prints.
    pub fn check(&self, recording: &Transcript, book: &[Transcript]) -> Vec<String> {
        let (place, listing) = (self.place(), &self.listing);
        let mut problems = Vec::new();
        for choice in &self.choices {
            let letter = choice.letter;
            for line in choice.clauses.iter().filter_map(Clause::missing_line) {
                let printed = |t: &Transcript| named(t, line).is_ok_and(|n| !n.is_empty());
                if !printed(recording) && !book.iter().any(printed) {
                    problems.push(format!(
                        "{place}: choice {letter} says no line of {listing} starts with \
                         `{line}`, but no recording in the book prints such a line, so a \
                         misspelling would make it true whatever the run does. Copy the line \
                         from an output.txt"
                    ));
                }
            }
            match choice.judge(recording) {
                Err(e) => problems.push(format!(
                    "{place}: choice {letter} (`{}`) cannot be settled by the recording of \
                     {listing}: {e}",
                    choice.declared
                )),
                Ok(v) if letter == self.answer && !v.holds => problems.push(format!(
                    "{place}: the answer is {letter}, but `{}` is false in the recording of \
                     {listing}: {}",
                    choice.declared, v.facts
                )),
                Ok(v) if letter != self.answer && v.holds => problems.push(format!(
                    "{place}: choice {letter} (`{}`) is true in the recording of {listing} as \
                     well as the answer {}: {}. Only the answer may be true",
                    choice.declared, self.answer, v.facts
                )),
                Ok(_) => {}
            }
        }
        problems
    }
}

/// A declaration's words: `"…"` texts and bare words.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
}

fn tokens(declared: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut rest = declared.trim_start();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let (text, after) = quoted
                .split_once('"')
                .ok_or_else(|| "a `\"` is not closed".to_owned())?;
            if text.is_empty() {
                return Err("an empty `\"\"` names no line".to_owned());
            }
            tokens.push(Token::Text(text.to_owned()));
            rest = after;
        } else {
            let end = rest.find([' ', '"']).unwrap_or(rest.len());
            tokens.push(Token::Word(rest[..end].to_owned()));
            rest = &rest[end..];
        }
        rest = rest.trim_start();
    }
    Ok(tokens)
}

/// Reads clauses from tokens, one at a time.
struct Reader {
    tokens: Vec<Token>,
    at: usize,
}

impl Reader {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn word(&mut self, expected: &[&str]) -> Result<String, String> {
        match self.next() {
            Some(Token::Word(w)) if expected.contains(&w.as_str()) => Ok(w),
            other => Err(format!(
                "expected {}, found {}",
                expected
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                shown(other.as_ref())
            )),
        }
    }

    fn text(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Text(t)) => Ok(t),
            other => Err(format!(
                "expected a \"LINE\", found {}",
                shown(other.as_ref())
            )),
        }
    }

    fn count(&mut self) -> Result<usize, String> {
        match self.next() {
            Some(Token::Word(w)) if COUNT.is_match(&w) => {
                w.parse().map_err(|_| format!("`{w}` is too large"))
            }
            other => Err(format!(
                "expected a whole number, found {}",
                shown(other.as_ref())
            )),
        }
    }

    /// A figure and its unit: `2.5 s`, `20 MiB`.
    fn figure(&mut self) -> Result<(Figure, String), String> {
        let figure = match self.next() {
            Some(Token::Word(w)) if NUMBER.is_match(&w) => Figure(w),
            other => {
                return Err(format!(
                    "expected a number, found {}",
                    shown(other.as_ref())
                ));
            }
        };
        let unit = self.word(&["s", "MiB"])?;
        Ok((figure, unit))
    }

    /// `under N U`, `over N U`, `about N U` or `between N U and M U`, and the unit.
    fn test(&mut self) -> Result<(Test, String), String> {
        let how = self.word(&["under", "over", "about", "between"])?;
        let (figure, unit) = self.figure()?;
        let test = match how.as_str() {
            "under" => Test::Under(figure),
            "over" => Test::Over(figure),
            "about" => Test::About(figure),
            _ => {
                self.word(&["and"])?;
                let (high, high_unit) = self.figure()?;
                if high_unit != unit {
                    return Err(format!("`between` mixes {unit} and {high_unit}"));
                }
                if figure.value() >= high.value() {
                    return Err(format!(
                        "`between {} {unit} and {} {unit}`: the first figure must be the smaller",
                        figure.0, high.0
                    ));
                }
                Test::Between(figure, high)
            }
        };
        Ok((test, unit))
    }

    fn clause(&mut self) -> Result<Clause, String> {
        match self.next() {
            Some(Token::Word(w)) if w == "end" => match self.test()? {
                (test, unit) if unit == "s" => Ok(Clause::Time(Moment::End, test)),
                (_, unit) => Err(format!("the end of a run is a moment, in s, not in {unit}")),
            },
            Some(Token::Word(w)) if w == "exit" => {
                self.word(&["code"])?;
                let code = self.count()?;
                i32::try_from(code)
                    .map(Clause::Exit)
                    .map_err(|_| format!("exit code {code} is too large"))
            }
            Some(Token::Word(w)) if COUNT.is_match(&w) => {
                let n: usize = w.parse().map_err(|_| format!("`{w}` is too large"))?;
                self.word(&["line", "lines"])?;
                match self.tokens.get(self.at) {
                    Some(Token::Word(b)) if b == "before" => {
                        self.at += 1;
                        Ok(Clause::LinesBefore(n, self.text()?))
                    }
                    _ => Ok(Clause::Lines(n, self.text()?)),
                }
            }
            Some(Token::Text(line)) => match self.tokens.get(self.at) {
                Some(Token::Word(w)) if w == "before" => {
                    self.at += 1;
                    Ok(Clause::Before(line, self.text()?))
                }
                Some(Token::Word(w)) if w == "present" || w == "absent" => {
                    self.at += 1;
                    Ok(if w == "present" {
                        Clause::Present(line)
                    } else {
                        Clause::Absent(line)
                    })
                }
                _ => match self.test()? {
                    (test, unit) if unit == "s" => Ok(Clause::Time(Moment::Line(line), test)),
                    (Test::About(_), _) => Err(
                        "`about` is for moments only; give memory as under, over or between"
                            .to_owned(),
                    ),
                    (test, _) => Ok(Clause::Memory(line, test)),
                },
            },
            other => Err(format!(
                "a clause cannot start with {}",
                shown(other.as_ref())
            )),
        }
    }
}

fn shown(token: Option<&Token>) -> String {
    match token {
        None => "the end".to_owned(),
        Some(Token::Word(w)) => format!("`{w}`"),
        Some(Token::Text(t)) => format!("`\"{t}\"`"),
    }
}

/// Reads a choice's declaration, the text after `quiz:`.
pub fn parse_declaration(declared: &str) -> Result<Vec<Clause>, String> {
    let mut reader = Reader {
        tokens: tokens(declared)?,
        at: 0,
    };
    let mut clauses = Vec::new();
    loop {
        clauses.push(
            reader
                .clause()
                .map_err(|e| format!("`{declared}`: {e}. The forms are: {FORMS}"))?,
        );
        match reader.next() {
            None => return Ok(clauses),
            Some(Token::Word(w)) if w == "and" => {}
            other => {
                return Err(format!(
                    "`{declared}`: expected `and` or the end, found {}. The forms are: {FORMS}",
                    shown(other.as_ref())
                ));
            }
        }
    }
}

/// The parts of one question, read from its blockquote with the `> ` taken off each line.
fn parse_block(body: &[&str]) -> Result<(String, Vec<Choice>, char), String> {
    let head = body[0]
        .strip_prefix(HEAD)
        .ok_or_else(|| format!("a question opens with `> {HEAD}LISTING --> QUESTION`"))?;
    let (listing, question) = head
        .split_once(" -->")
        .ok_or_else(|| "the `predict:` comment is not closed with ` -->`".to_owned())?;
    if !LISTING_NAME.is_match(listing) {
        return Err(format!("`{listing}` is not a listing's name"));
    }
    if !question.starts_with(' ') || question.trim().is_empty() {
        return Err("the question itself follows the `predict:` comment, after a space".into());
    }
    let comments = |line: &str| line.matches("<!--").count();
    if comments(question) > 0 {
        return Err("only one HTML comment may open a question".into());
    }
    let mut k = 1;
    let blank = |k: usize| body.get(k).is_some_and(|l| l.trim().is_empty());
    let skip_blanks = |k: &mut usize| {
        let start = *k;
        while blank(*k) {
            *k += 1;
        }
        *k > start
    };
    while k < body.len() && !blank(k) {
        if body[k].starts_with("- ") {
            return Err("the choices follow the question after a blank `>` line".into());
        }
        if comments(body[k]) > 0 {
            return Err("HTML comments in the question's text are not declarations".into());
        }
        k += 1;
    }
    if !skip_blanks(&mut k) {
        return Err("the choices follow the question after a blank `>` line".into());
    }

    // The choices: `- A. text<!-- quiz: … -->`, continued on lines indented by two spaces.
    let mut items: Vec<String> = Vec::new();
    while let Some(item) = body.get(k).and_then(|l| l.strip_prefix("- ")) {
        let mut item = item.to_owned();
        k += 1;
        while let Some(more) = body.get(k).and_then(|l| l.strip_prefix("  ")) {
            item.push(' ');
            item.push_str(more.trim());
            k += 1;
        }
        items.push(item);
    }
    if !(2..=LETTERS.len()).contains(&items.len()) {
        return Err(format!(
            "a question has 2 to 4 choices, `- A. …` to `- D. …`, each on its own list item; \
             found {}",
            items.len()
        ));
    }
    let mut choices = Vec::new();
    for (item, letter) in items.iter().zip(LETTERS) {
        let text = item
            .strip_prefix(&format!("{letter}. "))
            .ok_or_else(|| format!("choice {letter} must start `- {letter}. `: `- {item}`"))?;
        let (shown, declared) = text
            .split_once("<!-- quiz: ")
            .and_then(|(shown, rest)| Some((shown, rest.strip_suffix(" -->")?)))
            .ok_or_else(|| {
                format!("choice {letter} must end with `<!-- quiz: DECLARATION -->`: `- {item}`")
            })?;
        if shown.trim().is_empty() || comments(shown) > 0 || comments(declared) > 0 {
            return Err(format!(
                "choice {letter} needs its text, then one `<!-- quiz: … -->`: `- {item}`"
            ));
        }
        let clauses = parse_declaration(declared).map_err(|e| format!("choice {letter}: {e}"))?;
        let seen = numbers_in(shown);
        if let Some(figure) = clauses
            .iter()
            .flat_map(Clause::figures)
            .find(|f| !seen.contains(f))
        {
            return Err(format!(
                "choice {letter} declares the figure {figure} (`{declared}`), but its text, \
                 `{}`, does not say {figure}: write every figure the declaration checks into \
                 the choice, so that what the reader sees is what the recording is held to",
                shown.trim()
            ));
        }
        choices.push(Choice {
            letter,
            text: shown.trim().to_owned(),
            declared: declared.to_owned(),
            clauses,
        });
    }

    // The answer, hidden in `<details>`: `**B.** Why, in a line.`
    if !skip_blanks(&mut k) || body.get(k) != Some(&SUMMARY) {
        return Err(format!(
            "after a blank `>` line, the choices are followed by `> {SUMMARY}`"
        ));
    }
    k += 1;
    if !skip_blanks(&mut k) {
        return Err(format!("a blank `>` line follows `{SUMMARY}`"));
    }
    let line = body.get(k).copied().unwrap_or("");
    let answer = LETTERS
        .into_iter()
        .find(|l| line.starts_with(&format!("**{l}.** ")))
        .filter(|_| line.len() > "**A.** ".len())
        .ok_or_else(|| format!("the answer reads `> **B.** Why, in a line.`, not `> {line}`"))?;
    if !choices.iter().any(|c| c.letter == answer) {
        return Err(format!(
            "the answer is {answer}, which is not one of the choices"
        ));
    }
    while k < body.len() && !blank(k) {
        if comments(body[k]) > 0 {
            return Err("HTML comments in the answer are not declarations".into());
        }
        k += 1;
    }
    if !skip_blanks(&mut k) || body.get(k) != Some(&DETAILS_END) || k + 1 != body.len() {
        return Err(format!(
            "after a blank `>` line, the answer ends with `> {DETAILS_END}`, the question's last \
             line"
        ));
    }
    Ok((listing.to_owned(), choices, answer))
}

/// The prediction questions in a page, or everything malformed about them. A `predict:` or
/// `quiz:` comment outside a well-formed question is an error, so that a typo cannot turn a
/// question into an unchecked one.
pub fn in_page(page: &Path, text: &str) -> Result<Vec<Question>, Vec<String>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    let place = |n: usize| format!("{}:{}", page.display(), n + 1);
    let mut questions = Vec::new();
    let mut problems = Vec::new();
    let mut in_fence = false;
    let mut n = 0;
    while n < lines.len() {
        let line = lines[n].1;
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let marked = ["**Predict.**", "<!-- predict", "<!-- quiz", "<!-- answer"]
            .iter()
            .any(|m| line.contains(m));
        if in_fence || !marked {
            n += 1;
            continue;
        }
        if !line.starts_with("> **Predict.**") {
            problems.push(format!(
                "{}: a prediction question is a blockquote that opens with \
                 `> {HEAD}LISTING --> QUESTION`; this line is outside one: `{line}`",
                place(n)
            ));
            n += 1;
            continue;
        }
        let end = (n..lines.len())
            .find(|&k| !lines[k].1.starts_with('>'))
            .unwrap_or(lines.len());
        let body: Vec<&str> = lines[n..end]
            .iter()
            .map(|(_, l)| {
                let l = &l[1..];
                l.strip_prefix(' ').unwrap_or(l)
            })
            .collect();
        let blank_around = (n == 0 || lines[n - 1].1.trim().is_empty())
            && (end == lines.len() || lines[end].1.trim().is_empty());
        match parse_block(&body) {
            Err(e) => problems.push(format!("{}: {e}", place(n))),
            Ok(_) if !blank_around => problems.push(format!(
                "{}: a question needs a blank line before and after its blockquote",
                place(n)
            )),
            Ok((listing, choices, answer)) => questions.push(Question {
                page: page.to_path_buf(),
                line: n + 1,
                offset: lines[n].0,
                listing,
                choices,
                answer,
            }),
        }
        n = end;
    }
    if problems.is_empty() {
        Ok(questions)
    } else {
        Err(problems)
    }
}

/// A transcript a page shows: where it is included, whose recording it is, and the
/// directive as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub offset: usize,
    pub listing: String,
    pub directive: String,
}

/// Everything wrong with where a page's questions stand against the transcripts it shows
/// (in any order): a transcript with no question before it, or a question whose listing is
/// not the one of the first transcript after it, which is the run the reader sees next.
pub fn placement(page: &Path, questions: &[Question], shown: &[Shown]) -> Vec<String> {
    let mut shown: Vec<&Shown> = shown.iter().collect();
    shown.sort_by_key(|s| s.offset);
    let mut problems = Vec::new();
    for question in questions {
        match shown.iter().find(|s| s.offset > question.offset) {
            None => problems.push(format!(
                "{}: asks about {}, but the page shows no transcript after it",
                question.place(),
                question.listing
            )),
            Some(next) if next.listing != question.listing => problems.push(format!(
                "{}: asks about {}, but the first transcript after it, {}, is {}'s: a question \
                 is about the run the reader sees next",
                question.place(),
                question.listing,
                next.directive,
                next.listing
            )),
            Some(_) => {}
        }
    }
    if let Some(first) = shown.first()
        && !questions.iter().any(|q| q.offset < first.offset)
    {
        problems.push(format!(
            "{}: shows {} but asks no prediction question before it (CONTRIBUTING.md, \
             \"Ask a prediction question\")",
            page.display(),
            first.directive
        ));
    }
    problems
}

/// Every prediction question in the book, across the pages in `SUMMARY.md`.
pub fn all() -> Result<Vec<Question>, Vec<String>> {
    let mut questions = Vec::new();
    let mut problems = Vec::new();
    for page in crate::book::pages()
        .map_err(|e| vec![e])?
        .into_iter()
        .filter(|p| p.path.is_file())
    {
        let text = page.text().map_err(|e| vec![e])?;
        match in_page(&page.rel, &text) {
            Ok(found) => questions.extend(found),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(questions)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::transcript;

    /// print-async's recording.
    fn print_async() -> Transcript {
        transcript(
            &[
                (1.005, "Second"),
                (2.006, "First"),
                (2.006, "Elapsed: 2.00s"),
            ],
            2.006,
        )
    }

    /// A question with these choices, each shown as its own declaration, answered by `answer`.
    fn page(choices: &[&str], answer: char) -> String {
        let mut text = String::from(
            "Some prose.\n\n> **Predict.**<!-- predict: print-async --> Which word comes \
             first?\n>\n",
        );
        for (choice, letter) in choices.iter().zip(LETTERS) {
            text.push_str(&format!("> - {letter}. {choice}<!-- quiz: {choice} -->\n"));
        }
        text.push_str(&format!(
            ">\n> {SUMMARY}\n>\n> **{answer}.** Because.\n>\n> </details>\n\nMore prose.\n"
        ));
        text
    }

    fn question(choices: &[&str], answer: char) -> Question {
        let mut questions = in_page(Path::new("p.md"), &page(choices, answer)).unwrap();
        assert_eq!(questions.len(), 1);
        questions.remove(0)
    }

    fn problems(choices: &[&str], answer: char) -> Vec<String> {
        question(choices, answer).check(&print_async(), &[])
    }

    fn truth(declared: &str) -> Result<bool, String> {
        let clauses = parse_declaration(declared)?;
        Choice {
            letter: 'A',
            text: declared.to_owned(),
            declared: declared.to_owned(),
            clauses,
        }
        .judge(&print_async())
        .map(|v| v.holds)
    }

    #[test]
    fn a_question_is_read_with_its_place_listing_and_answer() {
        let text = page(
            &[r#""First" before "Second""#, r#""Second" before "First""#],
            'B',
        );
        let q = &in_page(Path::new("p.md"), &text).unwrap()[0];
        assert_eq!(
            (q.line, q.listing.as_str(), q.answer),
            (3, "print-async", 'B')
        );
        assert_eq!(&text[q.offset..q.offset + 14], "> **Predict.**");
        assert_eq!(
            q.choices[1].clauses,
            vec![Clause::Before("Second".into(), "First".into())]
        );
    }

    #[test]
    fn a_true_answer_and_false_others_pass() {
        let ok = problems(
            &[r#""First" before "Second""#, r#""Second" before "First""#],
            'B',
        );
        assert_eq!(ok, Vec::<String>::new());
    }

    #[test]
    fn a_false_answer_fails() {
        let wrong = problems(
            &[r#""First" before "Second""#, r#""Second" before "First""#],
            'A',
        );
        assert_eq!(wrong.len(), 2, "{wrong:?}");
        assert!(wrong[0].contains("the answer is A, but"), "{wrong:?}");
        assert!(
            wrong[0].contains("`First` is line 2, `Second` line 1"),
            "{wrong:?}"
        );
    }

    #[test]
    fn a_second_true_choice_fails() {
        let two = problems(&["end about 2 s", r#""Second" before "First""#], 'A');
        assert_eq!(two.len(), 1, "{two:?}");
        assert!(two[0].contains("choice B"), "{two:?}");
        assert!(two[0].contains("Only the answer may be true"), "{two:?}");
    }

    #[test]
    fn malformed_declarations_are_errors() {
        for bad in [
            r#""First" after "Second""#,
            "end under 2",
            "end under two s",
            "end about 2 ms",
            "end between 3 s and 1 s",
            "end between 1 s and 3 MiB",
            r#""First" before"#,
            r#""First" before "Second" or end under 1 s"#,
            r#""First before "Second""#,
            r#""" present"#,
            r#"2 lines after "First""#,
            r#""Elapsed" about 2 MiB"#,
            "exit 0",
            "end under 1 s and",
        ] {
            assert!(parse_declaration(bad).is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn malformed_questions_are_errors() {
        let good = page(&["end about 2 s", "end about 3 s"], 'A');
        let broken = [
            good.replace(
                "<!-- predict: print-async -->",
                "<!-- predict print-async -->",
            ),
            good.replace("- B. ", "- C. "),
            good.replace("<!-- quiz: end about 3 s -->", ""),
            good.replace(
                "<!-- quiz: end about 3 s -->",
                "<!-- quiz: end about three s -->",
            ),
            good.replace("**A.** Because.", "**E.** Because."),
            good.replace("**A.** Because.", "The answer is A."),
            good.replace("> </details>\n", ""),
            good.replace("> <details><summary>Answer</summary>", "> <details>"),
            good.replace(">\n> - A.", "> - A."),
            good.replace("> - B. end about 3 s<!-- quiz: end about 3 s -->\n", ""),
            good.replace("\n\nMore prose", "\nMore prose"),
            format!("{good}\nA stray <!-- quiz: end about 2 s --> comment.\n"),
        ];
        for text in broken {
            assert!(
                in_page(Path::new("p.md"), &text).is_err(),
                "accepted:\n{text}"
            );
        }
    }

    #[test]
    fn a_question_in_a_code_block_is_not_a_question() {
        let text = format!("```markdown\n{}```\n", page(&["end about 2 s"], 'A'));
        assert_eq!(in_page(Path::new("p.md"), &text), Ok(vec![]));
    }

    #[test]
    fn moments_hold_at_their_precision_and_keep_a_margin() {
        assert_eq!(truth("end about 2 s"), Ok(true));
        assert_eq!(truth("end about 2.0 s"), Ok(true));
        assert_eq!(truth("end about 3 s"), Ok(false));
        assert_eq!(truth("end about 2.5 s"), Ok(false));
        // 2.2 is false at its precision, but a fresh run 150 ms late could make it true.
        assert!(
            truth("end about 2.2 s")
                .unwrap_err()
                .contains("too close to call")
        );
        assert_eq!(truth("end under 2.5 s"), Ok(true));
        assert_eq!(truth(r#""Second" over 0.5 s"#), Ok(true));
        assert_eq!(truth("end between 1.5 s and 3 s"), Ok(true));
        assert!(
            truth("end under 2.1 s")
                .unwrap_err()
                .contains("either side")
        );
        assert!(truth("end between 1 s and 2.2 s").is_err());
    }

    #[test]
    fn positions_counts_presence_and_exit_codes() {
        assert_eq!(truth(r#"0 lines before "Second""#), Ok(true));
        assert_eq!(truth(r#"1 line before "First""#), Ok(true));
        assert_eq!(truth(r#"2 lines before "First""#), Ok(false));
        assert_eq!(truth(r#"1 line "Elapsed: 2.00s""#), Ok(true));
        assert_eq!(truth(r#"2 lines "First""#), Ok(false));
        assert_eq!(truth(r#""Third" absent"#), Ok(true));
        assert_eq!(truth(r#""First" present and exit code 0"#), Ok(true));
        assert_eq!(truth("exit code 1"), Ok(false));
        assert_eq!(
            truth(r#""Second" before "First" and end about 3 s"#),
            Ok(false)
        );
    }

    #[test]
    fn a_line_that_is_not_printed_cannot_be_placed() {
        assert!(
            truth(r#""Third" before "First""#)
                .unwrap_err()
                .contains("`Third`")
        );
        assert!(truth(r#""Third" about 1 s"#).is_err());
        assert!(truth(r#"0 lines before "Third""#).is_err());
    }

    #[test]
    fn memory_keeps_twice_its_tolerance() {
        let run = transcript(&[(1.0, "Peak memory: 4.95 MiB")], 1.0);
        let judge = |d: &str| {
            let clauses = parse_declaration(d).unwrap();
            clauses[0].judge(&run).map(|v| v.holds)
        };
        assert_eq!(judge(r#""Peak memory" under 20 MiB"#), Ok(true));
        assert_eq!(
            judge(r#""Peak memory" between 40 MiB and 100 MiB"#),
            Ok(false)
        );
        // The tolerance at 4.95 MiB is 1.24 MiB: 6 MiB is too close.
        assert!(judge(r#""Peak memory" under 6 MiB"#).is_err());
        assert!(judge(r#""Peak" under 20 MiB"#).is_ok());
        let none = transcript(&[(1.0, "Peak memory: unknown")], 1.0);
        let clauses = parse_declaration(r#""Peak memory" under 20 MiB"#).unwrap();
        assert!(clauses[0].judge(&none).is_err());
    }

    #[test]
    fn a_duration_in_a_name_must_agree_with_the_line() {
        // Within the name's precision and 20 ms, as a timing claim's figure.
        assert_eq!(truth(r#"1 line "Elapsed: 2.01s""#), Ok(true));
        for wrong in [
            r#"1 line "Elapsed: 3.00s""#,
            r#""Elapsed: 2.03s" present"#,
            r#""Elapsed: 3.00s" absent"#,
            r#""Second" before "Elapsed: 3.00s""#,
        ] {
            let e = truth(wrong).unwrap_err();
            assert!(e.contains("`Elapsed: 2.00s`"), "{wrong}: {e}");
            assert!(e.contains("must agree"), "{wrong}: {e}");
        }
        // A duration picks a line out of several that differ only in it.
        let polls = transcript(
            &[
                (1.006, "1.00s poll c: Pending"),
                (2.007, "2.00s poll b: Ready"),
                (2.007, "2.00s poll c: Pending"),
                (3.007, "3.00s poll c: Ready"),
            ],
            3.007,
        );
        let judge = |d: &str| {
            let clauses = parse_declaration(d).unwrap();
            clauses[0].judge(&polls).map(|v| v.holds)
        };
        assert_eq!(
            judge(r#""2.00s poll b: Ready" before "2.00s poll c: Pending""#),
            Ok(true)
        );
        assert_eq!(
            judge(r#""2.00s poll c: Pending" before "2.00s poll b: Ready""#),
            Ok(false)
        );
        assert_eq!(judge(r#"1 line "2.00s poll c""#), Ok(true));
        assert_eq!(judge(r#""2.00s poll c" about 2 s"#), Ok(true));
        assert!(judge(r#""1.00s poll c: Ready" present"#).is_err());
    }

    #[test]
    fn a_line_before_itself_is_an_error() {
        for same in [r#""First" before "First""#, r#""Fir" before "First""#] {
            let e = truth(same).unwrap_err();
            assert!(e.contains("name the same line, 2"), "{same}: {e}");
        }
    }

    #[test]
    fn an_absent_line_must_be_printed_somewhere_in_the_book() {
        let misspelt = [r#""Second" before "First""#, r#""Secnod" absent"#];
        let wrong = problems(&misspelt, 'A');
        assert_eq!(wrong.len(), 2, "{wrong:?}");
        assert!(
            wrong[0].contains("choice B says no line of print-async starts with `Secnod`"),
            "{wrong:?}"
        );
        assert!(wrong[0].contains("no recording in the book"), "{wrong:?}");
        let counted = problems(&[r#""Second" before "First""#, r#"0 lines "Thrid""#], 'A');
        assert!(counted[0].contains("`Thrid`"), "{counted:?}");
        // A line another listing prints is a fair thing to say this one lacks.
        let other = transcript(&[(0.5, "Third")], 0.5);
        let q = question(&[r#""Second" before "First""#, r#""Third" present"#], 'A');
        assert_eq!(
            q.check(&print_async(), std::slice::from_ref(&other)),
            Vec::<String>::new()
        );
        let q = question(
            &[
                r#""Second" before "First" and "Third" absent"#,
                "end about 1 s",
            ],
            'A',
        );
        assert_eq!(q.check(&print_async(), &[other]), Vec::<String>::new());
        assert_eq!(q.check(&print_async(), &[]).len(), 1);
    }

    #[test]
    fn a_choice_says_the_figures_it_declares() {
        let with = |text: &str, declared: &str| {
            let page = page(&["end about 2 s", "end about 3 s"], 'A').replace(
                "> - B. end about 3 s<!-- quiz: end about 3 s -->",
                &format!("> - B. {text}<!-- quiz: {declared} -->"),
            );
            in_page(Path::new("p.md"), &page).map(|_| ())
        };
        assert_eq!(with("After about 3 s", "end about 3 s"), Ok(()));
        assert_eq!(with("At 1, 2 and 3 s", "end about 3 s"), Ok(()));
        assert_eq!(with("2,250 MiB", r#""Peak" under 2250 MiB"#), Ok(()));
        assert_eq!(
            with("Between 1.5 and 2.5 s", "end between 1.5 s and 2.5 s"),
            Ok(())
        );
        assert_eq!(with("Three times", r#"3 lines "First""#), Ok(()));
        assert_eq!(with("None", r#"0 lines before "First""#), Ok(()));
        for (text, declared, missing) in [
            ("After about 2 s", "end about 3 s", "3"),
            ("At once", "end under 0.5 s", "0.5"),
            ("About 60 MiB", r#""Peak" between 40 MiB and 100 MiB"#, "40"),
            ("After 2.0 s", "end about 2 s", "2"),
            ("`First` third", r#"2 lines before "First""#, "2"),
            ("A 13 s wait", "end about 3 s", "3"),
        ] {
            let e = with(text, declared).unwrap_err()[0].clone();
            assert!(
                e.contains(&format!("declares the figure {missing} ")),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn a_question_is_about_the_next_transcript() {
        let text = page(&["end about 2 s", "end about 3 s"], 'A');
        let questions = in_page(Path::new("p.md"), &text).unwrap();
        let at = |offset: usize, listing: &str| Shown {
            offset,
            listing: listing.to_owned(),
            directive: format!("{{{{#include ../listings/{listing}/output.txt}}}}"),
        };
        let after = text.len();
        let ok = placement(Path::new("p.md"), &questions, &[at(after, "print-async")]);
        assert_eq!(ok, Vec::<String>::new());
        // Another listing's transcript comes first, though print-async's is on the page.
        let wrong = placement(
            Path::new("p.md"),
            &questions,
            &[at(after + 10, "print-async"), at(after, "unsync-blocked")],
        );
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(
            wrong[0].contains("asks about print-async, but the first transcript after it"),
            "{wrong:?}"
        );
        assert!(wrong[0].contains("is unsync-blocked's"), "{wrong:?}");
        // A transcript shown before the question: no question before it, and none after.
        let early = placement(Path::new("p.md"), &questions, &[at(0, "print-async")]);
        assert_eq!(early.len(), 2, "{early:?}");
        assert!(early[0].contains("no transcript after it"), "{early:?}");
        assert!(
            early[1].contains("asks no prediction question before it"),
            "{early:?}"
        );
    }
}
