//! Reader for `db/schema.rb`.
//!
//! The file is read as data; nothing is evaluated. The reader picks out the
//! statements Rails' schema dumper writes: the `ActiveRecord::Schema[x.y].define`
//! header, `create_table` blocks with their `t.<type>`, `t.column`, `t.index`,
//! `t.references`, `t.timestamps` and `t.unique_constraint` lines, and the top-level
//! `add_index` and `add_foreign_key` (whose `column:` stays empty when not written:
//! Rails derives it from the target table with the inflector).
//!
//! Check and exclusion constraints, views, functions, triggers and `execute` are
//! read past. The adapter is guessed from what only one adapter dumps
//! (`enable_extension`, `jsonb`, `using: :gin` for PostgreSQL; `ENGINE=`, `charset:`,
//! `length:` for MySQL) and otherwise stays unknown. Index names missing from the
//! file get Rails' default `index_<table>_on_<a>_and_<b>`.
//!
//! Two front ends feed the same `Reader`, one `Call` (receiver, method, literal
//! arguments, position) at a time:
//!
//! - a file in the dumper's shape is read statement by statement by the line
//!   reader (the `lines` module), which reads the dumper's subset of Ruby straight
//!   from the text; a statement outside that subset is parsed with tree-sitter on
//!   its own, as a range of the whole text (so positions stay the file's), and read
//!   from its syntax tree;
//! - any other file (no header, no final `end`, a merge conflict, a statement whose
//!   end cannot be told or that does not parse on its own) is parsed whole with
//!   tree-sitter-ruby, and its tree walked in document order.
//!
//! Both give the same [`Database`] for the same text. A file that only partly
//! parses (a merge conflict, a truncated copy) is still read: tree-sitter keeps the
//! statements around a broken region, a `create_table` whose block was torn apart
//! by the error is recognised from its pieces, and every broken region becomes a
//! [`SchemaWarning`](super::SchemaWarning). Only a file where no schema statement at
//! all can be found is an error.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use tree_sitter::Node;

use super::{
    excerpt, is_conflict_marker, table_key, Adapter, Column, Database, ForeignKey, Index, IndexKey,
    IndexOrigin, SchemaError, SchemaFormat, Table,
};
use crate::ruby::{self, Args, Literal};

#[cfg(test)]
mod differential;
mod lines;

/// Statements that describe things fullscan does not need (views, functions,
/// triggers, check constraints): read past without a warning.
const IGNORED_STATEMENTS: &[&str] = &[
    "add_check_constraint",
    "add_exclusion_constraint",
    "create_function",
    "create_trigger",
    "create_virtual_table",
    "execute",
];

/// Statements only the PostgreSQL adapter dumps.
const POSTGRESQL_STATEMENTS: &[&str] = &["enable_extension", "create_enum", "create_schema"];

/// Column types only the PostgreSQL adapter dumps.
const POSTGRESQL_TYPES: &[&str] = &[
    "jsonb",
    "hstore",
    "uuid",
    "inet",
    "cidr",
    "macaddr",
    "tsvector",
    "citext",
    "ltree",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "interval",
    "money",
    "oid",
    "enum",
    "serial",
    "bigserial",
    "timestamptz",
];

/// Column types only the MySQL adapter dumps.
const MYSQL_TYPES: &[&str] = &[
    "tinytext",
    "mediumtext",
    "longtext",
    "tinyblob",
    "mediumblob",
    "longblob",
    "unsigned_integer",
    "unsigned_bigint",
    "unsigned_float",
    "unsigned_decimal",
];

/// Index methods only PostgreSQL has.
const POSTGRESQL_INDEX_METHODS: &[&str] = &["gin", "gist", "brin", "spgist"];

/// Option values deeper than this are not evaluated (they cannot be schema options,
/// and the literal evaluator recurses).
const MAX_LITERAL_DEPTH: usize = 32;

/// Reads a `db/schema.rb`. `path` is only used to name the database and in messages.
// Called once per schema file, and the error carries the file's text for its report:
// the size of the error is of no consequence.
#[allow(clippy::result_large_err)]
pub fn parse_schema_rb(path: &Path, source: &str) -> Result<Database, SchemaError> {
    if let Some(db) = parse_lines(path, source) {
        return Ok(db);
    }
    parse_whole(path, source)
}

/// Parses the file as one tree.
#[allow(clippy::result_large_err)] // as parse_schema_rb
fn parse_whole(path: &Path, source: &str) -> Result<Database, SchemaError> {
    let Some(tree) = ruby::parse(source) else {
        return Err(SchemaError::new(
            path,
            source,
            "the Ruby parser could not read this file",
            None,
        ));
    };
    let mut reader = Reader::new(path, source);
    for node in ruby::preorder(tree.root_node()) {
        reader.visit(node);
    }
    if !reader.header && reader.statements == 0 {
        let message = match &reader.first_error {
            Some(_) => "not a Rails schema file: it does not parse as Ruby, and no `ActiveRecord::Schema.define` block or schema statement could be read",
            None => "not a Rails schema file: no `ActiveRecord::Schema.define` block and no schema statement",
        };
        return Err(SchemaError::new(path, source, message, reader.first_error));
    }
    Ok(reader.finish())
}

/// At most about this many bytes of consecutive statements that the line reader
/// leaves to tree-sitter are parsed as one piece.
const PIECE_BYTES: usize = 128 << 10;

/// Syntax that defines local variables, which change how later statements parse
/// (`x [1]` is an index into `x` once `x = ...` was seen): a piece holding one is
/// not read on its own.
const DEFINES_LOCALS: &[&str] = &[
    "assignment",
    "operator_assignment",
    "for",
    "exception_variable",
    "case_match",
    "match_pattern",
    "test_pattern",
    "regex",
];

/// Reads a file in the dumper's shape (see [`lines`]) statement by statement: the
/// line reader's calls are applied as they come, and each run of statements it
/// does not read is parsed with tree-sitter between the header line and the final
/// `end`, at its place in the whole text. `None` (parse the file whole) when the
/// file does not have that shape, the end of a statement cannot be told, or a
/// piece does not parse cleanly on its own.
fn parse_lines(path: &Path, source: &str) -> Option<Database> {
    let layout = lines::Layout::of(source)?;
    let mut reader = Reader::new(path, source);
    // The header and the final `end` alone: the header's version.
    reader.read_piece(&layout, None)?;
    if !reader.header {
        return None;
    }
    let mut pending: Option<Range<usize>> = None;
    for piece in layout.pieces() {
        match piece.ok()? {
            lines::Piece::Calls(calls) => {
                if let Some(lines) = pending.take() {
                    reader.read_piece(&layout, Some(lines))?;
                }
                for call in &calls {
                    reader.apply(call);
                }
            }
            lines::Piece::Ruby(lines) => {
                pending = match pending.take() {
                    Some(run) if layout.bytes(run.start..lines.end) <= PIECE_BYTES => {
                        Some(run.start..lines.end)
                    }
                    Some(run) => {
                        reader.read_piece(&layout, Some(run))?;
                        Some(lines)
                    }
                    None => Some(lines),
                };
            }
        }
    }
    if let Some(lines) = pending {
        reader.read_piece(&layout, Some(lines))?;
    }
    Some(reader.finish())
}

