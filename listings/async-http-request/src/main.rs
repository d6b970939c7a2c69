//! One GET with one `reqwest::Client`: the status, the size and the title of a page.
//! Run it with `cargo run -p async-http-request -- https://www.python.org/`.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use reqwest::{Client, StatusCode, Url};
use scraper::{Html, Selector};

/// How long the whole request, body included, may take.
const TIMEOUT: Duration = Duration::from_secs(2);

// ANCHOR: args
/// Fetches one page and prints its status, its size and its title.
#[derive(Parser)]
struct Args {
    /// The page to fetch, for example https://www.python.org/
    url: Url,
}
// ANCHOR_END: args

/// What we learn from a page that was fetched.
struct Page {
    status: StatusCode,
    bytes: usize,
    title: Option<String>,
}

// ANCHOR: fetch
async fn fetch(client: &Client, url: Url) -> Result<Page, String> {
    let response = client.get(url).send().await.map_err(describe)?;
    let status = response.status();
    // An error page is still a response, so reqwest returns it as `Ok`: check the status.
    if !status.is_success() {
        return Err(status.to_string());
    }
    let body = response.bytes().await.map_err(describe)?;
    Ok(Page {
        status,
        bytes: body.len(),
        title: title(&String::from_utf8_lossy(&body)),
    })
}
// ANCHOR_END: fetch

// ANCHOR: describe
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
// ANCHOR_END: describe

// ANCHOR: title
/// The text of the page's first `<title>`, trimmed; `None` if there is none, or it is blank.
fn title(html: &str) -> Option<String> {
    let selector = Selector::parse("title").expect("a valid selector");
    let document = Html::parse_document(html);
    let title: String = document.select(&selector).next()?.text().collect();
    Some(title.trim().to_owned()).filter(|t| !t.is_empty())
}
// ANCHOR_END: title

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    // One client, built once: it holds the connection pool and the settings.
    let client = Client::builder()
        .timeout(TIMEOUT)
        .build()
        .expect("the TLS backend initialises");
    match fetch(&client, args.url.clone()).await {
        Ok(page) => {
            println!("Status: {}", page.status);
            println!("Size: {} bytes", page.bytes);
            println!("Title: {}", page.title.as_deref().unwrap_or("Missing"));
            println!("OK");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("error: {}: {problem}", args.url);
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
