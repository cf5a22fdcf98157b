//! Which folders hold each database's migrations, as Rails finds them:
//!
//! - `migrations_paths:` of a database in `config/database.yml` (a string or a list);
//! - the app's `db/migrate` for the primary database, plus what
//!   `config.paths["db/migrate"]` adds in `config/application.rb` or an initializer
//!   (`<<`, `push`, `concat`, `unshift`, `paths.add "db/migrate", with:`);
//! - `db/<name>_migrate` for a further database `<name>` (the folder Rails' multi-db
//!   generators use);
//! - the `db/migrate` of every engine or pack inside the repository (an engine's
//!   migrations end up in the host's primary database, by `config.paths` or by
//!   `railties:install:migrations` copies).
//!
//! An engine whose migrations the host copied (`# This migration comes from <engine>
//! (originally <version>)`, or a host migration of the same name) is not replayed
//! itself: the copies are what ran (Rails refuses two migrations of one name on one
//! database's paths), and what was not copied yet is pending.
//! A `config.paths` expression fullscan cannot compute is reported, never guessed.

use super::migrations::{version_of, MigrationFile};
use crate::project::read_text;
use crate::ruby::{self, call_args, literal, Literal};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use tree_sitter::Node;

/// A folder of migrations and the database they build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MigrationDir {
    pub database: String,
    /// Relative to the project root.
    pub path: PathBuf,
    pub origin: Origin,
}

/// Why a folder holds migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// `db/migrate` or `db/<name>_migrate`.
    App,
    /// `migrations_paths:` in `config/database.yml`.
    DatabaseYml,
    /// `config.paths["db/migrate"]`.
    ConfigPaths,
    /// An engine's or a pack's `db/migrate` inside the repository.
    Engine,
}

/// Something about the migration folders fullscan could not follow or had to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub path: PathBuf,
    pub line: Option<u32>,
    pub message: String,
}

/// The migrations of one database, ready to replay.
#[derive(Debug)]
pub struct DatabaseMigrations {
    pub database: String,
    /// The folders, the first being the one the database is named after in reports.
    pub dirs: Vec<PathBuf>,
    pub files: Vec<MigrationFile>,
}

/// The migration folders of a project. `found_dirs` are the `…/db/migrate` folders
/// the project walk met (engines', packs'); the app's own are looked up here.
pub fn find(root: &Path, found_dirs: &[PathBuf]) -> (Vec<MigrationDir>, Vec<Note>) {
    let mut dirs: Vec<MigrationDir> = Vec::new();
    let mut notes = Vec::new();
    let mut add = |database: &str, path: PathBuf, origin: Origin| {
        if !dirs.iter().any(|d| d.path == path) {
            dirs.push(MigrationDir {
                database: database.to_owned(),
                path,
                origin,
            });
        }
    };

    let configured = database_yml_migrations_paths(root);
    for (database, paths) in &configured {
        for p in paths {
            add(database, p.clone(), Origin::DatabaseYml);
        }
    }
    let primary_configured = configured.contains_key("primary");
    if !primary_configured {
        add("primary", PathBuf::from("db/migrate"), Origin::App);
        let (extra, extra_notes) = config_paths(root);
        notes.extend(extra_notes);
        for p in extra {
            add("primary", p, Origin::ConfigPaths);
        }
    }
    // `db/<name>_migrate` is a database's folder when `config/database.yml` defines
    // a database `<name>` (or cannot be read: many repositories keep only an
    // example of it).
    let defined = read_text(&root.join("config/database.yml"))
        .ok()
        .map(|yml| database_names_in(&yml));
    let mut unowned: Vec<(String, PathBuf)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("db")) {
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .collect();
        names.sort();
        for name in names {
            let Some(db) = name.strip_suffix("_migrate").filter(|d| !d.is_empty()) else {
                continue;
            };
            let path = Path::new("db").join(&name);
            match &defined {
                Some(names) if !names.contains(db) => unowned.push((db.to_owned(), path)),
                _ => add(db, path, Origin::App),
            }
        }
    }
    let mut engines: Vec<&PathBuf> = found_dirs
        .iter()
        .filter(|d| d.as_path() != Path::new("db/migrate"))
        .collect();
    engines.sort();
    for d in engines {
        add("primary", d.clone(), Origin::Engine);
    }
    for (db, path) in unowned {
        if !dirs.iter().any(|d| d.path == path) {
            notes.push(Note {
                path,
                line: None,
                message: format!(
                    "config/database.yml defines no database `{db}`: these migrations are not replayed"
                ),
            });
        }
    }
    dirs.retain(|d| root.join(&d.path).is_dir());
    (dirs, notes)
}

