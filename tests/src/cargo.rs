//! Driving cargo: building the listings' programs and test executables, and their doctests.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::{Artifact, Message, Metadata, MetadataCommand};

use crate::listing::Listing;

/// The cargo that runs the checks, or the one on `PATH`.
pub fn program() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| "cargo".into(), PathBuf::from)
}

/// The workspace as `cargo metadata` describes it, without its dependencies.
pub fn metadata() -> Result<Metadata, String> {
    MetadataCommand::new()
        .cargo_path(program())
        .manifest_path(crate::root().join("Cargo.toml"))
        .no_deps()
        .exec()
        .map_err(|e| format!("cargo metadata failed: {e}"))
}

/// Where cargo builds the workspace: `target/` unless `CARGO_TARGET_DIR` or a config says
/// otherwise.
pub fn target_dir() -> Result<PathBuf, String> {
    Ok(metadata()?.target_directory.into_std_path_buf())
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

/// What one build of the workspace made: each binary by name, and each listing's test
/// executables by listing name.
#[derive(Debug, Default)]
pub struct Built {
    pub programs: BTreeMap<String, PathBuf>,
    pub tests: BTreeMap<String, Vec<TestExe>>,
}

/// Builds every target of every workspace member, as `cargo build --workspace --all-targets`
/// does, and returns the programs and test executables of the listings.
///
/// Always the whole workspace, in one command: cargo unifies features across the packages a
/// command selects, so building a subset (`-p a -p b`) would compile shared dependencies
/// again with other features. `cargo test -p book-checks` and
/// `cargo clippy --workspace --all-targets` then find everything already built.
pub fn build_workspace(listings: &[Listing]) -> Result<Built, String> {
    let built = build(
        command(&["build", "--workspace", "--all-targets"]),
        listings,
    )?;
    // A fresh build leaves gigabytes of written files for the kernel to flush. Flushed now,
    // their writeback cannot compete with the recordings that follow: right after a full
    // build, one fetching listing printed 250 ms late with nothing else running.
    // SAFETY: `sync` takes no arguments and touches no memory of ours.
    unsafe { libc::sync() };
    match listings
        .iter()
        .find(|l| l.program && !built.programs.contains_key(&l.name))
    {
        Some(l) => Err(format!("listing {} built no binary named {0}", l.name)),
        None => Ok(built),
    }
}

/// Builds every target of a listing copied out of the workspace (see [`crate::copy_out`]),
/// as a reader would in the copy's folder: offline, with what its own manifest and the
/// copied lock say. Its programs land in `artifacts`.
///
/// Its intermediate files go to the workspace's own build folder (`build.build-dir`), so a
/// dependency the copy asks for with the same version, features, profile and flags as the
/// workspace build is compiled once for both; one with other features (tokio, with each
/// listing's own few) is compiled apart, as it would be in a reader's project. So the
/// workspace's dev profile and `RUSTFLAGS` stay as they are: with other settings, nothing
/// would be shared. The lint wrapper CI sets goes: it only lints, and a reader has none.
pub fn build_copy(copy: &Listing, artifacts: &Path) -> Result<Built, String> {
    let command = copy_command(copy, artifacts, &["build", "--all-targets", "--quiet"])?;
    build(command, std::slice::from_ref(copy))
}

/// A cargo command run in a copied listing's folder, offline and sharing the workspace's
/// build folder, as [`build_copy`] explains.
fn copy_command(copy: &Listing, artifacts: &Path, args: &[&str]) -> Result<Command, String> {
    let build_dir = target_dir()?;
    let mut command = Command::new(program());
    command
        .current_dir(&copy.dir)
        .args(args)
        .arg("--offline")
        .args(["--config", "profile.dev.debug = \"line-tables-only\""])
        .args(["--config", "profile.dev.package.\"*\".debug = false"])
        .arg("--config")
        .arg(format!(
            "build.build-dir = {}",
            toml::Value::from(build_dir.display().to_string())
        ))
        .env("CARGO_TARGET_DIR", artifacts)
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    crate::priority::ordinary(&mut command);
    Ok(command)
}

/// What rustc (or Clippy) said when cargo built a listing: whether the build succeeded, and
/// each message as it is rendered in a terminal (without colour).
#[derive(Debug)]
pub struct Diagnosed {
    pub compiled: bool,
    pub rendered: Vec<String>,
}

/// Builds a compile-error listing copied out of the workspace (see [`crate::copy_out`]) the
/// way [`build_copy`] builds any copy, its program alone, and gathers rustc's messages, or
/// Clippy's for a listing whose [`crate::listing::DiagnosticTool`] says so. A failed
/// compilation is redone every time; for one that succeeded, cargo replays the messages it
/// recorded.
pub fn diagnose_copy(copy: &Listing, artifacts: &Path) -> Result<Diagnosed, String> {
    // Clippy's lints come from `cargo clippy`, which checks rather than builds; a reader
    // sees them the same way.
    let subcommand = match copy.diagnostic_tool {
        crate::listing::DiagnosticTool::Rustc => "build",
        crate::listing::DiagnosticTool::Clippy => "clippy",
    };
    let output = copy_command(copy, artifacts, &[subcommand, "--message-format=json"])?
        // What a reader sees: CI's `-D warnings` would turn a recorded warning into an error.
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    let mut rendered = Vec::new();
    for message in Message::parse_stream(&output.stdout[..]) {
        let message = message.map_err(|e| format!("unreadable cargo output: {e}"))?;
        if let Message::CompilerMessage(m) = message
            // "For more information about this error, try `rustc --explain …`" says nothing
            // about the listing.
            && m.message.level != cargo_metadata::diagnostic::DiagnosticLevel::FailureNote
            && let Some(text) = m.message.rendered
        {
            rendered.push(text);
        }
    }
    if !output.status.success() && rendered.is_empty() {
        return Err(format!(
            "cargo failed before rustc said anything about {}:\n{}",
            copy.name,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(Diagnosed {
        compiled: output.status.success(),
        rendered,
    })
}

/// Runs a cargo build and gathers what it made, reading its JSON messages.
fn build(mut command: Command, listings: &[Listing]) -> Result<Built, String> {
    let mut child = command
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut built = Built::default();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        let message = message.map_err(|e| format!("unreadable cargo output: {e}"))?;
        let Message::CompilerArtifact(artifact) = message else {
            continue;
        };
        add(&mut built, artifact, listings);
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo did not finish: {e}"))?;
    if status.success() {
        Ok(built)
    } else {
        Err(format!("the build failed ({status})"))
    }
}

fn add(built: &mut Built, artifact: Artifact, listings: &[Listing]) {
    let Some(path) = artifact.executable.map(|p| p.into_std_path_buf()) else {
        return;
    };
    if !artifact.profile.test {
        built.programs.insert(artifact.target.name.clone(), path);
        return;
    }
    let dir = artifact.manifest_path.parent().map(|d| d.as_std_path());
    if let Some(listing) = listings.iter().find(|l| Some(l.dir.as_path()) == dir) {
        built
            .tests
            .entry(listing.name.clone())
            .or_default()
            .push(TestExe {
                target: artifact.target.name.clone(),
                path,
            });
    }
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
