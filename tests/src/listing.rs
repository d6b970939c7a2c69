//! Finding the listings and building their binaries.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Condvar, Mutex, PoisonError};

use cargo_metadata::{Message, MetadataCommand};

/// One crate under `listings/`.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The package name, which is also the folder name and the slide id it follows.
    pub name: String,
    /// `listings/<name>`.
    pub dir: PathBuf,
    /// Command-line arguments for the recorded run, from
    /// `[package.metadata.transcript] args = [...]` in the listing's `Cargo.toml`.
    pub args: Vec<String>,
    /// Whether the recorded run fetches from the demo site
    /// (`[package.metadata.transcript] demo-site = true`); see [`crate::demo`].
    pub demo_site: bool,
    /// The names of its normal (not dev or build) dependencies.
    pub dependencies: Vec<String>,
    /// Whether its timing is its own work rather than a wait (it computes, or writes files),
    /// so that it runs while no other listing does (`[package.metadata.transcript] alone =
    /// true`): on two cores, work beside it would change its timing, and its work theirs.
    pub alone: bool,
    /// Whether it is a program (a binary target), rather than only a library with tests.
    pub program: bool,
    /// Whether it has a library target, whose doc comments may hold doctests.
    pub library: bool,
}

impl Listing {
    /// The recorded output: `output.txt`.
    pub fn output_path(&self) -> PathBuf {
        self.dir.join("output.txt")
    }

    /// When each output line appeared: `timing.txt`.
    pub fn timing_path(&self) -> PathBuf {
        self.dir.join("timing.txt")
    }

    /// Which lines belong together in the timeline picture: `timeline.toml`.
    pub fn timeline_declaration_path(&self) -> PathBuf {
        self.dir.join("timeline.toml")
    }

    /// The timeline picture, drawn by `cargo bless` from `timing.txt`: `timeline.svg`.
    pub fn timeline_path(&self) -> PathBuf {
        self.dir.join("timeline.svg")
    }

    /// Draws the timeline picture of a transcript, as `cargo bless` writes it.
    pub fn draw_timeline(
        &self,
        transcript: &crate::transcript::Transcript,
    ) -> Result<String, String> {
        let declaration = crate::timeline::Declaration::load(&self.timeline_declaration_path())?;
        crate::timeline::render(&self.name, transcript, &declaration)
    }

    /// Whether the Rust Playground can run it: a program that needs nothing beyond the
    /// standard library, tokio and futures, and no arguments, files or servers.
    pub fn runs_in_playground(&self) -> bool {
        self.program
            && self.args.is_empty()
            && !self.demo_site
            && self
                .dependencies
                .iter()
                .all(|d| d == "tokio" || d == "futures")
    }

    pub fn has_transcript(&self) -> bool {
        self.output_path().exists()
    }

    /// Whether the listing carries tests of its own (`tests/*.rs`), which is what a listing
    /// without a transcript must have.
    pub fn has_own_tests(&self) -> bool {
        std::fs::read_dir(self.dir.join("tests")).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|ext| ext == "rs"))
        })
    }

    /// Whether `cargo test -p <name>` has anything to run: tests under `tests/`, a
    /// `#[test]` in its sources, or a library that may hold doctests.
    pub fn has_tests(&self) -> bool {
        fn mentions_test(dir: &Path) -> bool {
            std::fs::read_dir(dir).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        mentions_test(&path)
                    } else {
                        std::fs::read_to_string(&path).is_ok_and(|text| {
                            text.contains("#[test]") || text.contains("#[tokio::test")
                        })
                    }
                })
            })
        }
        self.has_own_tests() || self.library || mentions_test(&self.dir.join("src"))
    }
}

