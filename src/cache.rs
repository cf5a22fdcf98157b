//! The facts extracted from model and support files, kept between runs and keyed on
//! each file's content (SHA-256): a re-run (a pre-commit hook, a CI job with its
//! cache restored) parses only what changed. It lives outside the project, in
//! `$FULLSCAN_CACHE_DIR`, else `$XDG_CACHE_HOME/fullscan`, else
//! `$HOME/.cache/fullscan`, one file per project (named after a hash of its
//! canonical path), and is written atomically. A missing, unreadable, corrupt or
//! other-version cache is ignored; a cache that cannot be written is skipped. It
//! never changes a result: an entry is used only for the same path, the same bytes
//! and the same fullscan.

use crate::model::FileFacts;
use crate::schema::Database;
use crate::words::Stamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What an entry was made by: a cache from another fullscan is not read.
const FORMAT: &str = concat!("fullscan ", env!("CARGO_PKG_VERSION"), " facts 6");

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    /// Path (relative to the project) → (content hash, facts).
    files: HashMap<PathBuf, (String, FileFacts)>,
    /// Schema files: path → (content hash, what was read).
    #[serde(default)]
    schemas: HashMap<PathBuf, (String, Database)>,
    /// Path → the stamp (size, modification time, inode) at which the file had the
    /// content hash: a file whose stamp has not changed is not read again.
    #[serde(default)]
    stamps: HashMap<PathBuf, (Stamp, String)>,
}

/// The cache of one project for one run.
pub struct FactsCache {
    file: Option<PathBuf>,
    facts: FactEntries,
    schemas: Entries<Database>,
    old_stamps: HashMap<PathBuf, (Stamp, String)>,
    stamps: Mutex<Vec<(PathBuf, Stamp, String)>>,
    pub hits: std::sync::atomic::AtomicUsize,
}

/// One kind of entry: what the previous run stored, and what this run looked up.
struct Entries<T> {
    old: HashMap<PathBuf, (String, T)>,
    /// Every file this run looked up, with its hash and its new value (`None`: the
    /// stored one still holds).
    seen: Mutex<HashMap<PathBuf, (String, Option<T>)>>,
}

impl<T: Clone> Entries<T> {
    fn new(old: HashMap<PathBuf, (String, T)>) -> Entries<T> {
        Entries {
            old,
            seen: Mutex::new(HashMap::new()),
        }
    }

    fn note(&self, rel: &Path, hash: &str, value: Option<T>) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(rel.to_path_buf(), (hash.to_owned(), value));
        }
    }

    /// The stored value of `rel` for these bytes, if any (noted as still holding).
    fn get(&self, rel: &Path, hash: &str) -> Option<T> {
        let (h, value) = self.old.get(rel)?;
        if h != hash {
            return None;
        }
        self.note(rel, hash, None);
        Some(value.clone())
    }

    /// The entries to store (the files of this run only: deleted files drop out),
    /// and whether they differ from the stored ones.
    fn finish(self) -> (HashMap<PathBuf, (String, T)>, bool) {
        let seen = self
            .seen
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changed = seen.len() != self.old.len() || seen.values().any(|(_, v)| v.is_some());
        let mut old = self.old;
        let entries = seen
            .into_iter()
            .filter_map(|(path, (hash, value))| {
                let value = match value {
                    Some(v) => v,
                    None => old.remove(&path)?.1,
                };
                Some((path, (hash, value)))
            })
            .collect();
        (entries, changed)
    }
}

/// The facts of model and support files: a stored entry is handed over (not
/// copied) when a file is looked up, and what is written back is the facts the run
/// ends with, so a large project's facts are never held twice.
struct FactEntries {
    old: Mutex<HashMap<PathBuf, (String, FileFacts)>>,
    stored: usize,
    /// Every file this run looked up, with its hash.
    seen: Mutex<HashMap<PathBuf, String>>,
    /// Whether any file had no stored entry for its bytes.
    changed: std::sync::atomic::AtomicBool,
}

impl FactEntries {
    fn new(old: HashMap<PathBuf, (String, FileFacts)>) -> FactEntries {
        FactEntries {
            stored: old.len(),
            old: Mutex::new(old),
            seen: Mutex::new(HashMap::new()),
            changed: Default::default(),
        }
    }

    fn note(&self, rel: &Path, hash: &str) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(rel.to_path_buf(), hash.to_owned());
        }
    }

    fn get(&self, rel: &Path, hash: &str) -> Option<FileFacts> {
        let facts = {
            let mut old = self.old.lock().ok()?;
            if old.get(rel).is_none_or(|(h, _)| h != hash) {
                return None;
            }
            old.remove(rel)?.1
        };
        self.note(rel, hash);
        Some(facts)
    }

    fn put(&self, rel: &Path, hash: &str) {
        self.note(rel, hash);
        self.changed
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The entries to store (this run's files with their facts), and whether they
    /// differ from the stored ones.
    fn finish<'a>(
        self,
        facts: impl Iterator<Item = &'a FileFacts>,
    ) -> (HashMap<&'a Path, (String, &'a FileFacts)>, bool) {
        let mut seen = self
            .seen
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changed = self.changed.into_inner() || seen.len() != self.stored;
        let entries = facts
            .filter_map(|f| Some((f.path.as_path(), (seen.remove(&f.path)?, f))))
            .collect();
        (entries, changed)
    }
}

