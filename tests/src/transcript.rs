//! Transcripts: what a listing printed, when each line appeared, and how it ended.
//!
//! On disk a transcript is two files beside the listing's `Cargo.toml`:
//!
//! * `output.txt`: the lines exactly as printed, which the book includes;
//! * `timing.txt`: one row per line, `<seconds> | <text>`, then `<seconds> end (exit code N)`.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

pub use crate::settings::TOLERANCE;

/// A duration a program prints, such as `2.00s` or `15.3ms`. Only decimals count, so counts
/// and whole-second settings such as `3 seconds` or `take 2s` must match exactly.
static DURATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+\.\d+)(ms|s)\b").expect("valid regex"));

/// An amount of memory a program measured and prints, such as `3.91 MiB`. Again only
/// decimals count: a setting such as `64 KiB` must match exactly.
static MEMORY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+\.\d+) MiB\b").expect("valid regex"));

/// How far a measured amount of memory may stray; see [`crate::settings::MEMORY_SHARE`].
pub fn memory_tolerance(expected_mib: f64) -> f64 {
    (expected_mib * crate::settings::MEMORY_SHARE).max(crate::settings::MEMORY_FLOOR_MIB)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Seconds from the start of the run.
    pub at: f64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    pub lines: Vec<Line>,
    pub exit: i32,
    /// Seconds from the start of the run to the process's exit.
    pub end: f64,
}

const TIMING_HEADER: &str = "\
# When each line of output.txt appeared, in seconds from the start of the run.
# Written by `cargo bless` from a real run; the transcript check holds fresh runs to it.
";

impl Transcript {
    /// Reads `output.txt` and `timing.txt`, and checks that they agree line for line.
    pub fn load(output: &Path, timing: &Path) -> Result<Transcript, String> {
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e} (run `cargo bless`)", path.display()))
        };
        let output_text = read(output)?;
        let timing_text = read(timing)?;
        let transcript =
            Self::parse_timing(&timing_text).map_err(|e| format!("{}: {e}", timing.display()))?;
        let printed: Vec<&str> = output_text.lines().collect();
        let timed: Vec<&str> = transcript.lines.iter().map(|l| l.text.as_str()).collect();
        if printed != timed {
            let n = printed
                .iter()
                .zip(&timed)
                .position(|(p, t)| p != t)
                .unwrap_or(printed.len().min(timed.len()));
            return Err(format!(
                "{} and {} disagree from line {}: `{}` against `{}`. Was one of them edited by hand? \
                 Re-record both with `cargo bless`.",
                output.display(),
                timing.display(),
                n + 1,
                printed.get(n).unwrap_or(&"<no line>"),
                timed.get(n).unwrap_or(&"<no line>"),
            ));
        }
        Ok(transcript)
    }

    fn parse_timing(text: &str) -> Result<Transcript, String> {
        let mut lines = Vec::new();
        let mut end = None;
        for (n, row) in text.lines().enumerate() {
            let row_no = n + 1;
            if row.starts_with('#') || row.trim().is_empty() {
                continue;
            }
            if end.is_some() {
                return Err(format!("line {row_no}: nothing may follow the `end` row"));
            }
            let row = row.trim_start();
            let (secs, rest) = row
                .split_once(' ')
                .ok_or_else(|| format!("line {row_no}: expected `<seconds> | <text>`"))?;
            let at: f64 = secs
                .parse()
                .map_err(|_| format!("line {row_no}: `{secs}` is not a number of seconds"))?;
            if let Some(text) = rest
                .strip_prefix("| ")
                .or(rest.strip_prefix('|').filter(|r| r.is_empty()))
            {
                lines.push(Line {
                    at,
                    text: text.to_owned(),
                });
            } else if let Some(code) = rest
                .strip_prefix("end (exit code ")
                .and_then(|r| r.strip_suffix(')'))
            {
                let exit = code
                    .parse()
                    .map_err(|_| format!("line {row_no}: `{code}` is not an exit code"))?;
                end = Some((at, exit));
            } else {
                return Err(format!(
                    "line {row_no}: expected `| <text>` or `end (exit code N)`"
                ));
            }
        }
        let (end, exit) = end.ok_or("the final `end (exit code N)` row is missing")?;
        Ok(Transcript { lines, exit, end })
    }

    /// Writes `output.txt` and `timing.txt`. Only `cargo bless` calls this.
    pub fn save(&self, output: &Path, timing: &Path) -> std::io::Result<()> {
        let mut printed = String::new();
        let mut timed = String::from(TIMING_HEADER);
        for line in &self.lines {
            printed.push_str(&line.text);
            printed.push('\n');
            let _ = writeln!(timed, "{:7.3} | {}", line.at, line.text);
        }
        let _ = writeln!(timed, "{:7.3} end (exit code {})", self.end, self.exit);
        std::fs::write(output, printed)?;
        std::fs::write(timing, timed)
    }

    /// The time at which the first line starting with `prefix` appeared. Durations the
    /// program prints count as equal, as in [`compare`]: `1.00s wake a` finds `1.01s wake a`.
    pub fn time_of(&self, prefix: &str) -> Option<f64> {
        self.position_of(prefix).map(|n| self.lines[n].at)
    }

    /// Where the first line starting with `prefix` is, counted from 0, with durations
    /// matched as in [`Transcript::time_of`].
    pub fn position_of(&self, prefix: &str) -> Option<usize> {
        let prefix = skeleton(prefix);
        self.lines
            .iter()
            .position(|l| skeleton(&l.text).starts_with(&prefix))
    }
}