/// Reads the migrations of every folder, grouped by database (sorted by name, the
/// primary first), with engine originals the host copied left out.
pub fn collect(root: &Path, dirs: &[MigrationDir]) -> (Vec<DatabaseMigrations>, Vec<Note>) {
    let mut notes = Vec::new();
    let mut by_db: BTreeMap<(bool, String), Vec<&MigrationDir>> = BTreeMap::new();
    for d in dirs {
        by_db
            .entry((d.database != "primary", d.database.clone()))
            .or_default()
            .push(d);
    }
    let mut out = Vec::new();
    for ((_, database), mut db_dirs) in by_db {
        db_dirs.sort_by_key(|d| (d.origin, d.path.clone()));
        let mut files: Vec<(Origin, MigrationFile)> = Vec::new();
        for d in &db_dirs {
            let Ok(entries) = std::fs::read_dir(root.join(&d.path)) else {
                continue;
            };
            let mut names: Vec<std::ffi::OsString> = entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name())
                .collect();
            names.sort();
            for name in names {
                let rel = d.path.join(&name);
                let Some(version) = version_of(&rel) else {
                    continue;
                };
                if rel.extension().is_none_or(|e| e != "rb") {
                    continue;
                }
                match read_text(&root.join(&rel)) {
                    Ok(source) => files.push((
                        d.origin,
                        MigrationFile {
                            path: rel,
                            version,
                            source,
                        },
                    )),
                    Err(e) => notes.push(Note {
                        path: rel,
                        line: None,
                        message: format!("migration not read: {e}"),
                    }),
                }
            }
        }
        // An engine whose migrations the host copied (`railties:install:migrations`)
        // is not on the host's migrations paths: the copies are what ran, and its
        // migrations not copied yet are pending. An engine none of whose migrations
        // were copied appends its folder to the host's paths.
        let copied: BTreeSet<u64> = files.iter().filter_map(|(_, f)| copied_from(f)).collect();
        let host_names: BTreeSet<String> = files
            .iter()
            .filter(|(o, _)| *o != Origin::Engine)
            .filter_map(|(_, f)| migration_name(&f.path))
            .collect();
        let installed_by_copy: BTreeSet<PathBuf> = files
            .iter()
            .filter(|(o, f)| {
                *o == Origin::Engine
                    && (copied.contains(&f.version)
                        || migration_name(&f.path).is_some_and(|n| host_names.contains(&n)))
            })
            .filter_map(|(_, f)| f.path.parent().map(Path::to_path_buf))
            .collect();
        files.retain(|(_, f)| {
            f.path
                .parent()
                .is_none_or(|dir| !installed_by_copy.contains(dir))
        });
        let db_dirs: Vec<&MigrationDir> = db_dirs
            .into_iter()
            .filter(|d| !installed_by_copy.contains(&d.path))
            .collect();
        // Rails refuses two migrations of one version on one database's paths. An
        // engine's own migrator (a Redmine plugin's) numbers apart: not reported.
        let mut seen: BTreeMap<u64, PathBuf> = BTreeMap::new();
        for (_, f) in files.iter().filter(|(o, _)| *o != Origin::Engine) {
            if let Some(first) = seen.insert(f.version, f.path.clone()) {
                notes.push(Note {
                    path: f.path.clone(),
                    line: None,
                    message: format!(
                        "migration version {} is also {}: Rails refuses to run both; both are replayed",
                        f.version,
                        first.display()
                    ),
                });
            }
        }
        if files.is_empty() {
            continue;
        }
        out.push(DatabaseMigrations {
            database,
            dirs: db_dirs.iter().map(|d| d.path.clone()).collect(),
            files: files.into_iter().map(|(_, f)| f).collect(),
        });
    }
    (out, notes)
}

