//! The schema rebuilt from `db/migrate`, for codebases that commit no schema file:
//! every migration replayed statically, in version order, as ActiveRecord 6.1 would
//! run its `up` direction. What cannot be followed (conditionals, loops, model code,
//! arbitrary SQL) is reported as not analyzed, never guessed.

use super::{Column, Database, Index, IndexKey, IndexOrigin, SchemaFormat, Table};
use crate::ruby::{self, call_args, literal, Literal};
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// One migration file: its version (the file name's leading digits) and source.
pub struct MigrationFile {
    pub path: PathBuf,
    pub version: u64,
    pub source: String,
}

/// The version in `20240101000000_create_users.rb`.
pub fn version_of(path: &Path) -> Option<u64> {
    let name = path.file_name()?.to_str()?;
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || !name[digits.len()..].starts_with('_') {
        return None;
    }
    digits.parse().ok()
}

/// Replays the migrations (sorted here by version) into one database; returns it
/// with the number of statements not analyzed (its warnings keep the first ones).
pub fn replay(name: &str, dir: &Path, mut files: Vec<MigrationFile>) -> (Database, usize) {
    files.sort_by_key(|f| f.version);
    let mut db = Database::new(dir, SchemaFormat::SchemaRb);
    db.name = name.to_owned();
    db.format = SchemaFormat::SchemaRb;
    for f in &files {
        Replayer::new(&mut db, f).run();
    }
    let not_analyzed = db.warnings.len();
    db.not_analyzed = not_analyzed;
    db.finish_warnings();
    (db, not_analyzed)
}

/// `ActiveRecord::Migration[X.Y]` as (X, Y); an unversioned migration behaves as 4.2.
fn migration_version(superclass: &str) -> (u32, u32) {
    superclass
        .split_once('[')
        .and_then(|(_, rest)| rest.trim_end_matches(']').split_once('.'))
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
        .unwrap_or((4, 2))
}

struct Replayer<'a> {
    db: &'a mut Database,
    file: &'a MigrationFile,
    version: (u32, u32),
}

const COLUMN_TYPES: &[&str] = &[
    "string",
    "text",
    "integer",
    "bigint",
    "float",
    "decimal",
    "numeric",
    "datetime",
    "timestamp",
    "time",
    "date",
    "binary",
    "boolean",
    "json",
    "jsonb",
    "uuid",
    "inet",
    "citext",
    "hstore",
    "virtual",
];

impl<'a> Replayer<'a> {
    fn new(db: &'a mut Database, file: &'a MigrationFile) -> Self {
        Replayer {
            db,
            file,
            version: (4, 2),
        }
    }

