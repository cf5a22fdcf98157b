//! Which words each file of the project holds, kept between runs.
//!
//! A run that reports on a few files (a pre-commit hook) looks for the uses of a
//! handful of names, yet would read every file of the project to find them. The
//! word index remembers, for every file searched, a Bloom filter of its words (runs
//! of ASCII letters, digits and `_`, and of non-ASCII bytes), keyed on the file's
//! size, modification time and inode: a file whose stamp has not changed and whose
//! filter holds none of the names is known not to name them, without being read.
//! A filter never misses a word it holds (it can only say "maybe" of one it does
//! not), and a name the search looks for is a whole word of the file wherever it
//! is used, so the search finds exactly what it would find reading every file.
//!
//! Files modified in the two seconds before the index is written are not recorded
//! (a later change within the file system's timestamp resolution would keep the
//! stamp). The index lives beside the facts cache (`<project hash>.words`), in a
//! small binary format; a missing, corrupt or other-version index is ignored. Only
//! runs on a few files use the filters; the verdicts on which files under `app/`
//! and `lib/` are support files (`<project hash>.support`) serve every run.

use crate::cache::write_atomically;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The first bytes of an index file: its format and the fullscan that wrote it.
const MAGIC: &[u8] = concat!("fullscan words 1 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// Bits of each filter, and how many each word sets. With 2,048 bits and 3 per
/// word, a file of 150 distinct words says "maybe" of an absent word about 1% of
/// the time.
const FILTER_WORDS: usize = 32;
const FILTER_BITS: u64 = (FILTER_WORDS * 64) as u64;
const PROBES: u64 = 3;

/// Files modified more recently than this before the index is written are left out.
const RACY: Duration = Duration::from_secs(2);

/// What identifies a file's content without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    len: u64,
    mtime_secs: i64,
    mtime_nanos: u32,
    ino: u64,
}

impl Stamp {
    /// The stamp of the file at `path` (symbolic links followed, as a read does).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let mtime = meta.modified().ok()?;
        let (mtime_secs, mtime_nanos) = match mtime.duration_since(UNIX_EPOCH) {
            Ok(d) => (i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()),
            Err(_) => return None,
        };
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let ino = 0;
        Some(Stamp {
            len: meta.len(),
            mtime_secs,
            mtime_nanos,
            ino,
        })
    }

    /// Whether the file was last modified long enough before now for a later
    /// change to show in its stamp.
    pub fn is_settled(&self, now: SystemTime) -> bool {
        now.duration_since(self.modified())
            .is_ok_and(|age| age >= RACY)
    }

    fn modified(&self) -> SystemTime {
        UNIX_EPOCH + Duration::new(self.mtime_secs.max(0) as u64, self.mtime_nanos)
    }
}

/// A Bloom filter of the words of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordFilter([u64; FILTER_WORDS]);

/// The hash of a word, as the filters use it.
pub fn word_hash(word: &[u8]) -> u64 {
    let mut h = foldhash::fast::FixedState::with_seed(0x6675_6c6c_7363_616e).build_hasher();
    h.write(word);
    h.finish()
}

/// A byte of a word: the identifier bytes the search for uses matches names on
/// (ASCII letters, digits, `_`, and any byte of a non-ASCII character). The index
/// is exact only because its words are the search's identifiers.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The words of `bytes`, as byte ranges, in order.
pub fn words(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_word_byte(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && is_word_byte(bytes[i]) {
            i += 1;
        }
        (i > start).then_some(start..i)
    })
}

impl WordFilter {
    /// The filter of every word of `bytes`.
    pub fn of(bytes: &[u8]) -> WordFilter {
        let mut f = WordFilter([0; FILTER_WORDS]);
        for word in words(bytes) {
            f.insert(word_hash(&bytes[word]));
        }
        f
    }

    fn probes(hash: u64) -> impl Iterator<Item = u64> {
        let (a, b) = (hash, (hash >> 32) | 1);
        (0..PROBES).map(move |i| a.wrapping_add(i.wrapping_mul(b)) % FILTER_BITS)
    }

