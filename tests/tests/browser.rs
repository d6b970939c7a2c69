//! The rendered book in a real browser: headless Chromium loads every page from a server on
//! 127.0.0.1 and the check fails on a resource that does not load, a console message, a
//! literal `{{#` on screen, or a link or anchor that leads nowhere.
//!
//! Starting Chromium costs far more than loading a page, so one Chromium process visits
//! every page: the test's server also offers a driver page (not part of the book) that loads
//! each page in turn into a same-origin iframe, scripts and all, and posts the page's DOM
//! after its scripts ran back to the server. The driver logs a marker before each page, and
//! a page is only left once it has gone quiet, so every console message is charged to the
//! page that was loaded when it appeared, whichever script logged it.
//!
//! It needs Chromium (`apt-get install chromium`, or set `CHROMIUM`), so plain `cargo test`
//! skips it: `cargo test -p book-checks --test browser -- --ignored` runs it, as `.ci/run`
//! does. Screenshots of two pages land in `target/browser-screenshots/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use book_checks::{book, chromium};
use scraper::{Html, Selector};
use tower_http::services::ServeDir;

mod common;

/// Pages photographed for the record: the first async listing, and the chores.
const SCREENSHOTS: [&str; 2] = ["print-async", "async-chorse"];

/// mdBook's play buttons ask play.rust-lang.org which crates it offers. The check runs
/// offline, so that one request fails on every page with Rust code, and its rejection is
/// the one console message allowed (only from mdBook's own `book-*.js`).
const OFFLINE_PLAYGROUND: &str = r#""Uncaught (in promise) TypeError: Failed to fetch", source: "#;

/// Where the server offers the driver page, and where the driver hands back what it saw of
/// each page: a folder mdBook never writes, so neither can shadow a file of the book.
const DRIVER_PATH: &str = "/__book-checks/driver.html";
const REPORT_PATH: &str = "/__book-checks/report";

/// What the driver logs before it loads a page, and after the last one. Everything the
/// console shows between two markers came from the page named by the first.
const VISITING: &str = "book-checks: visiting ";
const FINISHED: &str = "book-checks: finished";

/// Who a console message is charged to when no page was loaded: the driver itself.
const THE_DRIVER: &str = "the driver page";

/// The driver page. [`driver_html`] fills in `PAGES_JSON`, the list of pages as paths from
/// the book's root, `REPORT_JSON` and the markers `VISITING_JSON` and `FINISHED_JSON`.
///
/// Chromium runs it under virtual time (`--virtual-time-budget`): timers fire as soon as
/// nothing else is left to do, but the clock stands still while any request is in flight.
/// So the settle after a page's `load` costs no real time, yet does not end before the
/// page's own late requests (the playground's, say) have failed or finished and their
/// console messages are out — before the marker of the next page.
const DRIVER_HTML: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>book-checks driver</title>
<!-- An icon of its own, or Chromium asks for /favicon.ico, which is not in the book. -->
<link rel="icon" href="data:,">
<style>
  body { margin: 0; }
  /* The iframe fills the viewport, so each page lays out as it would at top level. */
  iframe { display: block; border: 0; width: 100vw; height: 100vh; }
</style>
</head>
<body>
<script>
"use strict";
const PAGES = PAGES_JSON;
// After `load`: time for the page's deferred work (requests, timers) to run and log.
const SETTLE_MS = 1000;
// A page that never fires `load` is reported, and the driver moves on.
const LOAD_LIMIT_MS = 30000;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// Loads one page into a fresh iframe, and returns its DOM after its scripts ran, or a
// problem saying why there is none.
async function visit(page) {
  // Every page starts from empty storage, as if it had a fresh profile: mdBook keeps its
  // theme and sidebar state there.
  localStorage.clear();
  sessionStorage.clear();
  console.log(VISITING_JSON + page);
  const frame = document.createElement("iframe");
  const loaded = new Promise((done) => frame.addEventListener("load", () => done(true), { once: true }));
  frame.src = "/" + page;
  document.body.append(frame);
  try {
    if (!await Promise.race([loaded, sleep(LOAD_LIMIT_MS).then(() => false)])) {
      return { page, problem: "did not finish loading in " + LOAD_LIMIT_MS + " ms" };
    }
    await sleep(SETTLE_MS);
    // Throws if the page took the iframe to another origin.
    const at = decodeURI(frame.contentWindow.location.pathname);
    if (at !== "/" + page) {
      return { page, problem: "went on to " + at + " by itself" };
    }
    return { page, dom: frame.contentDocument.documentElement.outerHTML };
  } catch (error) {
    return { page, problem: "could not be read: " + error };
  } finally {
    // Removing the iframe stops the page's timers, so it cannot log once the next is loaded.
    frame.remove();
  }
}