/// One call in statement position, as the reader uses it: read from a syntax tree
/// ([`Reader::tree_call`]) or by the line reader.
#[derive(Debug, Clone, PartialEq)]
struct Call<'s> {
    /// The source text of the whole call (with its block), for messages.
    text: &'s str,
    /// Byte offset of the start of the call.
    start: usize,
    /// 1-based line of the start of the call.
    line: u32,
    /// `t` in `t.string "a"`; `None` for a call without receiver.
    receiver: Option<&'s str>,
    method: &'s str,
    /// The positional arguments, evaluated.
    positional: Vec<Literal>,
    /// The keyword options, evaluated, as a [`Literal::Hash`] to [`Literal::get`] from.
    options: Literal,
    /// The `do |t| ... end` (or `{ |t| ... }`) block of the call.
    block: Option<Block>,
    /// The call sits directly in a region that does not parse.
    in_error: bool,
}

/// The block of a [`Call`].
#[derive(Debug, Clone, PartialEq)]
struct Block {
    /// The first block parameter (`t` in `do |t|`).
    param: Option<String>,
    /// Byte offset of the end of the block.
    end: usize,
}

struct Reader<'s> {
    src: &'s str,
    db: Database,
    /// An `ActiveRecord::Schema` header was seen.
    header: bool,
    /// Schema statements recognised (tables, indexes, keys, extensions, ...).
    statements: usize,
    /// The `create_table` the next `t.<type>` lines belong to.
    open: Option<OpenTable>,
    /// `add_index` / `add_foreign_key`, applied once every table is known.
    later: Vec<Later>,
    /// Tables whose definition overlaps a region that does not parse.
    broken: BTreeSet<String>,
    /// End byte of the outermost ERROR node being walked through.
    error_end: usize,
    first_error: Option<Range<usize>>,
}

struct OpenTable {
    /// Key in `db.tables`.
    key: String,
    /// The block parameter (`t` in `do |t|`), when known.
    param: Option<String>,
    /// End byte of the `create_table` block; `None` when the block did not parse.
    scope_end: Option<usize>,
}

enum Later {
    Index { table: String, index: Index },
    ForeignKey(ForeignKey),
}

