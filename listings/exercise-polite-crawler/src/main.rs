//! Crawls one site from a start URL, at most K requests at a time, each given up after 1 s.
//! Run: `cargo run -p exercise-polite-crawler -- http://127.0.0.1:8000/crawl/1 2`.

use std::collections::{HashSet, VecDeque};
use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use reqwest::{Client, Url};
use scraper::{Html, Selector};

/// How long one request, body included, may take.
const TIMEOUT: Duration = Duration::from_secs(1);

/// A polite crawler says who it is.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

// ANCHOR: args
/// Crawls one site from a start URL, at most MAX_IN_FLIGHT requests at a time.
#[derive(Parser)]
struct Args {
    /// Where the crawl starts; only pages on the same site are followed.
    #[arg(value_parser = http_url)]
    start_url: Url,
    /// How many requests may be in flight at once.
    // `NonZeroUsize` turns down `0` along with anything that is not a number.
    #[arg(default_value = "2")]
    // Read `-1` as a bad count, not as an unknown flag.
    #[arg(allow_negative_numbers = true)]
    max_in_flight: NonZeroUsize,
}

/// An `http://` or `https://` URL, without its fragment, which names a place in a page.
fn http_url(arg: &str) -> Result<Url, String> {
    let mut url = Url::parse(arg)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or("not an http:// or https:// URL")?;
    url.set_fragment(None);
    Ok(url)
}
// ANCHOR_END: args

// ANCHOR: fetch
/// The links on the page at `url`, or what went wrong.
async fn fetch(client: &Client, url: Url) -> Result<Vec<Url>, String> {
    let response = client.get(url).send().await.map_err(describe)?;
    // A 404 or a 500 is still a response, so reqwest returns it as `Ok`: check the status.
    let status = response.status();
    if !status.is_success() {
        return Err(status.to_string());
    }
    // After a redirect, relative links are relative to where the page ended up.
    let base = response.url().clone();
    let body = response.text().await.map_err(describe)?;
    Ok(links(&base, &body))
}

/// Every `<a href>` of the page, resolved against `base`. A fragment names a place in a
/// page, not another page, so it is dropped; an `href` that is no URL at all is skipped.
fn links(base: &Url, html: &str) -> Vec<Url> {
    let selector = Selector::parse("a[href]").expect("a valid selector");
    Html::parse_document(html)
        .select(&selector)
        .filter_map(|a| base.join(a.value().attr("href")?).ok())
        .map(|mut url| {
            url.set_fragment(None);
            url
        })
        .collect()
}
// ANCHOR_END: fetch

/// A short, fixed wording for each kind of failure, rather than reqwest's full chain.
fn describe(error: reqwest::Error) -> String {
    if error.is_connect() {
        "could not connect".to_owned()
    } else if error.is_redirect() {
        "too many redirects".to_owned()
    } else {
        "request failed".to_owned()
    }
}

// ANCHOR: request
/// One request: `fetch`, given up after [`TIMEOUT`]. The URL comes back with the result, so
/// that whoever gets it knows which request finished.
async fn request(client: &Client, url: Url) -> (Url, Result<Vec<Url>, String>) {
    let result = tokio::time::timeout(TIMEOUT, fetch(client, url.clone()))
        .await
        .unwrap_or_else(|_| Err(format!("timed out after {} s", TIMEOUT.as_secs_f64())));
    (url, result)
}
// ANCHOR_END: request

// ANCHOR: crawl
/// What became of the URLs the crawl found: each one was fetched, failed, or is on another
/// site and was not followed.
#[derive(Default)]
struct Summary {
    found: usize,
    fetched: usize,
    failed: Vec<(Url, String)>,
    elsewhere: Vec<Url>,
}

/// Fetches every page of the start URL's site that links lead to, once each, with at most
/// `max_in_flight` requests under way; prints each result as it comes in.
async fn crawl(client: &Client, start: Url, max_in_flight: usize, clock: Instant) -> Summary {
    let mut summary = Summary::default();
    let site = start.origin();
    // Every URL met so far. A link already in it is not followed again, so each page is
    // fetched once and a cycle of links ends.
    let mut found = HashSet::from([start.clone()]);
    let mut frontier = VecDeque::from([start]);
    let mut in_flight = FuturesUnordered::new();
    loop {
        // Only this loop starts requests, so counting the unfinished ones is the whole limit.
        while in_flight.len() < max_in_flight {
            let Some(url) = frontier.pop_front() else {
                break;
            };
            in_flight.push(request(client, url));
        }
        // `None` means nothing is in flight, and the frontier was empty: the crawl is over.
        let Some((url, result)) = in_flight.next().await else {
            break;
        };
        let stamp = clock.elapsed().as_secs_f64();
        match result {
            Ok(links) => {
                let count = links.len();
                let mut new = 0;
                for link in links {
                    if !found.insert(link.clone()) {
                        continue;
                    }
                    new += 1;
                    // Same scheme, host and port: the same site.
                    if link.origin() == site {
                        frontier.push_back(link);
                    } else {
                        summary.elsewhere.push(link);
                    }
                }
                println!("{stamp:.2}s  {url}  links: {count}, new: {new}");
                summary.fetched += 1;
            }
            Err(problem) => {
                println!("{stamp:.2}s  {url}  error: {problem}");
                summary.failed.push((url, problem));
            }
        }
    }
    summary.found = found.len();
    summary
}
// ANCHOR_END: crawl

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = Client::builder()
        .user_agent(USER_AGENT)
        .build()
        .expect("the TLS backend initialises");

    let clock = Instant::now();
    let stamp = clock.elapsed().as_secs_f64();
    let (start, max_in_flight) = (args.start_url, args.max_in_flight.get());
    println!("{stamp:.2}s  crawling {start}, max in flight: {max_in_flight}");
    let summary = crawl(&client, start, max_in_flight, clock).await;

    let Summary {
        found,
        fetched,
        failed,
        elsewhere,
    } = &summary;
    // Nothing lost: every URL found is accounted for below.
    assert_eq!(*found, fetched + failed.len() + elsewhere.len());
    println!(
        "URLs found: {found} ({fetched} fetched, {} failed, {} not followed)",
        failed.len(),
        elsewhere.len()
    );
    for (url, problem) in failed {
        println!("  failed        {url}  {problem}");
    }
    for url in elsewhere {
        println!("  not followed  {url}  another site");
    }
    println!("Elapsed: {:.2}s", clock.elapsed().as_secs_f64());
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
// ANCHOR_END: main
