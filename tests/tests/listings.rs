//! Runs every listing: each transcript against a fresh run, all at once, holding each line to
//! its recorded time and the book's timing claims; and each listing's own tests beside them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use book_checks::cargo::{self, Built};
use book_checks::claim::{self, Against, Claim};
use book_checks::listing::{self, Listing};
use book_checks::schedule::Batch;
use libtest_mimic::{Failed, Trial};

mod harness;

fn main() {
    let (args, favoured) = harness::start();

    let transcript_trial = |l: &Listing| format!("transcript_matches_fresh_run::{}", l.name);
    let tests_trial = |l: &Listing| format!("own_tests_pass::{}", l.name);
    let all = listing::all().expect("cannot list the listings");
    let with_transcript: Vec<Listing> =
        all.iter().filter(|l| l.has_transcript()).cloned().collect();
    let with_tests: Vec<Listing> = all.iter().filter(|l| l.has_tests()).cloned().collect();
    let runs = |name: String| harness::will_run(&args, name, false);
    let recording: Vec<Listing> = with_transcript
        .iter()
        .filter(|l| runs(transcript_trial(l)))
        .cloned()
        .collect();
    let batch = Arc::new(Batch::new(&recording));
    let claims = Arc::new(claim::all().expect("cannot read the book's timing claims"));
    let built: Arc<OnceLock<Result<Built, String>>> = Arc::default();
    let build = Arc::new(move || cargo::build_workspace(&all));

    let mut trials = Vec::new();
    for l in with_transcript {
        let (batch, claims, built, build) =
            (batch.clone(), claims.clone(), built.clone(), build.clone());
        trials.push(Trial::test(transcript_trial(&l), move || {
            let built = built.get_or_init(|| build()).as_ref()?;
            check_transcript(&l, &built.programs, &batch, &claims, favoured)
        }));
    }
    for l in with_tests {
        let (batch, built, build) = (batch.clone(), built.clone(), build.clone());
        trials.push(Trial::test(tests_trial(&l), move || {
            let built = built.get_or_init(|| build()).as_ref()?;
            let exes = built.tests.get(&l.name).map_or(&[][..], Vec::as_slice);
            Ok(batch.test(&l, exes)?)
        }));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn check_transcript(
    l: &Listing,
    exes: &BTreeMap<String, PathBuf>,
    batch: &Batch,
    claims: &[Claim],
    favoured: bool,
) -> Result<(), Failed> {
    let fresh = batch.record(l, exes)?;
    fresh.matches_recording(l, favoured)?;
    let broken: Vec<String> = claims
        .iter()
        .filter(|c| c.listing == l.name)
        .filter_map(|c| c.check(&fresh.transcript, Against::FreshRun).err())
        .collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "timing claims that a fresh run of {} breaks:\n{}",
            l.name,
            broken.join("\n")
        )
        .into())
    }
}
