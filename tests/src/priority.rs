//! Who gets the CPU first while the checks run.
//!
//! A recorded line is late when the listing, the demo site it fetches from, or the harness
//! thread that stamps the line waits for a CPU. The listings do little work (the sync HTTP
//! listing uses 40 ms of CPU in its 5 s run) but wake up often, across processes: each
//! request is a wake-up of the listing, of the site, and of the stamping thread. With two
//! busy loops beside the suite, every wake-up queues behind a loop for a few milliseconds,
//! and over ten requests that added up to 150–280 ms.
//!
//! So the harness runs itself, and with it every recording and demo site it starts, at
//! [`FAVOURED`] niceness when the system allows it (as root, or with a raised
//! `RLIMIT_NICE`), and puts what it starts besides (cargo, the listings' own tests) back at
//! the niceness it started with. Those must not go lower than that: the own tests have
//! timing assertions of their own, and below two busy loops they would starve.

use std::process::Command;
use std::sync::atomic::{AtomicI32, Ordering};

pub use crate::settings::FAVOURED;

/// The niceness the harness started with.
static BASE: AtomicI32 = AtomicI32::new(0);

/// Raises the calling thread, and every thread and process it starts afterwards, to
/// [`FAVOURED`] niceness. Call it first thing in `main`: on Linux niceness belongs to a
/// thread and is inherited by what it creates. Returns whether it was allowed.
pub fn favour_recordings() -> bool {
    // SAFETY: `getpriority` and `setpriority` read and set the calling thread's niceness;
    // they touch no memory of ours.
    unsafe {
        let base = libc::getpriority(libc::PRIO_PROCESS, 0);
        BASE.store(base, Ordering::Relaxed);
        base <= FAVOURED || libc::setpriority(libc::PRIO_PROCESS, 0, FAVOURED) == 0
    }
}

/// Makes `command` run at the niceness the harness started with, not at [`FAVOURED`].
pub fn ordinary(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    let nice = BASE.load(Ordering::Relaxed);
    // SAFETY: the closure runs in the child between fork and exec, and only makes the
    // async-signal-safe `setpriority` system call.
    unsafe {
        command.pre_exec(move || {
            // Lowering one's own priority is always allowed; if it fails, the child simply
            // runs at the harness's priority.
            libc::setpriority(libc::PRIO_PROCESS, 0, nice);
            Ok(())
        });
    }
}
