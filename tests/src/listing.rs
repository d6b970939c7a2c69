//! Finding the listings and building their binaries.

use std::collections::BTreeMap;
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

/// Builds the binaries of the given listings, as `cargo build` does for `cargo run`, and
/// returns each listing's executable by name. The demo site comes along when one of them
/// fetches from it.
pub fn build(listings: &[Listing]) -> Result<BTreeMap<String, PathBuf>, String> {
    let mut command = cargo();
    command.current_dir(crate::root()).args([
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
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start cargo build: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut executables = BTreeMap::new();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        let message = message.map_err(|e| format!("unreadable cargo output: {e}"))?;
        if let Message::CompilerArtifact(artifact) = message
            && let Some(exe) = artifact.executable
        {
            executables.insert(artifact.target.name.clone(), exe.into_std_path_buf());
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo build did not finish: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed ({status})"));
    }
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

/// Who runs when in a batch of recordings. Listings run side by side, except those whose
/// timing is their own work (`alone`): they wait until every other listing of the batch has
/// finished, then run one at a time, so that no listing's timing pays for another's work.
pub struct Batch {
    shared_left: Mutex<usize>,
    shared_done: Condvar,
    alone: Mutex<()>,
}

impl Batch {
    /// A batch that will record exactly these listings.
    pub fn new<'a>(listings: impl IntoIterator<Item = &'a Listing>) -> Batch {
        Batch {
            shared_left: Mutex::new(listings.into_iter().filter(|l| !l.alone).count()),
            shared_done: Condvar::new(),
            alone: Mutex::new(()),
        }
    }

    /// Runs a listing as its transcript records it, in its turn: with its arguments and,
    /// where it needs one, a demo site of its own.
    pub fn record(
        &self,
        listing: &Listing,
        exes: &BTreeMap<String, PathBuf>,
    ) -> Result<crate::run::Run, String> {
        if listing.alone {
            let mut left = self
                .shared_left
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            while *left > 0 {
                left = self
                    .shared_done
                    .wait(left)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            drop(left);
            let _one_at_a_time = self.alone.lock().unwrap_or_else(PoisonError::into_inner);
            record_now(listing, exes)
        } else {
            let _counted = SharedRun(self);
            record_now(listing, exes)
        }
    }
}

/// Counts a shared run as finished however it ends.
struct SharedRun<'a>(&'a Batch);

impl Drop for SharedRun<'_> {
    fn drop(&mut self) {
        let mut left = self
            .0
            .shared_left
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *left = left.saturating_sub(1);
        self.0.shared_done.notify_all();
    }
}

fn record_now(
    listing: &Listing,
    exes: &BTreeMap<String, PathBuf>,
) -> Result<crate::run::Run, String> {
    let exe = exes
        .get(&listing.name)
        .ok_or_else(|| format!("{} was not built", listing.name))?;
    if !listing.demo_site {
        return crate::run::record(exe, &listing.args, &listing.dir);
    }
    let site_exe = exes
        .get(crate::demo::PACKAGE)
        .ok_or("the demo site was not built")?;
    crate::demo::record_against_site(site_exe, exe, &listing.args, &listing.dir)
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
