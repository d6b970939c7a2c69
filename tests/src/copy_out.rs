//! A listing taken home: copied alone out of the workspace, the way a reader copies
//! `listings/NAME/` into a folder of their own, with only the listings its manifest names by
//! path beside it (the demo site, for the HTTP listings' tests) and the workspace's lock.
//!
//! Outside the workspace, nothing the workspace gives its members helps: no inherited keys,
//! no features unified with other members, no `.cargo/config.toml`. So a copy builds only
//! if its own manifest says everything it needs.

use std::path::{Path, PathBuf};

use crate::listing::Listing;

/// Where the copies go: a folder of the system's temporary folder, outside the workspace (a
/// manifest below the workspace root would be taken for a member that is not listed). Its
/// name is the same on every run from one checkout, and a copy keeps its files'
/// modification times, so a second run finds the copies' build up to date; two checkouts
/// get two folders.
pub fn folder() -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut checkout = std::collections::hash_map::DefaultHasher::new();
    crate::root().hash(&mut checkout);
    std::env::temp_dir().join(format!(
        "async-rust-slide-by-slide-copies-{:016x}",
        checkout.finish()
    ))
}

/// Where the copies' programs land, apart from the workspace's own (their intermediate files
/// share the workspace's build folder: see [`crate::cargo::build_copy`]).
pub fn target_dir() -> Result<PathBuf, String> {
    Ok(crate::cargo::target_dir()?.join("copies"))
}

/// Copies `listing`, and each listing it names by path, into [`folder`], each in a folder
/// of its own name, replacing an earlier copy; the lock goes into the listing's copy.
/// Returns the listing as it stands in its copy.
pub fn copy(listing: &Listing, all: &[Listing]) -> Result<Listing, String> {
    let into = folder();
    for name in std::iter::once(&listing.name).chain(&listing.companions) {
        let original = all
            .iter()
            .find(|l| &l.name == name)
            .ok_or_else(|| format!("{}: names `{name}` by path, not a listing", listing.name))?;
        let copy = into.join(name);
        if copy.exists() {
            std::fs::remove_dir_all(&copy)
                .map_err(|e| format!("cannot remove {}: {e}", copy.display()))?;
        }
        copy_tree(&original.dir, &copy)?;
    }
    let copied = Listing {
        dir: into.join(&listing.name),
        ..listing.clone()
    };
    let lock = crate::root().join("Cargo.lock");
    copy_file(&lock, &copied.dir.join("Cargo.lock"))?;
    Ok(copied)
}

/// Copies a folder's files, leaving out anything a build wrote (`target/`).
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
    {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let rel = entry
            .path()
            .strip_prefix(from)
            .expect("below the folder walked");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)
                .map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        } else {
            copy_file(entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// Copies one file with its modification time, which is what cargo compares to decide that
/// a build is up to date.
fn copy_file(from: &Path, to: &Path) -> Result<(), String> {
    let failed =
        |e: std::io::Error| format!("cannot copy {} to {}: {e}", from.display(), to.display());
    std::fs::copy(from, to).map_err(failed)?;
    let modified = std::fs::metadata(from)
        .and_then(|m| m.modified())
        .map_err(failed)?;
    std::fs::File::options()
        .write(true)
        .open(to)
        .and_then(|f| f.set_modified(modified))
        .map_err(failed)
}
