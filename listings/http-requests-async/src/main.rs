//! Fetches every URL in a file at once with one async client: the waits overlap.
//! Run it with `cargo run -p http-requests-async -- listings/demo-site/urls.txt`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::future::join_all;
use reqwest::{Client, Url};
use scraper::{Html, Selector};

/// How long one request, body included, may take.
const TIMEOUT: Duration = Duration::from_secs(2);

/// Fetches every URL in a file, all at once, and prints each page's title.
#[derive(Parser)]
struct Args {
    /// A file of URLs, one a line; blank lines and `#` comments are skipped.
    url_file: PathBuf,
}

// ANCHOR: read_urls
/// The URLs in the file, one a line; blank lines and `#` comments are skipped.
fn read_urls(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let urls = text.lines().map(str::trim);
    let urls = urls.filter(|line| !line.is_empty() && !line.starts_with('#'));
    Ok(urls.map(str::to_owned).collect())
}
// ANCHOR_END: read_urls

// ANCHOR: fetch
/// The page's title, `None` if it has none, or what went wrong.
async fn fetch(client: &Client, url: &str) -> Result<Option<String>, String> {
    let url = Url::parse(url).map_err(|e| format!("invalid URL ({e})"))?;
    let response = client.get(url).send().await.map_err(describe)?;
    // A 404 or a 500 is still a response, so reqwest returns it as `Ok`: check the status.
    let status = response.status();
    if !status.is_success() {
        return Err(status.to_string());
    }
    let body = response.text().await.map_err(describe)?;
    Ok(title(&body))
}
// ANCHOR_END: fetch

/// A short, fixed wording for each kind of failure, rather than reqwest's full chain.
fn describe(error: reqwest::Error) -> String {
    if error.is_timeout() {
        format!("timed out after {} s", TIMEOUT.as_secs())
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else if error.is_builder() {
        "invalid URL".to_owned()
    } else {
        "request failed".to_owned()
    }
}

/// The text of the page's first `<title>`, trimmed; `None` if there is none, or it is blank.
fn title(html: &str) -> Option<String> {
    let selector = Selector::parse("title").expect("a valid selector");
    let document = Html::parse_document(html);
    let title: String = document.select(&selector).next()?.text().collect();
    Some(title.trim().to_owned()).filter(|t| !t.is_empty())
}

/// One line per URL, padded to `width`: the title, `Missing`, or what went wrong.
fn report(url: &str, width: usize, result: &Result<Option<String>, String>) {
    match result {
        Ok(title) => println!("{url:width$}  {}", title.as_deref().unwrap_or("Missing")),
        Err(problem) => println!("{url:width$}  error: {problem}"),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    // Nothing else is running yet, so a blocking read of a small file holds nothing up.
    let urls = match read_urls(&args.url_file) {
        Ok(urls) => urls,
        Err(problem) => {
            eprintln!("error: {problem}");
            return ExitCode::FAILURE;
        }
    };
    let client = Client::builder()
        .timeout(TIMEOUT)
        .build()
        .expect("the TLS backend initialises");
    let width = urls.iter().map(String::len).max().unwrap_or(0);

    let start = Instant::now();
    // ANCHOR: gather
    // One future per URL, all polled together; the results come back in input order.
    let results = join_all(urls.iter().map(|url| fetch(&client, url))).await;
    for (url, result) in urls.iter().zip(&results) {
        report(url, width, result);
    }
    // ANCHOR_END: gather
    let failed = results.iter().filter(|result| result.is_err()).count();
    println!("{} fetched, {failed} failed", urls.len() - failed);
    println!("Elapsed: {:.2}s", start.elapsed().as_secs_f64());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
