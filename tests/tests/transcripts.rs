//! Runs every listing that has a transcript, all at once, and holds each fresh run to its
//! recording: the same lines, each at its recorded time, and the book's timing claims.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use book_checks::{book, listing, transcript};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let mut args = Arguments::from_args();
    // Listings spend their time asleep, so they all run at once, whatever the core count:
    // the suite then takes about as long as the longest listing.
    args.test_threads.get_or_insert(256);

    let name = |l: &listing::Listing| format!("transcript_matches_fresh_run::{}", l.name);
    let listings: Vec<listing::Listing> = listing::all()
        .expect("cannot list the listings")
        .into_iter()
        .filter(listing::Listing::has_transcript)
        .collect();
    // The batch must know which listings will really run, so that those that run alone
    // wait for exactly those.
    let running: Vec<&listing::Listing> = listings
        .iter()
        .filter(|l| {
            let trial = Trial::test(name(l), || Ok(()));
            !args.list && !args.is_filtered_out(&trial) && !args.is_ignored(&trial)
        })
        .collect();
    let batch = Arc::new(listing::Batch::new(running));
    let claims = Arc::new(book::all_claims().expect("cannot read the book's timing claims"));
    let built: Arc<OnceLock<Result<BTreeMap<String, PathBuf>, String>>> = Arc::default();

    let trials = listings
        .iter()
        .map(|l| {
            let (l, all, claims, built, batch) = (
                l.clone(),
                listings.clone(),
                claims.clone(),
                built.clone(),
                batch.clone(),
            );
            Trial::test(name(&l), move || {
                let exes = built
                    .get_or_init(|| listing::build(&all))
                    .as_ref()
                    .map_err(|e| Failed::from(e.as_str()))?;
                check(&l, exes, &batch, &claims)
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn check(
    l: &listing::Listing,
    exes: &BTreeMap<String, PathBuf>,
    batch: &listing::Batch,
    claims: &[book::Claim],
) -> Result<(), Failed> {
    let recorded = transcript::Transcript::load(&l.output_path(), &l.timing_path())?;
    let fresh = batch.record(l, exes)?;
    transcript::compare(&recorded, &fresh.transcript).map_err(|report| {
        let stderr = if fresh.stderr.is_empty() {
            String::new()
        } else {
            format!("\nstderr of the fresh run:\n{}", fresh.stderr)
        };
        format!(
            "{}: {report}\nIf the listing changed on purpose, re-record it with `cargo bless {}`.{stderr}",
            l.name, l.name
        )
    })?;
    let broken: Vec<String> = claims
        .iter()
        .filter(|c| c.listing == l.name)
        .filter_map(|c| c.check(&fresh.transcript).err())
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
