//! Timeline pictures: every printed line at the moment it appeared, drawn from `timing.txt`.
//!
//! Which lines belong to one piece of work is declared beside the transcript, in
//! `timeline.toml`:
//!
//! ```toml
//! # Seconds the axis spans, shared with the sync/async twin so both draw to one scale.
//! scale = 3.0
//!
//! [[lane]]
//! name = "say(\"First\", 2)"
//! lines = "^First$"   # a regex; the lane's bar joins the lines it matches
//! from-start = true   # the work began with the run, before its first line
//!
//! [[lane]]
//! name = "say(\"Second\", 1)"
//! lines = "^Second$"
//! after = "^First$"   # or: the work began when the first line matching this appeared
//! ```
//!
//! Lines no lane claims go to a last lane, "other output". Without a `timeline.toml` every
//! line sits in that one lane. `cargo bless` writes `timeline.svg`; a check fails when the
//! committed picture differs from what the recording and the declaration give.

use std::fmt::Write as _;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::transcript::Transcript;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The seconds the time axis spans; by default the run's length, rounded up.
    pub scale: Option<f64>,
    #[serde(default, rename = "lane")]
    pub lanes: Vec<LaneDeclaration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LaneDeclaration {
    pub name: String,
    pub lines: String,
    #[serde(default)]
    pub from_start: bool,
    pub after: Option<String>,
}

impl Declaration {
    /// Reads `timeline.toml` if there is one.
    pub fn load(path: &Path) -> Result<Declaration, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Declaration::default()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }
}

struct Lane {
    name: String,
    /// When the work began, if that is before its first line.
    began: Option<f64>,
    /// (seconds, text) of each line in the lane.
    points: Vec<(f64, String)>,
}

const WIDTH: f64 = 720.0;
const PLOT_LEFT: f64 = 200.0;
const PLOT_RIGHT: f64 = 700.0;
const ROW: f64 = 26.0;
const TOP: f64 = 12.0;
const ACCENT: &str = "#3d8be0";

/// Draws the timeline of `listing`'s transcript as a self-contained SVG.
pub fn render(
    listing: &str,
    transcript: &Transcript,
    decl: &Declaration,
) -> Result<String, String> {
    let mut lanes = Vec::new();
    let mut patterns = Vec::new();
    for lane in &decl.lanes {
        let re = Regex::new(&lane.lines)
            .map_err(|e| format!("{listing}: lane `{}`: bad regex: {e}", lane.name))?;
        patterns.push(re);
        let began = match (&lane.after, lane.from_start) {
            (Some(_), true) => {
                return Err(format!(
                    "{listing}: lane `{}` has both `after` and `from-start`",
                    lane.name
                ));
            }
            (Some(after), false) => {
                let after = Regex::new(after)
                    .map_err(|e| format!("{listing}: lane `{}`: bad regex: {e}", lane.name))?;
                let line = transcript.lines.iter().find(|l| after.is_match(&l.text));
                Some(
                    line.ok_or_else(|| {
                        format!("{listing}: lane `{}`: no line matches `after`", lane.name)
                    })?
                    .at,
                )
            }
            (None, true) => Some(0.0),
            (None, false) => None,
        };
        lanes.push(Lane {
            name: lane.name.clone(),
            began,
            points: Vec::new(),
        });
    }
    let mut other = Lane {
        name: if decl.lanes.is_empty() {
            "output"
        } else {
            "other output"
        }
        .to_owned(),
        began: None,
        points: Vec::new(),
    };
    for line in &transcript.lines {
        let point = (line.at, line.text.clone());
        match patterns.iter().position(|re| re.is_match(&line.text)) {
            Some(i) => lanes[i].points.push(point),
            None => other.points.push(point),
        }
    }
    if let Some(empty) = lanes.iter().find(|l| l.points.is_empty()) {
        return Err(format!("{listing}: lane `{}` matches no line", empty.name));
    }
    if !other.points.is_empty() {
        lanes.push(other);
    }

    let scale = decl
        .scale
        .unwrap_or_else(|| (transcript.end * 2.0).ceil().max(1.0) / 2.0);
    if transcript.end > scale + 0.5 {
        return Err(format!(
            "{listing}: the run takes {:.2} s but the timeline's scale is {scale} s",
            transcript.end
        ));
    }
    let x = |secs: f64| PLOT_LEFT + (secs.min(scale) / scale) * (PLOT_RIGHT - PLOT_LEFT);
    let axis_y = TOP + ROW * lanes.len() as f64 + 6.0;
    let height = axis_y + 30.0;
    let id = listing.replace(|c: char| !c.is_ascii_alphanumeric(), "-");

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-labelledby="timeline-{id}-title timeline-{id}-desc" font-family="sans-serif" font-size="12" fill="currentColor">"#
    );
    let _ = writeln!(
        svg,
        "<title id=\"timeline-{id}-title\">Timeline of {}</title>",
        escape(listing)
    );
    let _ = writeln!(
        svg,
        "<desc id=\"timeline-{id}-desc\">{}</desc>",
        escape(&describe(&lanes, transcript.end))
    );
    for (row, lane) in lanes.iter().enumerate() {
        let y = TOP + ROW * row as f64 + ROW / 2.0;
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" dominant-baseline="middle">{}</text>"#,
            PLOT_LEFT - 12.0,
            y,
            escape(&lane.name)
        );
        let first = lane.began.unwrap_or(lane.points[0].0);
        let last = lane.points.last().expect("lanes are not empty").0;
        if last > first {
            let _ = writeln!(
                svg,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="10" rx="5" fill="{ACCENT}" fill-opacity="0.35"/>"#,
                x(first),
                y - 5.0,
                x(last) - x(first)
            );
        }
        for (at, text) in &lane.points {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4.5" fill="{ACCENT}"><title>{:.2} s: {}</title></circle>"#,
                x(*at),
                y,
                at,
                escape(text)
            );
        }
    }
    let _ = writeln!(
        svg,
        r#"<line x1="{PLOT_LEFT:.1}" y1="{axis_y:.1}" x2="{PLOT_RIGHT:.1}" y2="{axis_y:.1}" stroke="currentColor" stroke-opacity="0.6"/>"#
    );
    let step = tick_step(scale);
    let ticks = (scale / step).round() as usize;
    for i in 0..=ticks {
        let secs = step * i as f64;
        let _ = writeln!(
            svg,
            r#"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="currentColor" stroke-opacity="0.6"/><text x="{0:.1}" y="{3:.1}" text-anchor="middle">{4} s</text>"#,
            x(secs),
            axis_y,
            axis_y + 5.0,
            axis_y + 19.0,
            trim(secs)
        );
    }
    let _ = writeln!(
        svg,
        r#"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="currentColor" stroke-dasharray="3 3"><title>the run ends at {3:.2} s</title></line>"#,
        x(transcript.end),
        TOP - 6.0,
        axis_y,
        transcript.end
    );
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// A sentence for screen readers: when each lane's work ran.
fn describe(lanes: &[Lane], end: f64) -> String {
    let parts: Vec<String> = lanes
        .iter()
        .map(|lane| {
            let first = lane.began.unwrap_or(lane.points[0].0);
            let last = lane.points.last().expect("lanes are not empty").0;
            if (last - first).abs() < 0.005 {
                format!("{} at {first:.2} s", lane.name)
            } else {
                format!("{} from {first:.2} s to {last:.2} s", lane.name)
            }
        })
        .collect();
    format!("{}; the run ends at {end:.2} s.", parts.join("; "))
}