/// The original version a copied migration names in its first lines.
fn copied_from(f: &MigrationFile) -> Option<u64> {
    f.source.lines().take(3).find_map(|l| {
        let rest = l.trim().strip_prefix("# This migration comes from ")?;
        let v = rest.split_once("(originally ")?.1.split(')').next()?;
        v.trim().parse().ok()
    })
}

/// The name in `20240101000000_create_users.rb` / `..._create_users.engine.rb`.
fn migration_name(path: &Path) -> Option<String> {
    let stem = path.file_name()?.to_str()?.strip_suffix(".rb")?;
    let (_, rest) = stem.split_once('_')?;
    Some(rest.split('.').next()?.to_owned())
}

/// `migrations_paths:` per database in `config/database.yml` (read line by line, as
/// the file may hold ERB): a two-level file names the primary database, a
/// three-level one each database. The `development` section's, else the first
/// environment's that says it.
fn database_yml_migrations_paths(root: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    match read_text(&root.join("config/database.yml")) {
        Ok(yml) => migrations_paths_in(&yml),
        Err(_) => BTreeMap::new(),
    }
}

/// The databases a `config/database.yml` names in any environment: the keys under
/// an environment whose value is a mapping (a three-tier configuration); a
/// two-tier one names only the primary database.
pub(crate) fn database_names_in(yml: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut env_indent: Option<usize> = None;
    let mut child_indent: Option<usize> = None;
    for line in yml.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("<%") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        if env_indent.is_none_or(|e| indent <= e) {
            env_indent = Some(indent);
            child_indent = None;
            continue;
        }
        let child = *child_indent.get_or_insert(indent);
        let value = value.trim();
        if indent == child && !key.starts_with("<<") && (value.is_empty() || value.starts_with('&'))
        {
            names.insert(yaml_scalar(key.trim()));
        }
    }
    names.insert("primary".to_owned());
    names
}

/// [`database_yml_migrations_paths`] of the text of a `config/database.yml`.
pub(crate) fn migrations_paths_in(yml: &str) -> BTreeMap<String, Vec<PathBuf>> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut from_development: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut lines = yml.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("<%") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if key == "migrations_paths" {
            let env = stack.first().map(|(_, k)| k.as_str());
            let db = match stack.len() {
                n if n >= 2 => stack[1].1.clone(),
                _ => "primary".to_owned(),
            };
            let mut paths: Vec<String> = Vec::new();
            if let Some(list) = value.strip_prefix('[') {
                paths.extend(list.trim_end_matches(']').split(',').map(yaml_scalar));
            } else if !value.is_empty() {
                paths.push(yaml_scalar(value));
            } else {
                // A block list on the following lines.
                while let Some(next) = lines.peek() {
                    let Some(item) = next.trim_start().strip_prefix("- ") else {
                        break;
                    };
                    paths.push(yaml_scalar(item));
                    lines.next();
                }
            }
            let paths: Vec<PathBuf> = paths
                .into_iter()
                .filter(|p| !p.is_empty() && !p.contains("<%"))
                .map(|p| PathBuf::from(p.trim_start_matches("./")))
                .filter(|p| is_inside(p))
                .collect();
            let development = env == Some("development");
            if !paths.is_empty()
                && (development || !out.contains_key(&db))
                && !from_development.contains(&db)
            {
                if development {
                    from_development.insert(db.clone());
                }
                out.insert(db, paths);
            }
        } else if value.is_empty() || value.starts_with('&') {
            stack.push((indent, key.to_owned()));
        }
    }
    out
}

