//! Every part of the run is reported, the temporary directory is gone after every run, and a
//! malformed query is an error. (Bad arguments and bad database files, which the listing
//! refuses before it writes anything, are case files in `tests/cmd/`.)

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

const EXE: &str = env!("CARGO_BIN_EXE_db-sqlite");

/// Runs the listing with `TMPDIR` set to `tmp`, which `tempfile` honours.
fn run_in(tmp: &Path, args: &[&str]) -> Output {
    Command::new(EXE)
        .args(args)
        .env("TMPDIR", tmp)
        .output()
        .expect("the listing starts")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_empty(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Exit code 1 and one line on stderr, `error: ` and then text containing each of `parts`.
fn assert_error(output: &Output, parts: &[&str]) {
    let stderr = stderr(output);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for part in parts {
        assert!(stderr.contains(part), "expected `{part}` in `{stderr}`");
    }
}

#[test]
fn a_default_run_reports_every_step_and_leaves_nothing_behind() {
    let tmp = TempDir::new().unwrap();
    let output = run_in(tmp.path(), &[]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let stdout = stdout(&output);
    for line in [
        "20 tasks inserted 100 orders in ",
        "The table holds 100 orders\n",
        "outsider: cannot write at ",
        "Before the transaction: 103 orders\n",
        "Inside it, after the first insert: 104 orders\n",
        "After the rollback: 103 orders\n",
    ] {
        assert!(stdout.contains(line), "expected `{line}` in:\n{stdout}");
    }
    assert!(stdout.contains("database is locked"), "{stdout}");
    assert!(stdout.contains("CHECK constraint failed"), "{stdout}");
    // The writers take turns: each commits before the next one has the lock.
    let writers: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("writer "))
        .map(|l| l.split(" at ").next().unwrap())
        .collect();
    let mut expected = Vec::new();
    for id in 1..=3 {
        expected.push(format!("writer {id}: has the write lock"));
        expected.push(format!("writer {id}: committed"));
    }
    assert_eq!(writers, expected);
    // The readers never see a row that is not committed yet.
    for id in 1..=3 {
        let line = format!("reader {id}: counted 100 orders, and is done at ");
        assert!(stdout.contains(&line), "expected `{line}` in:\n{stdout}");
    }
    assert_empty(tmp.path());
}

#[test]
fn a_malformed_query_is_reported_and_the_directory_still_goes() {
    let tmp = TempDir::new().unwrap();
    let output = run_in(tmp.path(), &["--query", "SELEC count(*) FROM orders"]);
    assert_error(
        &output,
        &["query `SELEC count(*) FROM orders` failed", "syntax error"],
    );
    assert_empty(tmp.path());
}

#[test]
fn a_query_prints_its_rows() {
    let tmp = TempDir::new().unwrap();
    let sql =
        "SELECT customer, quantity, NULL FROM orders WHERE customer LIKE 'writer %' ORDER BY id";
    let output = run_in(tmp.path(), &["--query", sql]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let stdout = stdout(&output);
    let rows: Vec<&str> = stdout.lines().rev().take(3).collect();
    assert_eq!(
        rows,
        [
            "writer 3 | 1 | NULL",
            "writer 2 | 1 | NULL",
            "writer 1 | 1 | NULL"
        ]
    );
}

#[test]
fn a_query_cannot_write() {
    let tmp = TempDir::new().unwrap();
    let output = run_in(tmp.path(), &["--query", "DELETE FROM orders"]);
    assert_error(&output, &["attempt to write a readonly database"]);
    assert_empty(tmp.path());
}

#[test]
fn a_database_file_given_is_kept_and_never_overwritten() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("shop.db");
    let first = run_in(tmp.path(), &["--db", path.to_str().unwrap()]);
    assert!(first.status.success(), "stderr: {}", stderr(&first));
    assert!(path.is_file(), "{} is kept", path.display());
    let second = run_in(tmp.path(), &["--db", path.to_str().unwrap()]);
    assert_error(&second, &["cannot create the table", "already exists"]);
}