(async () => {
  for (const page of PAGES) {
    const report = await visit(page);
    // The test's own server keeps each DOM; a failure here shows on the console.
    const answer = await fetch(REPORT_JSON, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(report),
    });
    if (!answer.ok) {
      console.error("book-checks: the server refused the report on " + page);
    }
  }
  console.log(FINISHED_JSON);
  document.body.dataset.finished = "";
})();
</script>
</body>
</html>
"#;

fn driver_html(pages: &[String]) -> String {
    let json = |value: &str| serde_json::to_string(value).expect("a string as JSON");
    DRIVER_HTML
        .replace(
            "PAGES_JSON",
            &serde_json::to_string(pages).expect("page paths as JSON"),
        )
        .replace("REPORT_JSON", &json(REPORT_PATH))
        .replace("VISITING_JSON", &json(VISITING))
        .replace("FINISHED_JSON", &json(FINISHED))
}

/// What the driver reports of one page: its DOM after scripts ran, or why there is none.
#[derive(serde::Deserialize)]
struct Report {
    page: String,
    dom: Option<String>,
    problem: Option<String>,
}

/// Each page's DOM after scripts ran, or why the driver has none, by page.
type Doms = Arc<Mutex<BTreeMap<String, Result<String, String>>>>;

/// One request the server answered.
struct Served {
    path: String,
    status: StatusCode,
    /// The page that asked for it, when the browser says.
    referer: Option<String>,
}

type Log = Arc<Mutex<Vec<Served>>>;

/// The server: where it listens, what it answered, and what the driver reported.
struct Server {
    base: String,
    log: Log,
    doms: Doms,
}

/// Serves the rendered book from 127.0.0.1 with tower-http's `ServeDir`, and `driver` at
/// [`DRIVER_PATH`], logging the status of every request and keeping what the driver
/// reports at [`REPORT_PATH`].
fn serve(root: PathBuf, driver: String) -> Server {
    let log: Log = Arc::default();
    let doms: Doms = Arc::default();
    let keep = doms.clone();
    let app = axum::Router::new()
        .route(
            DRIVER_PATH,
            axum::routing::get(|| async move { axum::response::Html(driver) }),
        )
        .route(
            REPORT_PATH,
            axum::routing::post(|axum::Json(report): axum::Json<Report>| async move {
                let dom = match (report.dom, report.problem) {
                    (Some(dom), None) => Ok(dom),
                    (_, problem) => Err(problem.unwrap_or_else(|| "no DOM".to_owned())),
                };
                keep.lock().expect("doms lock").insert(report.page, dom);
            })
            // A page's DOM may outgrow axum's default limit of 2 MB for a body.
            .layer(axum::extract::DefaultBodyLimit::max(64 << 20)),
        )
        .fallback_service(ServeDir::new(root))
        .layer(middleware::from_fn_with_state(log.clone(), record_status));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the server");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a loopback port");
            tx.send(listener.local_addr().expect("bound"))
                .expect("test waits");
            axum::serve(listener, app).await.expect("the server runs");
        });
    });
    let addr = rx.recv().expect("the server starts");
    Server {
        base: format!("http://{addr}"),
        log,
        doms,
    }
}

async fn record_status(State(log): State<Log>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let referer = request
        .headers()
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    log.lock().expect("log lock").push(Served {
        path,
        status: response.status(),
        referer,
    });
    response
}

