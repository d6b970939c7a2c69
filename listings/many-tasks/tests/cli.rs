//! N is checked before anything starts: a bad one is a usage error, exit code 2. A good one
//! runs, and `--memory` adds the peak memory.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_many-tasks"))
        .args(args)
        .output()
        .expect("the listing starts")
}

/// Exit code 2, usage first on stderr, then a line naming the problem, and nothing on stdout.
fn assert_usage_error(args: &[&str], problem: &str) {
    let output = run(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    let mut lines = stderr.lines();
    assert_eq!(lines.next(), Some("usage: many-tasks N [--memory]"));
    let reason = lines.next().unwrap_or_default();
    assert!(
        reason.contains(problem),
        "expected `{problem}` in `{reason}`"
    );
    assert!(output.stdout.is_empty(), "nothing may start");
}

#[test]
fn missing_count_prints_usage_and_exits_2() {
    assert_usage_error(&[], "missing the number of tasks");
}

#[test]
fn non_numeric_count_prints_usage_and_exits_2() {
    assert_usage_error(&["many"], "`many`");
}

#[test]
fn zero_prints_usage_and_exits_2() {
    assert_usage_error(&["0"], "`0`");
}

#[test]
fn negative_count_prints_usage_and_exits_2() {
    assert_usage_error(&["-5"], "`-5`");
}

#[test]
fn unknown_flag_prints_usage_and_exits_2() {
    assert_usage_error(&["10", "--verbose"], "unexpected after N: `--verbose`");
}

#[test]
fn anything_after_the_flag_prints_usage_and_exits_2() {
    assert_usage_error(
        &["10", "--memory", "now"],
        "unexpected after N: `--memory now`",
    );
}

#[test]
fn memory_flag_adds_the_peak_memory_in_mib() {
    let output = run(&["10", "--memory"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[1], "Spawned 10 tasks");
    assert!(lines[2].starts_with("Elapsed: 1."), "{stdout}");
    let mib = lines[3]
        .strip_prefix("Peak memory: ")
        .and_then(|rest| rest.strip_suffix(" MiB"))
        .and_then(|figure| figure.parse::<f64>().ok());
    // Linux has /proc; elsewhere the listing says it cannot tell.
    if cfg!(target_os = "linux") {
        assert!(mib.is_some_and(|mib| mib > 0.0), "{stdout}");
    }
}

#[test]
fn without_the_flag_there_is_no_memory_line() {
    let output = run(&["10"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(!stdout.contains("Peak memory"), "{stdout}");
}
