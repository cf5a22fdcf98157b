//! The whole pipeline: discover, extract (in parallel), read the schema, resolve.

use crate::cache::FactsCache;
use crate::extract::extract_file;
use crate::inflector::Inflector;
use crate::model::FileFacts;
use crate::project::{self, ProjectFiles, Settings, MAX_RUBY_FILE_BYTES};
use crate::references::{self, ReferenceIndex};
use crate::resolve::{self, Resolved};
use crate::schema::migration_dirs;
use crate::schema::migrations::replay;
use crate::schema::{schema_rb, structure_sql, Database, SchemaError, SchemaFormat};
use crate::words::WordIndex;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Something the user should know that did not stop the analysis.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub path: Option<PathBuf>,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Stats {
    pub model_files: usize,
    pub support_files: usize,
    pub files_parsed: usize,
    /// Model and support files whose facts came from the cache (not parsed).
    #[serde(skip)]
    pub cache_hits: usize,
    pub models: usize,
    pub associations: usize,
    pub unresolved: usize,
    #[serde(skip)]
    pub elapsed: Duration,
    /// Wall time of each stage, in order (`walk`, `parse`, `schema`, `resolve`,
    /// `references`); `parse` and `schema` run at the same time.
    #[serde(skip)]
    pub stages: Vec<(&'static str, Duration)>,
    /// Resident memory (KiB) at the end of each stage, where the system says.
    #[serde(skip)]
    pub stage_rss_kb: Vec<(&'static str, u64)>,
}

/// Returns the free pages of the heap to the system. glibc keeps what was freed
/// (here: the syntax trees of every file parsed) in per-thread arenas, pinned
/// between live allocations, so the resident size grows with the project even
/// though what is live does not.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory no allocation uses.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// This process's resident memory in KiB (Linux; `None` elsewhere).
pub fn resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[derive(Debug)]
pub struct Analysis {
    pub root: PathBuf,
    pub files: ProjectFiles,
    pub settings: Settings,
    pub databases: Vec<Database>,
    pub resolved: Resolved,
    pub warnings: Vec<Warning>,
    /// Schema files that could not be read at all.
    pub schema_errors: Vec<SchemaError>,
    /// Where each association and scope is used.
    pub references: ReferenceIndex,
    pub stats: Stats,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AnalyzeError {
    #[error("{0}: no such directory")]
    #[diagnostic(code(fullscan::path), help("pass the root of a Rails application"))]
    NotADirectory(PathBuf),
    #[error("{0}: not a Rails application: no models (app/models), no schema (db/schema.rb, db/structure.sql, db/migrate) and no config/application.rb")]
    #[diagnostic(
        code(fullscan::path),
        help("pass the root of a Rails application, or name its model directories and schema files in .fullscan.toml")
    )]
    NotRails(PathBuf),
}

/// Analyzes the Rails project at `root` with the default settings.
pub fn analyze(root: &Path) -> Result<Analysis, AnalyzeError> {
    analyze_with(root, &crate::config::Config::defaults())
}

/// Analyzes the Rails project at `root` with the settings of `.fullscan.toml`.
pub fn analyze_with(root: &Path, config: &crate::config::Config) -> Result<Analysis, AnalyzeError> {
    let start = Instant::now();
    if !root.is_dir() {
        return Err(AnalyzeError::NotADirectory(root.to_path_buf()));
    }
    let mut stages: Vec<(&'static str, Duration)> = Vec::new();
    let mut stage_rss_kb: Vec<(&'static str, u64)> = Vec::new();
    // The facts cache is decoded while the project is walked.
    let cache_loader = config.cache_dir.clone().map(|dir| {
        let root = root.to_path_buf();
        std::thread::spawn(move || FactsCache::open(&dir, &root))
    });
    let words = match &config.cache_dir {
        Some(dir) => WordIndex::open(
            dir,
            &crate::cache::project_name(root),
            config.report_only.is_some(),
        ),
        None => WordIndex::disabled(),
    };
    let mut files = project::discover_with(root, &words);
    let mut warnings = Vec::new();
    // The configuration's extra model directories and schema files.
    for dir in &config.model_paths {
        let full = root.join(dir);
        if !full.is_dir() {
            warnings.push(Warning {
                path: Some(dir.clone()),
                line: None,
                message: "the model directory `.fullscan.toml` names does not exist".into(),
            });
            continue;
        }
        for entry in walkdir::WalkDir::new(&full)
            .follow_links(false)
            .into_iter()
            .flatten()
        {
            let is_rb = entry.path().extension().is_some_and(|e| e == "rb");
            if entry.file_type().is_file() && is_rb {
                if let Ok(rel) = entry.path().strip_prefix(root) {
                    files.model_files.push(rel.to_path_buf());
                }
            }
        }
    }
    files.model_files.sort();
    files.model_files.dedup();
    files
        .support_files
        .retain(|f| files.model_files.binary_search(f).is_err());
    if config.schema_from_migrations {
        files.schema_files.clear();
    }
    if !config.schema.is_empty() && !config.schema_from_migrations {
        files.schema_files = config
            .schema
            .iter()
            .filter_map(|(db, path)| {
                if !root.join(path).is_file() {
                    warnings.push(Warning {
                        path: Some(path.clone()),
                        line: None,
                        message: format!(
                            "the schema file `.fullscan.toml` names for `{db}` does not exist"
                        ),
                    });
                    return None;
                }
                Some(project::SchemaFile {
                    database: db.clone(),
                    path: path.clone(),
                    format: if path.extension().is_some_and(|e| e == "sql") {
                        SchemaFormat::StructureSql
                    } else {
                        SchemaFormat::SchemaRb
                    },
                })
            })
            .collect();
    }
    // Nothing to analyze and nothing that says Rails: a wrong directory, which an
    // empty report would hide.
    if files.model_files.is_empty()
        && files.schema_files.is_empty()
        && !root.join("db/migrate").is_dir()
        && !root.join("config/application.rb").is_file()
    {
        return Err(AnalyzeError::NotRails(root.to_path_buf()));
    }
    for (path, reason) in &files.skipped {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: None,
            message: reason.clone(),
        });
    }

    // Ruby files and schema files are read and parsed in parallel; each result keeps
    // its place in the sorted input, so the output never depends on scheduling.
    let ruby_paths: Vec<&PathBuf> = files
        .model_files
        .iter()
        .chain(&files.support_files)
        .collect();
    // Schema files name tables, not association uses, wherever they live.
    let schema_paths: Vec<PathBuf> = files.schema_files.iter().map(|f| f.path.clone()).collect();
    files.reference_files.retain(|f| !schema_paths.contains(f));
    let cache = match cache_loader {
        Some(loader) => loader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        None => FactsCache::disabled(),
    };
    stages.push(("walk", start.elapsed()));
    stage_rss_kb.extend(resident_kb().map(|kb| ("walk", kb)));
    let ((facts, parse_time), (schemas, schema_time)) = rayon::join(
        || {
            let t = Instant::now();
            let facts = ruby_paths
                .par_iter()
                .map(|p| read_and_extract(root, p, &cache))
                .collect::<Vec<_>>();
            (facts, t.elapsed())
        },
        || {
            let t = Instant::now();
            let schemas = load_schemas(root, &files, &cache);
            (schemas, t.elapsed())
        },
    );
    let cache_hits = cache.hits.load(std::sync::atomic::Ordering::Relaxed);
    let cache_save = Instant::now();
    cache.save(facts.iter().filter_map(|f| f.as_ref().ok()));
    let parse_time = parse_time + cache_save.elapsed();
    stages.push(("parse", parse_time));
    release_free_memory();
    stage_rss_kb.extend(resident_kb().map(|kb| ("parse", kb)));
    let merge_start = Instant::now();
    let mut file_facts: Vec<FileFacts> = Vec::with_capacity(facts.len());
    for result in facts {
        match result {
            Ok(f) => {
                if let Some(line) = f.syntax_errors.first() {
                    warnings.push(Warning {
                        path: Some(f.path.clone()),
                        line: Some(*line),
                        // tree-sitter-ruby also fails on some valid Ruby (a heredoc
                        // opened inside the interpolation of another one).
                        message: "the Ruby parser could not read this (a syntax error, or syntax it does not know); the rest of the file was still read".into(),
                    });
                }
                file_facts.push(f);
            }
            Err(w) => warnings.push(w),
        }
    }
    let Schemas {
        databases,
        warnings: schema_warnings,
        errors: schema_errors,
        settings,
        inflector,
    } = schemas;
    warnings.extend(schema_warnings);

    let schema_time = schema_time + merge_start.elapsed();
    stages.push(("schema", schema_time));
    release_free_memory();
    stage_rss_kb.extend(resident_kb().map(|kb| ("schema", kb)));
    let resolve_start = Instant::now();
    let resolved = resolve::resolve(&resolve::Input {
        files: &file_facts,
        databases: &databases,
        inflector: &inflector,
        settings: &settings,
    });
    // The resolved models hold what the rest needs of the files' facts.
    drop(file_facts);
    stages.push(("resolve", resolve_start.elapsed()));
    release_free_memory();
    stage_rss_kb.extend(resident_kb().map(|kb| ("resolve", kb)));
    let references_start = Instant::now();
    let references = if config.skip_references {
        references::ReferenceIndex::default()
    } else {
        let only = declarations_reported(config, &files);
        references::index(
            root,
            &files.reference_files,
            &resolved,
            &inflector,
            &config.test_paths,
            only,
            &words,
        )
    };
    words.save();
    for (path, reason) in &references.unread {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: None,
            message: format!("{reason}; uses of associations and scopes in it are not counted"),
        });
    }
    stages.push(("references", references_start.elapsed()));
    stage_rss_kb.extend(resident_kb().map(|kb| ("references", kb)));
    warnings.sort();
    warnings.dedup();
    let stats = Stats {
        model_files: files.model_files.len(),
        support_files: files.support_files.len(),
        // Those read for their facts, parsed or from the cache: the report is the
        // same whether or not a cache helped.
        files_parsed: ruby_paths.len(),
        cache_hits,
        models: resolved.models.len(),
        associations: resolved.associations.len(),
        unresolved: resolved
            .associations
            .iter()
            .filter(|a| a.unresolved.is_some())
            .count(),
        elapsed: start.elapsed(),
        stages,
        stage_rss_kb,
    };
    Ok(Analysis {
        root: root.to_path_buf(),
        files,
        settings,
        databases,
        resolved,
        warnings,
        schema_errors,
        references,
        stats,
    })
}