/// Loads every page in one Chromium through the driver page, which hands each page's DOM
/// to the server. Returns the console messages charged to each page (or to
/// [`THE_DRIVER`]), and records a page the driver never reached as a problem in `doms`.
fn visit_all(server: &Server, pages: &[String]) -> Result<BTreeMap<String, Vec<String>>, String> {
    let driver_url = format!("{}{DRIVER_PATH}", server.base);
    // The budget only has to outlast the driver: the clock jumps over idle time, so a
    // generous one costs nothing. Should it run out first, the missing pages say so below.
    // `--dump-dom` makes Chromium wait for it, and quit after.
    let budget_ms = 10_000 * (pages.len() + 1);
    let (dom, stderr) = chromium::run([
        &format!("--virtual-time-budget={budget_ms}"),
        "--dump-dom",
        &driver_url,
    ])?;

    // The console, in order: a driver marker names the page every later message belongs to,
    // until the next marker. Only a message from the driver itself counts as a marker.
    let from_driver = format!(r#"", source: {driver_url} ("#);
    let mut console: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = THE_DRIVER.to_owned();
    for line in stderr.lines().filter(|l| l.contains(":CONSOLE")) {
        let message = line.split_once("] ").map_or(line, |(_, m)| m);
        if let Some((text, _)) = message.split_once(&from_driver) {
            if let Some(page) = text
                .strip_prefix('"')
                .and_then(|t| t.strip_prefix(VISITING))
            {
                current = page.to_owned();
                continue;
            }
            if text == format!(r#""{FINISHED}"#) {
                current = THE_DRIVER.to_owned();
                continue;
            }
        }
        console
            .entry(current.clone())
            .or_default()
            .push(message.to_owned());
    }

    let finished = Selector::parse("body[data-finished]").expect("valid selector");
    let stopped_early = Html::parse_document(&dom)
        .select(&finished)
        .next()
        .is_none();
    // A page the driver never reported on: it stopped (the console says why) or its budget
    // ran out before that page.
    let never = if stopped_early {
        format!("never visited: the driver stopped, or spent its {budget_ms} ms of virtual time")
    } else {
        "never visited".to_owned()
    };
    let mut doms = server.doms.lock().expect("doms lock");
    for page in pages {
        doms.entry(page.clone())
            .or_insert_with(|| Err(never.clone()));
    }
    Ok(console)
}

#[test]
#[ignore = "needs Chromium; run with `cargo test -p book-checks --test browser -- --ignored`"]
fn every_page_loads_cleanly_in_chromium() {
    let out = common::render_book("browser-book");
    let pages: Vec<String> = book::pages()
        .expect("cannot read SUMMARY.md")
        .iter()
        .map(|p| p.html_rel().to_string_lossy().into_owned())
        .collect();
    let server = serve(out.clone(), driver_html(&pages));
    let base = &server.base;

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join("browser-screenshots");
    std::fs::create_dir_all(&shots).expect("a folder for screenshots");

    // The screenshots need Chromium processes of their own (`--screenshot` takes the top
    // page only); they run beside the driver, which mostly waits on one renderer.
    let (console, shot_problems) = std::thread::scope(|s| {
        let shooters: Vec<_> = SCREENSHOTS
            .iter()
            .map(|page| {
                let shots = &shots;
                s.spawn(move || screenshot(base, page, shots))
            })
            .collect();
        let console = visit_all(&server, &pages);
        let shot_problems: Vec<String> = shooters
            .into_iter()
            .filter_map(|h| h.join().expect("screenshot thread").err())
            .collect();
        (console, shot_problems)
    });
    let console = console.unwrap_or_else(|e| panic!("the book in Chromium: {e}"));

    let mut problems = Vec::new();
    for (page, messages) in &console {
        for message in messages {
            let allowed = page != THE_DRIVER
                && message.starts_with(OFFLINE_PLAYGROUND)
                && message.contains(&format!("{base}/book-"));
            if !allowed {
                problems.push(format!("{page}: console: {message}"));
            }
        }
    }
    let mut doms = BTreeMap::new();
    for (page, dom) in std::mem::take(&mut *server.doms.lock().expect("doms lock")) {
        match dom {
            Err(e) => problems.push(format!("{page}: {e}")),
            Ok(dom) => {
                if dom.contains("{{#") {
                    problems.push(format!("{page}: shows a literal `{{{{#`"));
                }
                doms.insert(page, dom);
            }
        }
    }

    // One profile for all pages means one HTTP cache: after the first page, Chromium asks
    // whether the shared scripts and styles changed, and 304 says they did not, which only
    // follows a 200 for the same file in this run.
    for served in server.log.lock().expect("log lock").iter() {
        if !served.status.is_success() && served.status != StatusCode::NOT_MODIFIED {
            let by = served
                .referer
                .as_deref()
                .map(|r| format!(" by {}", r.strip_prefix(base).unwrap_or(r)))
                .unwrap_or_default();
            problems.push(format!(
                "{} was requested{by} and answered {}",
                served.path, served.status
            ));
        }
    }

    // Each DOM is parsed once, and each page's ids gathered once: a page links to its own
    // headings dozens of times.
    let anchor = Selector::parse("a[href]").expect("valid selector");
    let image = Selector::parse("img[src]").expect("valid selector");
    let id = Selector::parse("[id]").expect("valid selector");
    let ids_in = |html: &Html| -> BTreeSet<String> {
        html.select(&id)
            .filter_map(|e| e.value().attr("id").map(str::to_owned))
            .collect()
    };
    let parsed: BTreeMap<&String, Html> = doms
        .iter()
        .map(|(page, dom)| (page, Html::parse_document(dom)))
        .collect();
    let mut ids: BTreeMap<String, BTreeSet<String>> = parsed
        .iter()
        .map(|(page, html)| (page.to_string(), ids_in(html)))
        .collect();
    for (page, html) in &parsed {
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        for src in html.select(&image).filter_map(|e| e.value().attr("src")) {
            if !src.contains("://") && !src.starts_with("data:") {
                let target = book::normalize(&out.join(dir).join(src));
                if !target.is_file() {
                    problems.push(format!("{page}: image {src} does not exist"));
                }
            }
        }
        for href in html.select(&anchor).filter_map(|e| e.value().attr("href")) {
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target_page = if file.is_empty() {
                page.to_string()
            } else {
                book::normalize(&dir.join(file))
                    .to_string_lossy()
                    .into_owned()
            };
            if !out.join(&target_page).is_file() {
                problems.push(format!("{page}: link {href} leads to no page"));
                continue;
            }
            if !fragment.is_empty() {
                // A page Chromium did not visit (`index.html`, say) is read as mdBook wrote it.
                let target_ids = ids.entry(target_page.clone()).or_insert_with(|| {
                    let file = std::fs::read_to_string(out.join(&target_page));
                    ids_in(&Html::parse_document(&file.unwrap_or_default()))
                });
                if !target_ids.contains(fragment) {
                    problems.push(format!(
                        "{page}: link {href} names an anchor {target_page} lacks"
                    ));
                }
            }
        }
    }

    problems.extend(shot_problems);
    assert!(
        problems.is_empty(),
        "the book in Chromium:\n  {}",
        problems.join("\n  ")
    );
}

/// Photographs `{page}.html` into `shots/{page}.png`.
fn screenshot(base: &str, page: &str, shots: &Path) -> Result<(), String> {
    let png = shots.join(format!("{page}.png"));
    let _ = std::fs::remove_file(&png);
    let shot = chromium::run([
        "--window-size=1280,2200".to_owned(),
        format!("--screenshot={}", png.display()),
        format!("{base}/{page}.html"),
    ]);
    match shot {
        Ok(_) if png.is_file() => Ok(()),
        Ok(_) => Err(format!("no screenshot of {page}")),
        Err(e) => Err(format!("no screenshot of {page}: {e}")),
    }
}
