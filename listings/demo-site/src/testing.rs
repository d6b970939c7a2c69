//! What the HTTP listings' own tests share, so that each of them holds only what is its own:
//! a demo site for each test, a timed run of a listing, and the checks that every listing
//! reading a file of URLs must pass, one `#[test]` each, from [`url_file_listing_tests!`].
//!
//! [`url_file_listing_tests!`]: crate::url_file_listing_tests

use std::process::Command;
use std::time::{Duration, Instant};

/// A demo site of the calling test's own, on a free loopback port: `http://127.0.0.1:<port>`.
pub fn site() -> String {
    let addr = crate::spawn_on_loopback().expect("the demo site starts");
    format!("http://{addr}")
}

/// A URL on a port that was free a moment ago and has nobody listening now.
pub fn refused_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    format!("http://127.0.0.1:{port}/")
}

/// How a run of a listing ended, and how long it took.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// Runs the program `exe`, such as `env!("CARGO_BIN_EXE_async-http-request")`, to the end.
pub fn run(exe: &str, args: &[&str]) -> Run {
    let start = Instant::now();
    let output = Command::new(exe)
        .args(args)
        .output()
        .expect("the listing starts");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        took: start.elapsed(),
    }
}

/// The per-URL lines as (URL, outcome), in the order printed. The URL is padded with
/// spaces to the widest one, and at least two separate it from the outcome.
pub fn results(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(url, outcome)| (url.to_owned(), outcome.trim_start().to_owned()))
        .collect()
}

/// The URLs of pages 1 to `count`, each answered after `delay_ms`.
pub fn pages(site: &str, count: u32, delay_ms: u64) -> Vec<String> {
    (1..=count)
        .map(|n| format!("{site}/pages/{n}?delay_ms={delay_ms}"))
        .collect()
}

/// Three quick pages, whose titles must print whatever else goes wrong.
pub fn good_pages(site: &str) -> Vec<String> {
    pages(site, 3, 0)
}

/// A listing that fetches the URLs of a file, prints a line for each, `URL  title` or
/// `URL  error: problem`, then `N fetched, M failed` and the time, and exits 1 if any failed.
pub struct UrlFileListing {
    exe: &'static str,
    args: &'static [&'static str],
    in_file_order: bool,
}

impl UrlFileListing {
    /// The program `exe`, `env!("CARGO_BIN_EXE_<name>")`, which takes the URL file alone and
    /// prints its lines in the file's order.
    pub const fn in_file_order(exe: &'static str) -> Self {
        Self {
            exe,
            args: &[],
            in_file_order: true,
        }
    }