/// The files a run reports on, when every finding it reports is located in one of
/// them: `None` when it reports on the whole project, or when one of them is (or
/// holds) a schema file, whose findings are about every model with a table there.
/// Such a run needs only the uses of what those files declare, and only their inline
/// suppressions.
pub fn declarations_reported<'c>(
    config: &'c crate::config::Config,
    files: &ProjectFiles,
) -> Option<&'c [PathBuf]> {
    config.report_only.as_deref().filter(|only| {
        !only.iter().any(|o| {
            o.as_os_str().is_empty() || files.schema_files.iter().any(|s| s.path.starts_with(o))
        })
    })
}

/// What the schema stage gives: the databases, and the settings and inflections
/// read with them.
struct Schemas {
    databases: Vec<Database>,
    warnings: Vec<Warning>,
    errors: Vec<SchemaError>,
    settings: Settings,
    inflector: Inflector,
}

/// ActiveSupport's inflections with the project's initializers applied.
fn load_inflections(root: &Path, files: &ProjectFiles, warnings: &mut Vec<Warning>) -> Inflector {
    let mut inflector = Inflector::default();
    for path in &files.inflection_files {
        match project::read_text(&root.join(path)) {
            Ok(src) => {
                for w in inflector.apply_initializer(&src) {
                    warnings.push(Warning {
                        path: Some(path.clone()),
                        line: Some(w.line),
                        message: w.message,
                    });
                }
            }
            Err(e) => warnings.push(io_warning(path, &e)),
        }
    }
    inflector
}

