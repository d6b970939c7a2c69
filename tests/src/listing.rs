//! The listing model: which crates under `listings/` there are, and what each one declares
//! about its recorded run.

use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, Package};
use serde::Deserialize;

/// One crate under `listings/`.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The package name, which is also the folder name: the slide or the idea it shows.
    pub name: String,
    /// `listings/<name>`.
    pub dir: PathBuf,
    /// What `[package.metadata.transcript]` in its `Cargo.toml` says about the recorded run.
    pub run: RunSettings,
    /// The parts of its `src/main.rs` that the book says are another listing's, word for
    /// word: `[[package.metadata.copy-of]]`.
    pub copies: Vec<CopyOf>,
    /// The names of its normal (not dev or build) dependencies.
    pub dependencies: Vec<String>,
    /// The other listings its manifest names by path, of any kind (the demo site, whose
    /// `testing` module the HTTP listings' tests use): a copy of it needs them beside it.
    pub companions: Vec<String>,
    /// Whether it is a program (a binary target), rather than only a library with tests.
    pub program: bool,
    /// Whether it has a library target, whose doc comments may hold doctests.
    pub library: bool,
    /// Which tool's messages its `diagnostic.txt` records: `[package.metadata.diagnostic]`.
    pub diagnostic_tool: DiagnosticTool,
}

/// `[package.metadata.diagnostic]`: whose messages a compile-error listing's
/// `diagnostic.txt` holds. rustc's, unless it says Clippy's, for a listing that compiles and
/// whose point is a lint.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticTool {
    #[default]
    Rustc,
    Clippy,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiagnosticSettings {
    #[serde(default)]
    tool: DiagnosticTool,
}

/// The anchor around a manifest's `[dependencies]` table, for the pages to include.
pub const DEPENDENCIES_ANCHOR: &str = "dependencies";

/// `[package.metadata.transcript]`: how the recorded run is made. An unknown key is an
/// error, so a misspelt setting cannot be silently ignored.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RunSettings {
    /// Command-line arguments for the recorded run.
    #[serde(default)]
    pub args: Vec<String>,
    /// The server listing the run talks to, started afresh for each run; see
    /// [`crate::server`].
    #[serde(default)]
    pub server: Option<ServerSettings>,
    /// Whether its timing is its own work rather than a wait (it computes, or writes files),
    /// so that it runs while no other listing does: on two cores, work beside it would
    /// change its timing, and its work theirs.
    #[serde(default)]
    pub alone: bool,
}

/// `server = { listing = "…", port = … }` in `[package.metadata.transcript]`: the recorded
/// run talks to this listing's program, which a reader starts in another terminal on
/// `port` of 127.0.0.1. The checks start it on a free port instead.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// The server's package, whose program of the same name is started.
    pub listing: String,
    /// The port the pages, the arguments and the files they name use.
    pub port: u16,
}

/// One `[[package.metadata.copy-of]]` table: these anchored parts of one of the listing's
/// files (`src/main.rs` unless `file` says otherwise) are the same parts of `listing`'s
/// `src/main.rs`, word for word.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CopyOf {
    pub listing: String,
    pub anchors: Vec<String>,
    #[serde(default = "main_rs")]
    pub file: PathBuf,
}

fn main_rs() -> PathBuf {
    PathBuf::from("src/main.rs")
}

impl RunSettings {
    /// Reads the settings from a package's `metadata` table; none at all means the defaults.
    pub fn from_metadata(metadata: &serde_json::Value) -> Result<RunSettings, String> {
        match metadata.get("transcript") {
            None => Ok(RunSettings::default()),
            Some(table) => RunSettings::deserialize(table).map_err(|e| e.to_string()),
        }
    }
}

