//! The crawler against a demo site of each test's own: every page is fetched once, a page
//! that fails costs its own line and nothing else, and no more than MAX_IN_FLIGHT requests
//! run at once. (Bad arguments, which clap turns away with exit code 2, are case files in
//! `tests/cmd/`.)

use std::time::Duration;

use demo_site::testing::{Run, refused_url, site};

fn run(args: &[&str]) -> Run {
    demo_site::testing::run(env!("CARGO_BIN_EXE_exercise-polite-crawler"), args)
}

/// The result lines, `0.52s  URL  outcome`, as (URL, outcome), sorted: which comes first
/// depends on the delays, which most tests leave open. The first line, `0.00s  crawling …`,
/// and the summary's indented lines are not results.
fn results(stdout: &str) -> Vec<(String, String)> {
    let mut results: Vec<(String, String)> = stdout
        .lines()
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| {
            let (_stamp, rest) = line.split_once("s  ")?;
            let (url, outcome) = rest.split_once("  ")?;
            Some((url.to_owned(), outcome.to_owned()))
        })
        .collect();
    results.sort();
    results
}

#[test]
fn every_page_is_fetched_once_and_failures_lose_nothing() {
    let site = site();
    let run = run(&[&format!("{site}/crawl/1"), "2"]);
    assert_eq!(run.code, Some(1), "stderr:\n{}", run.stderr);
    let expected = [
        ("/crawl/1", "links: 4, new: 4"),
        ("/crawl/2?delay_ms=300", "links: 3, new: 2"),
        ("/crawl/3?delay_ms=700", "links: 2, new: 1"),
        ("/crawl/4?delay_ms=400", "links: 2, new: 0"),
        ("/error?delay_ms=400", "error: 500 Internal Server Error"),
        ("/missing?delay_ms=200", "error: 404 Not Found"),
        ("/slow", "error: timed out after 1 s"),
    ];
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(path, outcome)| (format!("{site}{path}"), (*outcome).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(results(&run.stdout), expected, "{}", run.stdout);
    let summary = format!(
        "URLs found: 8 (4 fetched, 3 failed, 1 not followed)\n\
         \x20 failed        {site}/missing?delay_ms=200  404 Not Found\n\
         \x20 failed        {site}/error?delay_ms=400  500 Internal Server Error\n\
         \x20 failed        {site}/slow  timed out after 1 s\n\
         \x20 not followed  https://tokio.rs/  another site\n\
         Elapsed: "
    );
    assert!(run.stdout.contains(&summary), "{}", run.stdout);
}

#[test]
fn at_most_max_in_flight_requests_are_in_flight() {
    let site = site();
    let start = format!("{site}/crawl/1");
    // One at a time, the seven requests take the sum of their times: 3.5 s.
    let one = run(&[&start, "1"]);
    assert!(
        one.took >= Duration::from_millis(3500),
        "took {:?}",
        one.took
    );
    // Two at a time: 2.2 s, where three or more at once would be done after 1.8 s.
    let two = run(&[&start, "2"]);
    assert!(
        two.took >= Duration::from_millis(2200),
        "took {:?}",
        two.took
    );
    assert!(
        two.took < Duration::from_millis(3300),
        "took {:?}",
        two.took
    );
    for run in [one, two] {
        assert_eq!(run.code, Some(1), "stderr:\n{}", run.stderr);
        let summary = "\nURLs found: 8 (4 fetched, 3 failed, 1 not followed)\n";
        assert!(run.stdout.contains(summary), "{}", run.stdout);
    }
}

#[test]
fn a_page_that_takes_too_long_times_out_after_one_second() {
    let site = site();
    let url = format!("{site}/slow?delay_ms=0");
    let run = run(&[&url]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        results(&run.stdout),
        [(url, "error: timed out after 1 s".to_owned())]
    );
    assert!(run.took >= Duration::from_secs(1), "took {:?}", run.took);
    assert!(run.took < Duration::from_secs(3), "took {:?}", run.took);
}

#[test]
fn a_failing_start_url_is_reported_in_the_summary() {
    for (url, problem) in [
        (format!("{}/missing?delay_ms=0", site()), "404 Not Found"),
        (refused_url(), "could not connect"),
    ] {
        let run = run(&[&url, "3"]);
        assert_eq!(run.code, Some(1), "{url}");
        assert_eq!(
            results(&run.stdout),
            [(url.clone(), format!("error: {problem}"))]
        );
        let summary = format!(
            "URLs found: 1 (0 fetched, 1 failed, 0 not followed)\n  failed        {url}  {problem}\n"
        );
        assert!(run.stdout.contains(&summary), "{}", run.stdout);
    }
}

#[test]
fn a_page_without_links_is_the_whole_crawl_and_exits_0() {
    let url = format!("{}/pages/1?delay_ms=0", site());
    // Without MAX_IN_FLIGHT, two at a time.
    let run = run(&[&url]);
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    assert!(
        run.stdout
            .starts_with(&format!("0.00s  crawling {url}, max in flight: 2\n")),
        "{}",
        run.stdout
    );
    assert_eq!(results(&run.stdout), [(url, "links: 0, new: 0".to_owned())]);
    assert!(
        run.stdout
            .contains("\nURLs found: 1 (1 fetched, 0 failed, 0 not followed)\nElapsed: ")
    );
}
