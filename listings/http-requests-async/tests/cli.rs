//! One bad URL costs one line of output, never the others: a 404, a 500, a refused
//! connection, a malformed URL and a timeout each print an error for their own URL, the
//! good pages still print their titles, and the exit code says that something failed.
//! Those checks are the same for every listing that reads a URL file, so they come from the
//! demo site's `testing` module; what is this listing's own is below. (A missing or
//! unreadable URL file is a case file in `tests/cmd/`.)

use std::time::Duration;

use demo_site::testing::{UrlFileListing, results, site};

const LISTING: UrlFileListing =
    UrlFileListing::in_file_order(env!("CARGO_BIN_EXE_http-requests-async"));

demo_site::url_file_listing_tests!(LISTING);

#[test]
fn requests_overlap_and_print_in_input_order() {
    let site = site();
    let urls: Vec<String> = [(1, 900), (2, 600), (3, 300)]
        .map(|(n, ms)| format!("{site}/pages/{n}?delay_ms={ms}"))
        .into();
    let run = LISTING.run_on(&urls);
    assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
    // As long as the slowest page, not the 1.8 s of all three in turn.
    assert!(
        run.took < Duration::from_millis(1500),
        "took {:?}",
        run.took
    );
    let printed: Vec<String> = results(&run.stdout).into_iter().map(|r| r.0).collect();
    assert_eq!(printed, urls, "page 3 is ready first, but prints last");
}