/// One test executable of a listing, as `cargo test --no-run` built it.
#[derive(Debug, Clone)]
pub struct TestExe {
    /// The target it tests, such as `cli` for `tests/cli.rs`, or the package's own name for
    /// the unit tests of its library or binary.
    pub target: String,
    pub path: PathBuf,
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Every workspace member whose manifest lives under `listings/`, sorted by name.
pub fn all() -> Result<Vec<Listing>, String> {
    let root = crate::root();
    let metadata = MetadataCommand::new()
        .cargo_path(
            std::env::var_os("CARGO")
                .map(PathBuf::from)
                .unwrap_or_else(|| "cargo".into()),
        )
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .exec()
        .map_err(|e| format!("cargo metadata failed: {e}"))?;
    let listings_dir = root.join("listings");
    let mut listings: Vec<Listing> = metadata
        .workspace_packages()
        .into_iter()
        .filter_map(|package| {
            let dir = package.manifest_path.parent()?.as_std_path().to_path_buf();
            if dir.parent() != Some(listings_dir.as_path()) {
                return None;
            }
            let args = package.metadata["transcript"]["args"]
                .as_array()
                .map(|args| {
                    args.iter()
                        .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            Some(Listing {
                name: package.name.to_string(),
                dir,
                args,
                demo_site: package.metadata["transcript"]["demo-site"].as_bool() == Some(true),
                dependencies: package
                    .dependencies
                    .iter()
                    .filter(|d| d.kind == cargo_metadata::DependencyKind::Normal)
                    .map(|d| d.name.clone())
                    .collect(),
                alone: package.metadata["transcript"]["alone"].as_bool() == Some(true),
                program: package.targets.iter().any(|t| t.is_bin()),
                library: package.targets.iter().any(|t| t.is_lib()),
            })
        })
        .collect();
    listings.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listings)
}

/// Every folder under `listings/`, whether or not it is a crate.
pub fn folders() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(crate::root().join("listings"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Runs a cargo build command with JSON messages and returns the artifacts it reports.
fn artifacts(mut command: Command) -> Result<Vec<cargo_metadata::Artifact>, String> {
    let mut child = command
        .current_dir(crate::root())
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
/// returns each listing's executable by name. The demo site comes along when one of them
/// fetches from it.
pub fn build(listings: &[Listing]) -> Result<BTreeMap<String, PathBuf>, String> {
    let mut command = cargo();
    command.args([
        "build",
        "--bins",
        "--message-format=json-render-diagnostics",
    ]);
    for listing in listings {
        command.args(["--package", &listing.name]);
    }
    if listings.iter().any(|l| l.demo_site) {
        command.args(["--package", crate::demo::PACKAGE]);
    }
    let executables: BTreeMap<String, PathBuf> = artifacts(command)?
        .into_iter()
        .filter_map(|a| Some((a.target.name.clone(), a.executable?.into_std_path_buf())))
        .collect();
    for listing in listings {
        if !executables.contains_key(&listing.name) {
            return Err(format!(
                "listing {} built no binary named {0}",
                listing.name
            ));
        }
    }
    Ok(executables)
}

/// Builds the test executables of the given listings, as `cargo test --no-run` does, and
/// returns them by listing name.
pub fn build_tests(listings: &[Listing]) -> Result<BTreeMap<String, Vec<TestExe>>, String> {
    let mut tests: BTreeMap<String, Vec<TestExe>> = BTreeMap::new();
    if listings.is_empty() {
        return Ok(tests);
    }
    let mut command = cargo();
    command.args([
        "test",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ]);
    for listing in listings {
        command.args(["--package", &listing.name]);
    }
    for artifact in artifacts(command)? {
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

/// Who runs when in a batch of recordings.
///
/// 1. Listings whose timing is their own work (`alone`) go first, one at a time, while
///    nothing else runs.
/// 2. Then every other listing starts, side by side.
/// 3. The listings' own tests start once the quick listings of step 2 are through: those
///    recorded as ending within [`QUICK`]. Their tests spawn processes and servers in
///    bursts, which would make a listing that fetches or spawns print late. What is left
///    by then (the chores) sleeps, in `tokio::time::sleep` or `std::thread::sleep`, and a
///    busy CPU delays a sleeper's wake-up by milliseconds only. The tests run [`LANES`]
///    executables at a time, for the same reason.
pub struct Batch {
    left: Mutex<Left>,
    changed: Condvar,
    alone: Mutex<()>,
    /// The shared listings recorded as ending within [`QUICK`].
    quick: BTreeSet<String>,
}

/// Listings recorded as ending within this are the quick ones of a batch.
pub const QUICK: f64 = 6.0;

/// How many test executables run at once.
pub const LANES: usize = 2;

/// What a batch is still waiting for.
struct Left {
    alone: usize,
    unlaunched: usize,
    quick: usize,
    free_lanes: usize,
}

impl Batch {
    /// A batch that will record exactly these listings.
    pub fn new<'a>(listings: impl IntoIterator<Item = &'a Listing>) -> Batch {
        let (alone, shared): (Vec<&Listing>, Vec<&Listing>) =
            listings.into_iter().partition(|l| l.alone);
        // A listing without a usable recording counts as quick: its check fails anyway.
        let quick: BTreeSet<String> = shared
            .iter()
            .filter(|l| {
                crate::transcript::Transcript::load(&l.output_path(), &l.timing_path())
                    .map_or(true, |t| t.end <= QUICK)
            })
            .map(|l| l.name.clone())
            .collect();
        Batch {
            left: Mutex::new(Left {
                alone: alone.len(),
                unlaunched: shared.len(),
                quick: quick.len(),
                free_lanes: LANES,
            }),
            changed: Condvar::new(),
            alone: Mutex::new(()),
            quick,
        }
    }

    fn wait_until(&self, ready: impl Fn(&Left) -> bool) {
        let mut left = self.left.lock().unwrap_or_else(PoisonError::into_inner);
        while !ready(&left) {
            left = self
                .changed
                .wait(left)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn count_down(&self, which: impl Fn(&mut Left) -> &mut usize) {
        let mut left = self.left.lock().unwrap_or_else(PoisonError::into_inner);
        let count = which(&mut left);
        *count = count.saturating_sub(1);
        self.changed.notify_all();
    }

    /// Runs a listing as its transcript records it, in its turn: with its arguments and,
    /// where it needs one, a demo site of its own.
    pub fn record(
        &self,
        listing: &Listing,
        exes: &BTreeMap<String, PathBuf>,
    ) -> Result<crate::run::Run, String> {
        if listing.alone {
            let _one_at_a_time = self.alone.lock().unwrap_or_else(PoisonError::into_inner);
            let _counted = CountDown(self, |left| &mut left.alone);
            record_now(listing, exes, &mut || {})
        } else {
            self.wait_until(|left| left.alone == 0);
            let _quick = self
                .quick
                .contains(&listing.name)
                .then(|| CountDown(self, |left: &mut Left| &mut left.quick));
            let mut launch = Some(CountDown(self, |left: &mut Left| &mut left.unlaunched));
            record_now(listing, exes, &mut || drop(launch.take()))
        }
    }

    /// Runs a listing's test executables and doctests, in their turn: once the quick
    /// listings of the batch are through, in one of [`LANES`] lanes.
    pub fn test(&self, listing: &Listing, exes: &[TestExe]) -> Result<(), String> {
        {
            let mut left = self.left.lock().unwrap_or_else(PoisonError::into_inner);
            while !(left.alone == 0
                && left.unlaunched == 0
                && left.quick == 0
                && left.free_lanes > 0)
            {
                left = self
                    .changed
                    .wait(left)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            left.free_lanes -= 1;
        }
        let _lane = Lane(self);
        let mut failures = Vec::new();
        for exe in exes {
            if let Err(e) = crate::run::test_binary(&exe.path, &listing.dir) {
                failures.push(format!("{} tests of {}: {e}", exe.target, listing.name));
            }
        }
        if listing.library {
            // Doctests have no executable of their own; cargo compiles and runs them.
            let output = cargo()
                .current_dir(crate::root())
                .args(["test", "--doc", "--quiet", "--package", &listing.name])
                .output()
                .map_err(|e| format!("could not start cargo: {e}"))?;
            if !output.status.success() {
                failures.push(format!(
                    "doctests of {} failed:\n{}{}",
                    listing.name,
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n"))
        }
    }
}

/// Gives a test lane back however the tests end.
struct Lane<'a>(&'a Batch);

impl Drop for Lane<'_> {
    fn drop(&mut self) {
        let mut left = self.0.left.lock().unwrap_or_else(PoisonError::into_inner);
        left.free_lanes += 1;
        self.0.changed.notify_all();
    }
}

/// Counts one listing off a batch however its run ends.
struct CountDown<'a, F: Fn(&mut Left) -> &mut usize>(&'a Batch, F);

impl<F: Fn(&mut Left) -> &mut usize> Drop for CountDown<'_, F> {
    fn drop(&mut self) {
        self.0.count_down(&self.1);
    }
}

fn record_now(
    listing: &Listing,
    exes: &BTreeMap<String, PathBuf>,
    launched: &mut dyn FnMut(),
) -> Result<crate::run::Run, String> {
    let exe = exes
        .get(&listing.name)
        .ok_or_else(|| format!("{} was not built", listing.name))?;
    if !listing.demo_site {
        return crate::run::record(exe, &listing.args, &listing.dir, launched);
    }
    let site_exe = exes
        .get(crate::demo::PACKAGE)
        .ok_or("the demo site was not built")?;
    crate::demo::record_against_site(site_exe, exe, &listing.args, &listing.dir, launched)
}

/// The listing a path inside `listings/` belongs to, if any.
pub fn owner_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(crate::root().join("listings")).ok()?;
    Some(
        rel.components()
            .next()?
            .as_os_str()
            .to_string_lossy()
            .into_owned(),
    )
}
