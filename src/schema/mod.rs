//! The database schema as plain data: tables, columns, primary keys and indexes,
//! read from `db/schema.rb` or `db/structure.sql` (PostgreSQL or MySQL dumps).

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub mod schema_rb;
pub mod structure_sql;

/// Which kind of file a database's schema was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemaFormat {
    SchemaRb,
    StructureSql,
}

/// The database engine, as far as the schema file tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
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
#[derive(Debug, Clone, Serialize)]
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
    /// Statements the reader saw but could not use (never fatal).
    pub warnings: Vec<SchemaWarning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SchemaWarning {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Table {
    pub name: String,
    /// Primary key columns in order; empty for `id: false` tables without a key.
    pub primary_key: Vec<String>,
    pub columns: Vec<Column>,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// 1-based line of the table's definition in the schema file.
    pub line: u32,
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

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    /// The type as written (`bigint`, `string`, `character varying(255)`, ...).
    pub sql_type: String,
    pub null: bool,
    pub line: u32,
}

/// One key part of an index: a plain column or an expression such as `lower(email)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexOrigin {
    Index,
    UniqueConstraint,
    ImplicitForeignKey,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct ForeignKey {
    pub from_table: String,
    pub to_table: String,
    pub column: String,
    pub primary_key: String,
    pub name: Option<String>,
    pub line: u32,
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
