//! Discovery: which files of a repository matter, and the project-wide settings
//! (Rails version, adapter, inflections, global table name prefix).
//!
//! The walk uses `ignore` (it honours `.gitignore`), skips `vendor/`, `node_modules/`,
//! `tmp/`, `log/` and never follows symlinks. Paths are kept relative to the
//! project root and sorted, so everything downstream is deterministic.

use crate::schema::SchemaFormat;
use aho_corasick::AhoCorasick;
use serde::Serialize;
use std::path::{Component, Path, PathBuf};

/// Directories never walked into, at any depth.
const SKIPPED_DIRS: [&str; 7] = [
    "vendor",
    "node_modules",
    "tmp",
    "log",
    ".git",
    "coverage",
    "public",
];

/// Directories whose contents are tests; models inside them (e.g. an engine's
/// `spec/dummy/app/models`) belong to test apps, not to the project.
const TEST_DIRS: [&str; 2] = ["spec", "test"];

/// Files larger than this are not parsed as Ruby (generated code, data dumps).
pub const MAX_RUBY_FILE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RailsVersion {
    pub major: u32,
    pub minor: u32,
}

impl RailsVersion {
    /// The newest Rails whose semantics fullscan implements; used when the app says nothing.
    pub const NEWEST: RailsVersion = RailsVersion { major: 8, minor: 1 };

    pub fn at_least(self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }

    pub fn parse(s: &str) -> Option<RailsVersion> {
        let mut parts = s.trim().split('.');
        let major = parts.next()?.trim().parse().ok()?;
        let minor = parts.next().map_or(Some(0), |m| m.trim().parse().ok())?;
        Some(RailsVersion { major, minor })
    }
}

impl std::fmt::Display for RailsVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Where the Rails version came from.
#[derive(Debug, Clone, Serialize)]
pub struct VersionSource {
    pub version: RailsVersion,
    /// `Gemfile.lock`, `db/schema.rb`, or `default`.
    pub source: String,
}

/// A schema file and the database it describes.
#[derive(Debug, Clone, Serialize)]
pub struct SchemaFile {
    /// `primary` for `db/schema.rb` / `db/structure.sql`, else the `<name>` of
    /// `db/<name>_schema.rb` / `db/<name>_structure.sql`.
    pub database: String,
    pub path: PathBuf,
    pub format: SchemaFormat,
}

/// The files of a project fullscan reads, relative to the root, sorted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProjectFiles {
    /// Ruby files under an `app/models` directory (the app's, engines', packs').
    pub model_files: Vec<PathBuf>,
    /// Other Ruby files under `app/` or `lib/` that may define concerns or models.
    pub support_files: Vec<PathBuf>,
    pub schema_files: Vec<SchemaFile>,
    /// `config/initializers/*.rb` files that define inflections.
    pub inflection_files: Vec<PathBuf>,
    /// Files skipped, with the reason (too large, unreadable).
    pub skipped: Vec<(PathBuf, String)>,
    /// Every file that may use an association or a scope: Ruby sources anywhere
    /// (app, lib, config, db/seeds, engines, and spec/test) and templates. Not
    /// migrations, schema files or routes, whose names are tables and controllers.
    pub reference_files: Vec<PathBuf>,
    /// Every `…/db/migrate` folder holding a Ruby file (the app's, engines', packs'),
    /// outside test folders.
    pub migration_dirs: Vec<PathBuf>,
}

/// The kind of a file that may reference associations and scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Ruby, parsed with tree-sitter (`.rb`, `.rake`, `.jbuilder`, `.rabl`, `.builder`...).
    Ruby,
    Erb,
    Haml,
    Slim,
}

/// What kind of reference source a path is, if any.
pub fn source_kind(rel: &Path) -> Option<SourceKind> {
    let name = rel.file_name()?.to_str()?;
    if name == "Rakefile" {
        return Some(SourceKind::Ruby);
    }
    let ext = rel.extension()?.to_str()?;
    match ext {
        "rb" | "rake" | "ru" | "jbuilder" | "rabl" | "builder" | "thor" => Some(SourceKind::Ruby),
        "erb" | "rhtml" => Some(SourceKind::Erb),
        "haml" => Some(SourceKind::Haml),
        "slim" => Some(SourceKind::Slim),
        _ => None,
    }
}