    /// The program `exe`, which takes `args` before the URL file and prints its lines as the
    /// answers come, so the checks compare them sorted.
    pub const fn in_answer_order(exe: &'static str, args: &'static [&'static str]) -> Self {
        Self {
            exe,
            args,
            in_file_order: false,
        }
    }

    /// Runs the listing on a file of `urls`.
    pub fn run_on(&self, urls: &[String]) -> Run {
        self.run_with(self.args, urls)
    }

    /// Runs the listing with `args`, instead of its usual ones, before a file of `urls`.
    pub fn run_with(&self, args: &[&str], urls: &[String]) -> Run {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("urls.txt");
        std::fs::write(&path, urls.join("\n")).expect("the URL file is written");
        let mut args = args.to_vec();
        args.push(path.to_str().expect("a UTF-8 path"));
        run(self.exe, &args)
    }

    /// The per-URL lines of `stdout`, as [`results`] gives them, in an order the checks can
    /// compare: as printed, or sorted.
    pub fn results(&self, stdout: &str) -> Vec<(String, String)> {
        let mut results = results(stdout);
        if !self.in_file_order {
            results.sort();
        }
        results
    }

    /// Runs the listing on the good pages with `bad` in the middle, and checks that `bad`,
    /// and only `bad`, failed with `problem`. Returns the run for further checks.
    pub fn assert_fails_alone(&self, site: &str, bad: &str, problem: &str) -> Run {
        let mut urls = good_pages(site);
        urls.insert(1, bad.to_owned());
        let run = self.run_on(&urls);
        assert_eq!(run.code, Some(1), "stdout:\n{}", run.stdout);
        let mut expected: Vec<(String, String)> = urls
            .iter()
            .zip(["Page 1", &format!("error: {problem}"), "Page 2", "Page 3"])
            .map(|(url, outcome)| (url.clone(), outcome.to_owned()))
            .collect();
        if !self.in_file_order {
            expected.sort();
        }
        assert_eq!(self.results(&run.stdout), expected);
        assert!(
            run.stdout.contains("\n3 fetched, 1 failed\n"),
            "{}",
            run.stdout
        );
        run
    }

    // The checks, one `#[test]` each through `url_file_listing_tests!`. Each starts a site
    // of its own, so they can run side by side.

    pub fn a_404_fails_that_url_only(&self) {
        let site = site();
        let bad = format!("{site}/missing?delay_ms=0");
        self.assert_fails_alone(&site, &bad, "404 Not Found");
    }

    pub fn a_500_fails_that_url_only(&self) {
        let site = site();
        let bad = format!("{site}/error?delay_ms=0");
        self.assert_fails_alone(&site, &bad, "500 Internal Server Error");
    }

    pub fn a_refused_connection_fails_that_url_only(&self) {
        self.assert_fails_alone(&site(), &refused_url(), "could not connect");
    }

    pub fn a_malformed_url_fails_that_url_only(&self) {
        let problem = "invalid URL (relative URL without a base)";
        self.assert_fails_alone(&site(), "not a url", problem);
    }

    pub fn a_too_slow_page_times_out_and_fails_that_url_only(&self) {
        let site = site();
        let bad = format!("{site}/slow?delay_ms=0");
        let run = self.assert_fails_alone(&site, &bad, "timed out after 2 s");
        assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
    }

    pub fn good_urls_exit_0_and_untitled_pages_say_missing(&self) {
        let site = site();
        let mut urls = good_pages(&site);
        urls.push(format!("{site}/untitled?delay_ms=0"));
        let run = self.run_on(&urls);
        assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
        let outcomes: Vec<String> = self.results(&run.stdout).into_iter().map(|r| r.1).collect();
        assert_eq!(outcomes, ["Page 1", "Page 2", "Page 3", "Missing"]);
        assert!(run.stdout.contains("\n4 fetched, 0 failed\nElapsed: "));
    }

    pub fn blank_lines_and_comments_are_skipped(&self) {
        let site = site();
        let good = good_pages(&site);
        let lines = ["# a comment", &good[0], "   ", "", &good[1]].map(str::to_owned);
        let run = self.run_on(&lines);
        assert_eq!(run.code, Some(0), "stdout:\n{}", run.stdout);
        let urls: Vec<String> = self.results(&run.stdout).into_iter().map(|r| r.0).collect();
        assert_eq!(urls, good[..2]);
    }
}

/// Defines, in the test file that calls it, one `#[test]` for each check that every
/// [`UrlFileListing`](crate::testing::UrlFileListing) passes, named as the method it calls.
/// `url_file_listing_tests!(LISTING)` runs them on a `const LISTING: UrlFileListing`.
#[macro_export]
macro_rules! url_file_listing_tests {
    (@each $listing:expr; $($check:ident),+ $(,)?) => {
        $(
            #[test]
            fn $check() {
                $listing.$check();
            }
        )+
    };
    ($listing:expr) => {
        $crate::url_file_listing_tests!(
            @each $listing;
            a_404_fails_that_url_only,
            a_500_fails_that_url_only,
            a_refused_connection_fails_that_url_only,
            a_malformed_url_fails_that_url_only,
            a_too_slow_page_times_out_and_fails_that_url_only,
            good_urls_exit_0_and_untitled_pages_say_missing,
            blank_lines_and_comments_are_skipped,
        );
    };
}
