//! The trace IDs kopai printed recently, so a short prefix (as the tables show) can be typed
//! back, as git resolves abbreviated hashes. The cache holds only IDs and when they were seen,
//! is bounded, private to the user (0600) and replaced atomically; a file that cannot be read
//! or parsed is ignored and rewritten, never an error.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// How many IDs are remembered; the oldest are forgotten first.
pub const MAX_IDS: usize = 500;
/// A bigger file is not ours to trust: ignored and rewritten.
const MAX_FILE_BYTES: u64 = 64 * 1024;
const TRACE_ID_DIGITS: usize = 32;

fn cache_file() -> Option<PathBuf> {
    Some(dirs::cache_dir()?.join("kopai").join("recent-trace-ids"))
}

/// Remembers `ids` (whole trace IDs) as printed now. Failing to write only costs the shortcut.
pub fn record<'a>(ids: impl IntoIterator<Item = &'a str>) {
    let mut fresh: Vec<String> = Vec::new();
    for id in ids.into_iter().filter(|id| is_whole(id)) {
        let id = id.to_ascii_lowercase();
        if !fresh.contains(&id) {
            fresh.push(id);
        }
    }
    if fresh.is_empty() {
        return;
    }
    let Some(path) = cache_file() else { return };
    let now = jiff::Timestamp::now().as_second();
    let mut entries = load(&path);
    entries.retain(|(_, id)| !fresh.contains(id));
    entries.extend(fresh.into_iter().map(|id| (now, id)));
    let excess = entries.len().saturating_sub(MAX_IDS);
    entries.drain(..excess);
    let _ = save(&path, &entries);
}

/// Every remembered ID, newest first (whole, lowercase hexadecimal: safe to offer as words).
pub fn newest_first() -> Vec<String> {
    let entries = cache_file().as_deref().map(load).unwrap_or_default();
    entries.into_iter().rev().map(|(_, id)| id).collect()
}

/// What the cache makes of a trace ID or prefix `raw`.
pub enum Cached {
    /// The whole ID: `raw` itself, or the one remembered ID it starts.
    Whole(String),
    /// Several remembered IDs start with the prefix: `(seconds printed, id)`, newest first.
    Ambiguous {
        prefix: String,
        matches: Vec<(i64, String)>,
    },
    /// No remembered ID starts with the prefix; how many were looked at.
    Unknown { prefix: String, remembered: usize },
}

/// What the cache alone makes of the trace ID or prefix `raw` (no request).
pub fn cached(raw: &str) -> Cached {
    let prefix = raw.to_ascii_lowercase();
    if prefix.len() == TRACE_ID_DIGITS {
        return Cached::Whole(prefix);
    }
    let path = cache_file();
    let entries = path.as_deref().map(load).unwrap_or_default();
    let remembered = entries.len();
    let mut matches: Vec<(i64, String)> = entries
        .into_iter()
        .filter(|(_, id)| id.starts_with(&prefix))
        .collect();
    match matches.len() {
        0 => Cached::Unknown { prefix, remembered },
        1 => Cached::Whole(matches.remove(0).1),
        _ => {
            matches.reverse();
            Cached::Ambiguous { prefix, matches }
        }
    }
}

fn is_whole(id: &str) -> bool {
    id.len() == TRACE_ID_DIGITS && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The remembered `(seconds, id)` pairs, oldest first; nothing for a missing or bad file.
fn load(path: &Path) -> Vec<(i64, String)> {
    let mut text = String::new();
    let read =
        fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text));
    if read.is_err() || text.len() as u64 > MAX_FILE_BYTES {
        return Vec::new();
    }
    let parsed: Option<Vec<(i64, String)>> = text
        .lines()
        .map(|line| {
            let (secs, id) = line.split_once(' ')?;
            is_whole(id).then(|| Some((secs.parse().ok()?, id.to_owned())))?
        })
        .collect();
    parsed.unwrap_or_default()
}

/// Writes the entries to a private temporary file beside `path`, then renames it over.
fn save(path: &Path, entries: &[(i64, String)]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("no directory"))?;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    // tempfile creates the file 0600.
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    for (secs, id) in entries {
        writeln!(file, "{secs} {id}")?;
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