/// Files whose names are not association uses: migrations and schema files name
/// tables, routes name controllers.
fn is_reference_excluded(rel: &Path) -> bool {
    let comps: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let windows = |a: &str, b: &str| comps.windows(2).any(|w| w[0] == a && w[1] == b);
    // db/migrate, and db/<name>_migrate for further databases.
    let migrations = comps
        .windows(2)
        .any(|w| w[0] == "db" && (w[1] == "migrate" || w[1].ends_with("_migrate")));
    if migrations || windows("config", "routes") {
        return true;
    }
    let name = comps.last().copied().unwrap_or_default();
    let parent = comps.len().checked_sub(2).map(|i| comps[i]);
    (parent == Some("db") && (name.ends_with("schema.rb") || name.ends_with("structure.sql")))
        || (parent == Some("config") && name == "routes.rb")
}

/// Whether a path has a directory (at any depth) named one of `names`.
pub fn in_any_dir(rel: &Path, names: &[String]) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(s) => s.to_str().is_some_and(|s| names.iter().any(|n| n == s)),
        _ => false,
    })
}

/// Project-wide settings read from config files.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub rails: VersionSource,
    /// `config.active_record.table_name_prefix` / `_suffix`.
    pub table_name_prefix: String,
    pub table_name_suffix: String,
    /// `config.active_record.pluralize_table_names = false`.
    pub pluralize_table_names: bool,
    /// `config.active_record.schema_format = :sql`.
    pub schema_format_sql: bool,
    /// Adapter per database name from `config/database.yml` (`postgresql`, `mysql2`, ...).
    pub adapters: Vec<(String, String)>,
}

fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name)
}

fn in_test_dir(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(s) => TEST_DIRS.iter().any(|t| s == *t),
        _ => false,
    })
}

/// True for paths like `app/models/...`, `engines/x/app/models/...`.
fn under_app_models(rel: &Path) -> bool {
    let comps: Vec<&std::ffi::OsStr> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect();
    comps.windows(2).any(|w| w[0] == "app" && w[1] == "models")
}

fn under_app_or_lib(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(s) => s == "app" || s == "lib",
        _ => false,
    })
}

/// Walks the project and classifies the files fullscan reads.
pub fn discover(root: &Path) -> ProjectFiles {
    discover_with(root, &crate::words::WordIndex::disabled())
}

/// [`discover`], with the verdicts on support files of an earlier run where the
/// files have not changed since.
pub fn discover_with(root: &Path, index: &crate::words::WordIndex) -> ProjectFiles {
    // The two walks (the one that honours .gitignore, for what defines models;
    // the one that does not, for uses) run at the same time.
    let (mut files, reference) = rayon::join(|| app_files(root, index), || reference_files(root));
    files.reference_files = reference;
    files.schema_files = schema_files(root);
    for list in [
        &mut files.model_files,
        &mut files.support_files,
        &mut files.inflection_files,
        &mut files.reference_files,
        &mut files.migration_dirs,
    ] {
        list.sort();
    }
    files
}

/// The files that may define models, concerns, inflections, and the migration
/// folders, as `.gitignore` leaves them.
fn app_files(root: &Path, index: &crate::words::WordIndex) -> ProjectFiles {
    let mut files = ProjectFiles::default();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        // Nothing under a test directory defines a model or a migration folder
        // (see `in_test_dir` below): such directories are not walked.
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.depth() > 0
                && e.file_name()
                    .to_str()
                    .is_some_and(|name| is_skipped_dir(name) || TEST_DIRS.contains(&name)))
        })
        .build();
    let mut candidates = Vec::new();
    for entry in walker {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_path_buf();
        let is_rb = rel.extension().is_some_and(|e| e == "rb");
        if is_rb && !in_test_dir(&rel) {
            if let Some(dir) = rel.parent().filter(|d| d.ends_with("db/migrate")) {
                if !files.migration_dirs.iter().any(|m| m == dir) {
                    files.migration_dirs.push(dir.to_path_buf());
                }
                continue;
            }
            if under_app_models(&rel) {
                files.model_files.push(rel);
            } else if rel.starts_with("config/initializers") {
                files.inflection_files.push(rel);
            } else if under_app_or_lib(&rel) {
                candidates.push(rel);
            }
        }
    }
    // Initializers and support files only matter when they mention what we read.
    files.inflection_files =
        filter_by_content(root, files.inflection_files, &["inflections", "Inflector"]);
    files.support_files = support_files(
        root,
        candidates,
        index,
        &[
            "ActiveSupport::Concern",
            "has_many",
            "has_one",
            "belongs_to",
            "has_and_belongs_to_many",
            "table_name_prefix",
            "isolate_namespace",
            // A model outside app/models (`ActiveRecord::Base.transaction` in a
            // service is not one).
            "< ActiveRecord::Base",
            "<ActiveRecord::Base",
            "< ::ActiveRecord::Base",
            // Bases whose `has_many` is not ActiveRecord's, so that a class
            // inheriting from an `ApplicationSerializer` is known to be one.
            "ActiveModel::Serializer",
            "Blueprinter::Base",
            "Grape::Entity",
            "ActiveResource::Base",
            "Panko::Serializer",
        ],
    );
    files
}

