//! Bad arguments are a usage error, and the temporary directory is gone after every run,
//! whether the run succeeds or fails partway.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

const EXE: &str = env!("CARGO_BIN_EXE_files-sync");

/// Runs the listing with `TMPDIR` set to `tmp`, which `std::env::temp_dir`, and so
/// `tempfile`, honour.
fn run_in(tmp: &Path, args: &[&str]) -> Output {
    Command::new(EXE)
        .args(args)
        .env("TMPDIR", tmp)
        .output()
        .expect("the listing starts")
}

/// Runs the listing under a file-size limit of one block (512 or 1024 bytes, depending on
/// the shell), as a quota would impose. Writing past it fails with `EFBIG`, "File too
/// large", once the shell has told the kernel to return that error instead of sending
/// `SIGXFSZ`, which would kill the process before any destructor could run.
fn run_with_tiny_file_size_limit(tmp: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -f 1 && trap '' XFSZ && exec "$0" "$@""#)
        .arg(EXE)
        .args(args)
        .env("TMPDIR", tmp)
        .output()
        .expect("sh starts")
}

fn assert_empty(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Exit code 2, usage first on stderr, then a line naming the problem, and nothing on stdout.
fn assert_usage_error(args: &[&str], problem: &str) {
    let tmp = TempDir::new().unwrap();
    let output = run_in(tmp.path(), args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    let mut lines = stderr.lines();
    assert!(
        lines
            .next()
            .unwrap_or_default()
            .starts_with("usage: files-sync [FILES [SIZE]]")
    );
    let reason = lines.next().unwrap_or_default();
    assert!(
        reason.contains(problem),
        "expected `{problem}` in `{reason}`"
    );
    assert!(output.stdout.is_empty(), "nothing may be written");
    assert_empty(tmp.path());
}

#[test]
fn non_numeric_file_count_prints_usage_and_exits_2() {
    assert_usage_error(
        &["many"],
        "FILES must be a whole number above 0, not `many`",
    );
}

#[test]
fn zero_size_prints_usage_and_exits_2() {
    assert_usage_error(&["3", "0"], "SIZE must be a whole number above 0, not `0`");
}

#[test]
fn a_third_argument_prints_usage_and_exits_2() {
    assert_usage_error(&["3", "10", "20"], "unexpected argument `20`");
}

#[test]
fn a_successful_run_leaves_no_temporary_directory_behind() {
    let tmp = TempDir::new().unwrap();
    let output = run_in(tmp.path(), &["3", "1234"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("Wrote 3 files of 1234 bytes, 3702 bytes in all\nElapsed: "),
        "{stdout}"
    );
    assert_empty(tmp.path());
}

#[cfg(unix)]
#[test]
fn a_run_that_fails_partway_leaves_no_temporary_directory_behind() {
    let tmp = TempDir::new().unwrap();
    let output = run_with_tiny_file_size_limit(tmp.path(), &["3", "4000"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    // The first file was created in the temporary directory and then failed to grow.
    assert!(stderr.starts_with("error: 0.txt: "), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_empty(tmp.path());
}
