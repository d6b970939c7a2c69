//! One bad URL costs one line of output, never the others: a 404, a 500, a refused
//! connection, a malformed URL and a timeout each print an error for their own URL, the
//! good pages still print their titles, and the exit code says that something failed.
//! Those checks are the same for every listing that reads a URL file, so they come from the
//! demo site's `testing` module; what is this listing's own is below: LIMIT caps how many
//! URLs are fetched, PARALLEL how many at once, and lines print as the answers come. (Bad
//! arguments and an unreadable URL file are case files in `tests/cmd/`.)

use std::time::Duration;

use demo_site::testing::{UrlFileListing, good_pages, pages, results, site};

/// With room for every URL of the checks, two at a time.
const LISTING: UrlFileListing = UrlFileListing::in_answer_order(
    env!("CARGO_BIN_EXE_http-requests-async-queue"),
    &["100", "2"],
);

demo_site::url_file_listing_tests!(LISTING);

#[test]
fn only_the_first_limit_urls_are_fetched() {
    let urls = good_pages(&site());
    let run = LISTING.run_with(&["2", "2"], &urls);
    assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
    let fetched: Vec<String> = LISTING
        .results(&run.stdout)
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(fetched, urls[..2]);
    assert!(run.stdout.contains("\n2 fetched, 0 failed\n"));
}

#[test]
fn at_most_parallel_requests_are_in_flight() {
    let urls = pages(&site(), 4, 500);
    // Two at a time: two rounds of 500 ms.
    let two = LISTING.run_with(&["4", "2"], &urls);
    assert_eq!(two.code, Some(0), "stdout:\n{}", two.stdout);
    assert!(
        two.took >= Duration::from_millis(1000),
        "took {:?}",
        two.took
    );
    // All four at once: one round.
    let four = LISTING.run_with(&["4", "4"], &urls);
    assert_eq!(four.code, Some(0), "stdout:\n{}", four.stdout);
    assert!(
        four.took < Duration::from_millis(1000),
        "took {:?}",
        four.took
    );
}

#[test]
fn results_print_in_completion_order() {
    let site = site();
    let slow = format!("{site}/pages/1?delay_ms=800");
    let quick = format!("{site}/pages/2?delay_ms=100");
    let run = LISTING.run_with(&["2", "2"], &[slow.clone(), quick.clone()]);
    assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
    let printed: Vec<String> = results(&run.stdout).into_iter().map(|r| r.0).collect();
    assert_eq!(printed, [quick, slow]);
}