fn tick_step(scale: f64) -> f64 {
    [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|step| scale / step <= 10.0)
        .unwrap_or(20.0)
}

/// `2`, `2.5`, `0.25`: no trailing zeros.
fn trim(secs: f64) -> String {
    let s = format!("{secs:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::transcript as run;

    #[test]
    fn lanes_collect_their_lines_and_the_rest_goes_to_other_output() {
        let decl: Declaration = toml::from_str(
            "scale = 3.0\n[[lane]]\nname = \"First\"\nlines = \"First$\"\nfrom-start = true\n",
        )
        .unwrap();
        let svg = render("demo", &run(&[(1.0, "Second"), (2.0, "First")], 2.0), &decl).unwrap();
        assert!(svg.contains("First from 0.00 s to 2.00 s"), "{svg}");
        assert!(svg.contains("other output at 1.00 s"), "{svg}");
        assert!(svg.contains("<title>1.00 s: Second</title>"), "{svg}");
        assert!(
            !svg.contains("\n\n"),
            "a blank line would end the HTML block in Markdown"
        );
    }

    #[test]
    fn a_lane_that_matches_nothing_is_an_error() {
        let decl: Declaration =
            toml::from_str("[[lane]]\nname = \"ghost\"\nlines = \"^nope$\"\n").unwrap();
        assert!(render("demo", &run(&[(0.0, "hi")], 0.0), &decl).is_err());
    }

    #[test]
    fn a_scale_shorter_than_the_run_is_an_error() {
        let decl: Declaration = toml::from_str("scale = 1.0").unwrap();
        assert!(render("demo", &run(&[(2.0, "late")], 2.0), &decl).is_err());
    }

    #[test]
    fn the_picture_moves_when_a_time_moves() {
        let decl = Declaration::default();
        let a = render("demo", &run(&[(1.0, "x")], 2.0), &decl).unwrap();
        let b = render("demo", &run(&[(1.5, "x")], 2.0), &decl).unwrap();
        assert_ne!(a, b);
    }
}
