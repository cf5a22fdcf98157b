//! The schema rebuilt from `db/migrate`, for codebases that commit no schema file:
//! every migration replayed statically, in version order, as ActiveRecord 6.1 would
//! run its `up` direction. What cannot be followed (conditionals, loops, model code,
//! arbitrary SQL) is reported as not analyzed, never guessed.

use super::{Column, Database, ForeignKey, Index, IndexKey, IndexOrigin, SchemaFormat, Table};
use crate::inflector::Inflector;
use crate::ruby::{self, call_args, literal, Literal};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tree_sitter::{Node, Tree};

/// Migrations parsed at once, in parallel, before they are replayed in order: the
/// syntax trees of a few, not of a legacy app's thousands, are alive at a time.
const PARSED_AHEAD: usize = 64;

/// One migration file: its version (the file name's leading digits) and source.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub path: PathBuf,
    pub version: u64,
    pub source: String,
}

/// A receiver that is a class of the application (`User`, `Admin::Role`,
/// `User.where(...)`), not ActiveRecord's own (`ActiveRecord::Base.connection`).
fn is_model_receiver(receiver: &str) -> bool {
    receiver.starts_with(|c: char| c.is_ascii_uppercase())
        && !receiver.starts_with("ActiveRecord")
        && !receiver.starts_with("ActiveStorage")
}

/// Whether no word of a statement can change the schema: no schema statement
/// (`add_*`, `remove_*`, `rename_*`, `change_*`, `create_*`, `drop_*`, `execute`,
/// an index or a key), no use of the connection, no method the migration itself
/// defines (which could do any of those), no string of SQL DDL.
fn changes_no_schema(text: &str, migration: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "add_",
        "remove_",
        "rename_",
        "change_",
        "create_",
        "drop_",
        "exec",
        "enable_",
        "disable_",
        "transaction",
    ];
    const WORDS: &[&str] = &[
        "connection",
        "execute",
        "index",
        "indexes",
        "foreign_key",
        "send",
        "public_send",
        "eval",
        "class_eval",
        "instance_eval",
        "migrate",
        "up",
        "down",
        "reversible",
        "run",
    ];
    let upper = text.to_ascii_uppercase();
    if ["ALTER ", "CREATE ", "DROP ", "TRUNCATE "]
        .iter()
        .any(|ddl| upper.contains(ddl))
    {
        return false;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '?' || c == '!'))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase() || c == '_'))
            .map(str::to_owned)
            .collect()
    };
    // The methods the migration defines (`def remove_duplicates`).
    let own: Vec<String> = migration
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("def "))
        .filter_map(|rest| words(rest.trim_start_matches("self.")).into_iter().next())
        .collect();
    words(text).iter().all(|w| {
        !PREFIXES.iter().any(|p| w.starts_with(p))
            && !WORDS.contains(&w.as_str())
            && !own.contains(w)
    })
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
    let inflector = Inflector::default();
    for chunk in files.chunks(PARSED_AHEAD) {
        let trees: Vec<Option<Tree>> = chunk.par_iter().map(|f| ruby::parse(&f.source)).collect();
        for (f, tree) in chunk.iter().zip(trees) {
            Replayer::new(&mut db, &inflector, f).run(tree);
        }
    }
    let not_analyzed = db.warnings.len();
    db.not_analyzed = not_analyzed;
    db.finish_warnings();
    (db, not_analyzed)
}