/// The files that may use associations and scopes. `.gitignore` is not applied here:
/// a file committed despite matching it (a per-site template, say) is still code
/// that runs, and missing a use would call a used association unused. The skipped
/// directories (`vendor/`, `node_modules/`, `tmp/`, `log/`...) stay skipped.
fn reference_files(root: &Path) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .ignore(false)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(false)
        .parents(false)
        .follow_links(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.depth() > 0
                && e.file_name().to_str().is_some_and(is_skipped_dir))
        })
        .build();
    let mut out = Vec::new();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        if source_kind(rel).is_some() && !is_reference_excluded(rel) {
            out.push(rel.to_path_buf());
        }
    }
    out
}

/// [`filter_by_content`] for the support files, the verdict of an earlier run kept
/// for a file whose stamp has not changed.
fn support_files(
    root: &Path,
    paths: Vec<PathBuf>,
    index: &crate::words::WordIndex,
    patterns: &[&str],
) -> Vec<PathBuf> {
    use crate::words::Stamp;
    if !index.enabled() {
        return filter_by_content(root, paths, patterns);
    }
    let ac = AhoCorasick::new(patterns).expect("literal patterns build an automaton");
    use rayon::prelude::*;
    paths
        .into_par_iter()
        .filter(|p| {
            let full = root.join(p);
            let stamp = Stamp::of(&full);
            if let Some(verdict) = stamp.and_then(|s| index.verdict(p, s)) {
                return verdict;
            }
            let verdict = read_within(&full, MAX_RUBY_FILE_BYTES)
                .is_ok_and(|read| read.is_ok_and(|bytes| ac.is_match(&bytes)));
            if let Some(s) = stamp {
                index.record_verdict(p, s, verdict);
            }
            verdict
        })
        .collect()
}

/// Keeps the files whose bytes contain any of the patterns (a cheap multi-pattern
/// search before any parsing).
fn filter_by_content(root: &Path, paths: Vec<PathBuf>, patterns: &[&str]) -> Vec<PathBuf> {
    let ac = AhoCorasick::new(patterns).expect("literal patterns build an automaton");
    use rayon::prelude::*;
    paths
        .into_par_iter()
        .filter(|p| {
            read_within(&root.join(p), MAX_RUBY_FILE_BYTES)
                .is_ok_and(|read| read.is_ok_and(|bytes| ac.is_match(&bytes)))
        })
        .collect()
}

fn schema_files(root: &Path) -> Vec<SchemaFile> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join("db")) else {
        return out;
    };
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let (database, format) = if name == "schema.rb" {
            ("primary".to_owned(), SchemaFormat::SchemaRb)
        } else if name == "structure.sql" {
            ("primary".to_owned(), SchemaFormat::StructureSql)
        } else if let Some(db) = name.strip_suffix("_schema.rb") {
            (db.to_owned(), SchemaFormat::SchemaRb)
        } else if let Some(db) = name.strip_suffix("_structure.sql") {
            (db.to_owned(), SchemaFormat::StructureSql)
        } else {
            continue;
        };
        if database.is_empty() {
            continue;
        }
        out.push(SchemaFile {
            database,
            path: PathBuf::from("db").join(&name),
            format,
        });
    }
    out.sort_by(|a, b| (&a.database, &a.path).cmp(&(&b.database, &b.path)));
    out
}

/// Why a file of `size` bytes was not read.
pub fn too_large(size: u64) -> String {
    format!(
        "skipped: {size} bytes is larger than the {} MiB read for a Ruby file",
        MAX_RUBY_FILE_BYTES / (1024 * 1024)
    )
}

