//! Who runs when in a batch of recordings and tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::cargo::TestExe;
use crate::listing::Listing;
use crate::run::Run;

use crate::settings::{LANES, QUICK};

/// The order of a batch:
///
/// 1. Listings whose timing is their own work (`alone`) go first, one at a time, while
///    nothing else runs.
/// 2. Then every other listing starts, side by side.
/// 3. The listings' own tests start once the quick listings of step 2 are through: those
///    recorded as ending within [`QUICK`]. Their tests spawn processes and servers in
///    bursts, which would make a listing that fetches or spawns print late. What is left
///    by then (the chores) sleeps. The tests run [`LANES`] executables at a time, at
///    ordinary priority (see [`crate::priority`]).
pub struct Batch {
    left: Mutex<Left>,
    changed: Condvar,
    alone: Mutex<()>,
    /// The shared listings recorded as ending within [`QUICK`].
    quick: BTreeSet<String>,
}

/// What a batch is still waiting for.
struct Left {
    alone: usize,
    unlaunched: usize,
    quick: usize,
    free_lanes: usize,
}

impl Batch {
    /// A batch that will record exactly these listings.
    pub fn new<'a>(listings: impl IntoIterator<Item = &'a Listing>) -> Batch {
        let (alone, shared): (Vec<&Listing>, Vec<&Listing>) =
            listings.into_iter().partition(|l| l.run.alone);
        // A listing without a usable recording counts as quick: its check fails anyway.
        let quick: BTreeSet<String> = shared
            .iter()
            .filter(|l| l.transcript().map_or(true, |t| t.end <= QUICK))
            .map(|l| l.name.clone())
            .collect();
        Batch {
            left: Mutex::new(Left {
                alone: alone.len(),
                unlaunched: shared.len(),
                quick: quick.len(),
                free_lanes: LANES,
            }),
            changed: Condvar::new(),
            alone: Mutex::new(()),
            quick,
        }
    }

    fn left(&self) -> MutexGuard<'_, Left> {
        self.left.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait_until(&self, ready: impl Fn(&Left) -> bool) -> MutexGuard<'_, Left> {
        let mut left = self.left();
        while !ready(&left) {
            left = self
                .changed
                .wait(left)
                .unwrap_or_else(PoisonError::into_inner);
        }
        left
    }

    /// Runs a listing as its transcript records it, in its turn.
    pub fn record(
        &self,
        listing: &Listing,
        exes: &BTreeMap<String, PathBuf>,
    ) -> Result<Run, String> {
        if listing.run.alone {
            let _one_at_a_time = self.alone.lock().unwrap_or_else(PoisonError::into_inner);
            let _counted = CountDown(self, |left| &mut left.alone);
            crate::run::record_listing(listing, exes, &mut || {})
        } else {
            drop(self.wait_until(|left| left.alone == 0));
            let _quick = self
                .quick
                .contains(&listing.name)
                .then(|| CountDown(self, |left: &mut Left| &mut left.quick));
            let mut launch = Some(CountDown(self, |left: &mut Left| &mut left.unlaunched));
            crate::run::record_listing(listing, exes, &mut || drop(launch.take()))
        }
    }

    /// Counts off a listing of the batch that will not be recorded after all (its build
    /// failed), so that the listings waiting for it go on.
    pub fn withdraw(&self, listing: &Listing) {
        let mut left = self.left();
        if listing.run.alone {
            left.alone = left.alone.saturating_sub(1);
        } else {
            left.unlaunched = left.unlaunched.saturating_sub(1);
            if self.quick.contains(&listing.name) {
                left.quick = left.quick.saturating_sub(1);
            }
        }
        self.changed.notify_all();
    }

    /// Runs a listing's test executables and doctests, in their turn: once the quick
    /// listings of the batch are through, in one of [`LANES`] lanes.
    pub fn test(&self, listing: &Listing, exes: &[TestExe]) -> Result<(), String> {
        self.wait_until(|l| {
            l.alone == 0 && l.unlaunched == 0 && l.quick == 0 && l.free_lanes > 0
        })
        .free_lanes -= 1;
        let _lane = Lane(self);
        let mut failures: Vec<String> = exes
            .iter()
            .filter_map(|exe| {
                crate::run::test_binary(&exe.path, &listing.dir)
                    .err()
                    .map(|e| format!("{} tests of {}: {e}", exe.target, listing.name))
            })
            .collect();
        if listing.library {
            failures.extend(crate::cargo::doctests(listing).err());
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n"))
        }
    }
}

/// Gives a test lane back however the tests end.
struct Lane<'a>(&'a Batch);

impl Drop for Lane<'_> {
    fn drop(&mut self) {
        self.0.left().free_lanes += 1;
        self.0.changed.notify_all();
    }
}

/// Counts one off a batch's [`Left`] however the run ends, and wakes whoever waits.
struct CountDown<'a, F: Fn(&mut Left) -> &mut usize>(&'a Batch, F);

impl<F: Fn(&mut Left) -> &mut usize> Drop for CountDown<'_, F> {
    fn drop(&mut self) {
        let mut left = self.0.left();
        let count = (self.1)(&mut left);
        *count = count.saturating_sub(1);
        self.0.changed.notify_all();
    }
}
