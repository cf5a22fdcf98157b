//! The database schema as plain data: tables, columns, primary keys and indexes,
//! read from `db/schema.rb` or `db/structure.sql` (PostgreSQL or MySQL dumps).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub mod migration_dirs;
pub mod migrations;
pub mod schema_rb;
pub mod structure_sql;

/// Which kind of file a database's schema was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemaFormat {
    SchemaRb,
    StructureSql,
}

/// The database engine, as far as the schema file tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Adapter {
    Postgresql,
    Mysql,
    Sqlite,
    #[default]
    Unknown,
}

/// One database of the application (`primary`, or the name of a secondary database
/// whose schema lives in `db/<name>_schema.rb` / `db/<name>_structure.sql`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Database {
    pub name: String,
    /// Path of the schema file, relative to the project root.
    pub path: PathBuf,
    pub format: SchemaFormat,
    pub adapter: Adapter,
    /// The `ActiveRecord::Schema[x.y]` version of a schema.rb header, if any.
    pub schema_version: Option<String>,
    /// Tables by name. Schema-qualified PostgreSQL names (`public.users`) are stored
    /// without the `public.` qualifier; other schemas keep theirs (`audit.events`).
    pub tables: BTreeMap<String, Table>,
    /// Views (plain and materialized), by name as tables are: a model may read
    /// one. What they read, and which indexes serve it, is not analyzed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, View>,
    /// Statements the reader saw but could not use (never fatal).
    pub warnings: Vec<SchemaWarning>,
    /// For a schema rebuilt from migrations: how many statements were not
    /// analyzed (its tables may lack what those did). 0 for a schema file.
    pub not_analyzed: usize,
}

impl Database {
    /// An empty database read from `path`, named after the file
    /// (see [`database_name`]).
    pub fn new(path: &Path, format: SchemaFormat) -> Database {
        Database {
            name: database_name(path),
            path: path.to_path_buf(),
            format,
            adapter: Adapter::Unknown,
            schema_version: None,
            tables: BTreeMap::new(),
            views: BTreeMap::new(),
            warnings: Vec::new(),
            not_analyzed: 0,
        }
    }

    /// Looks a table up by name as written in a statement (`public.` qualifier or not).
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(&table_key(name))
    }

    pub(crate) fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings.push(SchemaWarning {
            line,
            message: message.into(),
        });
    }

    /// Orders the warnings by line and keeps at most [`MAX_WARNINGS`] of them, so that
    /// a file of junk cannot produce an endless report.
    pub(crate) fn finish_warnings(&mut self) {
        self.warnings.sort_by_key(|w| w.line);
        if self.warnings.len() > MAX_WARNINGS {
            let dropped = self.warnings.len() - MAX_WARNINGS;
            let line = self.warnings[MAX_WARNINGS].line;
            self.warnings.truncate(MAX_WARNINGS);
            self.warn(line, format!("{dropped} more warnings not shown"));
        }
    }
}

/// The most warnings one schema file reports.
pub const MAX_WARNINGS: usize = 100;

/// The name of the database a schema file describes: `primary` for `schema.rb` /
/// `structure.sql`, `<name>` for `<name>_schema.rb` / `<name>_structure.sql`.
pub fn database_name(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    ["_schema", "_structure"]
        .iter()
        .find_map(|suffix| stem.strip_suffix(suffix))
        .filter(|name| !name.is_empty())
        .unwrap_or("primary")
        .to_owned()
}

/// The key a table is stored under: the name without a `public.` schema qualifier.
pub fn table_key(name: &str) -> String {
    name.strip_prefix("public.").unwrap_or(name).to_owned()
}

/// `<<<<<<< HEAD`, `=======`, `>>>>>>> branch` (and diff3's `|||||||`) starting `text`.
pub(crate) fn is_conflict_marker(text: &str) -> bool {
    ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
        .iter()
        .any(|m| text.trim_start().starts_with(m))
}

