//! A compile-error listing's diagnostic: what rustc says when the listing is built alone,
//! recorded whole in `diagnostic.txt` by `cargo bless`, and held to a fresh build by its
//! stable parts.
//!
//! rustc rewords its labels, notes and help between releases, and the book supports every
//! toolchain from 1.88 on. So a fresh build must agree with the recording only in what
//! stays put: each message's header line, its code and primary message
//! (`error[E0373]: async block may outlive …`,
//! `error: future cannot be sent between threads safely`, `warning: …`). The page shows the
//! whole recording all the same.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::cargo::{self, Diagnosed};
use crate::listing::Listing;

/// Builds the listing alone, copied out of the workspace as a reader would build it, and
/// returns what rustc said, normalized as [`normalize`] does.
pub fn fresh(listing: &Listing) -> Result<(bool, String), String> {
    let copy = crate::copy_out::copy(listing, std::slice::from_ref(listing))?;
    let artifacts = crate::copy_out::target_dir()?;
    let Diagnosed { compiled, rendered } = cargo::diagnose_copy(&copy, &artifacts)?;
    let build_dir = cargo::target_dir()?;
    let places = [
        (copy.dir.as_path(), "."),
        (artifacts.as_path(), "target"),
        (build_dir.as_path(), "target"),
    ];
    Ok((compiled, normalize(&rendered.join("\n"), &places)))
}

/// Takes out of rustc's messages what differs from one machine to the next: the folders a
/// build ran in (each given with what stands for it), cargo's registry folder and the
/// hashes in the paths of the standard library's sources. Paths in the listing's own crate
/// are already relative to it, as cargo runs rustc in the crate's folder.
pub fn normalize(rendered: &str, places: &[(&Path, &str)]) -> String {
    static REGISTRY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^\s']*/registry/src/[^/\s]+/").expect("valid regex"));
    static STD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[^\s']*/(?:rustlib/src/rust|rustc/[0-9a-f]{40})/library/")
            .expect("valid regex")
    });
    let mut text = rendered.to_owned();
    for (path, stands_for) in places {
        text = text.replace(&format!("{}/", path.display()), &format!("{stands_for}/"));
    }
    let text = REGISTRY.replace_all(&text, "~/.cargo/registry/src/…/");
    let text = STD.replace_all(&text, "/rustc/…/library/");
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last() == Some(&"") {
        lines.pop();
    }
    lines.join("\n") + "\n"
}

/// The parts of a diagnostic that a fresh build must repeat, sorted: every header line.
pub fn stable_parts(diagnostic: &str) -> Vec<String> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:error|warning)(?:\[[A-Za-z0-9_:]+\])?: ").expect("valid regex")
    });
    let mut parts: Vec<String> = diagnostic
        .lines()
        .filter(|l| HEADER.is_match(l))
        .map(str::to_owned)
        .collect();
    parts.sort();
    parts.dedup();
    parts
}

/// Whether a fresh build still says what `recorded` says, by [`stable_parts`]: a listing
/// that recorded an error must fail to compile.
pub fn compare(name: &str, recorded: &str, compiled: bool, fresh: &str) -> Result<(), String> {
    let (was, is) = (stable_parts(recorded), stable_parts(fresh));
    if compiled && was.iter().any(|p| p.starts_with("error")) {
        return Err(format!(
            "listings/{name} compiles now, but it is there to show a compile error:\n  {}\n\
             Make it fail again, or move it into the workspace as a listing that runs.",
            was.join("\n  ")
        ));
    }
    if was == is {
        return Ok(());
    }
    let missing: Vec<&String> = was.iter().filter(|p| !is.contains(p)).collect();
    let new: Vec<&String> = is.iter().filter(|p| !was.contains(p)).collect();
    Err(format!(
        "listings/{name}: a fresh build no longer says what diagnostic.txt holds.\n\
         recorded, not said now:\n  {}\nsaid now, not recorded:\n  {}\n\
         the whole fresh diagnostic:\n{fresh}\
         If the change is meant, record it with `cargo bless {name}`.",
        list(&missing),
        list(&new),
    ))
}

fn list(parts: &[&String]) -> String {
    if parts.is_empty() {
        "(nothing)".to_owned()
    } else {
        parts
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEND: &str = "\
error: future cannot be sent between threads safely
   --> src/main.rs:15:18
    |
 15 |     tokio::spawn(count_visits()).await.unwrap();
    |                  ^^^^^^^^^^^^^^ future returned by `count_visits` is not `Send`
note: required by a bound in `tokio::spawn`
   --> /home/me/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tokio-1.54.1/src/task/spawn.rs:176:21
";

    #[test]
    fn registry_and_build_folders_are_normalized() {
        let text = normalize(
            &format!("{SEND}  written to '/tmp/x/target/debug/deps/a.txt'\n\n"),
            &[(Path::new("/tmp/x/target"), "target")],
        );
        assert!(text.contains("--> ~/.cargo/registry/src/…/tokio-1.54.1/src/task/spawn.rs"));
        assert!(text.contains("'target/debug/deps/a.txt'"));
        assert!(text.ends_with("a.txt'\n"), "{text:?}");
    }

    #[test]
    fn a_reworded_label_is_not_a_change() {
        let reworded = SEND.replace("is not `Send`", "cannot be sent");
        assert_eq!(stable_parts(SEND), stable_parts(&reworded));
        assert_eq!(compare("error-rc", SEND, false, &reworded), Ok(()));
    }

    #[test]
    fn another_primary_message_or_code_is_a_change() {
        let other = "error[E0597]: `x` does not live long enough\n";
        let e = compare("error-rc", SEND, false, other).unwrap_err();
        assert!(
            e.contains("recorded, not said now:\n  error: future cannot"),
            "{e}"
        );
        assert!(e.contains("said now, not recorded:\n  error[E0597]"), "{e}");
    }

    #[test]
    fn a_listing_that_compiles_fails() {
        let e = compare("error-rc", SEND, true, "").unwrap_err();
        assert!(e.contains("compiles now"), "{e}");
    }
}