    fn insert(&mut self, hash: u64) {
        for bit in Self::probes(hash) {
            self.0[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    /// False only when the file holds no such word.
    pub fn may_contain(&self, hash: u64) -> bool {
        Self::probes(hash).all(|bit| self.0[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }
}

/// The word index of one project for one run.
type Filters = HashMap<PathBuf, (Stamp, WordFilter)>;

pub struct WordIndex {
    /// Where the verdicts on support files live (`<project>.support`).
    file: Option<PathBuf>,
    /// Where the filters live (`<project>.words`), when this run uses them.
    words_file: Option<PathBuf>,
    /// The stored filters, decoded on a thread of their own from `open` on (the
    /// project is walked meanwhile) and waited for on first use.
    old: OnceLock<Filters>,
    loading: Mutex<Option<JoinHandle<Filters>>>,
    /// Files whose stored entry still holds, and new entries.
    kept: Mutex<HashSet<PathBuf>>,
    new: Mutex<Vec<(PathBuf, Stamp, WordFilter)>>,
    /// Whether each candidate support file names what makes it one (see
    /// `project::discover`): stored, and this run's.
    old_verdicts: HashMap<PathBuf, (Stamp, bool)>,
    verdicts: Mutex<Vec<(PathBuf, Stamp, bool)>>,
}

impl WordIndex {
    /// No index: every file is read.
    pub fn disabled() -> WordIndex {
        WordIndex {
            file: None,
            words_file: None,
            old: OnceLock::new(),
            loading: Mutex::new(None),
            kept: Mutex::new(HashSet::new()),
            new: Mutex::new(Vec::new()),
            old_verdicts: HashMap::new(),
            verdicts: Mutex::new(Vec::new()),
        }
    }

    /// The index of the project whose caches are named `name`, in `dir`. The word
    /// filters are loaded only for a run that will use them (`words`): a run that
    /// reads every file anyway leaves them as they are (a stale one is known by its
    /// stamp).
    pub fn open(dir: &Path, name: &str, words: bool) -> WordIndex {
        let load = |file: &Path| std::fs::read(file).ok().and_then(|bytes| decode(&bytes));
        let file = dir.join(format!("{name}.support"));
        let words_file = words.then(|| dir.join(format!("{name}.words")));
        let old_verdicts = load(&file).map(|(_, v)| v).unwrap_or_default();
        let loading = words_file.clone().map(|words_file| {
            std::thread::spawn(move || load(&words_file).map(|(w, _)| w).unwrap_or_default())
        });
        WordIndex {
            file: Some(file),
            words_file,
            loading: Mutex::new(loading),
            old_verdicts,
            ..WordIndex::disabled()
        }
    }

    /// The stored filters, once decoded.
    fn old(&self) -> &Filters {
        self.old.get_or_init(|| {
            let loading = self
                .loading
                .lock()
                .map(|mut l| l.take())
                .unwrap_or_default();
            match loading {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                None => Filters::new(),
            }
        })
    }

    /// Whether the support-file verdicts are kept.
    pub fn enabled(&self) -> bool {
        self.file.is_some()
    }

    /// Whether this run keeps word filters.
    pub fn words_enabled(&self) -> bool {
        self.words_file.is_some()
    }

    /// The filter of `rel`, if the stored one is for this stamp.
    pub fn lookup(&self, rel: &Path, stamp: Stamp) -> Option<&WordFilter> {
        let (s, filter) = self.old().get(rel)?;
        if *s != stamp {
            return None;
        }
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(rel.to_path_buf());
        }
        Some(filter)
    }

    /// Records the filter of `rel`, just read with this stamp.
    pub fn record(&self, rel: &Path, stamp: Stamp, filter: WordFilter) {
        if !self.words_enabled() {
            return;
        }
        if let Ok(mut new) = self.new.lock() {
            new.push((rel.to_path_buf(), stamp, filter));
        }
    }

    /// The stored verdict on the support file `rel`, if for this stamp.
    pub fn verdict(&self, rel: &Path, stamp: Stamp) -> Option<bool> {
        let (s, verdict) = self.old_verdicts.get(rel)?;
        let verdict = (*s == stamp).then_some(*verdict)?;
        if let Ok(mut v) = self.verdicts.lock() {
            v.push((rel.to_path_buf(), stamp, verdict));
        }
        Some(verdict)
    }

    /// Records the verdict on the support file `rel`, just read with this stamp.
    pub fn record_verdict(&self, rel: &Path, stamp: Stamp, verdict: bool) {
        if !self.enabled() {
            return;
        }
        if let Ok(mut v) = self.verdicts.lock() {
            v.push((rel.to_path_buf(), stamp, verdict));
        }
    }

    /// Writes the entries of this run's files (those recorded, and the stored ones
    /// found to still hold), unless nothing changed. Errors are ignored.
    pub fn save(self) {
        // The stored filters, decoded (a run that never looked one up still
        // rewrites the file only when its entries change).
        let _ = self.old();
        let Some(file) = self.file else { return };
        let kept = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        let new = self.new.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut verdicts = self
            .verdicts
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let now = SystemTime::now();
        let settled = |stamp: &Stamp| stamp.is_settled(now);
        let verdicts_unchanged = verdicts.len() == self.old_verdicts.len()
            && verdicts
                .iter()
                .all(|(p, s, v)| self.old_verdicts.get(p) == Some(&(*s, *v)));
        if !verdicts_unchanged {
            verdicts.retain(|(_, s, _)| settled(s));
            verdicts.sort_by(|a, b| a.0.cmp(&b.0));
            verdicts.dedup_by(|a, b| a.0 == b.0);
            write_atomically(&file, &encode(&[], &verdicts));
        }
        let Some(words_file) = self.words_file else {
            return;
        };
        let mut old = self.old.into_inner().unwrap_or_default();
        if new.is_empty() && kept.len() == old.len() {
            return;
        }
        let mut entries: Vec<(PathBuf, Stamp, WordFilter)> =
            new.into_iter().filter(|(_, s, _)| settled(s)).collect();
        for path in kept {
            if let Some((stamp, filter)) = old.remove(&path) {
                entries.push((path, stamp, filter));
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        write_atomically(&words_file, &encode(&entries, &[]));
    }
}

type Decoded = (
    HashMap<PathBuf, (Stamp, WordFilter)>,
    HashMap<PathBuf, (Stamp, bool)>,
);

fn encode(
    entries: &[(PathBuf, Stamp, WordFilter)],
    verdicts: &[(PathBuf, Stamp, bool)],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + entries.len() * (300 + 40));
    out.extend_from_slice(MAGIC);
    // Paths are stored as UTF-8; a file whose path is not is simply read each run.
    let entries: Vec<_> = entries
        .iter()
        .filter_map(|(path, stamp, filter)| Some((path.to_str()?, stamp, filter)))
        .collect();
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for (path, stamp, filter) in entries {
        put_path_stamp(&mut out, path, stamp);
        for w in filter.0 {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    let verdicts: Vec<_> = verdicts
        .iter()
        .filter_map(|(path, stamp, v)| Some((path.to_str()?, stamp, v)))
        .collect();
    out.extend_from_slice(&(verdicts.len() as u64).to_le_bytes());
    for (path, stamp, verdict) in verdicts {
        put_path_stamp(&mut out, path, stamp);
        out.push(u8::from(*verdict));
    }
    out
}

fn put_path_stamp(out: &mut Vec<u8>, path: &str, stamp: &Stamp) {
    out.extend_from_slice(&(path.len() as u32).to_le_bytes());
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(&stamp.len.to_le_bytes());
    out.extend_from_slice(&stamp.mtime_secs.to_le_bytes());
    out.extend_from_slice(&stamp.mtime_nanos.to_le_bytes());
    out.extend_from_slice(&stamp.ino.to_le_bytes());
}

fn decode(bytes: &[u8]) -> Option<Decoded> {
    let mut r = Reader(bytes.strip_prefix(MAGIC)?);
    // Every entry takes at least this many bytes: a corrupt count is refused
    // before anything is allocated for it.
    const PATH_STAMP: usize = 4 + 8 + 8 + 4 + 8;
    let count = r.count(PATH_STAMP + 8 * FILTER_WORDS)?;
    let mut words = HashMap::with_capacity(count);
    for _ in 0..count {
        let (path, stamp) = r.path_stamp()?;
        let mut filter = [0u64; FILTER_WORDS];
        for w in &mut filter {
            *w = r.u64()?;
        }
        words.insert(path, (stamp, WordFilter(filter)));
    }
    let count = r.count(PATH_STAMP + 1)?;
    let mut verdicts = HashMap::with_capacity(count);
    for _ in 0..count {
        let (path, stamp) = r.path_stamp()?;
        let verdict = match r.take(1)? {
            [0] => false,
            [1] => true,
            _ => return None,
        };
        verdicts.insert(path, (stamp, verdict));
    }
    r.0.is_empty().then_some((words, verdicts))
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    /// A count of entries of at least `min` bytes each, if that many can follow.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u64()?;
        (n <= (self.0.len() / min) as u64).then_some(n as usize)
    }

    fn path_stamp(&mut self) -> Option<(PathBuf, Stamp)> {
        let len = self.u32()? as usize;
        let path = std::str::from_utf8(self.take(len)?)
            .ok()
            .map(PathBuf::from)?;
        let stamp = Stamp {
            len: self.u64()?,
            mtime_secs: self.u64()? as i64,
            mtime_nanos: self.u32()?,
            ino: self.u64()?,
        };
        Some((path, stamp))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_hold_every_word() {
        let src = "<%= @post.comments.size %> x.build_author(name: \"café\") :tags\ncomment_ids=";
        let f = WordFilter::of(src.as_bytes());
        for w in [
            "post",
            "comments",
            "size",
            "build_author",
            "name",
            "café",
            "tags",
            "comment_ids",
        ] {
            assert!(f.may_contain(word_hash(w.as_bytes())), "{w}");
        }
        // Parts of words are not words.
        let absent = ["comment", "author", "tag", "ids", "caf"]
            .iter()
            .filter(|w| f.may_contain(word_hash(w.as_bytes())))
            .count();
        assert!(absent <= 1, "{absent} parts of words reported present");
    }

    #[test]
    fn index_round_trips_and_refuses_garbage() {
        let entries = vec![(
            PathBuf::from("app/views/a.html.erb"),
            Stamp {
                len: 10,
                mtime_secs: 1_700_000_000,
                mtime_nanos: 5,
                ino: 42,
            },
            WordFilter::of(b"hello world"),
        )];
        let verdicts = vec![(PathBuf::from("app/lib/x.rb"), entries[0].1, true)];
        let bytes = encode(&entries, &verdicts);
        let (map, v) = decode(&bytes).unwrap();
        assert_eq!(v[Path::new("app/lib/x.rb")], (entries[0].1, true));
        assert_eq!(map[Path::new("app/views/a.html.erb")].0, entries[0].1);
        assert_eq!(map[Path::new("app/views/a.html.erb")].1, entries[0].2);
        assert!(decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(decode(b"nonsense").is_none());
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode(&huge).is_none());
    }

    #[test]
    fn stale_and_recent_files_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.rb");
        std::fs::write(&file, "post.comments").unwrap();
        let stamp = Stamp::of(&file).unwrap();
        let index = WordIndex::open(cache.path(), "p", true);
        index.record(Path::new("a.rb"), stamp, WordFilter::of(b"post.comments"));
        index.save();
        // Just written: too recent to be trusted, so not recorded.
        let index = WordIndex::open(cache.path(), "p", true);
        assert!(index.lookup(Path::new("a.rb"), stamp).is_none());
        // An old file is recorded and found again while its stamp holds.
        let old = SystemTime::now() - Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let stamp = Stamp::of(&file).unwrap();
        index.record(Path::new("a.rb"), stamp, WordFilter::of(b"post.comments"));
        index.save();
        let index = WordIndex::open(cache.path(), "p", true);
        assert!(index.lookup(Path::new("a.rb"), stamp).is_some());
        std::fs::write(&file, "post.tags").unwrap();
        let changed = Stamp::of(&file).unwrap();
        assert!(index.lookup(Path::new("a.rb"), changed).is_none());
    }
}
