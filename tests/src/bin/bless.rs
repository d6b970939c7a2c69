//! Records transcripts from real runs: writes each listing's `output.txt`, `timing.txt` and
//! the `timeline.svg` drawn from them, and each compile-error listing's `diagnostic.txt`
//! from a real build.
//! Run it with `cargo bless` (every listing that has a transcript) or `cargo bless NAME...`.

use std::process::ExitCode;
use std::thread;

use book_checks::transcript::Transcript;
use book_checks::{cargo, diagnostic, listing, priority, schedule};

const USAGE: &str = "usage: cargo bless [LISTING...]
  Re-records output.txt, timing.txt and timeline.svg from a real run of each named listing, or of every
  listing that already has a transcript when none is named. Naming a listing that has no
  transcript yet creates one. A compile-error listing (one the workspace excludes) gets its
  diagnostic.txt from a real build instead.";

fn main() -> ExitCode {
    // Recorded as the check will run them: see `book_checks::priority`.
    priority::favour_recordings();
    let names: Vec<String> = std::env::args().skip(1).collect();
    if names.iter().any(|n| n.starts_with('-')) {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    match bless(&names) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bless: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bless(names: &[String]) -> Result<(), String> {
    let all = listing::all()?;
    let errors = listing::compile_errors()?;
    let (chosen, diagnosed): (Vec<listing::Listing>, Vec<listing::Listing>) = if names.is_empty() {
        (
            all.into_iter().filter(|l| l.has_transcript()).collect(),
            errors,
        )
    } else {
        let mut runs = Vec::new();
        let mut builds = Vec::new();
        for name in names {
            if let Some(l) = all.iter().find(|l| &l.name == name) {
                runs.push(l.clone());
            } else if let Some(l) = errors.iter().find(|l| &l.name == name) {
                builds.push(l.clone());
            } else {
                return Err(format!(
                    "no listing named `{name}` under listings/\n{USAGE}"
                ));
            }
        }
        (runs, builds)
    };
    if chosen.is_empty() && diagnosed.is_empty() {
        return Err("no listing has a transcript yet; name the ones to record".into());
    }
    let mut failed = false;
    if !chosen.is_empty() {
        failed |= record(&chosen)?;
    }
    // After the recordings, one at a time: the builds share one build folder, and a build
    // beside a recording would make its lines late.
    for l in &diagnosed {
        match record_diagnostic(l) {
            Ok(summary) => println!("recorded {:<28} {summary}", l.name),
            Err(e) => {
                failed = true;
                eprintln!("not recorded {}: {e}", l.name);
            }
        }
    }
    if failed {
        Err("some listings were not recorded".into())
    } else {
        Ok(())
    }
}

/// Writes `diagnostic.txt` from a fresh build of a compile-error listing copied out alone,
/// or from Clippy's run over a lint listing.
fn record_diagnostic(l: &listing::Listing) -> Result<String, String> {
    let (compiled, text) = diagnostic::fresh(l)?;
    match l.diagnostic_tool {
        listing::DiagnosticTool::Rustc if compiled => {
            return Err("it compiles, so there is no error to record".into());
        }
        listing::DiagnosticTool::Clippy if diagnostic::stable_parts(&text).is_empty() => {
            return Err("Clippy says nothing about it, so there is no warning to record".into());
        }
        _ => {}
    }
    std::fs::write(l.diagnostic_path(), &text)
        .map_err(|e| format!("cannot write {}: {e}", l.diagnostic_path().display()))?;
    Ok(format!(
        "{} diagnostic lines: {}",
        text.lines().count(),
        diagnostic::stable_parts(&text).join("; ")
    ))
}

/// Records the listings' runs and writes their transcripts and pictures; whether any failed.
fn record(chosen: &[listing::Listing]) -> Result<bool, String> {
    let exes = cargo::build_workspace(chosen)?.programs;

    // All at once, as the check runs them, so the recorded times are what the check will see.
    let batch = schedule::Batch::new(chosen);
    let runs: Vec<_> = thread::scope(|s| {
        let handles: Vec<_> = chosen
            .iter()
            .map(|l| {
                let (exes, batch) = (&exes, &batch);
                s.spawn(move || batch.record(l, exes))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a recording thread panicked"))
            .collect()
    });

    let mut failed = false;
    for (listing, run) in chosen.iter().zip(runs) {
        match run {
            Ok(run) => {
                run.transcript
                    .save(&listing.output_path(), &listing.timing_path())
                    .map_err(|e| format!("cannot write {}: {e}", listing.dir.display()))?;
                // Drawn from the files as written, as the check redraws it.
                let saved: Transcript = listing.transcript()?;
                std::fs::write(listing.timeline_path(), listing.draw_timeline(&saved)?)
                    .map_err(|e| format!("cannot write {}: {e}", listing.dir.display()))?;
                println!(
                    "recorded {:<28} {:>3} lines, exit code {}, {:.3} s",
                    listing.name,
                    run.transcript.lines.len(),
                    run.transcript.exit,
                    run.transcript.end
                );
            }
            Err(e) => {
                failed = true;
                eprintln!("not recorded {}: {e}", listing.name);
            }
        }
    }
    Ok(failed)
}