/// The first line of a statement, shortened, for messages.
pub(crate) fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &line[..i]),
        None => line.to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaWarning {
    pub line: u32,
    pub message: String,
}

/// A view of the schema: `CREATE [MATERIALIZED] VIEW` in structure.sql, scenic's
/// `create_view` in schema.rb.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: String,
    pub materialized: bool,
    /// 1-based line of its definition in the schema file.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Table {
    pub name: String,
    /// Primary key columns in order; empty for `id: false` tables without a key.
    pub primary_key: Vec<String>,
    pub columns: Vec<Column>,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// 1-based line of the table's definition in the schema file.
    pub line: u32,
    /// The file of `line` when it is not the database's schema file: the migration
    /// that made it, for a schema rebuilt from migrations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// PostgreSQL `PARTITION BY` parent table.
    pub partitioned: bool,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
    pub fn has_column(&self, name: &str) -> bool {
        self.column(name).is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The type as written (`bigint`, `string`, `character varying(255)`, ...).
    pub sql_type: String,
    pub null: bool,
    pub line: u32,
    /// The file of `line` when it is not the database's schema file: the migration
    /// that made it, for a schema rebuilt from migrations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
}

/// One key part of an index: a plain column or an expression such as `lower(email)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKey {
    Column(String),
    Expression(String),
}

impl IndexKey {
    pub fn column(&self) -> Option<&str> {
        match self {
            IndexKey::Column(c) => Some(c),
            IndexKey::Expression(_) => None,
        }
    }
}

/// Where an index comes from: an explicit index, a UNIQUE constraint, or the index
/// InnoDB creates by itself for a FOREIGN KEY that no other index serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexOrigin {
    Index,
    UniqueConstraint,
    ImplicitForeignKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub keys: Vec<IndexKey>,
    pub unique: bool,
    /// Partial index predicate (`where:` / `WHERE ...`), as written.
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    /// Access method (`btree`, `gin`, `gist`, `hash`, ...); `None` means the default (B-tree).
    pub using: Option<String>,
    pub origin: IndexOrigin,
    pub line: u32,
    /// The file of `line` when it is not the database's schema file: the migration
    /// that made it, for a schema rebuilt from migrations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
}