impl Listing {
    fn from_package(package: &Package) -> Result<Listing, String> {
        let manifest = package.manifest_path.as_std_path();
        let run = RunSettings::from_metadata(&package.metadata)
            .map_err(|e| format!("{}: [package.metadata.transcript]: {e}", manifest.display()))?;
        let copies = match package.metadata.get("copy-of") {
            None => Vec::new(),
            Some(tables) => Vec::<CopyOf>::deserialize(tables).map_err(|e| {
                format!("{}: [[package.metadata.copy-of]]: {e}", manifest.display())
            })?,
        };
        if let Some(key) = package.metadata.as_object().and_then(|m| {
            m.keys()
                .find(|k| !["transcript", "copy-of", "diagnostic"].contains(&k.as_str()))
        }) {
            return Err(format!(
                "{}: unknown table [package.metadata.{key}]; the checks read `transcript`, \
                 `copy-of` and `diagnostic`",
                manifest.display()
            ));
        }
        let diagnostic_tool = match package.metadata.get("diagnostic") {
            None => DiagnosticTool::default(),
            Some(table) => {
                DiagnosticSettings::deserialize(table)
                    .map_err(|e| {
                        format!("{}: [package.metadata.diagnostic]: {e}", manifest.display())
                    })?
                    .tool
            }
        };
        Ok(Listing {
            name: package.name.to_string(),
            copies,
            dir: manifest
                .parent()
                .expect("a manifest lives in a folder")
                .to_path_buf(),
            run,
            dependencies: package
                .dependencies
                .iter()
                .filter(|d| d.kind == DependencyKind::Normal)
                .map(|d| d.name.clone())
                .collect(),
            companions: package
                .dependencies
                .iter()
                .filter(|d| d.path.is_some())
                .map(|d| d.name.clone())
                .collect(),
            program: package.targets.iter().any(|t| t.is_bin()),
            library: package.targets.iter().any(|t| t.is_lib()),
            diagnostic_tool,
        })
    }

    /// Its manifest's `[dependencies]` table as the book shows it: the lines between
    /// `# ANCHOR: dependencies` and `# ANCHOR_END: dependencies` in its `Cargo.toml`. `None`
    /// when it has no such part, as a listing without dependencies has none.
    pub fn dependencies_table(&self) -> Option<String> {
        let manifest = std::fs::read_to_string(self.dir.join("Cargo.toml")).ok()?;
        crate::book::Selection::Anchor(DEPENDENCIES_ANCHOR.to_owned()).take(&manifest)
    }

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

    /// A compile-error listing's diagnostic, as `cargo bless` recorded it from a real build:
    /// `diagnostic.txt`.
    pub fn diagnostic_path(&self) -> PathBuf {
        self.dir.join("diagnostic.txt")
    }

    pub fn has_diagnostic(&self) -> bool {
        self.diagnostic_path().exists()
    }

    /// The timeline picture, drawn by `cargo bless` from `timing.txt`: `timeline.svg`.
    pub fn timeline_path(&self) -> PathBuf {
        self.dir.join("timeline.svg")
    }

    /// The recording, as `output.txt` and `timing.txt` hold it.
    pub fn transcript(&self) -> Result<crate::transcript::Transcript, String> {
        crate::transcript::Transcript::load(&self.output_path(), &self.timing_path())
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
    /// standard library, tokio and futures, and no arguments, files or servers, and whose
    /// recorded run ends within [`crate::settings::PLAYGROUND_RUN`], so that it finishes
    /// before mdBook's Run button gives up.
    pub fn runs_in_playground(&self) -> bool {
        self.playground_obstacle().is_none()
    }

    /// Why the Playground cannot run it, if it cannot.
    pub fn playground_obstacle(&self) -> Option<String> {
        let limit = crate::settings::PLAYGROUND_RUN;
        if !self.program || !self.run.args.is_empty() || self.run.server.is_some() {
            Some("it needs arguments, files or a server".to_owned())
        } else if let Some(d) = self
            .dependencies
            .iter()
            .find(|d| *d != "tokio" && *d != "futures")
        {
            Some(format!("it needs `{d}`, which the Playground lacks"))
        } else {
            match self.transcript() {
                Ok(t) if t.end <= limit => None,
                Ok(t) => Some(format!(
                    "its recorded run takes {:.1} s, and a Run button gives up after 6 s, \
                     compiling included (the limit is {limit} s)",
                    t.end
                )),
                Err(_) => Some("it has no recorded run to tell how long it takes".to_owned()),
            }
        }
    }

    pub fn has_transcript(&self) -> bool {
        self.output_path().exists()
    }

    /// Whether the listing carries tests of its own (`tests/*.rs`), which is what a listing
    /// without a transcript must have.
    pub fn has_own_tests(&self) -> bool {
        crate::files::with_extension(&self.dir.join("tests"), "rs")
            .iter()
            .any(|p| p.parent() == Some(&self.dir.join("tests")))
    }

    /// Whether `cargo test -p <name>` has anything to run: tests under `tests/`, a
    /// `#[test]` in its sources, or a library that may hold doctests.
    pub fn has_tests(&self) -> bool {
        let mentions_test = |path: &PathBuf| {
            std::fs::read_to_string(path)
                .is_ok_and(|text| text.contains("#[test]") || text.contains("#[tokio::test"))
        };
        self.has_own_tests()
            || self.library
            || crate::files::with_extension(&self.dir.join("src"), "rs")
                .iter()
                .any(mentions_test)
    }
}

/// Every workspace member whose manifest lives directly under `listings/`, sorted by name.
pub fn all() -> Result<Vec<Listing>, String> {
    let metadata = crate::cargo::metadata()?;
    let listings_dir = crate::root().join("listings");
    let mut listings = metadata
        .workspace_packages()
        .into_iter()
        .filter(|p| {
            p.manifest_path
                .parent()
                .and_then(|d| d.parent())
                .map(|d| d.as_std_path())
                == Some(listings_dir.as_path())
        })
        .map(Listing::from_package)
        .collect::<Result<Vec<_>, _>>()?;
    listings.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listings)
}