/// The first amount of memory a line prints, such as `4.95` for `Peak memory: 4.95 MiB`.
pub fn memory_in(text: &str) -> Option<f64> {
    MEMORY.captures(text).and_then(|c| c[1].parse().ok())
}

/// Compares a line's text, allowing the durations it prints to differ within [`TOLERANCE`].
/// Returns why they differ, if they do.
pub fn text_differs(expected: &str, got: &str) -> Option<String> {
    if skeleton(expected) != skeleton(got) {
        return Some("text differs".to_owned());
    }
    let secs = |s: &str| -> Vec<f64> {
        DURATION
            .captures_iter(s)
            .map(|c| {
                let value: f64 = c[1].parse().expect("the regex matched digits");
                if &c[2] == "ms" { value / 1000.0 } else { value }
            })
            .collect()
    };
    let mib = |s: &str| -> Vec<f64> {
        MEMORY
            .captures_iter(s)
            .map(|c| c[1].parse().expect("the regex matched digits"))
            .collect()
    };
    secs(expected)
        .into_iter()
        .zip(secs(got))
        .find(|(e, g)| (e - g).abs() > TOLERANCE)
        .map(|(e, g)| {
            format!(
                "printed duration is {g:.3}s, recorded {e:.3}s (allowed ±{:.0} ms)",
                TOLERANCE * 1000.0
            )
        })
        .or_else(|| {
            mib(expected)
                .into_iter()
                .zip(mib(got))
                .find(|(e, g)| (e - g).abs() > memory_tolerance(*e))
                .map(|(e, g)| {
                    format!(
                        "printed memory is {g:.2} MiB, recorded {e:.2} MiB (allowed ±{:.2} MiB)",
                        memory_tolerance(e)
                    )
                })
        })
}

/// The durations a text prints, in order, each in seconds with half its last digit:
/// `2.00s` gives `(2.0, 0.005)`, `15.3ms` gives `(0.0153, 0.00005)`.
pub fn durations_in(text: &str) -> Vec<(f64, f64)> {
    DURATION
        .captures_iter(text)
        .map(|c| {
            let value: f64 = c[1].parse().expect("the regex matched digits");
            let decimals = c[1].split_once('.').map_or(0, |(_, d)| d.len());
            let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
            let scale = if &c[2] == "ms" { 0.001 } else { 1.0 };
            (value * scale, half_unit * scale)
        })
        .collect()
}

/// A line with every measured figure, duration or memory, replaced by a placeholder.
pub(crate) fn skeleton(text: &str) -> String {
    let text = DURATION.replace_all(text, "<duration>");
    MEMORY.replace_all(&text, "<memory>").into_owned()
}

fn time_differs(expected: f64, got: f64) -> Option<String> {
    let off = got - expected;
    (off.abs() > TOLERANCE).then(|| {
        format!(
            "{:.0} ms {} (allowed ±{:.0} ms)",
            off.abs() * 1000.0,
            if off > 0.0 { "late" } else { "early" },
            TOLERANCE * 1000.0
        )
    })
}

