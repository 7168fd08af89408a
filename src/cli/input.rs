//! Naming and reading inputs the way the AWS CLI does: a path,
//! `file://path`, or `-` for standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Where an input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    Path(PathBuf),
}

impl Input {
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg.strip_prefix("file://").unwrap_or(arg)))
        }
    }

    /// The name used in messages and JSON output.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::Path(p) => p.display().to_string(),
        }
    }

    /// Reads the whole input. More than `limit` bytes are not read: the
    /// result then holds `limit + 1` bytes, and the caller decides.
    pub fn read_limited(&self, limit: usize) -> Result<Vec<u8>, String> {
        let mut buf = Vec::new();
        let max = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
        let res = match self {
            Input::Stdin => std::io::stdin().lock().take(max).read_to_end(&mut buf),
            Input::Path(p) => open(p).and_then(|f| f.take(max).read_to_end(&mut buf)),
        };
        res.map_err(|e| format!("{}: {}", self.display(), describe(&e)))?;
        Ok(buf)
    }
}

fn open(p: &Path) -> std::io::Result<std::fs::File> {
    if p.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    std::fs::File::open(p)
}

/// An I/O error in words, without Rust's `(os error N)` suffix.
pub fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Reads a catalog extension file: one entry per line, `#` comments.
pub fn read_entries(path: &str) -> Result<Vec<String>, String> {
    let input = Input::parse(path);
    let bytes = input.read_limited(16 << 20)?;
    if bytes.len() > 16 << 20 {
        return Err(format!(
            "{}: larger than 16 MiB; not a list of entries",
            input.display()
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", input.display()))?;
    Ok(ctsel::catalog_entries(&text).map(String::from).collect())
}
