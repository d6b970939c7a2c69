//! Every number that decides how strict the checks are, or how runs are scheduled, in one
//! place. Change one here and the checks, `cargo bless` and the docs' wording follow; the
//! modules that use them say why each exists.

use std::time::Duration;

/// How far a fresh run may stray from the recording, both in when a line appears and in a
/// duration the program prints. Every pair of events in a listing that could swap is kept
/// further apart than this.
pub const TOLERANCE: f64 = 0.150;

/// How far past its own precision a timing claim may stray from its recording, so that a
/// re-bless does not churn the prose: `**0.59 s**` holds for 0.565 to 0.615.
pub const RECORDED_SLACK: f64 = 0.020;

/// How far a figure in a prediction question must stay from the recording, so that a fresh
/// run, which may stray by [`TOLERANCE`] either way, cannot flip the choice: twice the
/// tolerance. A bound such as `end under 2.5 s` must be this far from the recorded moment,
/// and a false `about` figure this far beyond its own precision. For memory, the same holds
/// with twice the memory tolerance.
pub const QUIZ_MARGIN: f64 = 2.0 * TOLERANCE;

/// A measured amount of memory may stray by the larger of this and [`MEMORY_SHARE`] of it: a
/// small process's peak wanders by a few hundred KiB from run to run.
pub const MEMORY_FLOOR_MIB: f64 = 1.0;
pub const MEMORY_SHARE: f64 = 0.25;

/// How long one launch keeps the next one waiting, unless its listing prints sooner.
pub const LAUNCH_GAP: Duration = Duration::from_millis(20);

/// A listing or test executable that runs longer than this is killed and reported as hung.
pub const RUN_LIMIT: Duration = Duration::from_secs(120);

/// Listings recorded as ending within this many seconds are the quick ones of a batch: the
/// listings' own tests wait until they are through.
pub const QUICK: f64 = 6.0;

/// How many test executables run at once.
pub const LANES: usize = 2;

/// The longest recorded run that keeps a Run button. mdBook 0.5.4's `book.js` gives up on a
/// Playground request after 6 s (`fetch_with_timeout`), compiling included; this leaves the
/// rest of those 6 s for compiling.
pub const PLAYGROUND_RUN: f64 = 3.5;

/// The niceness of recordings, when the system allows it: enough to win every wake-up
/// against normal-priority load.
pub const FAVOURED: i32 = -10;
