//! A page that was fetched prints four lines and exits 0. Anything else prints one error
//! naming the URL and exits 1, or, for a missing or malformed URL, the usage and exits 2.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A demo site of this test's own, on a free loopback port: `http://127.0.0.1:<port>`.
fn site() -> String {
    let addr = demo_site::spawn_on_loopback().expect("the demo site starts");
    format!("http://{addr}")
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
    } = Command::new(env!("CARGO_BIN_EXE_async-http-request"))
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

/// Exit code 1, nothing on stdout, and one line on stderr: the URL and the problem.
fn assert_fails(url: &str, problem: &str) -> Run {
    let run = run(&[url]);
    assert_eq!(run.code, Some(1), "stdout:\n{}", run.stdout);
    assert_eq!(run.stderr, format!("error: {url}: {problem}\n"));
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    run
}

fn assert_usage_error(args: &[&str], problem: &str) {
    let run = run(args);
    assert_eq!(run.code, Some(2), "{args:?}");
    let usage = "usage: async-http-request URL (for example https://www.python.org/)";
    assert_eq!(run.stderr, format!("{usage}\nerror: {problem}\n"));
    assert!(run.stdout.is_empty());
}

#[test]
fn a_page_prints_its_status_size_title_and_ok() {
    let run = run(&[&format!("{}/pages/7?delay_ms=0", site())]);
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
    let run = run(&[&format!("{}/untitled?delay_ms=0", site())]);
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
    // A port that was free a moment ago, and has nobody listening now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    assert_fails(&format!("http://127.0.0.1:{port}/"), "could not connect");
}

#[test]
fn a_too_slow_page_times_out() {
    let url = format!("{}/slow?delay_ms=0", site());
    let run = assert_fails(&url, "timed out after 2 s");
    assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
}

#[test]
fn a_malformed_url_prints_usage_and_exits_2() {
    let problem = "`not a url` is not a URL: relative URL without a base";
    assert_usage_error(&["not a url"], problem);
}

#[test]
fn no_arguments_prints_usage_and_exits_2() {
    assert_usage_error(&[], "missing the URL");
}

#[test]
fn a_second_url_prints_usage_and_exits_2() {
    let args = ["http://127.0.0.1:1/", "http://127.0.0.1:2/"];
    assert_usage_error(&args, "unexpected argument `http://127.0.0.1:2/`");
}