/// Compares a fresh run with the recording. On a mismatch, returns a side-by-side report of
/// every line, expected against got, with each problem marked. Lines are paired by a diff
/// of their text (with measured figures masked), as snapbox pairs them: one extra line
/// shows as one extra line, not as every later line differing.
pub fn compare(expected: &Transcript, got: &Transcript) -> Result<(), String> {
    const HEADER: &str = "recorded (output.txt, timing.txt)";
    let width = expected
        .lines
        .iter()
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0)
        .max(HEADER.len());
    let old: Vec<String> = expected.lines.iter().map(|l| skeleton(&l.text)).collect();
    let new: Vec<String> = got.lines.iter().map(|l| skeleton(&l.text)).collect();
    let mut report = String::new();
    let mut problems = 0;
    let _ = writeln!(report, "{:16}{HEADER:<width$}  │ {:10}fresh run", "", "");
    let mut row = |e: Option<&Line>, g: Option<&Line>, problem: Option<String>| {
        let cell = |l: Option<&Line>| match l {
            Some(l) => (format!("{:7.3}s", l.at), l.text.clone()),
            None => (String::new(), String::new()),
        };
        let ((et, etext), (gt, gtext)) = (cell(e), cell(g));
        let mark = if problem.is_some() { '✗' } else { ' ' };
        let _ = write!(
            report,
            "{mark}     {et:>8}  {etext:<width$}  │ {gt:>8}  {gtext}"
        );
        if let Some(problem) = problem {
            problems += 1;
            let _ = write!(report, "    ← {problem}");
        }
        report.push('\n');
    };
    for change in similar::capture_diff_slices(similar::Algorithm::Patience, &old, &new)
        .iter()
        .flat_map(|op| op.iter_changes(&old, &new))
    {
        let e = change.old_index().map(|i| &expected.lines[i]);
        let g = change.new_index().map(|i| &got.lines[i]);
        let problem = match (e, g) {
            (Some(e), Some(g)) => {
                text_differs(&e.text, &g.text).or_else(|| time_differs(e.at, g.at))
            }
            (Some(_), None) => Some("missing from the fresh run".to_owned()),
            (None, Some(_)) => Some("not in the recording".to_owned()),
            (None, None) => None,
        };
        row(e, g, problem);
    }
    let end_problem = if expected.exit != got.exit {
        Some(format!(
            "exit code {} instead of {}",
            got.exit, expected.exit
        ))
    } else {
        time_differs(expected.end, got.end)
    };
    let (mark, note) = match &end_problem {
        Some(p) => ('✗', format!("    ← {p}")),
        None => (' ', String::new()),
    };
    let _ = writeln!(
        report,
        "{mark} end {:7.3}s  {:<width$}  │ {:7.3}s  exit code {}{note}",
        expected.end,
        format!("exit code {}", expected.exit),
        got.end,
        got.exit
    );
    problems += usize::from(end_problem.is_some());
    if problems == 0 {
        Ok(())
    } else {
        Err(format!(
            "{problems} difference(s) between the recorded transcript and a fresh run:\n\n{report}"
        ))
    }
}

