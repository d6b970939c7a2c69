//! Driving cargo: building the listings' programs and test executables, and their doctests.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use cargo_metadata::{Artifact, Message};

use crate::listing::Listing;

/// The cargo that runs the checks, or the one on `PATH`.
pub fn program() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| "cargo".into(), PathBuf::from)
}

/// A cargo command in the workspace root, at ordinary priority: see [`crate::priority`].
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(program());
    command.current_dir(crate::root()).args(args);
    crate::priority::ordinary(&mut command);
    command
}

/// One test executable of a listing, as `cargo test --no-run` built it.
#[derive(Debug, Clone)]
pub struct TestExe {
    /// The target it tests, such as `cli` for `tests/cli.rs`, or the package's own name for
    /// the unit tests of its library or binary.
    pub target: String,
    pub path: PathBuf,
}

/// Runs a cargo build command with JSON messages and returns the artifacts it reports.
/// Diagnostics go to our stderr, rendered as cargo would show them.
fn artifacts(mut command: Command, listings: &[Listing]) -> Result<Vec<Artifact>, String> {
    command.arg("--message-format=json-render-diagnostics");
    for listing in listings {
        command.args(["--package", &listing.name]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut artifacts = Vec::new();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        let message = message.map_err(|e| format!("unreadable cargo output: {e}"))?;
        if let Message::CompilerArtifact(artifact) = message {
            artifacts.push(artifact);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo did not finish: {e}"))?;
    if !status.success() {
        return Err(format!("the build failed ({status})"));
    }
    Ok(artifacts)
}

/// Builds the binaries of the given listings, as `cargo build` does for `cargo run`, and
/// returns each executable by name. The demo site comes along when one of them fetches
/// from it.
pub fn build(listings: &[Listing]) -> Result<BTreeMap<String, PathBuf>, String> {
    let mut packages = listings.to_vec();
    if listings.iter().any(|l| l.run.demo_site) {
        let all = crate::listing::all()?;
        let site = all.into_iter().find(|l| l.name == crate::demo::PACKAGE);
        packages.extend(site);
    }
    let executables: BTreeMap<String, PathBuf> =
        artifacts(command(&["build", "--bins"]), &packages)?
            .into_iter()
            .filter_map(|a| Some((a.target.name.clone(), a.executable?.into_std_path_buf())))
            .collect();
    match listings.iter().find(|l| !executables.contains_key(&l.name)) {
        Some(l) => Err(format!("listing {} built no binary named {0}", l.name)),
        None => Ok(executables),
    }
}

/// Builds the test executables of the given listings, as `cargo test --no-run` does, and
/// returns them by listing name.
pub fn build_tests(listings: &[Listing]) -> Result<BTreeMap<String, Vec<TestExe>>, String> {
    let mut tests: BTreeMap<String, Vec<TestExe>> = BTreeMap::new();
    if listings.is_empty() {
        return Ok(tests);
    }
    for artifact in artifacts(command(&["test", "--no-run"]), listings)? {
        let Some(path) = artifact.executable.filter(|_| artifact.profile.test) else {
            continue;
        };
        let dir = artifact.manifest_path.parent().map(|d| d.as_std_path());
        if let Some(listing) = listings.iter().find(|l| Some(l.dir.as_path()) == dir) {
            tests
                .entry(listing.name.clone())
                .or_default()
                .push(TestExe {
                    target: artifact.target.name.clone(),
                    path: path.into_std_path_buf(),
                });
        }
    }
    Ok(tests)
}

/// Compiles and runs a library listing's doctests, which have no executable of their own.
pub fn doctests(listing: &Listing) -> Result<(), String> {
    let output = command(&["test", "--doc", "--quiet", "--package", &listing.name])
        .output()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "doctests of {} failed:\n{}{}",
            listing.name,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
