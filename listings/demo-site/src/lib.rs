//! A small web site on the loopback interface for the HTTP listings to fetch from: numbered
//! pages that answer only after a delay, so the difference between one-by-one and
//! all-at-once shows in the clock.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::time::sleep;

pub mod testing;

/// How long every answer is held back unless the URL asks otherwise with `?delay_ms=…`.
pub const DEFAULT_DELAY: Duration = Duration::from_millis(500);

/// How long `/slow` takes: longer than any client in the book is willing to wait.
pub const SLOW: Duration = Duration::from_secs(60);

// ANCHOR: app
/// The site's routes. Every answer, errors included, waits for the delay first.
pub fn app() -> Router {
    Router::new()
        .route("/pages/{n}", get(page))
        .route("/untitled", get(untitled))
        .route("/error", get(error))
        .route("/slow", get(slow))
        .route("/crawl/{n}", get(crawl_page))
        .fallback(not_found)
        .layer(middleware::from_fn(delay))
}
// ANCHOR_END: app

/// Serves the site on `listener` until the process ends.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    axum::serve(listener, app()).await
}

/// Starts the site on a free port of 127.0.0.1, on a thread and runtime of its own, and
/// returns its address. For tests, which need a site but no runtime of their own.
pub fn spawn_on_loopback() -> std::io::Result<SocketAddr> {
    // Bound here, before the thread starts, so the port accepts connections on return.
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Runtime::new()?;
    std::thread::spawn(move || {
        runtime.block_on(async {
            let listener = TcpListener::from_std(listener).expect("a bound, non-blocking listener");
            serve(listener).await
        })
    });
    Ok(addr)
}

/// Holds each request back for `?delay_ms=…` milliseconds, or [`DEFAULT_DELAY`].
async fn delay(
    Query(query): Query<HashMap<String, String>>,
    request: Request,
    next: Next,
) -> Response {
    let delay = match query.get("delay_ms").map(|ms| ms.parse()) {
        None => DEFAULT_DELAY,
        Some(Ok(ms)) => Duration::from_millis(ms),
        Some(Err(_)) => {
            let problem = "delay_ms must be a whole number of milliseconds\n";
            return (StatusCode::BAD_REQUEST, problem).into_response();
        }
    };
    sleep(delay).await;
    next.run(request).await
}

async fn page(Path(n): Path<String>) -> Response {
    // A number we cannot read is a page we do not have.
    let Ok(n) = n.parse::<u32>() else {
        return not_found().await.into_response();
    };
    Html(format!(
        "<!DOCTYPE html>\n<html><head><title>Page {n}</title></head>\
         <body><h1>Page {n}</h1><p>One of the demo site's numbered pages.</p></body></html>\n"
    ))
    .into_response()
}

async fn untitled() -> Html<&'static str> {
    Html("<!DOCTYPE html>\n<html><head></head><body><p>A page without a title.</p></body></html>\n")
}

async fn error() -> (StatusCode, &'static str) {
    (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong\n")
}

async fn slow() -> Html<&'static str> {
    sleep(SLOW).await;
    Html("<!DOCTYPE html>\n<html><head><title>Slow</title></head><body></body></html>\n")
}

// ANCHOR: crawl_links
/// The links on `/crawl/1` to `/crawl/4`, a small site for a crawler: relative and absolute
/// links to each other, to the failing routes, and to another site. The delays suit a crawl
/// from `/crawl/1`, two requests at a time, each given 1 s: no two answers come within 200 ms
/// of each other, and none but `/slow` comes near the 1 s.
pub const CRAWL_LINKS: [&[&str]; 4] = [
    &[
        "2?delay_ms=300",
        "3?delay_ms=700",
        "/missing?delay_ms=200",
        "https://tokio.rs/",
    ],
    &["1", "/error?delay_ms=400", "/slow"],
    &["2?delay_ms=300", "4?delay_ms=400"],
    &["/crawl/1#top", "3?delay_ms=700"],
];
// ANCHOR_END: crawl_links

async fn crawl_page(Path(n): Path<String>) -> Response {
    let links = n
        .parse::<usize>()
        .ok()
        .and_then(|n| CRAWL_LINKS.get(n.checked_sub(1)?).map(|links| (n, links)));
    let Some((n, links)) = links else {
        return not_found().await.into_response();
    };
    let items: String = links
        .iter()
        .map(|href| format!("<li><a href=\"{href}\">{href}</a></li>"))
        .collect();
    Html(format!(
        "<!DOCTYPE html>\n<html><head><title>Crawl {n}</title></head>\
         <body><h1 id=\"top\">Crawl {n}</h1><ul>{items}</ul></body></html>\n"
    ))
    .into_response()
}

async fn not_found() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "No such page\n")
}
