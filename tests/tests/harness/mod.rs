//! What the two harnesses that run listings (`listings.rs`, `copies.rs`) share: how they
//! start, and which of their trials will run.

use book_checks::priority;
use libtest_mimic::{Arguments, Trial};

/// The command line's arguments, and whether the recordings run at a raised priority.
pub fn start() -> (Arguments, bool) {
    // Before any thread starts, so that every thread and recording inherits it.
    let favoured = priority::favour_recordings();
    let mut args = Arguments::from_args();
    // Listings spend their time asleep, so they all run at once, whatever the core count:
    // the suite then takes about as long as the longest listing.
    args.test_threads.get_or_insert(256);
    (args, favoured)
}

/// Whether the trial named `name` (ignored unless asked for, if `ignored`) will run: a batch
/// of recordings must know which will, so that each waits for exactly those before it.
pub fn will_run(args: &Arguments, name: String, ignored: bool) -> bool {
    let trial = Trial::test(name, || Ok(())).with_ignored_flag(ignored);
    !args.list && !args.is_filtered_out(&trial) && !args.is_ignored(&trial)
}