fn yaml_scalar(s: &str) -> String {
    s.trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_owned()
}

/// A relative path that stays inside the project.
fn is_inside(p: &Path) -> bool {
    p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Folders `config.paths["db/migrate"]` gains in `config/application.rb` and the
/// initializers; an argument fullscan cannot compute becomes a note.
fn config_paths(root: &Path) -> (Vec<PathBuf>, Vec<Note>) {
    let mut sources = vec![PathBuf::from("config/application.rb")];
    if let Ok(entries) = std::fs::read_dir(root.join("config/initializers")) {
        let mut more: Vec<PathBuf> = entries
            .flatten()
            .map(|e| Path::new("config/initializers").join(e.file_name()))
            .filter(|p| p.extension().is_some_and(|e| e == "rb"))
            .collect();
        more.sort();
        sources.extend(more);
    }
    let mut paths = Vec::new();
    let mut notes = Vec::new();
    for rel in sources {
        let Ok(src) = read_text(&root.join(&rel)) else {
            continue;
        };
        if !src.contains("db/migrate") {
            continue;
        }
        let Some(tree) = ruby::parse(&src) else {
            continue;
        };
        for node in ruby::preorder(tree.root_node()) {
            let added: Option<Vec<Node<'_>>> = match node.kind() {
                // config.paths["db/migrate"] << "x"
                "binary" if operator(node, &src) == Some("<<") => node
                    .child_by_field_name("left")
                    .filter(|l| is_migrate_paths(*l, &src))
                    .and_then(|_| node.child_by_field_name("right"))
                    .map(|r| vec![r]),
                "call" => {
                    let method = ruby::call_method(node, &src).unwrap_or_default();
                    let receiver = node.child_by_field_name("receiver");
                    if matches!(method, "push" | "concat" | "unshift" | "append" | "prepend")
                        && receiver.is_some_and(|r| is_migrate_paths(r, &src))
                    {
                        Some(call_args(node, &src).positional)
                    } else if method == "add"
                        && receiver.is_some_and(|r| ruby::text(r, &src).ends_with("paths"))
                    {
                        let args = call_args(node, &src);
                        let first = args.positional.first().map(|n| literal(*n, &src));
                        if first.as_ref().and_then(Literal::as_name) == Some("db/migrate") {
                            args.option("with").map(|w| vec![w])
                        } else {
                            None
                        }
                    } else {
                        None
                    }
                }
                _ => None,
            };
            for arg in added.into_iter().flatten() {
                match path_values(arg, &src, &rel) {
                    Some(found) => paths.extend(found.into_iter().filter(|p| is_inside(p))),
                    None => notes.push(Note {
                        path: rel.clone(),
                        line: Some(ruby::line(arg)),
                        message: format!(
                            "not analyzed: a migrations folder fullscan cannot compute (`{}`); its migrations are not replayed",
                            ruby::text(arg, &src)
                        ),
                    }),
                }
            }
        }
    }
    (paths, notes)
}

fn operator<'a>(node: Node<'_>, src: &'a str) -> Option<&'a str> {
    node.child_by_field_name("operator")
        .map(|o| ruby::text(o, src))
}

/// `paths["db/migrate"]` / `config.paths["db/migrate"]`.
fn is_migrate_paths(node: Node<'_>, src: &str) -> bool {
    if node.kind() != "element_reference" {
        return false;
    }
    let object_is_paths = node
        .child_by_field_name("object")
        .is_some_and(|o| ruby::text(o, src).ends_with("paths"));
    let mut cursor = node.walk();
    let key_is_migrate = node
        .named_children(&mut cursor)
        .skip(1)
        .any(|k| literal(k, src).as_name() == Some("db/migrate"));
    object_is_paths && key_is_migrate
}