/// A regular file's bytes, when it is at most `max` bytes long: opened once, its
/// size read from the handle. `Ok(Err(size))` when it is larger.
pub fn read_within(path: &Path, max: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // A file that became a named pipe after the walk saw it would otherwise block
    // the open until something writes to it; on a regular file the flag does nothing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if meta.len() > max {
        return Ok(Err(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    // Through `take`: `File::read_to_end` would ask the size and the position again
    // (two more system calls per file) for a size already known. The limit also
    // stops a file that grows while it is read.
    (&mut file).take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

/// The most read of any other file (a schema, a migration, a settings file): a
/// larger one is an error, not an allocation of its size.
pub const MAX_TEXT_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// A regular file's bytes (not a pipe or a device), at most
/// [`MAX_TEXT_FILE_BYTES`] of them.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    read_within(path, MAX_TEXT_FILE_BYTES)?.map_err(|size| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{size} bytes is larger than the {} MiB read for a file",
                MAX_TEXT_FILE_BYTES / (1024 * 1024)
            ),
        )
    })
}

/// Reads a regular file that must be UTF-8 (a settings file, a baseline).
pub fn read_utf8(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_bytes(path)?).map_err(std::io::Error::other)
}

/// Why a file could not be read.
pub fn unreadable(e: &std::io::Error) -> String {
    format!("could not read the file: {e}")
}

/// Reads a regular file as text: lossy for non-UTF-8 bytes, without a BOM.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    Ok(text_of(read_bytes(path)?))
}

/// NUL bytes made spaces, in place: the Ruby parser takes a NUL for the end of
/// the file, and would lose every declaration after one in a comment or a string
/// (a NUL byte is never part of a longer UTF-8 character, and lines and columns
/// do not move).
fn blank_nul(bytes: &mut [u8]) {
    let mut from = 0;
    while let Some(i) = memchr::memchr(0, &bytes[from..]) {
        bytes[from + i] = b' ';
        from += i + 1;
    }
}

