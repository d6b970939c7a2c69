//! The worker count is checked before any work starts: a bad one is a usage error, exit code 2.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_async-queue"))
        .args(args)
        .output()
        .expect("the listing starts")
}

/// Exit code 2, usage first on stderr, then a line naming the problem, and nothing on stdout.
fn assert_usage_error(output: &Output, problem: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    let mut lines = stderr.lines();
    assert_eq!(lines.next(), Some("usage: async-queue WORKERS"));
    let reason = lines.next().unwrap_or_default();
    assert!(
        reason.contains(problem),
        "expected `{problem}` in `{reason}`"
    );
    assert!(output.stdout.is_empty(), "no job may start");
}

#[test]
fn missing_worker_count_prints_usage_and_exits_2() {
    assert_usage_error(&run(&[]), "missing the number of workers");
}

#[test]
fn non_numeric_worker_count_prints_usage_and_exits_2() {
    assert_usage_error(&run(&["abc"]), "`abc`");
}

#[test]
fn zero_workers_prints_usage_and_exits_2() {
    assert_usage_error(&run(&["0"]), "`0`");
}
