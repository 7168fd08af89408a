//! Naming inputs as users do: paths, `file://` paths, `-` for standard
//! input, and directories walked recursively in name order, as an S3 sync
//! of `AWSLogs/…` looks.

use super::Source;
use std::path::{Path, PathBuf};

/// The sources named by some arguments, and what was left out.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Expanded {
    /// The inputs to read, in order.
    pub sources: Vec<Source>,
    /// Files inside directories that are not read, and why.
    pub skipped: Vec<Skipped>,
    /// Entries that could not be looked at (a path too long, a permission,
    /// a symlink loop): reported, while every other input is read.
    pub errors: Vec<String>,
}

/// A file inside a directory that is not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Its path.
    pub path: PathBuf,
    /// Why: `"digest"`, `"hidden"`, `"fifo"`, `"socket"`, `"device"`,
    /// `"duplicate"` (a second link to a file already read).
    pub why: &'static str,
}

/// Expands arguments into sources. `-` is standard input, `file://PATH` is
/// PATH. A directory is walked recursively in name order, following
/// symbolic links (a link loop is an error for that entry, and each file is
/// read once however many links reach it); digest files (under
/// `CloudTrail-Digest`), hidden files, FIFOs, sockets and devices inside
/// directories are skipped and listed. A path that is not a directory is
/// read as given, even a FIFO.
///
/// # Examples
///
/// ```
/// use ctsel::input::{expand, Source};
///
/// let e = expand(["-", "file://events.ndjson"]);
/// assert_eq!(e.sources, [Source::Stdin, Source::File("events.ndjson".into())]);
/// ```
pub fn expand<I, S>(args: I) -> Expanded
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = Expanded::default();
    let mut seen = std::collections::HashSet::new();
    for arg in args {
        let arg = arg.as_ref();
        if arg == "-" {
            out.sources.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(arg.strip_prefix("file://").unwrap_or(arg));
        if path.is_dir() {
            walk(&path, &mut out, &mut seen);
        } else {
            out.sources.push(Source::File(path));
        }
    }
    out
}

fn walk(root: &Path, out: &mut Expanded, seen: &mut std::collections::HashSet<(u64, u64)>) {
    // A file can be reached twice only through a symbolic link: until the
    // walk meets one, no file is looked up (a stat per file is a tenth of
    // the time on a tree of small log files).
    let first = out.sources.len();
    let mut links = !seen.is_empty();
    for entry in walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                let why = if e.loop_ancestor().is_some() {
                    "a symbolic link loop; not followed".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), super::open::describe)
                };
                out.errors.push(format!("{at}: {why}"));
                continue;
            }
        };
        // A linked directory is an entry of its own, met before its files.
        if !links && entry.path_is_symlink() {
            links = true;
            // Remember what was read before the first link.
            for s in &out.sources[first..] {
                if let Source::File(f) = s {
                    if let Some(id) = path_id(f) {
                        seen.insert(id);
                    }
                }
            }
        }
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let p = entry.path();
        let skip = |why| Skipped {
            path: p.to_path_buf(),
            why,
        };
        if !ft.is_file() {
            out.skipped.push(skip(special_kind(&ft)));
            continue;
        }
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if p.to_string_lossy().contains("CloudTrail-Digest") {
            out.skipped.push(skip("digest"));
            continue;
        }
        if hidden {
            out.skipped.push(skip("hidden"));
            continue;
        }
        if links {
            if let Some(id) = path_id(p) {
                if !seen.insert(id) {
                    out.skipped.push(skip("duplicate"));
                    continue;
                }
            }
        }
        out.sources.push(Source::File(p.to_path_buf()));
    }
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "fifo"
    } else if ft.is_socket() {
        "socket"
    } else {
        "device"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "device"
}

/// The file a path leads to (links followed).
#[cfg(unix)]
fn path_id(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn path_id(_: &Path) -> Option<(u64, u64)> {
    None
}