/// Reads the schema files (in parallel), keeps the one of each database Rails would
/// load, and rebuilds each database without a schema file from its migrations; and
/// the inflections. Runs while the model files are extracted.
fn load_schemas(root: &Path, files: &ProjectFiles, cache: &FactsCache) -> Schemas {
    let mut warnings = Vec::new();
    let inflector = load_inflections(root, files, &mut warnings);
    let schemas = files
        .schema_files
        .par_iter()
        .map(|f| read_schema(root, &f.path, f.format, &f.database, cache))
        .collect::<Vec<_>>();
    let mut databases = Vec::new();
    let mut schema_errors = Vec::new();
    for result in schemas {
        match result {
            Ok(db) => {
                for w in &db.warnings {
                    warnings.push(Warning {
                        path: Some(db.path.clone()),
                        line: Some(w.line),
                        message: w.message.clone(),
                    });
                }
                databases.push(db);
            }
            Err(SchemaRead::Io(w)) => warnings.push(w),
            Err(SchemaRead::Parse(e)) => schema_errors.push(*e),
        }
    }
    let mut settings = project::settings(root, None);
    databases = choose_databases(databases, settings.schema_format_sql);
    // A database without a schema file is rebuilt from its migrations; the others'
    // migrations are not read.
    let has_schema = |database: &str| {
        files.schema_files.iter().any(|f| f.database == database)
            || databases.iter().any(|d| d.name == database)
    };
    let (mut migration_dirs, dir_notes) = migration_dirs::find(root, &files.migration_dirs);
    migration_dirs.retain(|d| !has_schema(&d.database));
    let (sets, set_notes) = migration_dirs::collect(root, &migration_dirs);
    let mut replayed: Vec<String> = Vec::new();
    for set in sets {
        replayed.push(set.database.clone());
        let path = set.dirs[0].clone();
        let (count, folders) = (set.files.len(), set.dirs.len());
        let (db, not_analyzed) = replay(&set.database, &path, set.files);
        let source = if folders == 1 {
            format!("{count} migrations in {}", path.display())
        } else {
            format!("{count} migrations in {folders} folders")
        };
        warnings.push(Warning {
            path: Some(path),
            line: None,
            message: format!(
                "no schema file for the `{}` database: it is rebuilt from {source} ({} tables; {not_analyzed} statements not analyzed, listed by `fullscan schema --format json`)",
                db.name,
                db.tables.len(),
            ),
        });
        databases.push(db);
    }
    if !replayed.is_empty() || files.schema_files.is_empty() {
        for note in dir_notes.into_iter().chain(set_notes) {
            warnings.push(Warning {
                path: Some(note.path),
                line: note.line,
                message: note.message,
            });
        }
    }
    if databases.is_empty() {
        warnings.push(Warning {
            path: None,
            line: None,
            message:
                "no db/schema.rb, db/structure.sql or db/migrate: tables, columns and indexes are unknown"
                    .into(),
        });
    }

    let schema_version = databases
        .iter()
        .find(|d| d.name == "primary")
        .and_then(|d| d.schema_version.clone());
    if schema_version.is_some() {
        settings.rails = project::rails_version(root, schema_version.as_deref());
    }
    // The adapter named by config/database.yml applies where the schema file is silent.
    for db in &mut databases {
        if db.adapter == crate::schema::Adapter::Unknown {
            if let Some((_, adapter)) = settings.adapters.iter().find(|(name, _)| *name == db.name)
            {
                db.adapter = adapter_from_name(adapter);
            }
        }
    }
    settings.adapters.sort();
    for db in &mut databases {
        if db.adapter == crate::schema::Adapter::Mysql && replayed.contains(&db.name) {
            crate::schema::migrations::add_implicit_foreign_key_indexes(db);
        }
    }

    Schemas {
        databases,
        warnings,
        errors: schema_errors,
        settings,
        inflector,
    }
}