/// On MySQL, InnoDB indexes a foreign key's column itself when no index leads with
/// it (and drops that index once another one does): the replayed schema of a MySQL
/// database gets those indexes, named as InnoDB names them, after the constraint
/// (`fk_rails_<hash>` as ActiveRecord names it).
pub fn add_implicit_foreign_key_indexes(db: &mut Database) {
    use sha2::{Digest, Sha256};
    for table in db.tables.values_mut() {
        let mut added = Vec::new();
        for fk in &table.foreign_keys {
            if fk.column.is_empty() || fk.column.contains(',') {
                continue;
            }
            let served = table.primary_key.first() == Some(&fk.column)
                || table
                    .indexes
                    .iter()
                    .chain(&added)
                    .any(|i| i.is_btree_like() && i.first_column() == Some(fk.column.as_str()));
            if served {
                continue;
            }
            let name = fk.name.clone().unwrap_or_else(|| {
                let digest = Sha256::digest(format!("{}_{}_fk", table.name, fk.column));
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                format!("fk_rails_{}", &hex[..10])
            });
            added.push(Index {
                file: fk.file.clone(),
                name,
                keys: vec![IndexKey::Column(fk.column.clone())],
                unique: false,
                predicate: None,
                using: None,
                origin: IndexOrigin::ImplicitForeignKey,
                line: fk.line,
            });
        }
        table.indexes.extend(added);
    }
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
    /// ActiveSupport's English rules: a foreign key's default column and table.
    inflector: &'a Inflector,
    file: &'a MigrationFile,
    version: (u32, u32),
    /// Block variables of literal-array loops being replayed.
    bindings: Vec<(String, Literal)>,
    /// A `return` was replayed: the rest of the method does not run.
    returned: bool,
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
    fn new(db: &'a mut Database, inflector: &'a Inflector, file: &'a MigrationFile) -> Self {
        Replayer {
            db,
            inflector,
            file,
            version: (4, 2),
            bindings: Vec::new(),
            returned: false,
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

    /// Replays the file, given its syntax tree (`None`: tree-sitter gave up).
    fn run(&mut self, tree: Option<Tree>) {
        let src = self.src();
        let Some(tree) = tree else {
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
        let mut cursor = body.walk();
        let children: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
        for stmt in children {
            if self.returned {
                break;
            }
            self.statement(stmt, table);
        }
    }

    /// A body (`then`, `else`, `do ... end`) or, for a modifier, one statement.
    fn body_or_statement(&mut self, node: Node<'_>, table: Option<(&str, &str)>) {
        match node.kind() {
            "then" | "else" | "body_statement" | "begin_block" | "block_body" => {
                self.statements(node, table)
            }
            _ => self.statement(node, table),
        }
    }

    fn statement(&mut self, stmt: Node<'_>, table: Option<(&str, &str)>) {
        let src = self.src();
        match stmt.kind() {
            "call" | "identifier" => self.call(stmt, table),
            "comment" | "empty_statement" => {}
            "return" if stmt.named_child_count() == 0 => self.returned = true,
            "if" | "unless" | "if_modifier" | "unless_modifier" | "elsif" => {
                self.conditional(stmt, table)
            }
            // `begin ... rescue ... end`: the body runs; a rescue only runs when it
            // fails, and `ensure` always runs.
            "begin" => {
                let mut cursor = stmt.walk();
                let parts: Vec<Node<'_>> = stmt.named_children(&mut cursor).collect();
                for part in parts {
                    match part.kind() {
                        "rescue" | "else" => {}
                        "ensure" => self.statements(part, table),
                        _ => self.statement(part, table),
                    }
                }
            }
            "parenthesized_statements" => self.statements(stmt, table),
            "case" | "while" | "until" | "for" => self.warn(stmt, "a conditional or a loop"),
            _ => {
                let text = ruby::text(stmt, src);
                let first = text.lines().next().unwrap_or("").trim().to_owned();
                self.warn(stmt, &format!("`{first}`"));
            }
        }
    }

    /// `if` / `unless` / `elsif` / `else`, and their modifier forms.
    ///
    /// An idempotence guard (`unless column_exists?(...)`) is replayed: what it
    /// guards runs unless the state is already there, so the result is the same
    /// either way (and `return if table_exists?(...)` goes on, as on a fresh
    /// database). Any other condition is not evaluated: every branch is replayed
    /// from the same state, and when all of them leave the same tables, columns
    /// and indexes (`t.jsonb` on one side, `t.json` on the other), that is the
    /// result; otherwise the conditional is reported as not analyzed.
    fn conditional(&mut self, stmt: Node<'_>, table: Option<(&str, &str)>) {
        let src = self.src();
        let condition_node = stmt.child_by_field_name("condition");
        let condition = condition_node.map(|c| ruby::text(c, src)).unwrap_or("");
        let body = stmt
            .child_by_field_name("consequence")
            .or_else(|| stmt.child_by_field_name("body"));
        let alternative = stmt.child_by_field_name("alternative");
        // A guard on the replayed state itself (`table_exists?(:users)`) is decided
        // by it.
        let negated = matches!(stmt.kind(), "unless" | "unless_modifier");
        let known = condition_node.and_then(|c| self.guard_value(c, table));
        if let Some(value) = known {
            if value != negated {
                if let Some(b) = body {
                    self.body_or_statement(b, table);
                }
            } else if let Some(a) = alternative {
                match a.kind() {
                    "elsif" => self.conditional(a, table),
                    _ => self.statements(a, table),
                }
            }
            return;
        }
        let guard = GUARDS.iter().any(|g| condition.contains(g))
            && !condition.contains("&&")
            && !condition.contains("||");
        if guard && alternative.is_none() {
            if let Some(b) = body {
                let returns = b.kind() == "return"
                    || (b.kind() == "then"
                        && b.named_child_count() == 1
                        && b.named_child(0).is_some_and(|c| c.kind() == "return"));
                if !returns {
                    self.body_or_statement(b, table);
                }
            }
            return;
        }
        let mut branches: Vec<Option<Node<'_>>> = vec![body];
        let mut alt = alternative;
        loop {
            match alt {
                Some(a) if a.kind() == "elsif" => {
                    branches.push(a.child_by_field_name("consequence"));
                    alt = a.child_by_field_name("alternative");
                }
                Some(a) => {
                    branches.push(Some(a));
                    break;
                }
                None => {
                    branches.push(None);
                    break;
                }
            }
        }
        // Each branch is replayed from the state before the statement (a statement
        // changes only the tables and the warnings).
        let tables_before = self.db.tables.clone();
        let warnings_before = self.db.warnings.len();
        let mut outcomes: Vec<BTreeMap<String, Table>> = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            if i > 0 {
                self.db.tables = tables_before.clone();
            }
            if let Some(b) = branch {
                self.body_or_statement(*b, table);
            }
            if self.db.warnings.len() != warnings_before || self.returned {
                break;
            }
            outcomes.push(std::mem::take(&mut self.db.tables));
        }
        self.db.tables = tables_before;
        self.db.warnings.truncate(warnings_before);
        self.returned = false;
        let agree = outcomes.len() == branches.len()
            && outcomes.windows(2).all(|w| same_shape(&w[0], &w[1]));
        if agree {
            self.db.tables = merge_types(outcomes);
        } else {
            self.warn(stmt, "a conditional");
        }
    }

    /// The value of `table_exists?(:t)`, `column_exists?(:t, :c)`,
    /// `index_exists?(:t, cols)`, `index_name_exists?(:t, name)` (or `t.column_exists?`
    /// / `t.index_exists?` in a `change_table` block, or `!` any of them) on the
    /// replayed state; `None` for any other condition.
    fn guard_value(&self, cond: Node<'_>, table: Option<(&str, &str)>) -> Option<bool> {
        let src = self.src();
        match cond.kind() {
            "parenthesized_statements" if cond.named_child_count() == 1 => {
                return self.guard_value(cond.named_child(0)?, table);
            }
            "unary" => {
                let op = cond
                    .child_by_field_name("operator")
                    .map(|o| ruby::text(o, src));
                if matches!(op, Some("!") | Some("not")) {
                    return self
                        .guard_value(cond.child_by_field_name("operand")?, table)
                        .map(|v| !v);
                }
                return None;
            }
            "call" => {}
            _ => return None,
        }
        let method = ruby::call_method(cond, src)?;
        let receiver = cond
            .child_by_field_name("receiver")
            .map(|r| ruby::text(r, src));
        let args = call_args(cond, src);
        if args.dynamic_options {
            return None;
        }
        let mut values: Vec<Literal> = args.positional.iter().map(|a| self.lit(*a)).collect();
        match (receiver, table) {
            (None, _) | (Some("connection"), _) => {}
            (Some(r), Some((name, var))) if r == var => {
                values.insert(0, Literal::Str(name.to_owned()));
            }
            _ => return None,
        }
        let name = |i: usize| values.get(i).and_then(Literal::as_name);
        let t = self.db.tables.get(name(0)?);
        match method {
            "table_exists?" | "data_source_exists?" if values.len() == 1 => Some(t.is_some()),
            "column_exists?" if values.len() == 2 && args.options.is_empty() => {
                Some(t.is_some_and(|t| t.has_column(name(1).unwrap_or_default())))
            }
            "index_name_exists?" if values.len() == 2 => {
                let index = name(1)?;
                Some(t.is_some_and(|t| t.indexes.iter().any(|i| i.name == index)))
            }
            "index_exists?" if values.len() == 2 => {
                let cols = values[1].as_names()?;
                let wanted_name = match args.option("name") {
                    Some(n) => Some(self.lit(n).as_name()?.to_owned()),
                    None => None,
                };
                let unique = match args.option("unique") {
                    Some(u) => Some(self.lit(u).as_bool()?),
                    None => None,
                };
                if args
                    .options
                    .iter()
                    .any(|(k, _)| k != "name" && k != "unique")
                {
                    return None;
                }
                Some(t.is_some_and(|t| {
                    t.indexes.iter().any(|i| {
                        let same_cols = i.keys.len() == cols.len()
                            && i.keys.iter().zip(&cols).all(|(k, c)| k.column() == Some(c));
                        same_cols
                            && wanted_name.as_deref().is_none_or(|n| n == i.name)
                            && unique.is_none_or(|u| u == i.unique)
                    })
                }))
            }
            _ => None,
        }
    }

    /// A literal value, with the block variable of a literal-array loop bound.
    fn lit(&self, node: Node<'_>) -> Literal {
        let src = self.src();
        if node.kind() == "identifier" {
            let name = ruby::text(node, src);
            if let Some((_, v)) = self.bindings.iter().rev().find(|(n, _)| n == name) {
                return v.clone();
            }
        }
        literal(node, src)
    }

    /// A block's body, replayed in place: `say_with_time "..." do ... end`,
    /// `suppress_messages do`, `transaction do`.
    fn block_body(&mut self, block: Option<Node<'_>>, table: Option<(&str, &str)>) {
        if let Some(body) = block.and_then(|b| b.child_by_field_name("body")) {
            self.statements(body, table);
        }
    }

    /// `%i[a b].each do |name| ... end` over literal values: replayed once per value,
    /// with `name` bound.
    fn literal_loop(&mut self, node: Node<'_>, table: Option<(&str, &str)>) -> bool {
        let src = self.src();
        let (Some(receiver), Some(block)) = (
            node.child_by_field_name("receiver"),
            node.child_by_field_name("block"),
        ) else {
            return false;
        };
        let Literal::Array(items) = self.lit(receiver) else {
            return false;
        };
        if items.iter().any(Literal::is_dynamic) {
            return false;
        }
        let params: Vec<String> = block
            .child_by_field_name("parameters")
            .map(|p| {
                let mut c = p.walk();
                p.named_children(&mut c)
                    .map(|n| ruby::text(n, src).to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let [var] = params.as_slice() else {
            return false;
        };
        for item in items {
            self.bindings.push((var.clone(), item));
            self.block_body(Some(block), table);
            self.bindings.pop();
        }
        true
    }

    fn call(&mut self, node: Node<'_>, table: Option<(&str, &str)>) {
        let src = self.src();
        let method = ruby::call_method(node, src).unwrap_or("").to_owned();
        let receiver = node
            .child_by_field_name("receiver")
            .map(|r| ruby::text(r, src).to_owned());
        if method == "each" && self.literal_loop(node, table) {
            return;
        }
        let block = node.child_by_field_name("block");
        let yields = matches!(method.as_str(), "say_with_time" | "suppress_messages")
            || (method == "transaction"
                && matches!(
                    receiver.as_deref(),
                    None | Some("ActiveRecord::Base") | Some("connection")
                ));
        if yields && block.is_some() {
            return self.block_body(block, table);
        }
        let args = call_args(node, src);
        let names: Vec<Option<String>> = args
            .positional
            .iter()
            .map(|a| self.lit(*a).as_name().map(str::to_owned))
            .collect();
        let options: Vec<(String, Literal)> = args
            .options
            .iter()
            .map(|(k, v)| (k.clone(), self.lit(*v)))
            .collect();
        let opt = |k: &str| {
            options
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };

        // Inside a create_table / change_table block: `t.string :name`, `t.index`...
        if let (Some((tname, var)), Some(recv)) = (table, receiver.as_deref()) {
            if recv == var {
                self.table_call(node, tname, &method, &args, &names, &options);
                return;
            }
        }
        // Model code on the rows (`User.where(...).update_all(...)`, `Role.all.each
        // do ... end`, `Post.reset_column_information`) changes no table, column
        // or index when nothing in it names a schema statement or the connection.
        if receiver.as_deref().is_some_and(is_model_receiver)
            && changes_no_schema(ruby::text(node, src), src)
        {
            return;
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
                    file: Some(self.file.path.clone()),
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
                                file: Some(self.file.path.clone()),
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
                    file: Some(self.file.path.clone()),
                    ..Table::default()
                };
                for side in [&a, &b] {
                    t.columns.push(Column {
                        file: Some(self.file.path.clone()),
                        name: format!("{}_id", self.inflector.singularize(side)),
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
                    for fk in &mut t.foreign_keys {
                        fk.from_table = new.clone();
                    }
                    self.db.tables.insert(new.clone(), t);
                    // Foreign keys that reference the table follow it.
                    for other in self.db.tables.values_mut() {
                        for fk in &mut other.foreign_keys {
                            if fk.to_table == old {
                                fk.to_table = new.clone();
                            }
                        }
                    }
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
                    let null = args.positional.get(2).and_then(|a| self.lit(*a).truthy());
                    if let (Some(n), Some(col)) = (null, self.column_mut(&t, &c)) {
                        col.null = n;
                    }
                }
            }
            "add_index" => {
                let Some(t) = first else {
                    return self.warn(node, "add_index with a computed table");
                };
                let Some(cols) = args.positional.get(1).and_then(|a| self.lit(*a).as_names())
                else {
                    return self.warn(node, "add_index with computed columns");
                };
                self.add_index(&t, cols, &options, ruby::line(node));
            }
            "remove_index" => {
                let Some(t) = first else { return };
                let by_name = opt("name").and_then(|v| v.as_name().map(str::to_owned));
                let by_cols = opt("column")
                    .and_then(|v| v.as_names())
                    .or_else(|| args.positional.get(1).and_then(|a| self.lit(*a).as_names()));
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
            "add_foreign_key" => {
                let (Some(from), Some(to)) = (first, second) else {
                    return self.warn(node, "add_foreign_key with computed tables");
                };
                let column = opt("column").and_then(|v| v.as_name().map(str::to_owned));
                let primary_key = opt("primary_key").and_then(|v| v.as_name().map(str::to_owned));
                let name = opt("name").and_then(|v| v.as_name().map(str::to_owned));
                self.add_foreign_key(&from, &to, column, primary_key, name, ruby::line(node));
            }
            "remove_foreign_key" => {
                let Some(from) = first else { return };
                let to =
                    second.or_else(|| opt("to_table").and_then(|v| v.as_name().map(str::to_owned)));
                let column = opt("column").and_then(|v| v.as_name().map(str::to_owned));
                let name = opt("name").and_then(|v| v.as_name().map(str::to_owned));
                if let Some(t) = self.db.tables.get_mut(&from) {
                    t.foreign_keys.retain(|fk| {
                        let matches = to.as_ref().is_none_or(|to| &fk.to_table == to)
                            && column.as_ref().is_none_or(|c| &fk.column == c)
                            && name.as_ref().is_none_or(|n| fk.name.as_ref() == Some(n));
                        !matches
                    });
                }
            }
            "enable_extension"
            | "disable_extension"
            | "say"
            | "say_with_time"
            | "add_check_constraint"
            | "remove_check_constraint" => {}
            "execute" => {
                let sql = args
                    .positional
                    .first()
                    .and_then(|a| self.lit(*a).as_name().map(str::to_owned));
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
                    .and_then(|a| self.lit(*a).as_names())
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
                        .and_then(|a| self.lit(*a).as_names())
                });
                self.remove_index(table, by_name, by_cols);
            }
            "remove_references" | "remove_belongs_to" => {
                for r in names.iter().flatten() {
                    self.remove_column(table, &format!("{r}_id"));
                }
            }
            "foreign_key" => {
                if let Some(Some(to)) = names.first() {
                    let column = opt("column").and_then(|v| v.as_name().map(str::to_owned));
                    let primary_key =
                        opt("primary_key").and_then(|v| v.as_name().map(str::to_owned));
                    let name = opt("name").and_then(|v| v.as_name().map(str::to_owned));
                    self.add_foreign_key(table, to, column, primary_key, name, line);
                }
            }
            "change" | "change_default" | "change_null" | "check_constraint" => {}
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
        // `foreign_key: true` / `foreign_key: { to_table: :x }` (not on a polymorphic
        // reference, which ActiveRecord refuses).
        let fk = opt("foreign_key");
        if !poly && fk.as_ref().is_some_and(|v| v.truthy() == Some(true)) {
            let to = fk
                .as_ref()
                .and_then(|v| v.get("to_table"))
                .and_then(|v| v.as_name().map(str::to_owned))
                .unwrap_or_else(|| self.inflector.pluralize(name));
            let primary_key = fk
                .as_ref()
                .and_then(|v| v.get("primary_key"))
                .and_then(|v| v.as_name().map(str::to_owned));
            let fk_name = fk
                .as_ref()
                .and_then(|v| v.get("name"))
                .and_then(|v| v.as_name().map(str::to_owned));
            self.add_foreign_key(
                table,
                &to,
                Some(format!("{name}_id")),
                primary_key,
                fk_name,
                line,
            );
        }
    }

    /// `add_foreign_key from, to`: the column defaults to `<singular of to>_id`, the
    /// primary key to `id`.
    fn add_foreign_key(
        &mut self,
        from: &str,
        to: &str,
        column: Option<String>,
        primary_key: Option<String>,
        name: Option<String>,
        line: u32,
    ) {
        let column = column.unwrap_or_else(|| format!("{}_id", self.inflector.singularize(to)));
        if let Some(t) = self.db.tables.get_mut(from) {
            t.foreign_keys
                .retain(|fk| !(fk.column == column && fk.to_table == to));
            t.foreign_keys.push(ForeignKey {
                file: Some(self.file.path.clone()),
                from_table: from.to_owned(),
                to_table: to.to_owned(),
                column,
                primary_key: primary_key.unwrap_or_else(|| "id".to_owned()),
                name,
                line,
            });
        }
    }

    fn add_column(&mut self, table: &str, name: &str, ty: &str, null: bool, line: u32) {
        if let Some(t) = self.db.tables.get_mut(table) {
            if !t.has_column(name) {
                t.columns.push(Column {
                    file: Some(self.file.path.clone()),
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
            // Dropping a column drops the indexes that use it (PostgreSQL, SQLite),
            // and its foreign keys.
            t.indexes
                .retain(|i| !i.keys.iter().any(|k| k.column() == Some(name)));
            t.foreign_keys.retain(|fk| fk.column != name);
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
        for fk in &mut t.foreign_keys {
            if fk.column == old {
                fk.column = new.to_owned();
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
                file: Some(self.file.path.clone()),
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
/// Whether two replayed states have the same tables, keys, columns (name and
/// nullability) and indexes; column types and lines may differ.
fn same_shape(a: &BTreeMap<String, Table>, b: &BTreeMap<String, Table>) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((ka, ta), (kb, tb))| {
            ka == kb
                && ta.primary_key == tb.primary_key
                && ta.columns.len() == tb.columns.len()
                && ta
                    .columns
                    .iter()
                    .zip(&tb.columns)
                    .all(|(x, y)| x.name == y.name && x.null == y.null)
                && ta.indexes.len() == tb.indexes.len()
                && ta.indexes.iter().zip(&tb.indexes).all(|(x, y)| {
                    x.name == y.name
                        && x.keys == y.keys
                        && x.unique == y.unique
                        && x.predicate == y.predicate
                        && x.using == y.using
                })
        })
}

/// The first outcome, with a column whose type differs between outcomes typed
/// `a or b`.
fn merge_types(outcomes: Vec<BTreeMap<String, Table>>) -> BTreeMap<String, Table> {
    let mut outcomes = outcomes.into_iter();
    let mut merged = outcomes.next().unwrap_or_default();
    for other in outcomes {
        for (name, table) in &mut merged {
            let Some(o) = other.get(name) else { continue };
            for (col, ocol) in table.columns.iter_mut().zip(&o.columns) {
                let mut types: Vec<&str> = col.sql_type.split(" or ").collect();
                for t in ocol.sql_type.split(" or ") {
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
                col.sql_type = types.join(" or ");
            }
        }
    }
    merged
}

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

#[cfg(test)]
mod data_statement_tests {
    use super::changes_no_schema;

    #[test]
    fn statements_on_rows_change_no_schema() {
        let migration =
            "class M < ActiveRecord::Migration[7.0]\n  def up\n  end\n  def cleanup; end\nend\n";
        for data in [
            "User.where(language: \"hy\").update_all(language: \"hye\")",
            "Pod.where(\"host IS NULL\").delete_all",
            "Role.reset_column_information",
            "Photo.where(pending: true).each do |photo|\n  photo.update(pending: false)\nend",
            "Notification.where(guid: nil).find_in_batches { |b| b.each(&:save!) }",
        ] {
            assert!(changes_no_schema(data, migration), "{data}");
        }
        for schema in [
            "Role.connection.execute(\"UPDATE roles SET x = 1\")",
            "User.all.each { |u| add_column :users, :x, :string }",
            "Post.find_each { |p| cleanup(p) }",
            "ActiveRecord::Base.connection.tables.each { |t| x }",
            "Item.where(x: 1).each { |i| i.send(:up) }",
            "Model.find_by_sql(\"ALTER TABLE items ADD x int\")",
            "Setting.where(a: 1).each { |s| s.change_type! }",
        ] {
            assert!(!changes_no_schema(schema, migration), "{schema}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Database {
        let source = format!(
            "class M < ActiveRecord::Migration[6.1]\n  def up\n    create_table :users do |t|\n      t.string :name\n    end\n{body}\n  end\nend\n"
        );
        let file = MigrationFile {
            path: PathBuf::from("db/migrate/20240101000000_m.rb"),
            version: 20240101000000,
            source,
        };
        replay("primary", Path::new("db/migrate"), vec![file]).0
    }

    fn columns(db: &Database) -> Vec<String> {
        db.tables["users"]
            .columns
            .iter()
            .map(|c| format!("{} {}", c.name, c.sql_type))
            .collect()
    }

    fn messages(db: &Database) -> Vec<&str> {
        db.warnings.iter().map(|w| w.message.as_str()).collect()
    }

    #[test]
    fn branches_that_agree_are_the_result() {
        let db = run("    if t_supports_jsonb?\n      add_column :users, :prefs, :jsonb\n    else\n      add_column :users, :prefs, :json\n    end");
        assert!(db.warnings.is_empty(), "{:?}", messages(&db));
        assert_eq!(
            columns(&db),
            ["id bigint", "name string", "prefs jsonb or json"]
        );
    }

    #[test]
    fn branches_that_differ_are_not_analyzed() {
        let db = run("    if ENV[\"EMAILS\"]\n      add_column :users, :email, :string\n    end\n    add_index :users, :name");
        assert_eq!(columns(&db), ["id bigint", "name string"]);
        assert_eq!(
            db.tables["users"].indexes.len(),
            1,
            "what follows still runs"
        );
        assert_eq!(
            messages(&db),
            ["db/migrate/20240101000000_m.rb:6: not analyzed: a conditional"]
        );
        // A branch holding something not analyzed cannot be known to agree.
        let db = run("    unless Rails.env.test?\n      User.connection.execute(sql)\n    end");
        assert_eq!(
            messages(&db),
            ["db/migrate/20240101000000_m.rb:6: not analyzed: a conditional"]
        );
        // Model code on the rows changes no schema: both branches agree.
        let db = run("    unless Rails.env.test?\n      User.where(name: nil).update_all(name: \"x\")\n    end\n    User.reset_column_information");
        assert!(db.warnings.is_empty(), "{:?}", messages(&db));
    }

    #[test]
    fn loops_over_literals_are_unrolled_others_are_not() {
        let db = run("    %i[a b].each do |c|\n      add_column :users, c, :string\n    end");
        assert!(db.warnings.is_empty(), "{:?}", messages(&db));
        assert_eq!(
            columns(&db),
            ["id bigint", "name string", "a string", "b string"]
        );
        let db =
            run("    [:a, column_name].each do |c|\n      add_column :users, c, :string\n    end");
        assert_eq!(columns(&db), ["id bigint", "name string"]);
        assert_eq!(db.warnings.len(), 1, "{:?}", messages(&db));
    }

    #[test]
    fn begin_runs_its_body_and_ensure_not_its_rescue() {
        let db = run("    begin\n      add_column :users, :a, :string\n    rescue StandardError\n      add_column :users, :b, :string\n    ensure\n      add_column :users, :c, :string\n    end");
        assert!(db.warnings.is_empty(), "{:?}", messages(&db));
        assert_eq!(
            columns(&db),
            ["id bigint", "name string", "a string", "c string"]
        );
    }

    #[test]
    fn blocks_that_yield_once_are_replayed() {
        let db = run("    say_with_time \"x\" do\n      add_column :users, :a, :string\n    end\n    transaction do\n      add_column :users, :b, :string\n    end\n    suppress_messages { add_column :users, :c, :string }\n    return unless table_exists?(:users)\n    add_column :users, :d, :string");
        assert!(db.warnings.is_empty(), "{:?}", messages(&db));
        assert_eq!(
            columns(&db),
            [
                "id bigint",
                "name string",
                "a string",
                "b string",
                "c string",
                "d string"
            ]
        );
    }

    #[test]
    fn mysql_indexes_a_foreign_key_no_index_leads_with() {
        let mut db = run("    create_table :posts do |t|\n      t.integer :user_id\n      t.integer :editor_id\n    end\n    add_index :posts, [:editor_id, :id]\n    add_foreign_key :posts, :users\n    add_foreign_key :posts, :users, column: :editor_id\n    add_reference :posts, :author, foreign_key: { to_table: :users }, index: false");
        add_implicit_foreign_key_indexes(&mut db);
        let indexes: Vec<String> = db.tables["posts"]
            .indexes
            .iter()
            .map(|i| format!("{} {:?}", i.name, i.origin))
            .collect();
        assert_eq!(
            indexes,
            [
                "index_posts_on_editor_id_and_id Index",
                // Digest::SHA256.hexdigest("posts_user_id_fk").first(10)
                "fk_rails_5b5ddfd518 ImplicitForeignKey",
                "fk_rails_04d13ef8c7 ImplicitForeignKey",
            ]
        );
    }

    #[test]
    fn guards_are_decided_by_the_replayed_state() {
        let db = run("    return if table_exists?(:users)\n    add_column :users, :a, :string");
        assert_eq!(columns(&db), ["id bigint", "name string"]);
        let db = run("    add_index :users, :name, unique: true\n    if index_exists?(:users, :name, unique: true)\n      add_column :users, :a, :string\n    elsif column_exists?(:users, :name)\n      add_column :users, :b, :string\n    else\n      add_column :users, :c, :string\n    end\n    change_table :users do |t|\n      t.string :d unless t.column_exists?(:d)\n      t.string :e if !t.column_exists?(:name)\n    end");
        assert!(db.warnings.is_empty(), "{:?}", messages(&db));
        assert_eq!(
            columns(&db),
            ["id bigint", "name string", "a string", "d string"]
        );
    }
}