impl Index {
    /// The plain column names of the index, in order, up to the first expression.
    pub fn leading_columns(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map_while(|k| k.column())
    }
    pub fn first_column(&self) -> Option<&str> {
        self.keys.first().and_then(|k| k.column())
    }
    /// True for index methods that can serve an equality lookup on the leading column.
    pub fn is_btree_like(&self) -> bool {
        match self.using.as_deref() {
            None => true,
            Some(m) => m.eq_ignore_ascii_case("btree") || m.eq_ignore_ascii_case("hash"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub from_table: String,
    pub to_table: String,
    /// The referencing column. Empty when the schema does not spell it out
    /// (`add_foreign_key "posts", "users"` without `column:`): Rails then uses
    /// `<singular of to_table>_id`, which callers derive with the inflector.
    /// Composite keys are joined with `,`.
    pub column: String,
    /// The referenced column; empty when a SQL dump references the target table's
    /// primary key without naming it. Composite keys are joined with `,`.
    pub primary_key: String,
    pub name: Option<String>,
    pub line: u32,
    /// The file of `line` when it is not the database's schema file: the migration
    /// that made it, for a schema rebuilt from migrations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
}

/// A schema file that could not be read at all.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(fullscan::schema))]
pub struct SchemaError {
    pub message: String,
    #[source_code]
    pub src: miette::NamedSource<String>,
    #[label("here")]
    pub span: Option<miette::SourceSpan>,
    pub line: u32,
}

impl SchemaError {
    /// An error about `source` (read from `path`), pointing at the byte range `at`.
    pub(crate) fn new(
        path: &Path,
        source: &str,
        message: impl Into<String>,
        at: Option<Range<usize>>,
    ) -> SchemaError {
        let at = at.map(|r| {
            let start = char_boundary(source, r.start);
            start..char_boundary(source, r.end.max(start))
        });
        let line = at.as_ref().map_or(1, |r| {
            source.as_bytes()[..r.start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32
                + 1
        });
        SchemaError {
            message: message.into(),
            src: miette::NamedSource::new(path.display().to_string(), source.to_owned()),
            span: at.map(|r| (r.start, r.end - r.start).into()),
            line,
        }
    }
}

/// The nearest char boundary at or before `i`, clamped to the text.
fn char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Lookups that fail with a message naming what is there, for the readers' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub fn table<'d>(db: &'d Database, name: &str) -> &'d Table {
        db.table(name)
            .unwrap_or_else(|| panic!("no table {name} in {:?}", db.tables.keys()))
    }

    pub fn index<'t>(table: &'t Table, name: &str) -> &'t Index {
        table
            .indexes
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no index {name} on {}: {:?}", table.name, table.indexes))
    }

    /// Plain column keys.
    pub fn cols(names: &[&str]) -> Vec<IndexKey> {
        names
            .iter()
            .map(|n| IndexKey::Column((*n).into()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::schema_rb::parse_schema_rb;
    use super::structure_sql::parse_structure_sql;
    use super::*;

    const SAMPLES: &[&str] = &[
        include_str!("../../tests/fixtures/schema/rails71_postgresql_schema.rb"),
        include_str!("../../tests/fixtures/schema/rails42_mysql_schema.rb"),
        include_str!("../../tests/fixtures/schema/pg14_structure.sql"),
        include_str!("../../tests/fixtures/schema/mysql8_structure.sql"),
    ];

    /// tree-sitter's error recovery is slow on text that is not Ruby at all (tens of
    /// milliseconds for a 10 KB SQL dump), so SQL prefixes longer than this are not
    /// given to the schema.rb reader: that would make this test take minutes.
    const SQL_AS_RUBY_LIMIT: usize = 1_500;

    /// Every prefix of every sample (cut at a char boundary every 7 bytes, as a
    /// truncated file would be) goes through both readers without a panic.
    #[test]
    fn every_prefix_of_every_sample_is_read_without_panic() {
        let rb = Path::new("db/schema.rb");
        let sql = Path::new("db/structure.sql");
        for sample in SAMPLES {
            let is_ruby = sample.contains("ActiveRecord::Schema");
            let mut cut = 0;
            while cut <= sample.len() {
                if sample.is_char_boundary(cut) {
                    let prefix = &sample[..cut];
                    let mut results = vec![parse_structure_sql(sql, prefix)];
                    if is_ruby || cut <= SQL_AS_RUBY_LIMIT {
                        results.push(parse_schema_rb(rb, prefix));
                    }
                    for db in results.into_iter().flatten() {
                        assert!(db.warnings.len() <= MAX_WARNINGS + 1);
                        for table in db.tables.values() {
                            assert!(table.line >= 1, "{cut}: {}", table.name);
                        }
                    }
                }
                cut += 7;
            }
        }
    }

    #[test]
    fn database_names_follow_the_file_name() {
        assert_eq!(database_name(Path::new("db/schema.rb")), "primary");
        assert_eq!(database_name(Path::new("db/structure.sql")), "primary");
        assert_eq!(database_name(Path::new("db/animals_schema.rb")), "animals");
        assert_eq!(database_name(Path::new("db/cache_structure.sql")), "cache");
    }

    #[test]
    fn table_lookup_ignores_the_public_schema() {
        assert_eq!(table_key("public.users"), "users");
        assert_eq!(table_key("audit.events"), "audit.events");
        assert_eq!(table_key("users"), "users");
    }

    #[test]
    fn error_spans_stay_on_char_boundaries() {
        let err = SchemaError::new(Path::new("db/schema.rb"), "é\nxé", "bad", Some(1..5));
        assert_eq!(err.line, 1);
        let span = err.span.unwrap();
        assert_eq!((span.offset(), span.len()), (0, 4));
    }
}