#[derive(Serialize)]
struct StoredRef<'a> {
    format: &'a str,
    files: HashMap<&'a Path, (String, &'a FileFacts)>,
    schemas: HashMap<PathBuf, (String, Database)>,
    stamps: HashMap<PathBuf, (Stamp, String)>,
}

/// The directory the caches live in, from the environment.
pub fn default_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("FULLSCAN_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("fullscan")))
        .or_else(|| var("HOME").map(|d| d.join(".cache").join("fullscan")))
}

/// The name of a project's cache files: a hash of its canonical path.
pub fn project_name(root: &Path) -> String {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    content_hash(canonical.as_os_str().as_encoded_bytes())[..16].to_owned()
}

/// The content hash an entry is keyed on.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl FactsCache {
    /// No cache: every file is parsed.
    pub fn disabled() -> FactsCache {
        FactsCache {
            file: None,
            facts: FactEntries::new(HashMap::new()),
            schemas: Entries::new(HashMap::new()),
            old_stamps: HashMap::new(),
            stamps: Mutex::new(Vec::new()),
            hits: Default::default(),
        }
    }

    /// The cache of the project at `root`, in `dir`.
    pub fn open(dir: &Path, root: &Path) -> FactsCache {
        let file = dir.join(format!("{}.json", project_name(root)));
        let (facts, schemas, old_stamps) = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|s| s.format == FORMAT)
            .map(|s| (s.files, s.schemas, s.stamps))
            .unwrap_or_default();
        FactsCache {
            file: Some(file),
            facts: FactEntries::new(facts),
            schemas: Entries::new(schemas),
            old_stamps,
            stamps: Mutex::new(Vec::new()),
            hits: Default::default(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.file.is_some()
    }

    /// The stamp of the file at `full` (`rel` in the project) when the cache is on,
    /// and the content hash it had when it last had that stamp, if known: the file
    /// need not be read to be looked up.
    pub fn stamp(&self, full: &Path, rel: &Path) -> (Option<Stamp>, Option<String>) {
        if !self.enabled() {
            return (None, None);
        }
        let stamp = Stamp::of(full);
        let known = stamp.and_then(|s| self.known_hash(rel, s).map(str::to_owned));
        (stamp, known)
    }

    /// The content hash `rel` had when it last had this stamp, if known.
    pub fn known_hash(&self, rel: &Path, stamp: Stamp) -> Option<&str> {
        let (s, hash) = self.old_stamps.get(rel)?;
        (*s == stamp).then_some(hash.as_str())
    }

    /// Records that `rel` has this content hash at this stamp.
    pub fn note_stamp(&self, rel: &Path, stamp: Stamp, hash: &str) {
        if !self.enabled() {
            return;
        }
        if let Ok(mut stamps) = self.stamps.lock() {
            stamps.push((rel.to_path_buf(), stamp, hash.to_owned()));
        }
    }

    /// The facts of `rel` with these bytes, if a previous run extracted them.
    pub fn get(&self, rel: &Path, hash: &str) -> Option<FileFacts> {
        let facts = self.facts.get(rel, hash)?;
        self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(facts)
    }

    /// Records that the facts of `rel`, with these bytes, were just extracted: they
    /// are stored from what [`save`](Self::save) is given.
    pub fn put(&self, rel: &Path, hash: &str) {
        if self.enabled() {
            self.facts.put(rel, hash);
        }
    }

    /// What a previous run read from the schema file `rel` with these bytes.
    pub fn schema(&self, rel: &Path, hash: &str) -> Option<Database> {
        self.schemas.get(rel, hash)
    }

    /// Records what was just read from a schema file.
    pub fn put_schema(&self, rel: &Path, hash: &str, db: &Database) {
        if self.enabled() {
            self.schemas.note(rel, hash, Some(db.clone()));
        }
    }

    /// Writes this run's entries, `facts` being the facts of this run's files,
    /// unless nothing changed. Errors are ignored: a cache is an optimisation.
    pub fn save<'a>(self, facts: impl Iterator<Item = &'a FileFacts>) {
        let Some(file) = self.file else { return };
        let (files, facts_changed) = self.facts.finish(facts);
        let (schemas, schemas_changed) = self.schemas.finish();
        // A stamp is kept only for a file modified long enough ago that a change
        // made since would show in it.
        let now = std::time::SystemTime::now();
        let stamps: HashMap<PathBuf, (Stamp, String)> = self
            .stamps
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .into_iter()
            .filter(|(_, stamp, _)| stamp.is_settled(now))
            .map(|(path, stamp, hash)| (path, (stamp, hash)))
            .collect();
        if !facts_changed && !schemas_changed && stamps == self.old_stamps {
            return;
        }
        let stored = StoredRef {
            format: FORMAT,
            files,
            schemas,
            stamps,
        };
        let Ok(text) = serde_json::to_vec(&stored) else {
            return;
        };
        write_atomically(&file, &text);
    }
}

/// Writes a cache file through a temporary beside it; errors are ignored.
pub(crate) fn write_atomically(file: &Path, bytes: &[u8]) {
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file.file_name().and_then(|n| n.to_str()).unwrap_or("cache"),
        std::process::id()
    ));
    if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