fn adapter_from_name(name: &str) -> crate::schema::Adapter {
    use crate::schema::Adapter;
    match name {
        n if n.starts_with("postg") || n == "postgis" => Adapter::Postgresql,
        "mysql2" | "trilogy" | "mysql" => Adapter::Mysql,
        n if n.starts_with("sqlite") => Adapter::Sqlite,
        _ => Adapter::Unknown,
    }
}

/// When a database has both a schema.rb and a structure.sql, Rails uses the one
/// `config.active_record.schema_format` names (schema.rb by default).
fn choose_databases(mut dbs: Vec<Database>, prefer_sql: bool) -> Vec<Database> {
    let preferred = if prefer_sql {
        SchemaFormat::StructureSql
    } else {
        SchemaFormat::SchemaRb
    };
    dbs.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out: Vec<Database> = Vec::new();
    for db in dbs {
        match out.iter_mut().find(|d| d.name == db.name) {
            Some(existing) => {
                if existing.format != preferred && db.format == preferred {
                    *existing = db;
                }
            }
            None => out.push(db),
        }
    }
    out
}

fn io_warning(path: &Path, e: &std::io::Error) -> Warning {
    Warning {
        path: Some(path.to_path_buf()),
        line: None,
        message: project::unreadable(e),
    }
}

