//! One bad URL costs one line of output, never the others: a 404, a 500, a refused
//! connection, a malformed URL and a timeout each print an error for their own URL, the
//! good pages still print their titles, and the exit code says that something failed.
//! Those checks are the same for every listing that reads a URL file, so they come from the
//! demo site's `testing` module; what is this listing's own is below. (A missing or
//! unreadable URL file is a case file in `tests/cmd/`.)

use std::time::Duration;

use demo_site::testing::{UrlFileListing, pages, site};

const LISTING: UrlFileListing =
    UrlFileListing::in_file_order(env!("CARGO_BIN_EXE_http-requests-sync"));

demo_site::url_file_listing_tests!(LISTING);

#[test]
fn requests_run_one_after_another() {
    let run = LISTING.run_on(&pages(&site(), 3, 300));
    assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
    // Three answers of 300 ms, one after the other.
    assert!(
        run.took >= Duration::from_millis(900),
        "took {:?}",
        run.took
    );
}
