//! The temporary directory is gone after every run, whether the run succeeds or fails
//! partway. (Bad arguments, which stop the run before it writes anything, are case files in
//! `tests/cmd/`.)

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
    let exe = cargo_bin!("files-async");
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
    run(&["3", "1234"], false)
        .success()
        .stdout_eq("Wrote 3 files of 1234 bytes, 3702 bytes in all\nElapsed: [..]s\n");
}

/// Every file fails, each failure is reported, and the directory is still removed. With
/// 4000 bytes, less than the `BufWriter` holds, nothing reaches the file before `flush`, so
/// only the flush sees the error; with 100000 bytes, a `write_all` does.
#[cfg(unix)]
#[test]
fn a_run_that_fails_partway_reports_every_file_and_leaves_no_temporary_directory_behind() {
    for size in ["4000", "100000"] {
        run(&["3", size], true)
            .code(1)
            .stdout_eq(format!(
                "Wrote 0 files of {size} bytes, 0 bytes in all\nElapsed: [..]s\n"
            ))
            .stderr_eq(
                "error: 0.txt: [..]\n\
                 error: 1.txt: [..]\n\
                 error: 2.txt: [..]\n\
                 error: 3 of 3 files failed\n",
            );
    }
}