fn read_and_extract(root: &Path, rel: &Path, cache: &FactsCache) -> Result<FileFacts, Warning> {
    let full = root.join(rel);
    // A file whose stamp has not changed since a run extracted it is not read.
    let (stamp, known) = cache.stamp(&full, rel);
    if let (Some(s), Some(hash)) = (stamp, &known) {
        if let Some(facts) = cache.get(rel, hash) {
            cache.note_stamp(rel, s, hash);
            return Ok(facts);
        }
    }
    let read = project::read_within(&full, MAX_RUBY_FILE_BYTES).map_err(|e| io_warning(rel, &e))?;
    let bytes = read.map_err(|size| Warning {
        path: Some(rel.to_path_buf()),
        line: None,
        message: project::too_large(size),
    })?;
    if !cache.enabled() {
        return Ok(extract_file(rel, &project::text_of(bytes)));
    }
    let hash = crate::cache::content_hash(&bytes);
    if let Some(s) = stamp {
        cache.note_stamp(rel, s, &hash);
    }
    if let Some(facts) = cache.get(rel, &hash) {
        return Ok(facts);
    }
    let facts = extract_file(rel, &project::text_of(bytes));
    cache.put(rel, &hash);
    Ok(facts)
}

enum SchemaRead {
    Io(Warning),
    Parse(Box<SchemaError>),
}

fn read_schema(
    root: &Path,
    rel: &Path,
    format: SchemaFormat,
    database: &str,
    cache: &FactsCache,
) -> Result<Database, SchemaRead> {
    let full = root.join(rel);
    let (stamp, known) = cache.stamp(&full, rel);
    if let (Some(s), Some(hash)) = (stamp, &known) {
        if let Some(mut db) = cache.schema(rel, hash) {
            cache.note_stamp(rel, s, hash);
            db.name = database.to_owned();
            return Ok(db);
        }
    }
    let bytes = project::read_bytes(&full).map_err(|e| SchemaRead::Io(io_warning(rel, &e)))?;
    let hash = cache.enabled().then(|| crate::cache::content_hash(&bytes));
    if let (Some(s), Some(h)) = (stamp, &hash) {
        cache.note_stamp(rel, s, h);
    }
    let cached = hash.as_deref().and_then(|h| cache.schema(rel, h));
    let mut db = match cached {
        Some(db) => db,
        None => {
            let src = project::text_of(bytes);
            let parsed = match format {
                SchemaFormat::SchemaRb => schema_rb::parse_schema_rb(rel, &src),
                SchemaFormat::StructureSql => structure_sql::parse_structure_sql(rel, &src),
            };
            let db = parsed.map_err(|e| SchemaRead::Parse(Box::new(e)))?;
            if let Some(h) = &hash {
                cache.put_schema(rel, h, &db);
            }
            db
        }
    };
    db.name = database.to_owned();
    Ok(db)
}
