//! What the request listings rely on: titled pages, an untitled one, real error statuses,
//! linked pages to crawl, the delay, answers that overlap, and the first line the checks
//! read to find the site. (A bad PORT argument is a case file in `tests/cmd/`.)

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use demo_site::DEFAULT_DELAY;
use futures::future::join_all;
use reqwest::StatusCode;

/// GETs `path` from a fresh site; returns the status, the body and how long it took.
async fn get(path: &str) -> (StatusCode, String, Duration) {
    let addr = demo_site::spawn_on_loopback().expect("the site starts");
    let start = Instant::now();
    let response = reqwest::get(format!("http://{addr}{path}"))
        .await
        .expect("the site answers");
    let status = response.status();
    let body = response.text().await.expect("a readable body");
    (status, body, start.elapsed())
}

#[tokio::test]
async fn numbered_pages_are_titled_with_their_number() {
    for n in [1, 7, 42] {
        let (status, body, _) = get(&format!("/pages/{n}?delay_ms=0")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&format!("<title>Page {n}</title>")), "{body}");
    }
}

#[tokio::test]
async fn untitled_page_has_no_title() {
    let (status, body, _) = get("/untitled?delay_ms=0").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("<title"), "{body}");
}

#[tokio::test]
async fn unknown_paths_are_404() {
    for path in ["/missing", "/pages/abc", "/pages/1/2"] {
        let (status, _, _) = get(&format!("{path}?delay_ms=0")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn crawl_pages_hold_their_links_and_no_others() {
    for (n, links) in (1..).zip(demo_site::CRAWL_LINKS) {
        let (status, body, _) = get(&format!("/crawl/{n}?delay_ms=0")).await;
        assert_eq!(status, StatusCode::OK, "/crawl/{n}");
        assert!(
            body.contains(&format!("<title>Crawl {n}</title>")),
            "{body}"
        );
        for href in links {
            assert!(body.contains(&format!("<a href=\"{href}\">")), "{body}");
        }
        assert_eq!(body.matches("<a ").count(), links.len(), "{body}");
    }
    for path in ["/crawl/0", "/crawl/5", "/crawl/x"] {
        let (status, _, _) = get(&format!("{path}?delay_ms=0")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn error_page_is_500() {
    let (status, _, _) = get("/error?delay_ms=0").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn answers_wait_for_the_default_delay() {
    let (_, _, took) = get("/pages/1").await;
    assert!(took >= DEFAULT_DELAY, "took {took:?}");
    assert!(took < DEFAULT_DELAY * 3, "took {took:?}");
}

#[tokio::test]
async fn delay_ms_sets_the_delay() {
    let (_, _, took) = get("/pages/1?delay_ms=1200").await;
    assert!(took >= Duration::from_millis(1200), "took {took:?}");
    assert!(took < Duration::from_millis(2000), "took {took:?}");
}

#[tokio::test]
async fn malformed_delay_is_400() {
    let (status, body, _) = get("/pages/1?delay_ms=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("delay_ms"), "{body}");
}

#[tokio::test]
async fn slow_page_outlasts_a_short_timeout() {
    let addr = demo_site::spawn_on_loopback().expect("the site starts");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a client");
    let error = client
        .get(format!("http://{addr}/slow?delay_ms=0"))
        .send()
        .await
        .expect_err("/slow answers after 60 s");
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn requests_are_answered_side_by_side() {
    let addr = demo_site::spawn_on_loopback().expect("the site starts");
    let client = reqwest::Client::new();
    let start = Instant::now();
    let responses = join_all((1..=10).map(|n| {
        let url = format!("http://{addr}/pages/{n}");
        let client = client.clone();
        async move { client.get(url).send().await }
    }))
    .await;
    let took = start.elapsed();
    assert!(responses.iter().all(|r| r.is_ok()));
    // Ten answers of 500 ms each, all at once: well under the 5 s they would take in turn.
    assert!(took < DEFAULT_DELAY * 3, "took {took:?}");
}

#[test]
fn binary_announces_its_address_first() {
    let mut site = Command::new(env!("CARGO_BIN_EXE_demo-site"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("the site starts");
    let mut first = String::new();
    BufReader::new(site.stdout.take().expect("piped"))
        .read_line(&mut first)
        .expect("a first line");
    site.kill().expect("the site stops");
    site.wait().expect("the site is reaped");
    let port = first
        .trim_end()
        .strip_prefix("Listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line `{first}`"));
    assert!(port.parse::<u16>().is_ok_and(|p| p != 0), "port `{port}`");
}