/// The listings whose point is a compile error, sorted by name: the folders under
/// `listings/` that the root manifest's `workspace.exclude` names, since a member that does
/// not compile would break every build of the workspace. Each is read with a `cargo metadata`
/// of its own, as the workspace's does not describe them.
pub fn compile_errors() -> Result<Vec<Listing>, String> {
    let manifest = crate::root().join("Cargo.toml");
    let root: toml::Table = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?
        .parse()
        .map_err(|e| format!("{}: {e}", manifest.display()))?;
    let excluded = root
        .get("workspace")
        .and_then(|w| w.get("exclude"))
        .and_then(toml::Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut listings = Vec::new();
    for path in excluded.iter().filter_map(toml::Value::as_str) {
        let dir = crate::root().join(path);
        if owner_of(&dir).is_none() {
            continue;
        }
        let metadata = cargo_metadata::MetadataCommand::new()
            .cargo_path(crate::cargo::program())
            .manifest_path(dir.join("Cargo.toml"))
            .no_deps()
            .exec()
            .map_err(|e| format!("{path}, excluded from the workspace: {e}"))?;
        let package = metadata
            .root_package()
            .ok_or_else(|| format!("{path}, excluded from the workspace, is not a package"))?;
        listings.push(Listing::from_package(package)?);
    }
    listings.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listings)
}

/// Every folder directly under `listings/`, whether or not it is a crate.
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

#[cfg(test)]
mod tests {
    use super::RunSettings;

    #[test]
    fn settings_default_when_absent() {
        let none = serde_json::json!({});
        assert_eq!(
            RunSettings::from_metadata(&none),
            Ok(RunSettings::default())
        );
    }

    #[test]
    fn settings_are_read_in_kebab_case() {
        let metadata = serde_json::json!({
            "transcript": {
                "server": { "listing": "demo-site", "port": 8000 },
                "args": ["a.txt"],
                "alone": false
            }
        });
        let settings = RunSettings::from_metadata(&metadata).unwrap();
        assert_eq!(settings.server.unwrap().port, 8000);
        assert_eq!(settings.args, ["a.txt"]);
    }

    #[test]
    fn a_misspelt_setting_is_an_error() {
        let metadata = serde_json::json!({ "transcript": { "demo_site": true } });
        let error = RunSettings::from_metadata(&metadata).unwrap_err();
        assert!(error.contains("unknown field `demo_site`"), "{error}");
        let metadata = serde_json::json!({
            "transcript": { "server": { "listing": "demo-site", "adress": 8000 } }
        });
        let error = RunSettings::from_metadata(&metadata).unwrap_err();
        assert!(error.contains("unknown field `adress`"), "{error}");
    }
}
