//! Every listing taken home: copied alone out of the workspace (see
//! `book_checks::copy_out`), it builds offline with its own manifest, tests included, and a
//! listing with a transcript prints it, each line at its recorded moment.
//!
//! The first run compiles the dependencies once for each set of features the listings ask
//! for, so it runs on request, as CI does:
//! `cargo test -p book-checks --test copies -- --ignored`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use book_checks::cargo::{self, Built};
use book_checks::copy_out;
use book_checks::listing::{self, Listing};
use book_checks::schedule::Batch;
use libtest_mimic::Trial;

/// Each copied listing as it stands in its copy, with what its build made or why it failed.
type Copies = BTreeMap<String, Result<(Listing, Built), String>>;

mod harness;

fn main() {
    let (args, favoured) = harness::start();

    let builds_trial = |l: &Listing| format!("copy_builds_alone::{}", l.name);
    let prints_trial = |l: &Listing| format!("copy_prints_its_transcript::{}", l.name);
    let all = listing::all().expect("cannot list the listings");
    let runs = |name: String| harness::will_run(&args, name, true);
    let recording: Vec<Listing> = all
        .iter()
        .filter(|l| l.has_transcript() && runs(prints_trial(l)))
        .cloned()
        .collect();
    // A listing is copied and built when one of its trials runs, and a server listing too
    // when a recording talks to it.
    let wanted: Vec<Listing> = all
        .iter()
        .filter(|l| {
            runs(builds_trial(l))
                || recording.iter().any(|r| {
                    r.name == l.name || r.run.server.as_ref().is_some_and(|s| s.listing == l.name)
                })
        })
        .cloned()
        .collect();
    let batch = Arc::new(Batch::new(&recording));
    let copies: Arc<OnceLock<Copies>> = Arc::default();
    let make = {
        let all = all.clone();
        Arc::new(move || copy_and_build(&wanted, &all))
    };

    let mut trials = Vec::new();
    for l in &all {
        let (made, make_now, name) = (copies.clone(), make.clone(), l.name.clone());
        trials.push(
            Trial::test(builds_trial(l), move || {
                made.get_or_init(|| make_now())[&name].as_ref().map(drop)?;
                Ok(())
            })
            .with_ignored_flag(true),
        );
        if !l.has_transcript() {
            continue;
        }
        let (made, make_now, batch, name, listing) = (
            copies.clone(),
            make.clone(),
            batch.clone(),
            l.name.clone(),
            l.clone(),
        );
        trials.push(
            Trial::test(prints_trial(l), move || {
                let copies = made.get_or_init(|| make_now());
                let (copy, _) = match &copies[&name] {
                    Ok(built) => built,
                    Err(e) => {
                        batch.withdraw(&listing);
                        return Err(e.clone().into());
                    }
                };
                let programs = programs(copies);
                Ok(batch
                    .record(copy, &programs)?
                    .matches_recording(copy, favoured)?)
            })
            .with_ignored_flag(true),
        );
    }
    libtest_mimic::run(&args, trials).exit();
}

/// Copies and builds each listing in turn: the builds share one target folder, and cargo
/// lets one build at a time use it.
fn copy_and_build(wanted: &[Listing], all: &[Listing]) -> Copies {
    wanted
        .iter()
        .map(|l| {
            let built = copy_out::copy(l, all).and_then(|copy| {
                let built = cargo::build_copy(&copy, &copy_out::target_dir()?).map_err(|e| {
                    format!(
                        "{} copied alone to {}: {e} (cargo's errors are above)",
                        l.name,
                        copy.dir.display()
                    )
                })?;
                Ok((copy, built))
            });
            (l.name.clone(), built)
        })
        .collect()
}

/// Every program the copies built, by name: a listing that talks to a server listing runs
/// against the server's own copy.
fn programs(copies: &Copies) -> BTreeMap<String, PathBuf> {
    copies
        .values()
        .flatten()
        .flat_map(|(_, built)| built.programs.clone())
        .collect()
}