impl<'s> Reader<'s> {
    fn new(path: &Path, src: &'s str) -> Reader<'s> {
        Reader {
            src,
            db: Database::new(path, SchemaFormat::SchemaRb),
            header: false,
            statements: 0,
            open: None,
            later: Vec::new(),
            broken: BTreeSet::new(),
            error_end: 0,
            first_error: None,
        }
    }

    fn visit(&mut self, node: Node<'_>) {
        if node.is_error() || node.is_missing() {
            self.parse_error(node);
            return;
        }
        match node.kind() {
            "scope_resolution" => self.header(node),
            "call" => self.call(node),
            "identifier" => self.loose_statement(node),
            _ => {}
        }
    }

    /// Parses the header line, `lines` (if any) and the final `end` of a file in the
    /// dumper's shape with tree-sitter, and reads what they hold. `None` when that
    /// piece does not parse cleanly or defines local variables.
    fn read_piece(
        &mut self,
        layout: &lines::Layout<'_>,
        lines: Option<Range<usize>>,
    ) -> Option<()> {
        let mut ranges = vec![layout.head()];
        ranges.extend(lines.map(|l| layout.range(l)));
        ranges.push(layout.tail());
        let tree = ruby::parse_ranges(self.src, &ranges)?;
        if tree.root_node().has_error() {
            return None;
        }
        for node in ruby::preorder(tree.root_node()) {
            if DEFINES_LOCALS.contains(&node.kind()) {
                return None;
            }
            self.visit(node);
        }
        Some(())
    }

    /// A call in statement position.
    fn apply(&mut self, call: &Call<'s>) {
        match call.receiver {
            None => self.statement(call),
            Some(_) => self.table_statement(call),
        }
    }

    fn text(&self, node: Node<'_>) -> &'s str {
        ruby::text(node, self.src)
    }

    /// The [`Call`] of a `call` node (or of a method name that error recovery left
    /// beside its argument list), its arguments evaluated.
    fn tree_call(
        &self,
        node: Node<'_>,
        receiver: Option<&'s str>,
        method: &'s str,
        args: &Args<'_>,
    ) -> Call<'s> {
        let block = node.child_by_field_name("block").map(|b| Block {
            param: b
                .child_by_field_name("parameters")
                .and_then(|p| p.named_child(0))
                .map(|p| self.text(p).to_owned()),
            end: b.end_byte(),
        });
        Call {
            text: self.text(node),
            start: node.start_byte(),
            line: ruby::line(node),
            receiver,
            method,
            positional: args.positional.iter().map(|n| self.lit(*n)).collect(),
            options: self.options(args),
            block,
            in_error: node.parent().is_some_and(|p| p.is_error()),
        }
    }

    /// A literal value, or `Dynamic` for a value too deeply nested to be an option.
    fn lit(&self, node: Node<'_>) -> Literal {
        if depth_at_most(node, MAX_LITERAL_DEPTH) {
            ruby::literal(node, self.src)
        } else {
            Literal::Dynamic(String::new())
        }
    }

    /// The keyword options of a call, as a [`Literal::Hash`] to [`Literal::get`] from.
    fn options(&self, args: &Args<'_>) -> Literal {
        Literal::Hash(
            args.options
                .iter()
                .map(|(k, v)| (k.clone(), self.lit(*v)))
                .collect(),
        )
    }

    fn hint(&mut self, adapter: Adapter) {
        if self.db.adapter == Adapter::Unknown {
            self.db.adapter = adapter;
        }
    }

    // ---- parse errors -------------------------------------------------------

    fn parse_error(&mut self, node: Node<'_>) {
        let start = node.start_byte();
        if self.first_error.is_none() {
            self.first_error = Some(start..node.end_byte());
        }
        // A region inside an already reported one says nothing new.
        let nested = start < self.error_end;
        if node.is_error() {
            self.error_end = self.error_end.max(node.end_byte());
        }
        if let Some(open) = &self.open {
            if open.scope_end.is_none_or(|end| start < end) {
                self.broken.insert(open.key.clone());
            }
        }
        if nested {
            return;
        }
        let line = ruby::line(node);
        if node.is_missing() {
            self.db
                .warn(line, format!("syntax error: missing `{}`", node.kind()));
        } else if node.parent().is_none() {
            // The whole file is one ERROR: some block is never closed, most often
            // because the file is cut short. Point at where the text ends.
            let content = self
                .src
                .get(..node.end_byte())
                .unwrap_or(self.src)
                .trim_end();
            let last = content.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
            self.db.warn(
                last,
                "the file does not parse as a whole (a block is never closed, or the file \
                 is cut short); the statements that parse on their own were read",
            );
        } else if is_conflict_marker(self.text(node)) {
            self.db.warn(
                line,
                "merge conflict marker: the lines of both sides were read",
            );
        } else {
            let end = node.end_position().row as u32 + 1;
            let mut cursor = node.walk();
            let holds_statements = node.named_children(&mut cursor).any(|n| n.kind() == "call");
            let message = match (end > line, holds_statements) {
                (true, true) => format!(
                    "lines {line}-{end} do not parse as Ruby; the statements in them that \
                     parse on their own were read"
                ),
                (true, false) => {
                    format!(
                        "lines {line}-{end} do not parse as Ruby; what they declare was skipped"
                    )
                }
                (false, _) => {
                    format!("line {line} does not parse as Ruby; what it declares was skipped")
                }
            };
            self.db.warn(line, message);
        }
    }

    // ---- header ---------------------------------------------------------------

    fn header(&mut self, node: Node<'_>) {
        if !matches!(
            self.text(node),
            "ActiveRecord::Schema" | "::ActiveRecord::Schema"
        ) {
            return;
        }
        self.header = true;
        // `ActiveRecord::Schema[7.1]` is (element_reference object: (scope_resolution) (float)).
        let Some(parent) = node.parent() else { return };
        if parent.kind() == "element_reference"
            && parent.child_by_field_name("object") == Some(node)
            && self.db.schema_version.is_none()
        {
            if let Some(version) = parent.named_child(1) {
                let version = self.text(version).trim();
                if !version.is_empty() {
                    self.db.schema_version = Some(version.to_owned());
                }
            }
        }
    }

    // ---- statements -------------------------------------------------------------

    fn call(&mut self, node: Node<'_>) {
        let Some(method) = node.child_by_field_name("method") else {
            return;
        };
        let method = self.text(method);
        if !at_statement_level(node) {
            return;
        }
        match node.child_by_field_name("receiver") {
            None => {
                let args = ruby::call_args(node, self.src);
                let call = self.tree_call(node, None, method, &args);
                self.statement(&call);
            }
            Some(receiver) if receiver.kind() == "identifier" => {
                let receiver = self.text(receiver);
                let args = ruby::call_args(node, self.src);
                let call = self.tree_call(node, Some(receiver), method, &args);
                self.table_statement(&call);
            }
            Some(receiver) => {
                if !self.text(receiver).contains("ActiveRecord::Schema") {
                    self.db.warn(
                        ruby::line(node),
                        format!(
                            "statement `{}` not understood; skipped",
                            excerpt(self.text(node))
                        ),
                    );
                }
            }
        }
    }

    /// A statement that error recovery split into an identifier followed by its
    /// argument list (typically `create_table "t" do |t|` in a file cut short).
    fn loose_statement(&mut self, node: Node<'_>) {
        let Some(parent) = node.parent() else { return };
        if !parent.is_error() {
            return;
        }
        let method = self.text(node);
        if !matches!(method, "create_table" | "add_index" | "add_foreign_key") {
            return;
        }
        let Some(list) = node.next_named_sibling() else {
            return;
        };
        if list.kind() != "argument_list" {
            return;
        }
        let args = ruby::list_args(list, self.src);
        let call = self.tree_call(node, None, method, &args);
        self.statement(&call);
        if method == "create_table" {
            if let Some(open) = &mut self.open {
                open.param = list
                    .next_named_sibling()
                    .filter(|n| n.kind() == "block_parameters")
                    .and_then(|p| p.named_child(0))
                    .map(|p| ruby::text(p, self.src).to_owned());
                self.broken.insert(open.key.clone());
            }
        }
    }

    /// A statement without receiver: `create_table`, `add_index`, ...
    fn statement(&mut self, call: &Call<'s>) {
        let line = call.line;
        match call.method {
            "create_table" => {
                self.statements += 1;
                self.create_table(call);
            }
            "add_index" => {
                self.statements += 1;
                let table = call.positional.first().and_then(name);
                let Some(table) = table else {
                    self.db
                        .warn(line, "`add_index` without a table name; skipped");
                    return;
                };
                if let Some(index) = self.index(&table, call.positional.get(1), call, line) {
                    self.later.push(Later::Index { table, index });
                }
            }
            "add_foreign_key" => {
                self.statements += 1;
                self.foreign_key(call);
            }
            // scenic's `create_view "name", [materialized: true,] sql_definition: ...`.
            "create_view" => {
                self.statements += 1;
                if let Some(view) = call.positional.first().and_then(name) {
                    let materialized = call
                        .options
                        .get("materialized")
                        .is_some_and(|m| !matches!(m, Literal::Bool(false) | Literal::Nil));
                    self.db.views.insert(
                        table_key(&view),
                        super::View {
                            name: table_key(&view),
                            materialized,
                            line,
                        },
                    );
                }
            }
            method if POSTGRESQL_STATEMENTS.contains(&method) => {
                self.statements += 1;
                self.hint(Adapter::Postgresql);
            }
            method if IGNORED_STATEMENTS.contains(&method) => self.statements += 1,
            "define" => {}
            _ => self.db.warn(
                line,
                format!("statement `{}` not understood; skipped", excerpt(call.text)),
            ),
        }
    }

    fn create_table(&mut self, call: &Call<'s>) {
        let line = call.line;
        let name = call.positional.first().and_then(name);
        let Some(name) = name else {
            self.db
                .warn(line, "`create_table` without a literal table name; skipped");
            self.open = None;
            return;
        };
        let key = table_key(&name);
        // A `create_table` inside the block of the previous one: that block lacks its `end`.
        if let Some(open) = &self.open {
            if open.scope_end.is_some_and(|end| call.start < end) {
                let previous = open.key.clone();
                let at = self.db.tables.get(&previous).map_or(line, |t| t.line);
                self.db.warn(
                    at,
                    format!(
                        "the `create_table \"{previous}\"` block is not closed before line {line}"
                    ),
                );
                self.broken.insert(previous);
            }
        }
        let opts = &call.options;

        if opts.get("options").is_some_and(|o| {
            o.as_name()
                .is_some_and(|s| s.to_ascii_uppercase().contains("ENGINE="))
        }) || opts.get("charset").is_some()
            || opts.get("collation").is_some()
        {
            self.hint(Adapter::Mysql);
        }

        // The primary key: `id:` gives its type (or `false` for none), `primary_key:`
        // its name, or the names of a composite key whose columns the block lists.
        let id = opts.get("id");
        let (primary_key, implicit) = match id {
            Some(Literal::Bool(false) | Literal::Nil) => (Vec::new(), None),
            _ if opts.get("as").is_some() => (Vec::new(), None),
            _ => {
                let id_type = match id {
                    Some(Literal::Symbol(t) | Literal::Str(t)) => Some(t.clone()),
                    Some(h @ Literal::Hash(_)) => {
                        h.get("type").and_then(Literal::as_name).map(str::to_owned)
                    }
                    _ => None,
                };
                if id_type
                    .as_deref()
                    .is_some_and(|t| t == "uuid" || t == "serial")
                {
                    self.hint(Adapter::Postgresql);
                }
                match opts.get("primary_key") {
                    Some(names @ Literal::Array(_)) => (names.as_names().unwrap_or_default(), None),
                    pk => {
                        let pk = pk.and_then(Literal::as_name).unwrap_or("id").to_owned();
                        // Schema files of Rails 7.0+ carry a version; their default
                        // key is a bigint. Older ones leave the type to the adapter.
                        let sql_type = id_type.unwrap_or_else(|| {
                            if self.db.schema_version.is_some() {
                                "bigint".into()
                            } else {
                                "primary_key".into()
                            }
                        });
                        let column = Column {
                            file: None,
                            name: pk.clone(),
                            sql_type,
                            null: false,
                            line,
                        };
                        (vec![pk], Some(column))
                    }
                }
            }
        };

        if self.db.tables.contains_key(&key) {
            self.db.warn(
                line,
                format!("table `{key}` is created twice; both definitions were merged"),
            );
        }
        let table = self.db.tables.entry(key.clone()).or_default();
        if table.name.is_empty() {
            table.name = key.clone();
            table.line = line;
        }
        if table.primary_key.is_empty() {
            table.primary_key = primary_key;
        }
        if let Some(column) = implicit {
            add_column(&mut table.columns, column);
        }

        self.open = Some(OpenTable {
            key,
            param: call.block.as_ref().and_then(|b| b.param.clone()),
            scope_end: call.block.as_ref().map(|b| b.end),
        });
    }

    /// A `t.<something>` line; `receiver` is the `t`.
    fn table_statement(&mut self, call: &Call<'s>) {
        let line = call.line;
        let start = call.start;
        let receiver = call.receiver.unwrap_or_default();
        let key = match &self.open {
            Some(open)
                if open.param.as_deref().unwrap_or("t") == receiver
                    && open.scope_end.is_none_or(|end| start < end) =>
            {
                open.key.clone()
            }
            _ => {
                self.db.warn(
                    line,
                    format!(
                        "`{}` is outside of any `create_table` block; skipped",
                        excerpt(call.text)
                    ),
                );
                return;
            }
        };
        if call.in_error {
            self.broken.insert(key.clone());
        }
        let opts = &call.options;
        let null = opts.get("null").and_then(Literal::truthy);

        match call.method {
            "index" => {
                if let Some(index) = self.index(&key, call.positional.first(), call, line) {
                    self.table_mut(&key).indexes.push(index);
                }
            }
            "unique_constraint" => {
                let keys = call.positional.first().and_then(index_keys);
                let Some(keys) = keys else {
                    self.db
                        .warn(line, "`unique_constraint` without literal columns; skipped");
                    return;
                };
                let name = opts
                    .get("name")
                    .and_then(Literal::as_name)
                    .map(str::to_owned)
                    .unwrap_or_else(|| {
                        format!(
                            "{}_{}_key",
                            key.replace('.', "_"),
                            key_names(&keys).join("_")
                        )
                    });
                self.hint(Adapter::Postgresql);
                self.table_mut(&key).indexes.push(Index {
                    file: None,
                    name,
                    keys,
                    unique: true,
                    predicate: None,
                    using: None,
                    origin: IndexOrigin::UniqueConstraint,
                    line,
                });
            }
            "timestamps" => {
                for name in ["created_at", "updated_at"] {
                    let column = Column {
                        file: None,
                        name: name.into(),
                        sql_type: "datetime".into(),
                        null: null.unwrap_or(false),
                        line,
                    };
                    add_column(&mut self.table_mut(&key).columns, column);
                }
            }
            "references" | "belongs_to" => self.references(&key, call, line),
            "primary_key" => {
                let Some(column_name) = call.positional.first().and_then(name) else {
                    return;
                };
                let sql_type = call
                    .positional
                    .get(1)
                    .and_then(name)
                    .unwrap_or_else(|| "primary_key".into());
                let table = self.table_mut(&key);
                table.primary_key = vec![column_name.clone()];
                add_column(
                    &mut table.columns,
                    Column {
                        file: None,
                        name: column_name,
                        sql_type,
                        null: false,
                        line,
                    },
                );
            }
            "check_constraint" | "exclusion_constraint" => {}
            "column" => {
                let column_name = call.positional.first().and_then(name);
                let sql_type = call.positional.get(1).and_then(name);
                match (column_name, sql_type) {
                    (Some(name), Some(sql_type)) => {
                        self.column_hints(&sql_type, opts);
                        let column = Column {
                            file: None,
                            name,
                            sql_type,
                            null: null.unwrap_or(true),
                            line,
                        };
                        add_column(&mut self.table_mut(&key).columns, column);
                    }
                    _ => self.db.warn(
                        line,
                        format!(
                            "`{}` has no literal name and type; skipped",
                            excerpt(call.text)
                        ),
                    ),
                }
            }
            "remove" | "remove_index" | "remove_references" | "remove_belongs_to"
            | "remove_timestamps" | "rename" | "change" | "change_default" | "change_null"
            | "foreign_key" | "remove_foreign_key" => self.db.warn(
                line,
                format!(
                    "`{}` changes a table, which a schema file does not do; skipped",
                    excerpt(call.text)
                ),
            ),
            method => {
                // `t.string "a"`, `t.string "a", "b"`, `t.virtual "v", type: :string`.
                let sql_type = match method {
                    "virtual" => opts
                        .get("type")
                        .and_then(Literal::as_name)
                        .unwrap_or("virtual")
                        .to_owned(),
                    _ => method.to_owned(),
                };
                self.column_hints(&sql_type, opts);
                let names: Vec<String> = call.positional.iter().filter_map(name).collect();
                if names.is_empty() {
                    self.db.warn(
                        line,
                        format!("`{}` names no column; skipped", excerpt(call.text)),
                    );
                }
                for name in names {
                    let column = Column {
                        file: None,
                        name,
                        sql_type: sql_type.clone(),
                        null: null.unwrap_or(true),
                        line,
                    };
                    add_column(&mut self.table_mut(&key).columns, column);
                }
            }
        }
    }

    fn table_mut(&mut self, key: &str) -> &mut Table {
        self.db.tables.entry(key.to_owned()).or_default()
    }

    fn column_hints(&mut self, sql_type: &str, opts: &Literal) {
        if POSTGRESQL_TYPES.contains(&sql_type)
            || opts.get("array").is_some()
            || opts.get("enum_type").is_some()
        {
            self.hint(Adapter::Postgresql);
        } else if MYSQL_TYPES.contains(&sql_type)
            || opts.get("unsigned").is_some()
            || opts.get("size").is_some()
        {
            self.hint(Adapter::Mysql);
        }
    }

    /// `t.references "user", polymorphic: true, index: { unique: true }`: the
    /// `<name>_id` column (and `<name>_type`), and an index unless `index: false`.
    fn references(&mut self, key: &str, call: &Call<'s>, line: u32) {
        let opts = &call.options;
        let null = opts.get("null").and_then(Literal::truthy).unwrap_or(true);
        let polymorphic = opts
            .get("polymorphic")
            .and_then(Literal::truthy)
            .unwrap_or(false);
        let sql_type = opts
            .get("type")
            .and_then(Literal::as_name)
            .unwrap_or("bigint");
        let no_options = Literal::Hash(Vec::new());
        let index_opts = match opts.get("index") {
            Some(hash @ Literal::Hash(_)) => Some(hash),
            Some(Literal::Bool(false) | Literal::Nil) => None,
            _ => Some(&no_options),
        };
        let names: Vec<String> = call.positional.iter().filter_map(name).collect();
        for name in names {
            let id = format!("{name}_id");
            let mut columns = vec![Column {
                file: None,
                name: id.clone(),
                sql_type: sql_type.to_owned(),
                null,
                line,
            }];
            let mut keys = vec![IndexKey::Column(id)];
            if polymorphic {
                let type_column = format!("{name}_type");
                columns.push(Column {
                    file: None,
                    name: type_column.clone(),
                    sql_type: "string".into(),
                    null,
                    line,
                });
                // Rails indexes a polymorphic reference on [type, id].
                keys.insert(0, IndexKey::Column(type_column));
            }
            let index = index_opts.map(|opts| build_index(key, keys, opts, line));
            let table = self.table_mut(key);
            for column in columns {
                add_column(&mut table.columns, column);
            }
            table.indexes.extend(index);
        }
    }

    fn index(
        &mut self,
        table: &str,
        columns: Option<&Literal>,
        call: &Call<'s>,
        line: u32,
    ) -> Option<Index> {
        let Some(keys) = columns.and_then(index_keys) else {
            self.db.warn(
                line,
                format!("index on `{table}` without literal columns; skipped"),
            );
            return None;
        };
        let opts = &call.options;
        let index = build_index(&table_key(table), keys, opts, line);
        if index
            .using
            .as_deref()
            .is_some_and(|u| POSTGRESQL_INDEX_METHODS.contains(&u))
            || opts.get("opclass").is_some()
            || opts.get("include").is_some()
            || opts.get("nulls_not_distinct").is_some()
        {
            self.hint(Adapter::Postgresql);
        } else if opts.get("length").is_some()
            || matches!(index.using.as_deref(), Some("fulltext" | "spatial"))
        {
            self.hint(Adapter::Mysql);
        }
        Some(index)
    }

    fn foreign_key(&mut self, call: &Call<'s>) {
        let line = call.line;
        let from = call.positional.first().and_then(name);
        let to = call.positional.get(1).and_then(name);
        let (Some(from), Some(to)) = (from, to) else {
            self.db.warn(
                line,
                "`add_foreign_key` without literal table names; skipped",
            );
            return;
        };
        let opts = &call.options;
        let joined = |k: &str| opts.get(k).and_then(Literal::as_names).map(|n| n.join(","));
        self.later.push(Later::ForeignKey(ForeignKey {
            file: None,
            from_table: table_key(&from),
            to_table: table_key(&to),
            column: joined("column").unwrap_or_default(),
            primary_key: joined("primary_key").unwrap_or_else(|| "id".into()),
            name: opts
                .get("name")
                .and_then(Literal::as_name)
                .map(str::to_owned),
            line,
        }));
    }

    fn finish(mut self) -> Database {
        for later in std::mem::take(&mut self.later) {
            let (table, line) = match &later {
                Later::Index { table, index } => (table_key(table), index.line),
                Later::ForeignKey(fk) => (fk.from_table.clone(), fk.line),
            };
            let Some(entry) = self.db.tables.get_mut(&table) else {
                self.db.warn(
                    line,
                    format!("table `{table}` is not created in this schema; statement skipped"),
                );
                continue;
            };
            match later {
                Later::Index { index, .. } => entry.indexes.push(index),
                Later::ForeignKey(fk) => entry.foreign_keys.push(fk),
            }
        }
        for key in std::mem::take(&mut self.broken) {
            let line = self.db.tables.get(&key).map_or(0, |t| t.line);
            self.db.warn(
                line,
                format!(
                    "the definition of table `{key}` does not fully parse; \
                     some of its columns or indexes may be missing"
                ),
            );
        }
        self.db.finish_warnings();
        self.db
    }
}

/// The name of a symbol or string argument.
fn name(value: &Literal) -> Option<String> {
    value.as_name().map(str::to_owned)
}

/// The keys of `t.index` / `add_index`: an array of column names, one column name,
/// or a SQL expression string.
fn index_keys(columns: &Literal) -> Option<Vec<IndexKey>> {
    match columns {
        Literal::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| match item {
                Literal::Symbol(s) => Some(IndexKey::Column(s.clone())),
                Literal::Str(s) => Some(key_of_string(s)),
                _ => None,
            })
            .collect(),
        // `t.index "user_id, lower(body)"`: one string, several keys.
        Literal::Str(s) => Some(
            split_top_level(s)
                .iter()
                .map(|k| key_of_string(k))
                .collect(),
        ),
        Literal::Symbol(s) => Some(vec![IndexKey::Column(s.clone())]),
        _ => None,
    }
}

