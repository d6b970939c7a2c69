//! One bad URL costs one line of output, never the others: a 404, a 500, a refused
//! connection, a malformed URL and a timeout each print an error for their own URL, the
//! good pages still print their titles, and the exit code says that something failed.
//! LIMIT caps how many URLs are fetched and PARALLEL how many at once.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A demo site of this test's own, on a free loopback port: `http://127.0.0.1:<port>`.
fn site() -> String {
    let addr = demo_site::spawn_on_loopback().expect("the demo site starts");
    format!("http://{addr}")
}

/// Writes `lines` to a URL file in a fresh temporary folder, which lives as long as the
/// returned `TempDir`.
fn url_file(lines: &[String]) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("urls.txt");
    std::fs::write(&path, lines.join("\n")).expect("the URL file is written");
    (dir, path)
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(args: &[&str]) -> Run {
    let start = Instant::now();
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_http-requests-async-queue"))
        .args(args)
        .output()
        .expect("the listing starts");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        took: start.elapsed(),
    }
}

/// Runs the listing on a file of `urls`, with room for all of them, two at a time.
fn run_on(urls: &[String]) -> Run {
    run_with("100", "2", urls)
}

fn run_with(limit: &str, parallel: &str, urls: &[String]) -> Run {
    let (_dir, path) = url_file(urls);
    run(&[limit, parallel, path.to_str().expect("a UTF-8 path")])
}

/// The per-URL lines, sorted: they print in completion order, which these tests leave open.
fn sorted_results(stdout: &str) -> Vec<(String, String)> {
    let mut results = results(stdout);
    results.sort();
    results
}

/// The per-URL lines as (URL, outcome), in the order printed. The URL is padded with
/// spaces to the widest one, and at least two separate it from the outcome.
fn results(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(url, outcome)| (url.to_owned(), outcome.trim_start().to_owned()))
        .collect()
}

/// Three quick pages, whose titles must print whatever else goes wrong.
fn good_pages(site: &str) -> Vec<String> {
    (1..=3)
        .map(|n| format!("{site}/pages/{n}?delay_ms=0"))
        .collect()
}

/// Runs the listing on the good pages with `bad` in the middle, and checks that `bad`, and
/// only `bad`, failed with `problem`. Returns the run for further checks.
fn assert_fails_alone(site: &str, bad: &str, problem: &str) -> Run {
    let mut urls = good_pages(site);
    urls.insert(1, bad.to_owned());
    let run = run_on(&urls);
    assert_eq!(run.code, Some(1), "stdout:\n{}", run.stdout);
    let mut expected: Vec<(String, String)> = urls
        .iter()
        .zip(["Page 1", &format!("error: {problem}"), "Page 2", "Page 3"])
        .map(|(url, outcome)| (url.clone(), outcome.to_owned()))
        .collect();
    expected.sort();
    assert_eq!(sorted_results(&run.stdout), expected);
    assert!(
        run.stdout.contains("\n3 fetched, 1 failed\n"),
        "{}",
        run.stdout
    );
    run
}

#[test]
fn a_404_fails_that_url_only() {
    let site = site();
    assert_fails_alone(
        &site,
        &format!("{site}/missing?delay_ms=0"),
        "404 Not Found",
    );
}

#[test]
fn a_500_fails_that_url_only() {
    let site = site();
    let bad = format!("{site}/error?delay_ms=0");
    assert_fails_alone(&site, &bad, "500 Internal Server Error");
}

#[test]
fn a_refused_connection_fails_that_url_only() {
    // A port that was free a moment ago, and has nobody listening now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let bad = format!("http://127.0.0.1:{port}/");
    assert_fails_alone(&site(), &bad, "could not connect");
}

#[test]
fn a_malformed_url_fails_that_url_only() {
    let problem = "invalid URL (relative URL without a base)";
    assert_fails_alone(&site(), "not a url", problem);
}

#[test]
fn a_too_slow_page_times_out_and_fails_that_url_only() {
    let site = site();
    let bad = format!("{site}/slow?delay_ms=0");
    let run = assert_fails_alone(&site, &bad, "timed out after 2 s");
    assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
}

#[test]
fn good_urls_exit_0_and_untitled_pages_say_missing() {
    let site = site();
    let mut urls = good_pages(&site);
    urls.push(format!("{site}/untitled?delay_ms=0"));
    let run = run_on(&urls);
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    let outcomes: Vec<String> = sorted_results(&run.stdout)
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(outcomes, ["Page 1", "Page 2", "Page 3", "Missing"]);
    assert!(run.stdout.contains("\n4 fetched, 0 failed\nElapsed: "));
}

#[test]
fn blank_lines_and_comments_are_skipped() {
    let site = site();
    let good = good_pages(&site);
    let lines = ["# a comment", &good[0], "   ", "", &good[1]].map(str::to_owned);
    let run = run_on(&lines);
    assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
    let urls: Vec<String> = sorted_results(&run.stdout)
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(urls, good[..2]);
}

#[test]
fn only_the_first_limit_urls_are_fetched() {
    let site = site();
    let urls = good_pages(&site);
    let run = run_with("2", "2", &urls);
    assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
    let fetched: Vec<String> = sorted_results(&run.stdout)
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(fetched, urls[..2]);
    assert!(run.stdout.contains("\n2 fetched, 0 failed\n"));
}

#[test]
fn at_most_parallel_requests_are_in_flight() {
    let site = site();
    let urls: Vec<String> = (1..=4)
        .map(|n| format!("{site}/pages/{n}?delay_ms=500"))
        .collect();
    // Two at a time: two rounds of 500 ms.
    let two = run_with("4", "2", &urls);
    assert_eq!(two.code, Some(0), "stdout:\n{}", two.stdout);
    assert!(
        two.took >= Duration::from_millis(1000),
        "took {:?}",
        two.took
    );
    // All four at once: one round.
    let four = run_with("4", "4", &urls);
    assert_eq!(four.code, Some(0), "stdout:\n{}", four.stdout);
    assert!(
        four.took < Duration::from_millis(1000),
        "took {:?}",
        four.took
    );
}

#[test]
fn results_print_in_completion_order() {
    let site = site();
    let slow = format!("{site}/pages/1?delay_ms=800");
    let quick = format!("{site}/pages/2?delay_ms=100");
    let run = run_with("2", "2", &[slow.clone(), quick.clone()]);
    assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
    let printed: Vec<String> = results(&run.stdout).into_iter().map(|r| r.0).collect();
    assert_eq!(printed, [quick, slow]);
}

#[test]
fn bad_limit_or_parallel_prints_usage_and_exits_2() {
    for (args, problem) in [
        (
            ["0", "2", "urls.txt"],
            "LIMIT must be a whole number above 0, not `0`",
        ),
        (
            ["5", "x", "urls.txt"],
            "PARALLEL must be a whole number above 0, not `x`",
        ),
    ] {
        let run = run(&args);
        assert_eq!(run.code, Some(2), "{args:?}");
        let usage = "usage: http-requests-async-queue LIMIT PARALLEL URLFILE";
        assert_eq!(run.stderr, format!("{usage}\nerror: {problem}\n"));
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn no_arguments_prints_usage_and_exits_2() {
    let run = run(&[]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "usage: http-requests-async-queue LIMIT PARALLEL URLFILE\n\
         error: expected 3 arguments, not 0\n"
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn unreadable_url_file_is_named_and_exits_1() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("no-such-file.txt");
    let path = path.to_str().expect("a UTF-8 path");
    let run = run(&["5", "2", path]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with(&format!("error: cannot read {path}: ")),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}
