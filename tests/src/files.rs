//! Finding files under a folder: the one directory walk the checks share.

use std::path::{Path, PathBuf};

/// Every file under `dir`, at any depth, whose name ends in `.<extension>`, sorted. A
/// missing folder has none.
pub fn with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}