/// Builds an index from `t.index` / `add_index` options (`name:`, `unique:`, `where:`,
/// `using:`, `type:`). Without `name:`, Rails' default `index_<table>_on_<a>_and_<b>`.
fn build_index(table: &str, keys: Vec<IndexKey>, opts: &Literal, line: u32) -> Index {
    let name = opts
        .get("name")
        .and_then(Literal::as_name)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            format!(
                "index_{}_on_{}",
                table.replace('.', "_"),
                key_names(&keys).join("_and_")
            )
        });
    // MySQL's `type: :fulltext` / `:spatial` indexes cannot serve a B-tree lookup:
    // they are kept as their own access method.
    let using = opts
        .get("using")
        .or_else(|| opts.get("type"))
        .and_then(Literal::as_name)
        .map(str::to_ascii_lowercase);
    Index {
        file: None,
        name,
        keys,
        unique: opts
            .get("unique")
            .and_then(Literal::truthy)
            .unwrap_or(false),
        predicate: opts
            .get("where")
            .and_then(Literal::as_name)
            .map(str::to_owned),
        using,
        origin: IndexOrigin::Index,
        line,
    }
}

/// The words Rails puts in a default index name for each key.
fn key_names(keys: &[IndexKey]) -> Vec<String> {
    keys.iter()
        .map(|k| match k {
            IndexKey::Column(c) => c.clone(),
            IndexKey::Expression(e) => e
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("_"),
        })
        .collect()
}