/// The folders an argument names: a string, an array of them, `Rails.root.join(...)`
/// (optionally `.to_s`), or `File.expand_path("..", __dir__)`; `None` otherwise.
fn path_values(node: Node<'_>, src: &str, file: &Path) -> Option<Vec<PathBuf>> {
    match node.kind() {
        "array" => {
            let mut out = Vec::new();
            let mut cursor = node.walk();
            for item in node.named_children(&mut cursor) {
                out.extend(path_values(item, src, file)?);
            }
            Some(out)
        }
        "string" => Some(vec![PathBuf::from(
            ruby::string_content(node, src)?.trim_start_matches("./"),
        )]),
        "call" => {
            let method = ruby::call_method(node, src)?;
            let receiver = node.child_by_field_name("receiver");
            let receiver_text = receiver.map(|r| ruby::text(r, src));
            match method {
                "to_s" | "to_path" => path_values(receiver?, src, file),
                "join" if receiver_text == Some("Rails.root") => {
                    let mut joined = PathBuf::new();
                    for a in call_args(node, src).positional {
                        joined.push(literal(a, src).as_name()?);
                    }
                    Some(vec![joined])
                }
                "expand_path" if receiver_text == Some("File") => {
                    let args = call_args(node, src).positional;
                    let rel = literal(*args.first()?, src);
                    let base = ruby::text(*args.get(1)?, src);
                    let dir = match base {
                        "__dir__" => file.parent()?.to_path_buf(),
                        "__FILE__" => file.to_path_buf(),
                        _ => return None,
                    };
                    Some(vec![normalize(&dir.join(rel.as_name()?))?])
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Resolves `..` and `.` lexically; `None` when it leaves the project.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn config_paths_forms() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "config/application.rb",
            r#"
module App
  class Application < Rails::Application
    config.paths["db/migrate"] << "db/migrate_legacy"
    config.paths["db/migrate"].push(Rails.root.join("db", "migrate_archive").to_s)
    paths["db/migrate"].concat(["engines/a/db/migrate", "./db/extra"])
    config.paths.add "db/migrate", with: File.expand_path("../db/added", __dir__)
    config.paths["db/migrate"] << ENV["MIGRATIONS"]
    config.paths["db/migrate"] << "../outside"
  end
end
"#,
        );
        let (paths, notes) = config_paths(root);
        let got: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            got,
            [
                "db/migrate_legacy",
                "db/migrate_archive",
                "engines/a/db/migrate",
                "db/extra",
                "db/added"
            ]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].line, Some(8));
        assert!(notes[0].message.contains("ENV[\"MIGRATIONS\"]"));
    }

    #[test]
    fn database_yml_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "config/database.yml",
            "development:\n  primary:\n    adapter: sqlite3\n  animals:\n    adapter: sqlite3\n    migrations_paths: db/animals_migrate\n  audit:\n    migrations_paths:\n      - db/audit_migrate\n      - \"db/audit_more\"\nproduction:\n  animals:\n    migrations_paths: [db/ignored]\n",
        );
        let got = database_yml_migrations_paths(root);
        assert_eq!(got["animals"], [PathBuf::from("db/animals_migrate")]);
        assert_eq!(
            got["audit"],
            [
                PathBuf::from("db/audit_migrate"),
                PathBuf::from("db/audit_more")
            ]
        );
        assert!(!got.contains_key("primary"));
    }

    #[test]
    fn engine_copies_are_replayed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "db/migrate/20240101000000_create_users.rb", "");
        write(
            root,
            "db/migrate/20240301000000_create_blog_posts.blog.rb",
            "# This migration comes from blog (originally 20200101000000)\n",
        );
        write(
            root,
            "engines/blog/db/migrate/20200101000000_create_blog_posts.rb",
            "",
        );
        write(
            root,
            "engines/blog/db/migrate/20200202000000_create_blog_tags.rb",
            "",
        );
        write(
            root,
            "engines/shop/db/migrate/20210101000000_create_products.rb",
            "",
        );
        write(root, "db/animals_migrate/20240101000000_create_dogs.rb", "");
        let found = [
            PathBuf::from("db/migrate"),
            PathBuf::from("engines/blog/db/migrate"),
            PathBuf::from("engines/shop/db/migrate"),
        ];
        let (dirs, notes) = find(root, &found);
        assert!(notes.is_empty());
        let (sets, notes) = collect(root, &dirs);
        assert!(notes.is_empty(), "{notes:?}");
        let names: Vec<(String, Vec<String>)> = sets
            .iter()
            .map(|s| {
                let mut files: Vec<String> = s
                    .files
                    .iter()
                    .map(|f| f.path.display().to_string())
                    .collect();
                files.sort();
                (s.database.clone(), files)
            })
            .collect();
        assert_eq!(
            names,
            [
                (
                    "primary".to_owned(),
                    vec![
                        "db/migrate/20240101000000_create_users.rb".to_owned(),
                        "db/migrate/20240301000000_create_blog_posts.blog.rb".to_owned(),
                        "engines/shop/db/migrate/20210101000000_create_products.rb".to_owned(),
                    ]
                ),
                (
                    "animals".to_owned(),
                    vec!["db/animals_migrate/20240101000000_create_dogs.rb".to_owned()]
                ),
            ]
        );
    }

    #[test]
    fn databases_named_in_database_yml() {
        let three_tier = "default: &default\n  adapter: postgresql\n\ndevelopment:\n  primary:\n    <<: *default\n  animals: &animals\n    database: animals\n  # cache:\n  queue:\n    adapter: sqlite3\ntest:\n  primary:\n    database: t\n";
        let names: Vec<String> = database_names_in(three_tier).into_iter().collect();
        assert_eq!(names, ["animals", "primary", "queue"]);
        let two_tier = "development:\n  adapter: <%= ENV['A'] %>\n  database: dev\ntest:\n  <<: *default\n  database: t\n";
        let names: Vec<String> = database_names_in(two_tier).into_iter().collect();
        assert_eq!(names, ["primary"]);
    }

    /// A `db/<name>_migrate` folder that no database of `config/database.yml` owns
    /// (one an initializer adds to the primary's paths under a condition, say) is
    /// no database.
    #[test]
    fn a_migrate_folder_without_its_database_is_noted_not_replayed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "db/migrate/20240101000000_create_users.rb", "");
        write(root, "db/native_json_migrate/20240201000000_change.rb", "");
        write(root, "db/animals_migrate/20240101000000_create_dogs.rb", "");
        write(
            root,
            "config/database.yml",
            "development:\n  primary:\n    adapter: mysql2\n  animals:\n    adapter: mysql2\n",
        );
        let (dirs, notes) = find(root, &[PathBuf::from("db/migrate")]);
        let found: Vec<(&str, &Path)> = dirs
            .iter()
            .map(|d| (d.database.as_str(), d.path.as_path()))
            .collect();
        assert_eq!(
            found,
            [
                ("primary", Path::new("db/migrate")),
                ("animals", Path::new("db/animals_migrate"))
            ]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].path, Path::new("db/native_json_migrate"));
    }

    #[test]
    fn duplicate_versions_are_noted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "db/migrate/20240101000000_create_users.rb", "");
        write(root, "db/migrate/20240101000000_create_things.rb", "");
        // A plugin numbering its migrations apart is not a conflict.
        write(root, "plugins/a/db/migrate/001_create_meetings.rb", "");
        write(root, "db/migrate/001_setup.rb", "");
        let (dirs, _) = find(root, &[PathBuf::from("plugins/a/db/migrate")]);
        let (sets, notes) = collect(root, &dirs);
        assert_eq!(sets[0].files.len(), 4);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("20240101000000"), "{notes:?}");
    }
}