/// A transcript of a run that exited with code 0, for unit tests.
#[cfg(test)]
pub(crate) fn transcript(lines: &[(f64, &str)], end: f64) -> Transcript {
    Transcript {
        lines: lines
            .iter()
            .map(|&(at, text)| Line {
                at,
                text: text.to_owned(),
            })
            .collect(),
        exit: 0,
        end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The comparison fails, and its report says `needle`.
    fn assert_reports(expected: &Transcript, got: &Transcript, needle: &str) -> String {
        let report = compare(expected, got).expect_err("the runs should differ");
        assert!(report.contains(needle), "no {needle:?} in:\n{report}");
        report
    }

    #[test]
    fn equal_runs_match() {
        let t = transcript(
            &[(1.0, "Second"), (2.0, "First"), (2.0, "Elapsed: 2.00s")],
            2.0,
        );
        assert_eq!(compare(&t, &t), Ok(()));
    }

    #[test]
    fn small_drift_in_time_and_printed_durations_is_allowed() {
        let e = transcript(&[(1.0, "Second"), (2.0, "Elapsed: 2.00s")], 2.0);
        let g = transcript(&[(1.1, "Second"), (2.12, "Elapsed: 2.13s")], 2.12);
        assert_eq!(compare(&e, &g), Ok(()));
    }

    #[test]
    fn late_line_is_reported() {
        let e = transcript(&[(1.0, "Second")], 1.0);
        let g = transcript(&[(3.0, "Second")], 3.0);
        assert_reports(&e, &g, "2000 ms late");
    }

    #[test]
    fn wrong_printed_duration_is_reported() {
        let e = transcript(&[(2.0, "Elapsed: 2.00s")], 2.0);
        let g = transcript(&[(2.0, "Elapsed: 3.00s")], 2.0);
        assert_reports(&e, &g, "printed duration is 3.000s");
    }

    #[test]
    fn swapped_missing_and_extra_lines_are_reported() {
        let e = transcript(&[(1.0, "A"), (2.0, "B")], 2.0);
        let swapped = transcript(&[(1.0, "B"), (2.0, "A")], 2.0);
        let report = assert_reports(&e, &swapped, "missing from the fresh run");
        assert!(report.contains("not in the recording"), "{report}");
        let short = transcript(&[(1.0, "A")], 2.0);
        assert_reports(&e, &short, "missing from the fresh run");
        let long = transcript(&[(1.0, "A"), (2.0, "B"), (2.0, "C")], 2.0);
        assert_reports(&e, &long, "not in the recording");
    }

    #[test]
    fn one_extra_early_line_is_one_difference() {
        let e = transcript(&[(0.0, "A"), (1.0, "B"), (2.0, "C"), (3.0, "D")], 3.0);
        let g = transcript(
            &[
                (0.0, "A"),
                (0.5, "extra"),
                (1.0, "B"),
                (2.0, "C"),
                (3.0, "D"),
            ],
            3.0,
        );
        let report = assert_reports(&e, &g, "extra    ← not in the recording");
        assert!(report.starts_with("1 difference(s)"), "{report}");
    }

    #[test]
    fn which_differences_in_a_line_count() {
        // Each `(recorded, fresh, differs)`.
        let cases = [
            // A whole number is text; a duration may drift, but not by a factor.
            ("take 2s", "take 3s", true),
            ("in 15.0ms", "in 16.0ms", false),
            ("in 15.0ms", "in 1.5s", true),
            // Measured memory may wander; a setting such as a stack size may not.
            ("Peak memory: 3.90 MiB", "Peak memory: 4.60 MiB", false),
            ("Peak memory: 3.90 MiB", "Peak memory: 5.10 MiB", true),
            ("Peak memory: 40.00 MiB", "Peak memory: 48.00 MiB", false),
            ("stack: 64 KiB", "stack: 128 KiB", true),
        ];
        for (recorded, fresh, differs) in cases {
            let verdict = text_differs(recorded, fresh);
            assert_eq!(
                verdict.is_some(),
                differs,
                "{recorded:?} vs {fresh:?}: {verdict:?}"
            );
        }
    }

    #[test]
    fn a_line_is_found_whatever_duration_it_prints() {
        let t = transcript(&[(0.0, "0.00s start"), (1.0, "1.01s wake a")], 1.0);
        assert_eq!(t.time_of("1.00s wake a"), Some(1.0));
        assert_eq!(t.time_of("0.00s st"), Some(0.0));
        assert_eq!(t.time_of("1.00s wake b"), None);
    }

    #[test]
    fn exit_code_must_match() {
        let e = transcript(&[], 0.0);
        let mut g = e.clone();
        g.exit = 1;
        assert_reports(&e, &g, "exit code 1 instead of 0");
    }

    #[test]
    fn timing_file_round_trips() {
        let dir = std::env::temp_dir().join(format!("book-checks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let t = transcript(&[(0.0, "a | b"), (1.25, ""), (2.5, "  indented")], 2.5);
        let (out, timing) = (dir.join("output.txt"), dir.join("timing.txt"));
        t.save(&out, &timing).unwrap();
        assert_eq!(Transcript::load(&out, &timing), Ok(t));
        std::fs::write(&out, "a | b\nedited\n  indented\n").unwrap();
        assert!(
            Transcript::load(&out, &timing)
                .unwrap_err()
                .contains("disagree")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