/// Splits a key list on the commas outside parentheses and quotes.
fn split_top_level(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut cur) = (0i32, None::<char>, String::new());
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(cur.trim().to_owned());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_owned());
    out.retain(|k| !k.is_empty());
    out
}

/// `"email"` is a column; `"lower((email)::text)"` is an expression.
fn key_of_string(s: &str) -> IndexKey {
    if is_identifier(s) {
        IndexKey::Column(s.to_owned())
    } else {
        IndexKey::Expression(s.to_owned())
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Adds a column, replacing an earlier one of the same name.
fn add_column(columns: &mut Vec<Column>, column: Column) {
    match columns.iter_mut().find(|c| c.name == column.name) {
        Some(existing) => *existing = column,
        None => columns.push(column),
    }
}

/// True for a call in statement position: in a body or block (or a region that does
/// not parse), not inside an argument, a hash, a lambda or a receiver.
fn at_statement_level(node: Node<'_>) -> bool {
    let mut current = node;
    for _ in 0..64 {
        let Some(parent) = current.parent() else {
            return true;
        };
        let ok = match parent.kind() {
            "body_statement" | "block_body" | "program" | "ERROR" => true,
            // A block hangs from its call; anything else under a call is part of it.
            "call" => matches!(current.kind(), "do_block" | "block"),
            "do_block" | "block" => current.kind() != "block_parameters",
            _ => false,
        };
        if !ok {
            return false;
        }
        current = parent;
    }
    false
}

/// True when no path below `node` is longer than `max` edges.
fn depth_at_most(node: Node<'_>, max: usize) -> bool {
    let mut cursor = node.walk();
    let mut depth = 0usize;
    loop {
        if cursor.goto_first_child() {
            depth += 1;
            if depth > max {
                return false;
            }
            continue;
        }
        loop {
            if depth == 0 {
                return true;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            depth -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::test_support::{cols, index, table};
    use crate::schema::MAX_WARNINGS;

    const RAILS_71: &str = include_str!("../../tests/fixtures/schema/rails71_postgresql_schema.rb");
    const RAILS_42: &str = include_str!("../../tests/fixtures/schema/rails42_mysql_schema.rb");

    fn read(src: &str) -> Database {
        parse_schema_rb(Path::new("db/schema.rb"), src).expect("schema reads")
    }

    #[test]
    fn rails_71_postgresql_schema() {
        let db = read(RAILS_71);
        assert_eq!(db.name, "primary");
        assert_eq!(db.format, SchemaFormat::SchemaRb);
        assert_eq!(db.schema_version.as_deref(), Some("7.1"));
        assert_eq!(db.adapter, Adapter::Postgresql);
        assert!(db.warnings.is_empty(), "{:?}", db.warnings);
        assert_eq!(
            db.tables.keys().collect::<Vec<_>>(),
            [
                "audit.events",
                "comments",
                "memberships",
                "organizations",
                "posts",
                "taggings",
                "users"
            ]
        );

        // Default key: `id`, a bigint in a versioned (7.0+) schema, listed first.
        let users = table(&db, "users");
        assert_eq!(users.primary_key, ["id"]);
        assert_eq!(users.line, 82);
        assert_eq!(users.columns[0].name, "id");
        assert_eq!(users.columns[0].sql_type, "bigint");
        assert!(!users.columns[0].null);
        let email = users.column("email").unwrap();
        assert_eq!(
            (email.sql_type.as_str(), email.null, email.line),
            ("string", false, 83)
        );
        assert!(users.column("name").unwrap().null);
        let lower = index(users, "index_users_on_lower_email");
        assert_eq!(
            lower.keys,
            [IndexKey::Expression("lower((email)::text)".into())]
        );
        assert!(lower.unique);
        assert_eq!(lower.first_column(), None);
        assert_eq!(lower.line, 88);
        assert_eq!(index(users, "index_users_on_email").keys, cols(&["email"]));

        // uuid key with a default lambda.
        let orgs = table(&db, "organizations");
        assert_eq!(orgs.primary_key, ["id"]);
        assert_eq!(orgs.column("id").unwrap().sql_type, "uuid");

        // Composite key: the columns are in the block, no `id` is made up.
        let memberships = table(&db, "memberships");
        assert_eq!(memberships.primary_key, ["organization_id", "user_id"]);
        assert!(!memberships.has_column("id"));

        // `id: false`: no key at all.
        let taggings = table(&db, "taggings");
        assert!(taggings.primary_key.is_empty());
        assert!(!taggings.has_column("id"));
        assert_eq!(taggings.columns.len(), 2);

        let posts = table(&db, "posts");
        let partial = index(posts, "index_posts_on_organization_id");
        assert_eq!(partial.predicate.as_deref(), Some("(deleted_at IS NULL)"));
        assert_eq!(partial.keys, cols(&["organization_id"]));
        let gin = index(posts, "index_posts_on_tags");
        assert_eq!(gin.using.as_deref(), Some("gin"));
        assert!(!gin.is_btree_like());
        // `opclass:` and `order:` do not change the key columns.
        assert_eq!(index(posts, "index_posts_on_title").keys, cols(&["title"]));
        assert_eq!(
            index(posts, "index_posts_on_author_id_and_created_at").keys,
            cols(&["author_id", "created_at"])
        );
        let unique = index(posts, "unique_post_position");
        assert_eq!(unique.origin, IndexOrigin::UniqueConstraint);
        assert!(unique.unique);
        assert_eq!(unique.keys, cols(&["organization_id", "position"]));
        assert_eq!(posts.column("status").unwrap().sql_type, "enum");
        // The check constraint is not an index.
        assert_eq!(posts.indexes.len(), 5);

        // Schema-qualified tables keep their schema.
        let events = table(&db, "audit.events");
        assert_eq!(events.name, "audit.events");
        assert_eq!(events.indexes[0].keys, cols(&["action", "created_at"]));

        // Foreign keys: `column:` as written, empty when left to Rails' naming rule.
        let fk = &table(&db, "posts").foreign_keys;
        assert_eq!(fk.len(), 2);
        assert_eq!(fk[0].to_table, "organizations");
        assert_eq!(fk[0].column, "");
        assert_eq!(fk[0].primary_key, "id");
        assert_eq!(fk[1].column, "author_id");
        assert_eq!(fk[1].name.as_deref(), Some("fk_posts_author"));
        assert_eq!(fk[1].line, 96);
    }

    #[test]
    fn rails_42_schema_with_top_level_add_index() {
        let db = read(RAILS_42);
        assert_eq!(db.schema_version, None);
        assert_eq!(db.adapter, Adapter::Mysql);
        assert!(db.warnings.is_empty(), "{:?}", db.warnings);
        let posts = table(&db, "posts");
        // Without a versioned header the key type is left to the adapter.
        assert_eq!(posts.column("id").unwrap().sql_type, "primary_key");
        let by_user = index(posts, "index_posts_on_user_id_and_published");
        assert_eq!(by_user.keys, cols(&["user_id", "published"]));
        assert_eq!(by_user.using.as_deref(), Some("btree"));
        assert!(by_user.is_btree_like());
        assert_eq!(by_user.line, 35);
        // `length:` (MySQL prefix index) still indexes the column.
        assert_eq!(index(posts, "index_posts_on_title").keys, cols(&["title"]));
        // Symbols and the default name.
        let users = table(&db, "users");
        assert_eq!(index(users, "index_users_on_name").keys, cols(&["name"]));
        assert!(index(users, "index_users_on_email").unique);
        assert!(table(&db, "schema_info").primary_key.is_empty());
        assert_eq!(table(&db, "comments").foreign_keys.len(), 2);
    }

    #[test]
    fn table_options_and_column_forms() {
        let db = read(
            r#"ActiveRecord::Schema[7.0].define(version: 2023_01_01_000000) do
  create_table "public.countries", id: :string, primary_key: "code", force: :cascade do |t|
    t.string "name"
  end

  create_table :legacy_things, id: { type: :integer, limit: 4 }, force: :cascade do |t|
    t.column "kind", :string, null: false
    t.string "a", "b"
    t.references "owner", polymorphic: true, null: false
    t.references :country, type: :string, index: { unique: true, name: "by_country" }
    t.belongs_to "group", index: false
    t.timestamps
    t.index ["kind", "a"]
    t.index "b"
    t.index "lower(a)", name: "index_lower_a"
  end

  add_index "public.countries", ["name"], unique: true
  add_index "legacy_things", "upper(b)", name: "index_upper_b"
end
"#,
        );
        assert!(db.warnings.is_empty(), "{:?}", db.warnings);
        assert_eq!(db.schema_version.as_deref(), Some("7.0"));
        assert_eq!(db.adapter, Adapter::Unknown);

        let countries = table(&db, "countries");
        assert_eq!(countries.name, "countries");
        assert_eq!(countries.primary_key, ["code"]);
        assert_eq!(countries.column("code").unwrap().sql_type, "string");
        assert!(!countries.has_column("id"));
        assert_eq!(
            index(countries, "index_countries_on_name").keys,
            cols(&["name"])
        );

        let things = table(&db, "legacy_things");
        assert_eq!(things.primary_key, ["id"]);
        assert_eq!(things.column("id").unwrap().sql_type, "integer");
        let kind = things.column("kind").unwrap();
        assert_eq!((kind.sql_type.as_str(), kind.null), ("string", false));
        assert!(things.has_column("a") && things.has_column("b"));
        let owner_id = things.column("owner_id").unwrap();
        assert_eq!(
            (owner_id.sql_type.as_str(), owner_id.null),
            ("bigint", false)
        );
        assert_eq!(things.column("owner_type").unwrap().sql_type, "string");
        assert_eq!(
            index(things, "index_legacy_things_on_owner_type_and_owner_id").keys,
            cols(&["owner_type", "owner_id"])
        );
        assert_eq!(things.column("country_id").unwrap().sql_type, "string");
        assert!(index(things, "by_country").unique);
        assert!(things.has_column("group_id"));
        assert!(!things.indexes.iter().any(|i| i.name.contains("group")));
        let created = things.column("created_at").unwrap();
        assert_eq!(
            (created.sql_type.as_str(), created.null),
            ("datetime", false)
        );
        assert!(things.has_column("updated_at"));
        assert_eq!(
            index(things, "index_legacy_things_on_kind_and_a").keys,
            cols(&["kind", "a"])
        );
        assert_eq!(index(things, "index_legacy_things_on_b").keys, cols(&["b"]));
        assert_eq!(
            index(things, "index_lower_a").keys,
            [IndexKey::Expression("lower(a)".into())]
        );
        assert_eq!(
            index(things, "index_upper_b").keys,
            [IndexKey::Expression("upper(b)".into())]
        );
    }

    #[test]
    fn mysql_hints_from_charset_and_fulltext() {
        let db = read(
            r#"ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do
  create_table "articles", charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci", force: :cascade do |t|
    t.text "body", size: :medium
    t.index ["body"], name: "index_articles_on_body", type: :fulltext
  end
end
"#,
        );
        assert_eq!(db.adapter, Adapter::Mysql);
        let ix = index(table(&db, "articles"), "index_articles_on_body");
        assert_eq!(ix.using.as_deref(), Some("fulltext"));
        assert!(!ix.is_btree_like());
    }

    #[test]
    fn statements_that_do_not_belong_are_warned_about() {
        let db = read(
            r#"ActiveRecord::Schema.define(version: 1) do
  create_table "a" do |t|
    t.string "x"
  end
  t.string "stray"
  something_custom "a"
  create_view "v", sql_definition: "SELECT 1"
end
"#,
        );
        assert_eq!(table(&db, "a").columns.len(), 2);
        let lines: Vec<u32> = db.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [5, 6], "{:?}", db.warnings);
        assert_eq!(db.views["v"].line, 7);
        assert!(!db.views["v"].materialized);
    }

    #[test]
    fn scenic_views_are_recorded() {
        let db = read(
            "ActiveRecord::Schema.define(version: 1) do\n  create_table \"a\"\n  create_view \"search_results\", materialized: true, sql_definition: <<-SQL\n      SELECT 1;\n  SQL\n  create_view :plain, sql_definition: \"SELECT 1\"\n  add_index \"search_results\", [\"a\"], name: \"i\"\nend\n",
        );
        let views: Vec<(&str, bool, u32)> = db
            .views
            .values()
            .map(|v| (v.name.as_str(), v.materialized, v.line))
            .collect();
        assert_eq!(views, [("plain", false, 6), ("search_results", true, 3)]);
    }

    #[test]
    fn merge_conflict_reads_both_sides_and_warns() {
        let db = read(
            r#"ActiveRecord::Schema[7.1].define(version: 2024_03_01_120000) do
  create_table "users", force: :cascade do |t|
    t.string "email", null: false
<<<<<<< HEAD
    t.string "name"
=======
    t.string "nickname"
>>>>>>> feature
    t.index ["email"], name: "index_users_on_email", unique: true
  end

  create_table "posts", force: :cascade do |t|
    t.bigint "user_id"
  end
end
"#,
        );
        let users = table(&db, "users");
        assert!(users.has_column("name") && users.has_column("nickname"));
        assert_eq!(users.indexes.len(), 1);
        assert!(table(&db, "posts").has_column("user_id"));
        let lines: Vec<u32> = db.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [2, 4, 6, 8], "{:?}", db.warnings);
        assert!(db.warnings[1].message.contains("merge conflict"));
    }

    #[test]
    fn truncated_file_keeps_what_parses() {
        let cut = RAILS_71.find("    t.index [\"title\"]").unwrap();
        let db = read(&RAILS_71[..cut]);
        assert_eq!(db.schema_version.as_deref(), Some("7.1"));
        // Every table before the cut is whole.
        assert_eq!(table(&db, "organizations").primary_key, ["id"]);
        assert_eq!(table(&db, "organizations").indexes.len(), 1);
        assert_eq!(table(&db, "memberships").indexes.len(), 1);
        // The table being defined at the cut keeps what came before it.
        let posts = table(&db, "posts");
        assert!(posts.has_column("updated_at"));
        assert_eq!(posts.indexes.len(), 3);
        assert!(db.table("taggings").is_none());
        let lines: Vec<u32> = db.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [58, 70], "{:?}", db.warnings);
        assert!(db.warnings[0].message.contains("`posts`"));
        assert!(db.warnings[1].message.contains("cut short"));
    }

    #[test]
    fn unclosed_block_is_pointed_at() {
        let db = read(
            r#"ActiveRecord::Schema.define(version: 1) do
  create_table "a" do |t|
    t.string "x"

  create_table "b" do |t|
    t.string "y"
  end
end
"#,
        );
        assert_eq!(table(&db, "a").columns.len(), 2);
        assert!(table(&db, "b").has_column("y"));
        assert!(db
            .warnings
            .iter()
            .any(|w| w.line == 2 && w.message.contains("not closed before line 5")));
    }

    #[test]
    fn file_cut_inside_a_table_keeps_its_columns() {
        let db = read(
            r#"ActiveRecord::Schema[7.1].define(version: 2024_03_01_120000) do
  create_table "users", id: :uuid, force: :cascade do |t|
    t.string "email", null: false
  end
  create_table :posts do |t|
    t.references "user", polymorphic: true
    t.string "ti"#,
        );
        assert_eq!(db.adapter, Adapter::Postgresql);
        let posts = table(&db, "posts");
        assert!(posts.has_column("user_id") && posts.has_column("user_type"));
        assert_eq!(posts.indexes.len(), 1);
        assert!(db.warnings.iter().any(|w| w.message.contains("`posts`")));
    }

    #[test]
    fn garbage_is_an_error_with_a_position() {
        let err = parse_schema_rb(Path::new("db/schema.rb"), "\n\nthis is ] not { ruby ))\n")
            .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.span.is_some());
        assert!(err.message.contains("not a Rails schema file"));
    }

    #[test]
    fn empty_and_non_schema_files_are_errors() {
        for src in [
            "",
            "   \n",
            "# just a comment\n",
            "puts 'hello'\nclass Foo; end\n",
        ] {
            let err = parse_schema_rb(Path::new("db/schema.rb"), src).unwrap_err();
            assert_eq!(err.line, 1, "{src:?}");
        }
    }

    #[test]
    fn binary_junk_does_not_panic() {
        let mut state = 0x2545_f491_u32;
        let bytes: Vec<u8> = (0..20_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(db) = parse_schema_rb(Path::new("db/schema.rb"), &text) {
            assert!(db.warnings.len() <= MAX_WARNINGS + 1);
        }
        // Junk in the middle of a real schema: the rest is still read.
        let mut mixed = RAILS_42.to_owned();
        let at = mixed.find("  create_table \"posts\"").unwrap();
        mixed.insert_str(at, &text[..text.len().min(2_000)].replace('\0', ""));
        let _ = parse_schema_rb(Path::new("db/schema.rb"), &mixed);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!(
            "ActiveRecord::Schema.define(version: 1) do\n  create_table \"a\" do |t|\n    t.index {}\"x\"{}, name: \"i\"\n  end\nend\n",
            "[".repeat(5_000),
            "]".repeat(5_000)
        );
        let db = read(&deep);
        assert!(db.table("a").is_some());
    }
    /// A schema in the dumper's shape with `tables` tables, a few `add_index`es and
    /// foreign keys, and now and then a statement the line reader leaves to
    /// tree-sitter.
    fn dumped_schema(tables: usize) -> String {
        let mut src = String::from(
            "# comment\n\nActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do\n  enable_extension \"plpgsql\"\n\n",
        );
        for i in 0..tables {
            src.push_str(&format!(
                "  create_table \"t{i}\", force: :cascade do |t|\n    t.bigint \"t{}_id\", null: false\n    t.string \"name\"\n    t.text \"notes\"\n    t.datetime \"created_at\", null: false\n    t.index [\"t{}_id\", \"name\"], name: \"index_t{i}_on_parent_and_name\"\n  end\n\n",
                i / 2,
                i / 2
            ));
            if i % 7 == 0 {
                src.push_str(&format!(
                    "  add_index \"t{i}\", [\"notes\"], name: \"late_{i}\"\n"
                ));
            }
            if i % 500 == 0 {
                src.push_str("  weird_statement 1\n");
            }
        }
        for i in 1..tables {
            src.push_str(&format!("  add_foreign_key \"t{i}\", \"t{}\"\n", i / 2));
        }
        src.push_str("end\n");
        src
    }

    /// A large schema read by the line reader (with a few statements it leaves to
    /// tree-sitter) reads exactly as when parsed whole: same tables, columns,
    /// indexes, keys, lines and warnings.
    #[test]
    fn a_large_schema_read_by_lines_reads_as_parsed_whole() {
        let src = dumped_schema(6000);
        assert!(src.len() > 1 << 20);
        let path = Path::new("db/schema.rb");
        let lines = parse_lines(path, &src).expect("this shape is read by lines");
        let whole = parse_whole(path, &src).unwrap();
        assert_eq!(lines.tables.len(), 6000);
        assert!(lines.tables["t7"]
            .indexes
            .iter()
            .any(|i| i.name == "late_7"));
        assert_eq!(lines.warnings.len(), 12);
        assert_eq!(lines, whole);
    }

    /// A statement that does not parse on its own: the whole file is read instead,
    /// with tree-sitter's warnings.
    #[test]
    fn a_statement_that_does_not_parse_sends_the_file_to_tree_sitter() {
        let src = dumped_schema(600).replacen(
            "  create_table \"t300\", force: :cascade do |t|\n",
            "  create_table \"t300\", force: :cascade do |t|\n    t.string(\n",
            1,
        );
        let path = Path::new("db/schema.rb");
        assert!(parse_lines(path, &src).is_none());
        let db = parse_schema_rb(path, &src).unwrap();
        assert_eq!(db, parse_whole(path, &src).unwrap());
        assert!(!db.warnings.is_empty());
    }
}
