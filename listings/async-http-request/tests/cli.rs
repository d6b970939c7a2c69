//! A page that was fetched prints four lines and exits 0. Anything else prints one error
//! naming the URL and exits 1. (A missing or malformed URL, which clap turns away with exit
//! code 2, is a case file in `tests/cmd/`.)

use std::time::Duration;

use demo_site::testing::{Run, refused_url, site};

const EXE: &str = env!("CARGO_BIN_EXE_async-http-request");

fn run(url: &str) -> Run {
    demo_site::testing::run(EXE, &[url])
}

/// Exit code 1, nothing on stdout, and one line on stderr: the URL and the problem.
fn assert_fails(url: &str, problem: &str) -> Run {
    let run = run(url);
    assert_eq!(run.code, Some(1), "stdout:\n{}", run.stdout);
    assert_eq!(run.stderr, format!("error: {url}: {problem}\n"));
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    run
}

#[test]
fn a_page_prints_its_status_size_title_and_ok() {
    let run = run(&format!("{}/pages/7?delay_ms=0", site()));
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let [status, size, title, ok] = lines[..] else {
        panic!("expected four lines, got:\n{}", run.stdout);
    };
    assert_eq!(status, "Status: 200 OK");
    let bytes = size
        .strip_prefix("Size: ")
        .and_then(|s| s.strip_suffix(" bytes"))
        .and_then(|n| n.parse::<usize>().ok());
    assert!(bytes.is_some_and(|n| n > 0), "{size}");
    assert_eq!(title, "Title: Page 7");
    assert_eq!(ok, "OK");
}

#[test]
fn a_page_without_a_title_says_missing() {
    let run = run(&format!("{}/untitled?delay_ms=0", site()));
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    assert!(
        run.stdout.contains("\nTitle: Missing\nOK\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_404_is_an_error() {
    assert_fails(&format!("{}/missing?delay_ms=0", site()), "404 Not Found");
}

#[test]
fn a_500_is_an_error() {
    let url = format!("{}/error?delay_ms=0", site());
    assert_fails(&url, "500 Internal Server Error");
}

#[test]
fn a_refused_connection_is_an_error() {
    assert_fails(&refused_url(), "could not connect");
}

#[test]
fn a_too_slow_page_times_out() {
    let url = format!("{}/slow?delay_ms=0", site());
    let run = assert_fails(&url, "timed out after 2 s");
    assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
}