    fn src(&self) -> &'a str {
        &self.file.source
    }

    fn warn(&mut self, node: Node<'_>, what: &str) {
        let line = ruby::line(node);
        let message = format!("{}:{line}: not analyzed: {what}", self.file.path.display());
        self.db.warn(line, message);
    }

    fn run(&mut self) {
        let src = self.src();
        let Some(tree) = ruby::parse(src) else {
            self.db.warn(
                1,
                format!("{}: not analyzed: unparsable", self.file.path.display()),
            );
            return;
        };
        // The migration class and its `up` direction: `def change`, `def up`,
        // `def self.up`.
        let mut body = None;
        for node in ruby::preorder(tree.root_node()) {
            if node.kind() == "class" {
                if let Some(sup) = node.child_by_field_name("superclass") {
                    let text = ruby::text(sup, src).trim_start_matches('<').trim();
                    if text.contains("Migration") {
                        self.version = migration_version(text);
                    }
                }
            }
            if matches!(node.kind(), "method" | "singleton_method") {
                let name = node
                    .child_by_field_name("name")
                    .map(|n| ruby::text(n, src))
                    .unwrap_or("");
                if (name == "change" || name == "up") && body.is_none() {
                    body = node.child_by_field_name("body");
                }
            }
        }
        if let Some(body) = body {
            self.statements(body, None);
        }
    }

    /// Replays the calls of a body; `table` is the table of a `create_table` /
    /// `change_table` block, with its block variable.
    fn statements(&mut self, body: Node<'_>, table: Option<(&str, &str)>) {
        let src = self.src();
        let mut cursor = body.walk();
        let children: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
        for stmt in children {
            match stmt.kind() {
                "call" | "identifier" => self.call(stmt, table),
                "comment" => {}
                "if" | "unless" | "if_modifier" | "unless_modifier" => {
                    // `unless column_exists?(...)`: a guard that makes the migration
                    // idempotent; what it guards runs unless the state is already
                    // there, so the result is the same: replay it.
                    let condition = stmt
                        .child_by_field_name("condition")
                        .map(|c| ruby::text(c, src))
                        .unwrap_or("");
                    let guard = GUARDS.iter().any(|g| condition.contains(g))
                        && !condition.contains("&&")
                        && !condition.contains("||");
                    let body = stmt
                        .child_by_field_name("consequence")
                        .or_else(|| stmt.child_by_field_name("body"));
                    let has_else = stmt.child_by_field_name("alternative").is_some();
                    match (guard && !has_else, body) {
                        (true, Some(b)) if b.kind() == "call" || b.kind() == "identifier" => {
                            self.call(b, table)
                        }
                        (true, Some(b)) => self.statements(b, table),
                        _ => self.warn(stmt, "a conditional"),
                    }
                }
                "case" | "while" | "until" | "for" => self.warn(stmt, "a conditional or a loop"),
                _ => {
                    let text = ruby::text(stmt, src);
                    let first = text.lines().next().unwrap_or("").trim().to_owned();
                    self.warn(stmt, &format!("`{first}`"));
                }
            }
        }
    }

    fn call(&mut self, node: Node<'_>, table: Option<(&str, &str)>) {
        let src = self.src();
        let method = ruby::call_method(node, src).unwrap_or("").to_owned();
        let receiver = node
            .child_by_field_name("receiver")
            .map(|r| ruby::text(r, src).to_owned());
        let args = call_args(node, src);
        let names: Vec<Option<String>> = args
            .positional
            .iter()
            .map(|a| literal(*a, src).as_name().map(str::to_owned))
            .collect();
        let options: Vec<(String, Literal)> = args.options_literal(src);
        let opt = |k: &str| {
            options
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let block = node.child_by_field_name("block");

        // Inside a create_table / change_table block: `t.string :name`, `t.index`...
        if let (Some((tname, var)), Some(recv)) = (table, receiver.as_deref()) {
            if recv == var {
                self.table_call(node, tname, &method, &args, &names, &options);
                return;
            }
        }
        if receiver.is_some() && method != "up" {
            if method == "up" || receiver.as_deref() == Some("dir") {
                // handled below for reversible
            } else {
                self.warn(
                    node,
                    &format!("`{}`", ruby::text(node, src).lines().next().unwrap_or("")),
                );
                return;
            }
        }
        let first = names.first().cloned().flatten();
        let second = names.get(1).cloned().flatten();
        match method.as_str() {
            "create_table" => {
                let Some(name) = first else {
                    return self.warn(node, "create_table with a computed name");
                };
                let mut t = Table {
                    name: name.clone(),
                    line: ruby::line(node),
                    ..Table::default()
                };
                let id = opt("id");
                let pk = opt("primary_key").and_then(|v| v.as_names());
                match (id, pk) {
                    // `id: false` wins over `primary_key:`: no key at all.
                    (Some(Literal::Bool(false)), _) => {}
                    (id, pk) => {
                        let cols = pk.unwrap_or_else(|| vec!["id".to_owned()]);
                        let ty = match id {
                            Some(Literal::Symbol(s)) | Some(Literal::Str(s)) => s,
                            _ => {
                                if self.version >= (5, 1) {
                                    "bigint".to_owned()
                                } else {
                                    "integer".to_owned()
                                }
                            }
                        };
                        for c in &cols {
                            t.columns.push(Column {
                                name: c.clone(),
                                sql_type: ty.clone(),
                                null: false,
                                line: t.line,
                            });
                        }
                        t.primary_key = cols;
                    }
                }
                self.db.tables.insert(name.clone(), t);
                if let Some(b) = block {
                    self.block(b, &name);
                }
            }
            "change_table" => {
                let Some(name) = first else {
                    return self.warn(node, "change_table with a computed name");
                };
                if let Some(b) = block {
                    self.block(b, &name);
                }
            }
            "create_join_table" => {
                let (Some(a), Some(b)) = (first, second) else {
                    return self.warn(node, "create_join_table with computed names");
                };
                let name = opt("table_name")
                    .and_then(|v| v.as_name().map(str::to_owned))
                    .unwrap_or_else(|| join_table_name(&a, &b));
                let line = ruby::line(node);
                let mut t = Table {
                    name: name.clone(),
                    line,
                    ..Table::default()
                };
                for side in [&a, &b] {
                    t.columns.push(Column {
                        name: format!("{}_id", singular(side)),
                        sql_type: "bigint".into(),
                        null: false,
                        line,
                    });
                }
                self.db.tables.insert(name.clone(), t);
                if let Some(blk) = block {
                    self.block(blk, &name);
                }
            }
            "drop_table" => {
                if let Some(name) = first {
                    self.db.tables.remove(&name);
                }
            }
            "rename_table" => {
                let (Some(old), Some(new)) = (first, second) else {
                    return self.warn(node, "rename_table with computed names");
                };
                if let Some(mut t) = self.db.tables.remove(&old) {
                    for i in &mut t.indexes {
                        let cols: Vec<String> = i
                            .keys
                            .iter()
                            .filter_map(|k| k.column().map(str::to_owned))
                            .collect();
                        if i.name == index_name(&old, &cols) {
                            i.name = index_name(&new, &cols);
                        }
                    }
                    t.name = new.clone();
                    self.db.tables.insert(new, t);
                }
            }
            "add_column" => {
                let (Some(t), Some(c)) = (first, second) else {
                    return self.warn(node, "add_column with computed names");
                };
                let ty = names
                    .get(2)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| "string".into());
                let null = opt("null").and_then(|v| v.truthy()) != Some(false);
                self.add_column(&t, &c, &ty, null, ruby::line(node));
            }
            "remove_column" | "remove_columns" => {
                let Some(t) = first else { return };
                for c in names.iter().skip(1).flatten() {
                    self.remove_column(&t, c);
                }
            }
            "rename_column" => {
                let (Some(t), Some(old), Some(new)) =
                    (first, second, names.get(2).cloned().flatten())
                else {
                    return self.warn(node, "rename_column with computed names");
                };
                self.rename_column(&t, &old, &new);
            }
            "change_column" | "change_column_default" | "change_column_comment" => {
                if method == "change_column" {
                    if let (Some(t), Some(c), Some(ty)) =
                        (first, second, names.get(2).cloned().flatten())
                    {
                        let null = opt("null").and_then(|v| v.truthy());
                        if let Some(col) = self.column_mut(&t, &c) {
                            col.sql_type = ty;
                            if let Some(n) = null {
                                col.null = n;
                            }
                        }
                    }
                }
            }
            "change_column_null" => {
                if let (Some(t), Some(c)) = (first, second) {
                    let null = args
                        .positional
                        .get(2)
                        .and_then(|a| literal(*a, src).truthy());
                    if let (Some(n), Some(col)) = (null, self.column_mut(&t, &c)) {
                        col.null = n;
                    }
                }
            }
            "add_index" => {
                let Some(t) = first else {
                    return self.warn(node, "add_index with a computed table");
                };
                let Some(cols) = args
                    .positional
                    .get(1)
                    .and_then(|a| literal(*a, src).as_names())
                else {
                    return self.warn(node, "add_index with computed columns");
                };
                self.add_index(&t, cols, &options, ruby::line(node));
            }
            "remove_index" => {
                let Some(t) = first else { return };
                let by_name = opt("name").and_then(|v| v.as_name().map(str::to_owned));
                let by_cols = opt("column").and_then(|v| v.as_names()).or_else(|| {
                    args.positional
                        .get(1)
                        .and_then(|a| literal(*a, src).as_names())
                });
                self.remove_index(&t, by_name, by_cols);
            }
            "rename_index" => {
                if let (Some(t), Some(old), Some(new)) =
                    (first, second, names.get(2).cloned().flatten())
                {
                    if let Some(table) = self.db.tables.get_mut(&t) {
                        for i in &mut table.indexes {
                            if i.name == old {
                                i.name = new.clone();
                            }
                        }
                    }
                }
            }
            "add_reference" | "add_belongs_to" => {
                let (Some(t), Some(r)) = (first, second) else {
                    return self.warn(node, "add_reference with computed names");
                };
                // add_reference indexes by default from 5.0 on.
                self.reference(&t, &r, &options, self.version >= (5, 0), ruby::line(node));
            }
            "remove_reference" | "remove_belongs_to" => {
                let (Some(t), Some(r)) = (first, second) else {
                    return;
                };
                let poly = opt("polymorphic").and_then(|v| v.truthy()) == Some(true);
                self.remove_column(&t, &format!("{r}_id"));
                if poly {
                    self.remove_column(&t, &format!("{r}_type"));
                }
            }
            "add_timestamps" => {
                let Some(t) = first else { return };
                // Nullable by default before 5.0, `null: false` from then on.
                let null = opt("null")
                    .and_then(|v| v.truthy())
                    .unwrap_or(self.version < (5, 0));
                for c in ["created_at", "updated_at"] {
                    self.add_column(&t, c, "datetime", null, ruby::line(node));
                }
            }
            "remove_timestamps" => {
                let Some(t) = first else { return };
                for c in ["created_at", "updated_at"] {
                    self.remove_column(&t, c);
                }
            }
            "add_foreign_key"
            | "remove_foreign_key"
            | "enable_extension"
            | "disable_extension"
            | "say"
            | "say_with_time"
            | "add_check_constraint"
            | "remove_check_constraint" => {}
            "execute" => {
                let sql = args
                    .positional
                    .first()
                    .and_then(|a| literal(*a, src).as_name().map(str::to_owned));
                match sql {
                    Some(sql) => self.execute(node, &sql),
                    None => self.warn(node, "execute with computed SQL"),
                }
            }
            "reversible" => {
                // `reversible do |dir| dir.up { ... } end`: the up direction.
                if let Some(b) = block {
                    self.reversible(b);
                }
            }
            "up" => {
                if let Some(b) = block {
                    if let Some(body) = b.child_by_field_name("body") {
                        self.statements(body, None);
                    }
                }
            }
            _ => self.warn(node, &format!("`{method}`")),
        }
    }

    fn reversible(&mut self, block: Node<'_>) {
        let src = self.src();
        let Some(body) = block.child_by_field_name("body") else {
            return;
        };
        for node in ruby::preorder(body) {
            if node.kind() == "call"
                && ruby::call_method(node, src) == Some("up")
                && node.child_by_field_name("receiver").is_some()
            {
                if let Some(b) = node.child_by_field_name("block") {
                    if let Some(inner) = b.child_by_field_name("body") {
                        self.statements(inner, None);
                    }
                }
            }
        }
    }

    /// A `do |t| ... end` block of create_table / change_table / create_join_table.
    fn block(&mut self, block: Node<'_>, table: &str) {
        let src = self.src();
        let var = block
            .child_by_field_name("parameters")
            .map(|p| {
                ruby::text(p, src)
                    .trim_matches(|c| c == '|' || c == ' ')
                    .to_owned()
            })
            .unwrap_or_else(|| "t".to_owned());
        if let Some(body) = block.child_by_field_name("body") {
            self.statements(body, Some((table, var.as_str())));
        }
    }

    fn table_call(
        &mut self,
        node: Node<'_>,
        table: &str,
        method: &str,
        args: &ruby::Args<'_>,
        names: &[Option<String>],
        options: &[(String, Literal)],
    ) {
        let src = self.src();
        let opt = |k: &str| {
            options
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let line = ruby::line(node);
        let null = opt("null").and_then(|v| v.truthy()) != Some(false);
        match method {
            m if COLUMN_TYPES.contains(&m) => {
                for c in names.iter().flatten() {
                    self.add_column(table, c, m, null, line);
                }
                if opt("index").is_some_and(|v| v.truthy() != Some(false)) {
                    for c in names.iter().flatten() {
                        let unique = opt("index")
                            .and_then(|v| v.get("unique").and_then(Literal::truthy))
                            == Some(true);
                        let idx_opts = vec![("unique".to_owned(), Literal::Bool(unique))];
                        self.add_index(table, vec![c.clone()], &idx_opts, line);
                    }
                }
            }
            "column" => {
                if let (Some(Some(c)), Some(Some(ty))) = (names.first(), names.get(1)) {
                    self.add_column(table, c, ty, null, line);
                }
            }
            "references" | "belongs_to" => {
                // t.references indexes by default from 5.0 on.
                for r in names.iter().flatten() {
                    self.reference(table, r, options, self.version >= (5, 0), line);
                }
            }
            "timestamps" => {
                // null: false by default from 5.0 on.
                let null = opt("null")
                    .and_then(|v| v.truthy())
                    .unwrap_or(self.version < (5, 0));
                for c in ["created_at", "updated_at"] {
                    self.add_column(table, c, "datetime", null, line);
                }
            }
            "index" => {
                let Some(cols) = args
                    .positional
                    .first()
                    .and_then(|a| literal(*a, src).as_names())
                else {
                    return self.warn(node, "t.index with computed columns");
                };
                self.add_index(table, cols, options, line);
            }
            "remove" => {
                for c in names.iter().flatten() {
                    self.remove_column(table, c);
                }
            }
            "rename" => {
                if let (Some(Some(a)), Some(Some(b))) = (names.first(), names.get(1)) {
                    self.rename_column(table, a, b);
                }
            }
            "remove_index" => {
                let by_name = opt("name").and_then(|v| v.as_name().map(str::to_owned));
                let by_cols = opt("column").and_then(|v| v.as_names()).or_else(|| {
                    args.positional
                        .first()
                        .and_then(|a| literal(*a, src).as_names())
                });
                self.remove_index(table, by_name, by_cols);
            }
            "remove_references" | "remove_belongs_to" => {
                for r in names.iter().flatten() {
                    self.remove_column(table, &format!("{r}_id"));
                }
            }
            "change" | "change_default" | "change_null" | "foreign_key" | "check_constraint" => {}
            _ => self.warn(node, &format!("`t.{method}`")),
        }
    }

    fn reference(
        &mut self,
        table: &str,
        name: &str,
        options: &[(String, Literal)],
        index_by_default: bool,
        line: u32,
    ) {
        let opt = |k: &str| {
            options
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let poly = opt("polymorphic").is_some_and(|v| v.truthy() != Some(false));
        let null = opt("null").and_then(|v| v.truthy()) != Some(false);
        let ty = opt("type")
            .and_then(|v| v.as_name().map(str::to_owned))
            .unwrap_or_else(|| {
                if self.version >= (5, 1) {
                    "bigint".into()
                } else {
                    "integer".into()
                }
            });
        let mut cols = Vec::new();
        if poly {
            cols.push(format!("{name}_type"));
            self.add_column(table, &format!("{name}_type"), "string", null, line);
        }
        self.add_column(table, &format!("{name}_id"), &ty, null, line);
        cols.insert(if poly { 1 } else { 0 }, format!("{name}_id"));
        let index = opt("index");
        let wanted = match &index {
            None => index_by_default,
            Some(Literal::Bool(b)) => *b,
            Some(_) => true,
        };
        if wanted {
            let mut idx_opts: Vec<(String, Literal)> = Vec::new();
            if let Some(Literal::Hash(pairs)) = index {
                idx_opts = pairs;
            }
            // From 6.1 a polymorphic reference's index is named after the reference.
            if poly && self.version >= (6, 1) && !idx_opts.iter().any(|(k, _)| k == "name") {
                idx_opts.push((
                    "name".into(),
                    Literal::Str(format!("index_{table}_on_{name}")),
                ));
            }
            self.add_index(table, cols, &idx_opts, line);
        }
    }

    fn add_column(&mut self, table: &str, name: &str, ty: &str, null: bool, line: u32) {
        if let Some(t) = self.db.tables.get_mut(table) {
            if !t.has_column(name) {
                t.columns.push(Column {
                    name: name.to_owned(),
                    sql_type: ty.to_owned(),
                    null,
                    line,
                });
            }
        }
    }

    fn column_mut(&mut self, table: &str, name: &str) -> Option<&mut Column> {
        self.db
            .tables
            .get_mut(table)?
            .columns
            .iter_mut()
            .find(|c| c.name == name)
    }

    fn remove_column(&mut self, table: &str, name: &str) {
        if let Some(t) = self.db.tables.get_mut(table) {
            t.columns.retain(|c| c.name != name);
            // Dropping a column drops the indexes that use it (PostgreSQL, SQLite).
            t.indexes
                .retain(|i| !i.keys.iter().any(|k| k.column() == Some(name)));
        }
    }

    fn rename_column(&mut self, table: &str, old: &str, new: &str) {
        let Some(t) = self.db.tables.get_mut(table) else {
            return;
        };
        for c in &mut t.columns {
            if c.name == old {
                c.name = new.to_owned();
            }
        }
        for pk in &mut t.primary_key {
            if pk == old {
                *pk = new.to_owned();
            }
        }
        for i in &mut t.indexes {
            let before: Vec<String> = i
                .keys
                .iter()
                .filter_map(|k| k.column().map(str::to_owned))
                .collect();
            let default_name = i.name == index_name(table, &before);
            for k in &mut i.keys {
                if let IndexKey::Column(c) = k {
                    if c == old {
                        *c = new.to_owned();
                    }
                }
            }
            if default_name {
                let after: Vec<String> = i
                    .keys
                    .iter()
                    .filter_map(|k| k.column().map(str::to_owned))
                    .collect();
                i.name = index_name(table, &after);
            }
        }
    }

    fn add_index(
        &mut self,
        table: &str,
        cols: Vec<String>,
        options: &[(String, Literal)],
        line: u32,
    ) {
        let opt = |k: &str| {
            options
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let name = opt("name")
            .and_then(|v| v.as_name().map(str::to_owned))
            .unwrap_or_else(|| index_name(table, &cols));
        let keys = cols
            .iter()
            .map(|c| {
                if c.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
                    IndexKey::Column(c.clone())
                } else {
                    IndexKey::Expression(c.clone())
                }
            })
            .collect();
        if let Some(t) = self.db.tables.get_mut(table) {
            t.indexes.retain(|i| i.name != name);
            t.indexes.push(Index {
                name,
                keys,
                unique: opt("unique").and_then(|v| v.truthy()) == Some(true),
                predicate: opt("where").and_then(|v| v.as_name().map(str::to_owned)),
                using: opt("using").and_then(|v| v.as_name().map(str::to_owned)),
                origin: IndexOrigin::Index,
                line,
            });
        }
    }

    fn remove_index(&mut self, table: &str, name: Option<String>, cols: Option<Vec<String>>) {
        if let Some(t) = self.db.tables.get_mut(table) {
            match (name, cols) {
                (Some(n), _) => t.indexes.retain(|i| i.name != n),
                (None, Some(c)) => t.indexes.retain(|i| {
                    let k: Vec<&str> = i.keys.iter().filter_map(|k| k.column()).collect();
                    k != c.iter().map(String::as_str).collect::<Vec<_>>()
                }),
                _ => {}
            }
        }
    }

    /// `CREATE [UNIQUE] INDEX name ON table (a, b)` and `DROP INDEX name`; any other
    /// SQL is not analyzed.
    fn execute(&mut self, node: Node<'_>, sql: &str) {
        let upper = sql.trim().to_ascii_uppercase();
        let words: Vec<&str> = sql.split_whitespace().collect();
        if upper.starts_with("CREATE INDEX") || upper.starts_with("CREATE UNIQUE INDEX") {
            let unique = upper.starts_with("CREATE UNIQUE");
            let at = if unique { 3 } else { 2 };
            let on = words.iter().position(|w| w.eq_ignore_ascii_case("ON"));
            if let (Some(name), Some(on)) = (words.get(at), on) {
                let table = words.get(on + 1).map(|t| {
                    t.trim_matches('"')
                        .split('(')
                        .next()
                        .unwrap_or("")
                        .to_owned()
                });
                let cols = sql
                    .split_once('(')
                    .and_then(|(_, rest)| rest.rsplit_once(')'))
                    .map(|(inside, _)| {
                        inside
                            .split(',')
                            .map(|c| c.trim().trim_matches('"').to_owned())
                            .collect::<Vec<_>>()
                    });
                if let (Some(table), Some(cols)) = (table, cols) {
                    let options = vec![
                        (
                            "name".to_owned(),
                            Literal::Str(name.trim_matches('"').to_owned()),
                        ),
                        ("unique".to_owned(), Literal::Bool(unique)),
                    ];
                    self.add_index(&table, cols, &options, ruby::line(node));
                    return;
                }
            }
        } else if upper.starts_with("DROP INDEX") {
            if let Some(name) = words.last() {
                let name = name.trim_matches('"').trim_end_matches(';').to_owned();
                for t in self.db.tables.values_mut() {
                    t.indexes.retain(|i| i.name != name);
                }
                return;
            }
        }
        self.warn(
            node,
            "execute with SQL other than CREATE INDEX / DROP INDEX",
        );
    }
}

/// Conditions that only make a migration idempotent.
const GUARDS: &[&str] = &[
    "column_exists?",
    "table_exists?",
    "index_exists?",
    "index_name_exists?",
    "foreign_key_exists?",
    "reference_exists?",
    "data_source_exists?",
];

/// ActiveRecord's default index name.
pub fn index_name(table: &str, columns: &[String]) -> String {
    format!("index_{table}_on_{}", columns.join("_and_"))
}

/// `create_join_table :posts, :tags` → `posts_tags` (the names sorted, a common
/// prefix kept once).
fn join_table_name(a: &str, b: &str) -> String {
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    // `catalog_categories` + `catalog_products` → `catalog_categories_products`.
    if let Some(i) = first.rfind('_') {
        let prefix = &first[..=i];
        if let Some(rest) = second.strip_prefix(prefix) {
            return format!("{first}_{rest}");
        }
    }
    format!("{first}_{second}")
}

fn singular(word: &str) -> String {
    crate::inflector::Inflector::default().singularize(word)
}