/// A file's bytes as text: lossy for non-UTF-8 bytes, NUL bytes made spaces,
/// every byte offset kept (a BOM too).
pub fn lossy_text(mut bytes: Vec<u8>) -> String {
    blank_nul(&mut bytes);
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// A file's bytes as text: lossy for non-UTF-8 bytes, without a BOM, NUL bytes
/// made spaces.
pub fn text_of(bytes: Vec<u8>) -> String {
    let text = lossy_text(bytes);
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// Reads the project-wide settings.
pub fn settings(root: &Path, schema_rb_version: Option<&str>) -> Settings {
    let application = read_text(&root.join("config/application.rb")).unwrap_or_default();
    let rails = rails_version(root, schema_rb_version);
    let string_setting = |key: &str| -> Option<String> {
        application.lines().find_map(|line| {
            let line = line.trim();
            if line.starts_with('#') {
                return None;
            }
            let rest = line.split_once(key)?.1.trim_start();
            let rest = rest.strip_prefix('=')?.trim();
            let quote = rest.chars().next()?;
            if quote != '"' && quote != '\'' {
                return None;
            }
            let inner = &rest[1..];
            Some(inner[..inner.find(quote)?].to_owned())
        })
    };
    let active_line = |needle: &str| {
        application
            .lines()
            .any(|l| !l.trim_start().starts_with('#') && l.replace(' ', "").contains(needle))
    };
    Settings {
        rails,
        table_name_prefix: string_setting("config.active_record.table_name_prefix")
            .unwrap_or_default(),
        table_name_suffix: string_setting("config.active_record.table_name_suffix")
            .unwrap_or_default(),
        pluralize_table_names: !active_line("config.active_record.pluralize_table_names=false"),
        schema_format_sql: active_line("config.active_record.schema_format=:sql"),
        adapters: database_adapters(root),
    }
}

/// The Rails version: `Gemfile.lock`, else the schema.rb header, else the newest.
pub fn rails_version(root: &Path, schema_rb_version: Option<&str>) -> VersionSource {
    if let Ok(lock) = read_text(&root.join("Gemfile.lock")) {
        for gem in ["activerecord", "rails"] {
            let prefix = format!("    {gem} (");
            let found = lock.lines().find_map(|l| {
                let rest = l.strip_prefix(&prefix)?;
                RailsVersion::parse(rest.trim_end_matches(')'))
            });
            if let Some(version) = found {
                return VersionSource {
                    version,
                    source: "Gemfile.lock".into(),
                };
            }
        }
    }
    if let Some(version) = schema_rb_version.and_then(RailsVersion::parse) {
        return VersionSource {
            version,
            source: "db/schema.rb".into(),
        };
    }
    VersionSource {
        version: RailsVersion::NEWEST,
        source: "default".into(),
    }
}

/// `adapter:` of each database in `config/database.yml`, read line by line (the file
/// may hold ERB, so it is not parsed as YAML). A two-level file (`development:` →
/// `adapter:`) names the `primary` database; a three-level one names each database.
fn database_adapters(root: &Path) -> Vec<(String, String)> {
    let Ok(yml) = read_text(&root.join("config/database.yml")) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut env_indent_key: Vec<(usize, String)> = Vec::new();
    for line in yml.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("<%") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        while env_indent_key.last().is_some_and(|(i, _)| *i >= indent) {
            env_indent_key.pop();
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let key = key.trim();
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if key == "adapter" && !value.is_empty() {
            let db = if env_indent_key.len() >= 2 {
                env_indent_key[1].1.clone()
            } else {
                "primary".to_owned()
            };
            if !out.iter().any(|(d, _)| *d == db) {
                out.push((db, value.to_owned()));
            }
        } else if value.is_empty() || value.starts_with('&') || value.starts_with('*') {
            env_indent_key.push((indent, key.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_lines_and_columns_of_strange_bytes() {
        let text = text_of(b"\xef\xbb\xbfa\x00b\r\n# caf\xe9\x00\n\x00c".to_vec());
        assert_eq!(text, "a b\r\n# caf\u{fffd} \n c");
    }

    /// What the walk saw as a file can be gone, or be something else, when it is
    /// read: an error to report, never a wait.
    #[cfg(unix)]
    #[test]
    fn reading_what_is_no_longer_a_file_fails_at_once() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.rb");
        assert_eq!(
            read_within(&gone, 10).unwrap_err().kind(),
            std::io::ErrorKind::NotFound
        );
        let pipe = dir.path().join("pipe.rb");
        let c = std::ffi::CString::new(pipe.as_os_str().as_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        // No writer ever opens it: a blocking open would never return.
        let err = read_within(&pipe, 10).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        assert!(read_text(&pipe).is_err());
        assert!(read_text(dir.path()).is_err(), "a directory");
        std::fs::write(&gone, "12345678901").unwrap();
        assert_eq!(read_within(&gone, 10).unwrap(), Err(11));
        assert_eq!(read_within(&gone, 11).unwrap().unwrap().len(), 11);
    }

    #[test]
    fn versions() {
        assert_eq!(
            RailsVersion::parse("7.1.3.4"),
            Some(RailsVersion { major: 7, minor: 1 })
        );
        assert_eq!(
            RailsVersion::parse("8"),
            Some(RailsVersion { major: 8, minor: 0 })
        );
        assert_eq!(RailsVersion::parse("x"), None);
        assert!(RailsVersion { major: 7, minor: 1 }.at_least(7, 1));
        assert!(!RailsVersion { major: 7, minor: 0 }.at_least(7, 1));
    }

    #[test]
    fn paths() {
        assert!(under_app_models(Path::new("app/models/user.rb")));
        assert!(under_app_models(Path::new(
            "packs/billing/app/models/invoice.rb"
        )));
        assert!(!under_app_models(Path::new("app/controllers/models.rb")));
        assert!(in_test_dir(Path::new("spec/dummy/app/models/user.rb")));
    }

    #[test]
    fn test_directories_define_nothing_but_hold_uses() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "app/models/user.rb",
            "engines/shop/app/models/order.rb",
            "spec/dummy/app/models/widget.rb",
            "engines/shop/test/dummy/db/migrate/20240101000000_create_widgets.rb",
            "engines/shop/spec/models/order_spec.rb",
            "db/migrate/20240101000000_create_users.rb",
        ];
        for f in files {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "class X < ApplicationRecord\nend\n").unwrap();
        }
        let found = discover(dir.path());
        assert_eq!(
            found.model_files,
            [
                PathBuf::from("app/models/user.rb"),
                PathBuf::from("engines/shop/app/models/order.rb")
            ]
        );
        assert_eq!(found.migration_dirs, [PathBuf::from("db/migrate")]);
        // The uses walk still reads them.
        for f in [
            "spec/dummy/app/models/widget.rb",
            "engines/shop/spec/models/order_spec.rb",
        ] {
            assert!(found.reference_files.contains(&PathBuf::from(f)), "{f}");
        }
    }

    #[test]
    fn adapters_from_database_yml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(
            dir.path().join("config/database.yml"),
            "default: &default\n  adapter: postgresql\n  pool: <%= ENV['X'] %>\ndevelopment:\n  primary:\n    adapter: postgresql\n  animals:\n    adapter: mysql2\n",
        )
        .unwrap();
        let got = database_adapters(dir.path());
        assert!(
            got.contains(&("animals".into(), "mysql2".into())),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(d, a)| d == "primary" && a == "postgresql"),
            "{got:?}"
        );
    }
}
