//! Every byte written is read back, and the temporary directory is gone after every run,
//! whether the run succeeds or fails partway. (Bad arguments, which stop the run before it
//! writes anything, are case files in `tests/cmd/`.)

use snapbox::cmd::{Command, OutputAssert, cargo_bin};
use tempfile::TempDir;

/// Runs the listing with `TMPDIR`, which `tempfile` honours, set to a fresh folder, checks
/// that the run left that folder empty, and returns the run for more checks.
///
/// With `size_limit`, the listing runs under a file-size limit of one block (512 or 1024
/// bytes, depending on the shell), as a quota would impose. Writing past it fails with
/// `EFBIG`, "File too large", once the shell has told the kernel to return that error
/// instead of sending `SIGXFSZ`, which would kill the process before any destructor ran.
fn run(args: &[&str], size_limit: bool) -> OutputAssert {
    let exe = cargo_bin!("files-read-lines");
    let command = if size_limit {
        let script = r#"ulimit -f 1 && trap '' XFSZ && exec "$0" "$@""#;
        Command::new("sh").arg("-c").arg(script).arg(exe)
    } else {
        Command::new(exe)
    };
    let tmp = TempDir::new().unwrap();
    let run = command.args(args).env("TMPDIR", tmp.path()).assert();
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    run
}

#[test]
fn a_successful_run_leaves_no_temporary_directory_behind() {
    run(&["3", "1234"], false).success().stdout_eq(
        "Wrote 3 files of 1234 bytes, 3702 bytes in all\n\
         Read back 39 lines, 3702 bytes: 3 of 3 files as written\n\
         Elapsed: [..]s\n",
    );
}

#[cfg(unix)]
#[test]
fn a_run_that_fails_partway_leaves_no_temporary_directory_behind() {
    // The files were created in the temporary directory and then failed to grow.
    run(&["3", "4000"], true)
        .code(1)
        .stdout_eq("")
        .stderr_eq("error: 0.txt: [..]\n");
}
