//! The rendered book in a real browser: headless Chromium loads every page from a server on
//! 127.0.0.1 and the check fails on a resource that does not load, a console message, a
//! literal `{{#` on screen, or a link or anchor that leads nowhere.
//!
//! It needs Chromium (`apt-get install chromium`, or set `CHROMIUM`), so plain `cargo test`
//! skips it: `cargo test -p book-checks --test browser -- --ignored` runs it, as `.ci/run`
//! does. Screenshots of two pages land in `target/browser-screenshots/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use book_checks::book;
use scraper::{Html, Selector};
use tower_http::services::ServeDir;

mod common;

/// Pages photographed for the record: the first async listing, and the chores.
const SCREENSHOTS: [&str; 2] = ["print-async", "async-chorse"];

/// mdBook's play buttons ask play.rust-lang.org which crates it offers. The check runs
/// offline, so that one request fails on every page with Rust code, and its rejection is
/// the one console message allowed (only from mdBook's own `book-*.js`).
const OFFLINE_PLAYGROUND: &str = r#""Uncaught (in promise) TypeError: Failed to fetch", source: "#;

type Log = Arc<Mutex<Vec<(String, StatusCode)>>>;

/// Serves the rendered book from 127.0.0.1 with tower-http's `ServeDir`, logging the
/// status of every request.
fn serve(root: PathBuf) -> (String, Log) {
    let log: Log = Arc::default();
    let app = axum::Router::new()
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
    (format!("http://{addr}"), log)
}

async fn record_status(State(log): State<Log>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    log.lock()
        .expect("log lock")
        .push((path, response.status()));
    response
}

/// Chromium, headless, with a fresh profile in `profile` and its console logged to stderr.
fn chromium(profile: &Path) -> Command {
    let exe = std::env::var_os("CHROMIUM").unwrap_or_else(|| "chromium".into());
    let mut command = Command::new(exe);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// What Chromium saw of one page: the DOM after scripts ran, and the console.
struct Visit {
    dom: String,
    console: Vec<String>,
}

fn visit(url: &str) -> Result<Visit, String> {
    let profile = tempfile::tempdir().map_err(|e| format!("no scratch profile: {e}"))?;
    let output = chromium(profile.path())
        .args(["--dump-dom", url])
        .output()
        .map_err(|e| format!("cannot start Chromium (install it, or set CHROMIUM): {e}"))?;
    if !output.status.success() {
        return Err(format!("Chromium failed on {url}: {}", output.status));
    }
    let console = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(|l| l.split_once("] ").map_or(l, |(_, m)| m).to_owned())
        .collect();
    Ok(Visit {
        dom: String::from_utf8_lossy(&output.stdout).into_owned(),
        console,
    })
}

#[test]
#[ignore = "needs Chromium; run with `cargo test -p book-checks --test browser -- --ignored`"]
fn every_page_loads_cleanly_in_chromium() {
    let out = common::render_book("browser-book");
    let (base, log) = serve(out.clone());
    let pages: Vec<String> = book::pages()
        .expect("cannot read SUMMARY.md")
        .iter()
        .map(|p| p.html_rel().to_string_lossy().into_owned())
        .collect();

    // Two at a time: Chromium is heavy, and the machine has two cores.
    let visits: BTreeMap<String, Result<Visit, String>> = pages
        .chunks(2)
        .flat_map(|pair| {
            std::thread::scope(|s| {
                let handles: Vec<_> = pair
                    .iter()
                    .map(|page| {
                        let url = format!("{base}/{page}");
                        s.spawn(move || (page.clone(), visit(&url)))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("visit thread"))
                    .collect::<Vec<_>>()
            })
        })
        .collect();

    let mut problems = Vec::new();
    let mut doms = BTreeMap::new();
    for (page, visit) in visits {
        match visit {
            Err(e) => problems.push(e),
            Ok(visit) => {
                for message in &visit.console {
                    let allowed = message.starts_with(OFFLINE_PLAYGROUND)
                        && message.contains(&format!("{base}/book-"));
                    if !allowed {
                        problems.push(format!("{page}: console: {message}"));
                    }
                }
                if visit.dom.contains("{{#") {
                    problems.push(format!("{page}: shows a literal `{{{{#`"));
                }
                doms.insert(page, visit.dom);
            }
        }
    }

    for (path, status) in log.lock().expect("log lock").iter() {
        if !status.is_success() {
            problems.push(format!("{path} was requested and answered {status}"));
        }
    }

    let anchor = Selector::parse("a[href]").expect("valid selector");
    let image = Selector::parse("img[src]").expect("valid selector");
    let ids = |dom: &str| -> BTreeSet<String> {
        let id = Selector::parse("[id]").expect("valid selector");
        Html::parse_document(dom)
            .select(&id)
            .filter_map(|e| e.value().attr("id").map(str::to_owned))
            .collect()
    };
    for (page, dom) in &doms {
        let html = Html::parse_document(dom);
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
                page.clone()
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
                let target_ids = match doms.get(&target_page) {
                    Some(dom) => ids(dom),
                    None => {
                        ids(&std::fs::read_to_string(out.join(&target_page)).unwrap_or_default())
                    }
                };
                if !target_ids.contains(fragment) {
                    problems.push(format!(
                        "{page}: link {href} names an anchor {target_page} lacks"
                    ));
                }
            }
        }
    }

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join("browser-screenshots");
    std::fs::create_dir_all(&shots).expect("a folder for screenshots");
    for page in SCREENSHOTS {
        let png = shots.join(format!("{page}.png"));
        let profile = tempfile::tempdir().expect("a scratch profile");
        let status = chromium(profile.path())
            .arg("--window-size=1280,2200")
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("{base}/{page}.html"))
            .output()
            .map(|o| o.status);
        if !matches!(status, Ok(s) if s.success()) || !png.is_file() {
            problems.push(format!("no screenshot of {page}"));
        }
    }

    assert!(
        problems.is_empty(),
        "the book in Chromium:\n  {}",
        problems.join("\n  ")
    );
}
