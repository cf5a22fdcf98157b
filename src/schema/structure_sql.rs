//! Reader for `db/structure.sql`.
//!
//! Not a SQL parser: a tokenizer that knows the quoting of the dialects Rails dumps
//! (`'strings'`, `"identifiers"`, `` `identifiers` ``, `$tag$ bodies $tag$`, `--` and
//! `/* */` comments, MySQL's `DELIMITER` and psql's `\` commands), a splitter into
//! statements, and a reader for the few statement shapes that declare tables, keys
//! and indexes:
//!
//! - `CREATE TABLE name ( columns and constraints ) [PARTITION BY ...] [ENGINE=...]`,
//!   with inline `PRIMARY KEY`, `UNIQUE`, MySQL `KEY`/`UNIQUE KEY`/`FULLTEXT KEY` and
//!   `FOREIGN KEY ... REFERENCES`;
//! - `ALTER TABLE [ONLY] name ADD [CONSTRAINT c] PRIMARY KEY | UNIQUE | FOREIGN KEY`;
//! - `CREATE [UNIQUE] INDEX name ON [ONLY] table [USING method] (keys) [WHERE ...]`.
//!
//! The adapter is the engine whose fingerprints are most frequent (pg_dump's `SET`
//! lines, `public.` names and `USING btree`; MySQL's backticks, `/*!` comments and
//! `ENGINE=`; SQLite's `AUTOINCREMENT` and `sqlite_sequence`). For MySQL the index
//! InnoDB creates for a foreign key no index serves is added.
//!
//! Everything else (sequences, functions, views, triggers, `SET`, comments on
//! objects, the `schema_migrations` inserts) is read past, and so are the partitions
//! (`PARTITION OF`) and materialized views and the indexes on them. A statement that
//! starts like none of the SQL statements a dump holds becomes a
//! [`SchemaWarning`](super::SchemaWarning); so does a statement the end of the file
//! cuts short, which is still read. Only a file with no SQL statement at all is an
//! error.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use super::{
    excerpt, is_conflict_marker, table_key, Adapter, Column, Database, ForeignKey, Index, IndexKey,
    IndexOrigin, SchemaError, SchemaFormat, Table,
};

/// Reads a `db/structure.sql` (pg_dump, mysqldump or sqlite3 `.schema` output).
/// `path` is only used to name the database and in messages.
// Called once per schema file, and the error carries the file's text for its report:
// the size of the error is of no consequence.
#[allow(clippy::result_large_err)]
pub fn parse_structure_sql(path: &Path, source: &str) -> Result<Database, SchemaError> {
    let lexed = Lexer::new(source).run();
    let mut reader = Reader {
        src: source,
        db: Database::new(path, SchemaFormat::StructureSql),
        recognised: 0,
        other_relations: BTreeSet::new(),
        foreign_keys: Vec::new(),
        evidence: Evidence {
            mysql: lexed.mysql_evidence,
            postgresql: lexed.postgresql_evidence,
            sqlite: 0,
        },
        first_unknown: None,
    };
    for statement in &lexed.statements {
        reader.statement(statement);
    }
    for line in lexed.conflict_markers {
        reader.db.warn(
            line,
            "merge conflict marker: the lines of both sides were read",
        );
    }
    if reader.recognised == 0 {
        return Err(SchemaError::new(
            path,
            source,
            "not a SQL schema dump: no CREATE TABLE, ALTER TABLE or other SQL statement could be read",
            reader.first_unknown,
        ));
    }
    Ok(reader.finish())
}

// ---- tokens ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A bare word: keyword or unquoted identifier.
    Word,
    /// A `"quoted"` or `` `quoted` `` identifier.
    Quoted,
    Str,
    Num,
    Punct,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// Words, numbers and punctuation as written; identifiers and strings unquoted.
    text: String,
    start: usize,
    end: usize,
    line: u32,
}

impl Token {
    fn is_kw(&self, kw: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(kw)
    }
    fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
    fn is_name(&self) -> bool {
        matches!(self.kind, Kind::Word | Kind::Quoted)
    }
    fn upper(&self) -> String {
        match self.kind {
            Kind::Word => self.text.to_ascii_uppercase(),
            _ => String::new(),
        }
    }
}

struct Statement {
    tokens: Vec<Token>,
    /// Ended by its delimiter (not by the end of the file or a following statement).
    terminated: bool,
}

struct Lexed {
    statements: Vec<Statement>,
    /// Lines of merge conflict markers, which are skipped.
    conflict_markers: Vec<u32>,
    mysql_evidence: u32,
    postgresql_evidence: u32,
}

struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    line: u32,
    /// Byte where the current line starts.
    line_start: usize,
    /// MySQL strings take backslash escapes; standard SQL strings do not.
    backslash_escapes: bool,
    delimiter: String,
    current: Vec<Token>,
    out: Lexed,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl<'s> Lexer<'s> {
    fn new(src: &'s str) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
            backslash_escapes: src.contains('`') || src.contains("ENGINE="),
            delimiter: ";".into(),
            current: Vec::new(),
            out: Lexed {
                statements: Vec::new(),
                conflict_markers: Vec::new(),
                mysql_evidence: 0,
                postgresql_evidence: 0,
            },
        }
    }

    /// Moves to byte `to`, counting lines on the way.
    fn advance(&mut self, to: usize) {
        let to = to.min(self.bytes.len());
        for (i, &b) in self.bytes[self.pos..to].iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.pos + i + 1;
            }
        }
        self.pos = to;
    }

    fn at_line_start(&self) -> bool {
        // Backwards, so that the scan stops at the nearest token.
        self.bytes[self.line_start..self.pos]
            .iter()
            .rev()
            .all(|b| b.is_ascii_whitespace())
    }

    fn line_end(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| self.pos + i)
    }

    fn end_statement(&mut self, terminated: bool) {
        if !self.current.is_empty() {
            self.out.statements.push(Statement {
                tokens: std::mem::take(&mut self.current),
                terminated,
            });
        }
    }

    fn push(&mut self, kind: Kind, text: String, start: usize, line: u32) {
        self.current.push(Token {
            kind,
            text,
            start,
            end: self.pos,
            line,
        });
    }

    /// The end of a quoted run opened at `self.pos` by `quote`: a doubled quote is
    /// an escaped quote, and so is a backslash when `backslash` is set. An
    /// unterminated run ends with the file.
    fn quoted_end(&self, quote: u8, backslash: bool) -> usize {
        let mut i = self.pos + 1;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            if backslash && b == b'\\' {
                i += 2;
            } else if b == quote {
                if self.bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i += 1;
            }
        }
        self.bytes.len()
    }

    /// The contents of a quoted run from `start` to `end`, with doubled quotes undone.
    fn unquote(&self, start: usize, end: usize, quote: u8) -> String {
        let inner_end = if end > start + 1 && self.bytes[end - 1] == quote {
            end - 1
        } else {
            end
        };
        let q = char::from(quote).to_string();
        self.src
            .get(start + 1..inner_end)
            .unwrap_or("")
            .replace(&q.repeat(2), &q)
    }

    fn run(mut self) -> Lexed {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            let start = self.pos;
            let line = self.line;
            if b.is_ascii_whitespace() {
                self.advance(self.pos + 1);
                continue;
            }
            if self.delimiter != ";" && self.src[self.pos..].starts_with(self.delimiter.as_str()) {
                let len = self.delimiter.len();
                self.advance(self.pos + len);
                self.end_statement(true);
                continue;
            }
            // Both sides of a merge conflict are read; the marker lines are dropped.
            if matches!(b, b'<' | b'=' | b'>' | b'|')
                && self.pos == self.line_start
                && is_conflict_marker(&self.src[self.pos..])
            {
                self.out.conflict_markers.push(line);
                let end = self.line_end();
                self.advance(end);
                continue;
            }
            let next = self.bytes.get(self.pos + 1).copied();
            match b {
                // psql meta-commands (`\restrict`, `\connect`) take the rest of the line.
                b'\\' if self.at_line_start() => {
                    self.end_statement(true);
                    let end = self.line_end();
                    self.advance(end);
                }
                b'-' if next == Some(b'-') => {
                    let end = self.line_end();
                    self.advance(end);
                }
                b'/' if next == Some(b'*') => {
                    // MySQL's executable comments `/*!40101 ... */` mark a mysqldump.
                    if self.bytes.get(self.pos + 2) == Some(&b'!') {
                        self.out.mysql_evidence += 1;
                    }
                    let end = self.src[self.pos + 2..]
                        .find("*/")
                        .map_or(self.bytes.len(), |i| self.pos + 2 + i + 2);
                    self.advance(end);
                }
                b'\'' => {
                    let end = self.quoted_end(b'\'', self.backslash_escapes);
                    self.advance(end);
                    let text = self.unquote(start, end, b'\'');
                    self.push(Kind::Str, text, start, line);
                }
                b'"' | b'`' => {
                    if b == b'`' {
                        self.out.mysql_evidence += 1;
                    }
                    let end = self.quoted_end(b, false);
                    self.advance(end);
                    let text = self.unquote(start, end, b);
                    self.push(Kind::Quoted, text, start, line);
                }
                b'$' if self.dollar_tag().is_some() => {
                    let tag = self.dollar_tag().unwrap_or_default();
                    let body = self.pos + tag.len();
                    let body_end = self.src[body..]
                        .find(tag.as_str())
                        .map_or(self.bytes.len(), |i| body + i);
                    self.advance((body_end + tag.len()).min(self.bytes.len()));
                    let text = self.src[body..body_end].to_owned();
                    self.push(Kind::Str, text, start, line);
                }
                b';' if self.delimiter == ";" => {
                    self.advance(self.pos + 1);
                    self.end_statement(true);
                }
                b':' if next == Some(b':') => {
                    self.out.postgresql_evidence += 1;
                    self.advance(self.pos + 2);
                    self.push(Kind::Punct, "::".into(), start, line);
                }
                b'0'..=b'9' => {
                    let len = self.bytes[self.pos..]
                        .iter()
                        .position(|&c| !(c.is_ascii_digit() || c == b'.'))
                        .unwrap_or(self.bytes.len() - self.pos);
                    self.advance(self.pos + len);
                    let text = self.src[start..self.pos].to_owned();
                    self.push(Kind::Num, text, start, line);
                }
                _ if is_word_byte(b) => self.word(start, line),
                _ => {
                    self.advance(self.pos + 1);
                    let text = self.src.get(start..self.pos).unwrap_or("").to_owned();
                    self.push(Kind::Punct, text, start, line);
                }
            }
        }
        self.end_statement(false);
        self.out
    }

    fn word(&mut self, start: usize, line: u32) {
        let len = self.bytes[self.pos..]
            .iter()
            .position(|&c| !is_word_byte(c))
            .unwrap_or(self.bytes.len() - self.pos);
        let word = &self.src[start..start + len];
        // E'...' is a PostgreSQL string with backslash escapes.
        if word.eq_ignore_ascii_case("e") && self.bytes.get(start + len) == Some(&b'\'') {
            self.pos = start + len;
            let end = self.quoted_end(b'\'', true);
            self.advance(end);
            let text = self.unquote(start + len, end, b'\'');
            self.push(Kind::Str, text, start, line);
            return;
        }
        // mysql's client command `DELIMITER ;;` changes what ends a statement.
        if word.eq_ignore_ascii_case("delimiter") && self.at_line_start() {
            self.end_statement(true);
            self.pos = start + len;
            let end = self.line_end();
            let delimiter = self.src[self.pos..end].split_whitespace().next();
            self.delimiter = delimiter.unwrap_or(";").to_owned();
            self.advance(end);
            return;
        }
        // Dumps start every statement at the start of a line, and neither keyword can
        // be an unquoted column name: a statement still open here was never ended.
        if start == self.line_start
            && (word.eq_ignore_ascii_case("create") || word.eq_ignore_ascii_case("alter"))
        {
            self.end_statement(false);
        }
        self.advance(start + len);
        self.push(Kind::Word, word.to_owned(), start, line);
    }

    /// `$$` or `$tag$` at the current position.
    fn dollar_tag(&self) -> Option<String> {
        let rest = &self.bytes[self.pos + 1..];
        let len = rest
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))?;
        if rest[len] != b'$' || rest.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        Some(self.src[self.pos..self.pos + len + 2].to_owned())
    }
}

// ---- token helpers ----------------------------------------------------------------

fn kw(t: &[Token], i: usize, kw: &str) -> bool {
    t.get(i).is_some_and(|t| t.is_kw(kw))
}

fn punct(t: &[Token], i: usize, p: &str) -> bool {
    t.get(i).is_some_and(|t| t.is_punct(p))
}

/// A possibly qualified name at `i` (`public.users`, `"audit"."events"`) and the
/// index after it.
fn name_at(t: &[Token], i: usize) -> Option<(String, usize)> {
    let first = t.get(i).filter(|t| t.is_name())?;
    let mut name = first.text.clone();
    let mut j = i + 1;
    while punct(t, j, ".") && t.get(j + 1).is_some_and(Token::is_name) {
        name.push('.');
        name.push_str(&t[j + 1].text);
        j += 2;
    }
    Some((name, j))
}

/// The tokens inside the parenthesis that opens at `i`, and the index after its
/// closing one. An unclosed group runs to the end.
fn group(t: &[Token], i: usize) -> Option<(&[Token], usize)> {
    if !punct(t, i, "(") {
        return None;
    }
    let mut depth = 0usize;
    for (k, token) in t.iter().enumerate().skip(i) {
        if token.is_punct("(") {
            depth += 1;
        } else if token.is_punct(")") {
            depth -= 1;
            if depth == 0 {
                return Some((&t[i + 1..k], k + 1));
            }
        }
    }
    Some((&t[i + 1..], t.len()))
}

/// Splits at the commas outside parentheses, dropping empty parts.
fn split_commas(t: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut from = 0;
    for (k, token) in t.iter().enumerate() {
        if token.is_punct("(") {
            depth += 1;
        } else if token.is_punct(")") {
            depth -= 1;
        } else if token.is_punct(",") && depth <= 0 {
            parts.push(&t[from..k]);
            from = k + 1;
        }
    }
    parts.push(&t[from..]);
    parts.retain(|p| !p.is_empty());
    parts
}

/// Index of the first token at depth 0 (from `from` on) matching `pred`.
fn find_top(t: &[Token], from: usize, pred: impl Fn(&[Token], usize) -> bool) -> Option<usize> {
    let mut depth = 0i32;
    for k in from..t.len() {
        if t[k].is_punct("(") {
            depth += 1;
        } else if t[k].is_punct(")") {
            depth -= 1;
        } else if depth <= 0 && pred(t, k) {
            return Some(k);
        }
    }
    None
}

/// The plain names of a key list (`(a, b)`, `(`a`(191), `b` DESC)`): the first name
/// of each part.
fn names_of(t: &[Token]) -> Vec<String> {
    split_commas(t)
        .iter()
        .filter_map(|part| part.first().filter(|t| t.is_name()).map(|t| t.text.clone()))
        .collect()
}

/// `SET` parameters only pg_dump writes.
const POSTGRESQL_SETTINGS: &[&str] = &[
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "transaction_timeout",
    "client_encoding",
    "standard_conforming_strings",
    "check_function_bodies",
    "xmloption",
    "client_min_messages",
    "row_security",
    "default_tablespace",
    "default_table_access_method",
    "default_with_oids",
    "search_path",
];

/// First words of statements a dump holds that say nothing about tables or indexes.
const OTHER_STATEMENTS: &[&str] = &[
    "SET", "SELECT", "INSERT", "COMMENT", "DROP", "LOCK", "UNLOCK", "GRANT", "REVOKE", "USE",
    "BEGIN", "COMMIT", "START", "END", "ROLLBACK", "COPY", "PRAGMA", "REFRESH", "ANALYZE",
    "VACUUM", "DO", "RESET", "TRUNCATE", "SECURITY", "CLUSTER", "REINDEX", "CALL", "UPDATE",
    "DELETE", "WITH", "VALUES",
];

/// Keywords that end a column's type and start its constraints.
const COLUMN_CONSTRAINT_WORDS: &[&str] = &[
    "NOT",
    "NULL",
    "DEFAULT",
    "CONSTRAINT",
    "PRIMARY",
    "UNIQUE",
    "REFERENCES",
    "CHECK",
    "COLLATE",
    "GENERATED",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "COMMENT",
    "ON",
    "AS",
    "INVISIBLE",
    "VISIBLE",
    "SRID",
    "KEY",
    "STORAGE",
    "COMPRESSION",
    "CHARSET",
];

/// The most tokens one index key is examined for.
const MAX_KEY_TOKENS: usize = 256;

/// Index methods only PostgreSQL has (MySQL writes its `BTREE`/`HASH` in capitals).
const POSTGRESQL_INDEX_METHODS: &[&str] = &["btree", "hash", "gin", "gist", "brin", "spgist"];

// ---- reader -----------------------------------------------------------------------

/// How often each engine's fingerprints were seen.
struct Evidence {
    mysql: u32,
    postgresql: u32,
    sqlite: u32,
}

struct Reader<'s> {
    src: &'s str,
    db: Database,
    /// SQL statements understood (whether or not they declare anything).
    recognised: usize,
    /// Relations that are not tables here but carry indexes or constraints:
    /// partitions and materialized views. Statements on them are read past.
    other_relations: BTreeSet<String>,
    /// Every foreign key with its columns, for InnoDB's implicit indexes.
    foreign_keys: Vec<PendingForeignKey>,
    evidence: Evidence,
    first_unknown: Option<Range<usize>>,
}

struct PendingForeignKey {
    table: String,
    columns: Vec<String>,
    /// The name InnoDB gives the index it creates when no index serves the key.
    index_name: String,
    line: u32,
}

impl<'s> Reader<'s> {
    /// The text of a run of tokens as written, whitespace collapsed.
    fn text(&self, t: &[Token]) -> String {
        match (t.first(), t.last()) {
            (Some(first), Some(last)) => self
                .src
                .get(first.start..last.end)
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            _ => String::new(),
        }
    }

    fn statement(&mut self, statement: &Statement) {
        let t = &statement.tokens[..];
        let Some(first) = t.first() else { return };
        let line = first.line;
        let upper = first.upper();
        match upper.as_str() {
            "CREATE" => self.create(t),
            "ALTER" => {
                self.recognised += 1;
                if kw(t, 1, "TABLE") {
                    self.alter_table(t);
                }
            }
            "SET" => {
                self.recognised += 1;
                let setting = t.get(1).map_or("", |t| t.text.as_str());
                if POSTGRESQL_SETTINGS
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(setting))
                {
                    self.evidence.postgresql += 1;
                }
            }
            "SELECT" => {
                self.recognised += 1;
                if t.iter().any(|t| t.is_kw("pg_catalog")) {
                    self.evidence.postgresql += 1;
                }
            }
            "LOCK" => {
                self.recognised += 1;
                if kw(t, 1, "TABLES") {
                    self.evidence.mysql += 1;
                }
            }
            "PRAGMA" => {
                self.recognised += 1;
                self.evidence.sqlite += 1;
            }
            _ if OTHER_STATEMENTS.contains(&upper.as_str()) => self.recognised += 1,
            _ => {
                let end = t.last().map_or(first.end, |t| t.end);
                if self.first_unknown.is_none() {
                    self.first_unknown = Some(first.start..end);
                }
                self.db.warn(
                    line,
                    format!(
                        "statement `{}` not understood; skipped",
                        excerpt(self.src.get(first.start..end).unwrap_or(""))
                    ),
                );
                return;
            }
        }
        if !statement.terminated {
            self.db.warn(
                line,
                "statement not ended by `;` (is the file cut short?); read what it holds",
            );
        }
    }

    fn create(&mut self, t: &[Token]) {
        self.recognised += 1;
        let mut unique = false;
        let mut using = None;
        let mut materialized = false;
        for i in 1..t.len() {
            match t[i].upper().as_str() {
                "OR" | "REPLACE" | "GLOBAL" | "LOCAL" | "TEMP" | "TEMPORARY" | "UNLOGGED"
                | "FOREIGN" => {}
                "UNIQUE" => unique = true,
                "FULLTEXT" | "SPATIAL" => using = Some(t[i].text.to_ascii_lowercase()),
                "MATERIALIZED" => materialized = true,
                "TABLE" => return self.create_table(t, i + 1),
                "INDEX" => return self.create_index(t, i + 1, unique, using),
                "VIEW" => {
                    let at = if kw(t, i + 1, "IF") && kw(t, i + 2, "NOT") && kw(t, i + 3, "EXISTS")
                    {
                        i + 4
                    } else {
                        i + 1
                    };
                    if let Some((name, _)) = name_at(t, at) {
                        let key = table_key(&name);
                        if materialized {
                            self.other_relations.insert(key.clone());
                        }
                        self.db.views.insert(
                            key.clone(),
                            super::View {
                                name: key,
                                materialized,
                                line: t[0].line,
                            },
                        );
                    }
                    return;
                }
                "EXTENSION" | "SCHEMA" => {
                    self.evidence.postgresql += 1;
                    return;
                }
                // Types, functions, sequences, views, triggers, SQLite's virtual
                // (full-text) tables: nothing to read.
                _ => return,
            }
        }
    }

    /// A table name as written; notes a pg_dump `public.` qualifier.
    fn table_name(&mut self, t: &[Token], i: usize) -> Option<(String, usize)> {
        let (name, j) = name_at(t, i)?;
        if name.starts_with("public.") {
            self.evidence.postgresql += 1;
        }
        Some((table_key(&name), j))
    }

    fn create_table(&mut self, t: &[Token], mut i: usize) {
        let line = t[0].line;
        if kw(t, i, "IF") && kw(t, i + 1, "NOT") && kw(t, i + 2, "EXISTS") {
            i += 3;
        }
        let Some((key, j)) = self.table_name(t, i) else {
            self.db.warn(line, "CREATE TABLE without a name; skipped");
            return;
        };
        if key == "sqlite_sequence" {
            self.evidence.sqlite += 1;
        }
        // Partitions (`PARTITION OF parent`) and typed tables inherit their columns.
        if kw(t, j, "PARTITION") || kw(t, j, "OF") {
            self.other_relations.insert(key);
            return;
        }
        let Some((body, after)) = group(t, j) else {
            self.db.warn(
                line,
                format!("CREATE TABLE `{key}` has no column list (CREATE TABLE ... AS?); skipped"),
            );
            self.other_relations.insert(key);
            return;
        };
        if self.db.tables.contains_key(&key) {
            self.db.warn(
                line,
                format!("table `{key}` is created twice; both definitions were merged"),
            );
        } else {
            self.db.tables.insert(
                key.clone(),
                Table {
                    name: key.clone(),
                    line,
                    ..Table::default()
                },
            );
        }
        for element in split_commas(body) {
            self.table_element(&key, element);
        }
        let options = &t[after..];
        if find_top(options, 0, |t, k| {
            kw(t, k, "PARTITION") && kw(t, k + 1, "BY")
        })
        .is_some()
        {
            if let Some(table) = self.db.tables.get_mut(&key) {
                table.partitioned = true;
            }
        }
        if options.iter().any(|t| t.is_kw("ENGINE")) {
            self.evidence.mysql += 1;
        }
    }

    /// One part of a `CREATE TABLE` body: a column or a table constraint.
    fn table_element(&mut self, key: &str, el: &[Token]) {
        let first = &el[0];
        let line = first.line;
        // MySQL writes `KEY `name` (...)`; a PostgreSQL column may be called `key`
        // or `index` unquoted, but is followed by its type, not a quoted name or `(`.
        let index_shape = |at: usize| {
            punct(el, at, "(")
                || (el.get(at).is_some_and(|t| t.kind == Kind::Quoted)
                    && (punct(el, at + 1, "(") || kw(el, at + 1, "USING")))
        };
        match first.upper().as_str() {
            "CONSTRAINT" => match name_at(el, 1) {
                Some((name, j)) => self.constraint(key, Some(name), &el[j..], line),
                None => self.constraint(key, None, &el[1..], line),
            },
            "PRIMARY" | "UNIQUE" | "FOREIGN" | "CHECK" => {
                self.constraint(key, None, el, line);
            }
            "KEY" | "INDEX" if index_shape(1) => self.constraint(key, None, el, line),
            "FULLTEXT" | "SPATIAL" if kw(el, 1, "KEY") || kw(el, 1, "INDEX") || index_shape(1) => {
                self.constraint(key, None, el, line);
            }
            "EXCLUDE" if kw(el, 1, "USING") || punct(el, 1, "(") => {}
            "LIKE" => {}
            _ if first.is_name() => self.column(key, el),
            _ => self.db.warn(
                line,
                format!(
                    "`{}` in table `{key}` not understood; skipped",
                    excerpt(&self.text(el))
                ),
            ),
        }
    }

    fn column(&mut self, key: &str, el: &[Token]) {
        let name = el[0].text.clone();
        let line = el[0].line;
        let type_end = find_top(el, 1, |t, k| {
            let up = t[k].upper();
            COLUMN_CONSTRAINT_WORDS.contains(&up.as_str())
                || (up == "CHARACTER" && kw(t, k + 1, "SET"))
        })
        .unwrap_or(el.len());
        let sql_type = self.text(&el[1..type_end]);
        let rest = &el[type_end..];
        let top = |pred: &dyn Fn(&[Token], usize) -> bool| find_top(rest, 0, pred).is_some();
        let primary = top(&|t, k| kw(t, k, "PRIMARY") && kw(t, k + 1, "KEY"));
        let not_null = top(&|t, k| kw(t, k, "NOT") && kw(t, k + 1, "NULL"));
        let unique = top(&|t, k| kw(t, k, "UNIQUE"));
        if top(&|t, k| kw(t, k, "AUTO_INCREMENT")) {
            self.evidence.mysql += 1;
        }
        if top(&|t, k| kw(t, k, "AUTOINCREMENT")) {
            self.evidence.sqlite += 1;
        }
        let references = find_top(rest, 0, |t, k| kw(t, k, "REFERENCES"));
        let Some(table) = self.db.tables.get_mut(key) else {
            return;
        };
        let column = Column {
            file: None,
            name: name.clone(),
            sql_type,
            null: !(not_null || primary),
            line,
        };
        match table.columns.iter_mut().find(|c| c.name == name) {
            Some(existing) => *existing = column,
            None => table.columns.push(column),
        }
        if primary {
            table.primary_key = vec![name.clone()];
        }
        if unique {
            table.indexes.push(Index {
                file: None,
                name: format!("{}_{name}_key", unqualified(key)),
                keys: vec![IndexKey::Column(name.clone())],
                unique: true,
                predicate: None,
                using: None,
                origin: IndexOrigin::UniqueConstraint,
                line,
            });
        }
        if let Some(r) = references {
            self.references(key, None, vec![name], rest, r, None, line);
        }
    }

    /// A table constraint, `t` starting at its keyword (`PRIMARY`, `UNIQUE`, `KEY`,
    /// `FOREIGN`, ...), `name` from a preceding `CONSTRAINT name`.
    fn constraint(&mut self, key: &str, name: Option<String>, t: &[Token], line: u32) {
        let Some(first) = t.first() else { return };
        match first.upper().as_str() {
            "PRIMARY" => {
                let Some((cols, _)) = group(t, 2) else {
                    self.db.warn(
                        line,
                        format!("PRIMARY KEY of `{key}` without columns; skipped"),
                    );
                    return;
                };
                let columns = names_of(cols);
                if let Some(table) = self.db.tables.get_mut(key) {
                    for column in table.columns.iter_mut() {
                        if columns.contains(&column.name) {
                            column.null = false;
                        }
                    }
                    table.primary_key = columns;
                }
            }
            "UNIQUE" | "KEY" | "INDEX" | "FULLTEXT" | "SPATIAL" => {
                let unique = first.is_kw("UNIQUE");
                let mut using = match first.upper().as_str() {
                    "FULLTEXT" | "SPATIAL" => Some(first.text.to_ascii_lowercase()),
                    _ => None,
                };
                let mut i = 1;
                // `UNIQUE` alone is a constraint; `UNIQUE KEY` / `KEY` are indexes.
                let mut origin = if unique {
                    IndexOrigin::UniqueConstraint
                } else {
                    IndexOrigin::Index
                };
                if kw(t, i, "KEY") || kw(t, i, "INDEX") {
                    origin = IndexOrigin::Index;
                    i += 1;
                }
                if kw(t, i, "NULLS") {
                    i += if kw(t, i + 1, "NOT") { 3 } else { 2 };
                }
                let mut index_name = name;
                if !punct(t, i, "(") && !kw(t, i, "USING") {
                    if let Some((n, j)) = name_at(t, i) {
                        index_name = index_name.or(Some(n));
                        i = j;
                    }
                }
                if kw(t, i, "USING") {
                    using = t.get(i + 1).map(|m| m.text.to_ascii_lowercase());
                    i += 2;
                }
                let Some((keys, after)) = group(t, i) else {
                    self.db
                        .warn(line, format!("index on `{key}` without columns; skipped"));
                    return;
                };
                let keys: Vec<IndexKey> = split_commas(keys)
                    .iter()
                    .map(|part| self.index_key(part))
                    .collect();
                if let Some(k) = find_top(t, after, |t, k| kw(t, k, "USING")) {
                    using = t.get(k + 1).map(|m| m.text.to_ascii_lowercase());
                }
                let index_name = index_name.unwrap_or_else(|| {
                    let suffix = if unique { "key" } else { "idx" };
                    default_name(key, &keys, suffix)
                });
                if let Some(table) = self.db.tables.get_mut(key) {
                    table.indexes.push(Index {
                        file: None,
                        name: index_name,
                        keys,
                        unique,
                        predicate: None,
                        using,
                        origin,
                        line,
                    });
                }
            }
            "FOREIGN" => {
                let mut i = 2;
                let mut index_name = None;
                if let Some((n, j)) = name_at(t, i) {
                    index_name = Some(n);
                    i = j;
                }
                let Some((cols, after)) = group(t, i) else {
                    self.db.warn(
                        line,
                        format!("FOREIGN KEY of `{key}` without columns; skipped"),
                    );
                    return;
                };
                let columns = names_of(cols);
                match find_top(t, after, |t, k| kw(t, k, "REFERENCES")) {
                    Some(r) => self.references(key, name, columns, t, r, index_name, line),
                    None => self.db.warn(
                        line,
                        format!("FOREIGN KEY of `{key}` without REFERENCES; skipped"),
                    ),
                }
            }
            // CHECK and EXCLUDE constraints do not serve lookups fullscan checks.
            "CHECK" | "EXCLUDE" => {}
            _ => self.db.warn(
                line,
                format!(
                    "constraint `{}` on `{key}` not understood; skipped",
                    excerpt(&self.text(t))
                ),
            ),
        }
    }

    /// A foreign key whose `REFERENCES` keyword is at `t[r]`.
    #[allow(clippy::too_many_arguments)]
    fn references(
        &mut self,
        key: &str,
        name: Option<String>,
        columns: Vec<String>,
        t: &[Token],
        r: usize,
        index_name: Option<String>,
        line: u32,
    ) {
        let Some((to, j)) = self.table_name(t, r + 1) else {
            self.db.warn(
                line,
                format!("REFERENCES without a table in `{key}`; skipped"),
            );
            return;
        };
        let primary_key = group(t, j).map(|(cols, _)| names_of(cols).join(","));
        let Some(table) = self.db.tables.get_mut(key) else {
            return;
        };
        table.foreign_keys.push(ForeignKey {
            file: None,
            from_table: key.to_owned(),
            to_table: to,
            column: columns.join(","),
            primary_key: primary_key.unwrap_or_default(),
            name: name.clone(),
            line,
        });
        // InnoDB names the index it adds after the constraint, else after the
        // FOREIGN KEY's own index name, else after the first column.
        let index_name = name
            .or(index_name)
            .or_else(|| columns.first().cloned())
            .unwrap_or_default();
        self.foreign_keys.push(PendingForeignKey {
            table: key.to_owned(),
            columns,
            index_name,
            line,
        });
    }

    /// One key of an index: a column (with optional opclass, collation, order, or
    /// MySQL prefix length) or an expression.
    fn index_key(&self, part: &[Token]) -> IndexKey {
        // Finding the end of the key takes time quadratic in its length: a key longer
        // than any real one is taken as an expression without looking.
        if part.len() > MAX_KEY_TOKENS {
            return IndexKey::Expression(self.text(part));
        }
        let mut depth = 0i32;
        for e in 1..=part.len() {
            if part[e - 1].is_punct("(") {
                depth += 1;
            } else if part[e - 1].is_punct(")") {
                depth -= 1;
            }
            if depth == 0 && is_key_tail(&part[e..], e == 1 && part[0].is_name()) {
                let mut head = &part[..e];
                // pg_dump and MySQL wrap expressions in parentheses: `((a + b))`.
                while head.len() >= 2
                    && head[0].is_punct("(")
                    && group(head, 0).is_some_and(|(_, after)| after == head.len())
                {
                    head = &head[1..head.len() - 1];
                }
                return match head {
                    [single] if single.is_name() => IndexKey::Column(single.text.clone()),
                    _ => IndexKey::Expression(self.text(head)),
                };
            }
        }
        IndexKey::Expression(self.text(part))
    }

    fn create_index(&mut self, t: &[Token], mut i: usize, unique: bool, mut using: Option<String>) {
        let line = t[0].line;
        if kw(t, i, "CONCURRENTLY") {
            i += 1;
        }
        if kw(t, i, "IF") && kw(t, i + 1, "NOT") && kw(t, i + 2, "EXISTS") {
            i += 3;
        }
        let mut name = None;
        if !kw(t, i, "ON") && !kw(t, i, "USING") {
            if let Some((n, j)) = name_at(t, i) {
                name = Some(n);
                i = j;
            }
        }
        if kw(t, i, "USING") {
            using = t.get(i + 1).map(|m| m.text.to_ascii_lowercase());
            i += 2;
        }
        if !kw(t, i, "ON") {
            self.db.warn(line, "CREATE INDEX without ON table; skipped");
            return;
        }
        i += 1;
        if kw(t, i, "ONLY") {
            i += 1;
        }
        let Some((key, j)) = self.table_name(t, i) else {
            self.db
                .warn(line, "CREATE INDEX without a table name; skipped");
            return;
        };
        i = j;
        if kw(t, i, "USING") {
            if let Some(method) = t.get(i + 1) {
                if method.kind == Kind::Word
                    && POSTGRESQL_INDEX_METHODS.contains(&method.text.as_str())
                {
                    self.evidence.postgresql += 1;
                }
                using = Some(method.text.to_ascii_lowercase());
            }
            i += 2;
        }
        let Some((keys, after)) = group(t, i) else {
            self.db.warn(
                line,
                format!("CREATE INDEX on `{key}` without columns; skipped"),
            );
            return;
        };
        let keys: Vec<IndexKey> = split_commas(keys)
            .iter()
            .map(|part| self.index_key(part))
            .collect();
        let mut predicate = None;
        let mut k = after;
        while k < t.len() {
            if t[k].is_kw("WHERE") {
                predicate = Some(self.text(&t[k + 1..])).filter(|p| !p.is_empty());
                break;
            }
            if t[k].is_kw("USING") {
                using = t.get(k + 1).map(|m| m.text.to_ascii_lowercase());
            }
            k = match group(t, k) {
                Some((_, next)) => next,
                None => k + 1,
            };
        }
        let name = name
            .map(|n| table_key(&n))
            .unwrap_or_else(|| default_name(&key, &keys, "idx"));
        let Some(table) = self.table_for(&key, line) else {
            return;
        };
        table.indexes.push(Index {
            file: None,
            name,
            keys,
            unique,
            predicate,
            using,
            origin: IndexOrigin::Index,
            line,
        });
    }

    /// The table a statement changes; `None` (with a warning unless it is a partition
    /// or a materialized view) when this file does not create it.
    fn table_for(&mut self, key: &str, line: u32) -> Option<&mut Table> {
        if !self.db.tables.contains_key(key) {
            if !self.other_relations.contains(key) {
                self.db.warn(
                    line,
                    format!("`{key}` is not a table this file creates; statement skipped"),
                );
            }
            return None;
        }
        self.db.tables.get_mut(key)
    }

    fn alter_table(&mut self, t: &[Token]) {
        let line = t[0].line;
        let mut i = 2;
        if kw(t, i, "IF") && kw(t, i + 1, "EXISTS") {
            i += 2;
        }
        if kw(t, i, "ONLY") {
            self.evidence.postgresql += 1;
            i += 1;
        }
        let Some((key, mut j)) = self.table_name(t, i) else {
            return;
        };
        if punct(t, j, "*") {
            j += 1;
        }
        let actions = split_commas(&t[j..]);
        let adds = actions.iter().any(|a| kw(a, 0, "ADD"));
        if !adds || self.table_for(&key, line).is_none() {
            return;
        }
        for action in actions {
            if !kw(action, 0, "ADD") {
                continue;
            }
            let line = action[0].line;
            let mut k = 1;
            let mut name = None;
            if kw(action, k, "CONSTRAINT") {
                if let Some((n, next)) = name_at(action, k + 1) {
                    name = Some(n);
                    k = next;
                }
            }
            let is_constraint = action.get(k).is_some_and(|t| {
                matches!(
                    t.upper().as_str(),
                    "PRIMARY"
                        | "UNIQUE"
                        | "FOREIGN"
                        | "CHECK"
                        | "EXCLUDE"
                        | "KEY"
                        | "INDEX"
                        | "FULLTEXT"
                        | "SPATIAL"
                )
            });
            if is_constraint {
                self.constraint(&key, name, &action[k..], line);
            } else {
                if kw(action, k, "COLUMN") {
                    k += 1;
                }
                if kw(action, k, "IF") && kw(action, k + 1, "NOT") && kw(action, k + 2, "EXISTS") {
                    k += 3;
                }
                if action.get(k).is_some_and(Token::is_name) {
                    self.column(&key, &action[k..]);
                }
            }
        }
    }

    fn finish(mut self) -> Database {
        let e = &self.evidence;
        self.db.adapter = if e.postgresql == 0 && e.mysql == 0 && e.sqlite == 0 {
            Adapter::Unknown
        } else if e.postgresql >= e.mysql && e.postgresql >= e.sqlite {
            Adapter::Postgresql
        } else if e.mysql >= e.sqlite {
            Adapter::Mysql
        } else {
            Adapter::Sqlite
        };
        if self.db.adapter == Adapter::Mysql {
            self.implicit_foreign_key_indexes();
        }
        self.db.finish_warnings();
        self.db
    }

    /// InnoDB needs an index whose leading columns are a foreign key's columns, and
    /// creates one itself when the table has none (the primary key counts).
    fn implicit_foreign_key_indexes(&mut self) {
        for fk in std::mem::take(&mut self.foreign_keys) {
            let Some(table) = self.db.tables.get_mut(&fk.table) else {
                continue;
            };
            if fk.columns.is_empty() {
                continue;
            }
            let leads = |columns: &mut dyn Iterator<Item = &str>| {
                let leading: Vec<&str> = columns.take(fk.columns.len()).collect();
                leading == fk.columns
            };
            let served = leads(&mut table.primary_key.iter().map(String::as_str))
                || table
                    .indexes
                    .iter()
                    .any(|ix| ix.is_btree_like() && leads(&mut ix.leading_columns()));
            if !served {
                table.indexes.push(Index {
                    file: None,
                    name: fk.index_name,
                    keys: fk.columns.into_iter().map(IndexKey::Column).collect(),
                    unique: false,
                    predicate: None,
                    using: None,
                    origin: IndexOrigin::ImplicitForeignKey,
                    line: fk.line,
                });
            }
        }
    }
}

/// True when `tail` holds only what may follow an index column: a MySQL prefix
/// length `(191)` (right after a plain name), `ASC`/`DESC`, `NULLS FIRST|LAST`,
/// `COLLATE x`, an operator class (with optional parameters).
fn is_key_tail(tail: &[Token], after_plain_name: bool) -> bool {
    let mut i = 0;
    if after_plain_name
        && punct(tail, 0, "(")
        && tail.get(1).is_some_and(|t| t.kind == Kind::Num)
        && punct(tail, 2, ")")
    {
        i = 3;
    }
    while i < tail.len() {
        let t = &tail[i];
        if t.is_kw("ASC") || t.is_kw("DESC") {
            i += 1;
        } else if t.is_kw("NULLS") && (kw(tail, i + 1, "FIRST") || kw(tail, i + 1, "LAST")) {
            i += 2;
        } else if t.is_kw("COLLATE") {
            match name_at(tail, i + 1) {
                Some((_, j)) => i = j,
                None => return false,
            }
        } else if t.is_name() {
            // An operator class, `text_pattern_ops` or `public.gin_trgm_ops(siglen=32)`.
            let Some((_, j)) = name_at(tail, i) else {
                return false;
            };
            i = match group(tail, j) {
                Some((_, after)) => after,
                None => j,
            };
        } else {
            return false;
        }
    }
    true
}

/// A table name without its schema (`audit.events` → `events`), as PostgreSQL uses
/// in the names it makes up.
fn unqualified(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// PostgreSQL's name for an unnamed index or constraint: `<table>_<cols>_<suffix>`.
fn default_name(key: &str, keys: &[IndexKey], suffix: &str) -> String {
    let mut parts = vec![unqualified(key).to_owned()];
    for k in keys {
        parts.push(match k {
            IndexKey::Column(c) => c.clone(),
            IndexKey::Expression(_) => "expr".into(),
        });
    }
    parts.push(suffix.into());
    parts.join("_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::test_support::{cols, index, table};
    use crate::schema::MAX_WARNINGS;

    const PG14: &str = include_str!("../../tests/fixtures/schema/pg14_structure.sql");
    const MYSQL8: &str = include_str!("../../tests/fixtures/schema/mysql8_structure.sql");

    fn read(src: &str) -> Database {
        parse_structure_sql(Path::new("db/structure.sql"), src).expect("structure reads")
    }

    #[test]
    fn pg_dump_14() {
        let db = read(PG14);
        assert_eq!(db.name, "primary");
        assert_eq!(db.format, SchemaFormat::StructureSql);
        assert_eq!(db.adapter, Adapter::Postgresql);
        assert!(db.warnings.is_empty(), "{:?}", db.warnings);
        assert_eq!(
            db.tables.keys().collect::<Vec<_>>(),
            [
                "ar_internal_metadata",
                "audit.events",
                "measurements",
                "measurements_2024",
                "memberships",
                "organizations",
                "posts",
                "schema_migrations",
                "taggings",
                "users"
            ]
        );

        let users = table(&db, "users");
        assert_eq!(users.line, 235);
        assert_eq!(users.primary_key, ["id"]);
        let email = users.column("email").unwrap();
        assert_eq!(email.sql_type, "character varying");
        assert!(!email.null);
        assert_eq!(email.line, 237);
        assert!(users.column("name").unwrap().null);
        let lower = index(users, "index_users_on_lower_email");
        assert_eq!(
            lower.keys,
            [IndexKey::Expression("lower((email)::text)".into())]
        );
        assert!(lower.unique);
        assert_eq!(lower.line, 452);
        assert_eq!(index(users, "index_users_on_email").keys, cols(&["email"]));

        // Composite keys from ALTER TABLE ... PRIMARY KEY.
        assert_eq!(
            table(&db, "memberships").primary_key,
            ["organization_id", "user_id"]
        );
        assert!(table(&db, "taggings").primary_key.is_empty());

        let posts = table(&db, "posts");
        assert_eq!(
            posts.column("tags").unwrap().sql_type,
            "character varying[]"
        );
        assert_eq!(
            posts.column("status").unwrap().sql_type,
            "public.post_status"
        );
        assert!(posts.has_column("position") && posts.has_column("order"));
        let partial = index(posts, "index_posts_on_organization_id");
        assert_eq!(partial.predicate.as_deref(), Some("(deleted_at IS NULL)"));
        assert_eq!(partial.using.as_deref(), Some("btree"));
        assert_eq!(
            index(posts, "index_posts_on_tags").using.as_deref(),
            Some("gin")
        );
        // An operator class, a sort order, INCLUDE: still plain column keys.
        assert_eq!(index(posts, "index_posts_on_title").keys, cols(&["title"]));
        assert_eq!(
            index(posts, "index_posts_on_author_id_and_created_at").keys,
            cols(&["author_id", "created_at"])
        );
        assert_eq!(
            index(posts, "index_posts_on_order_include").keys,
            cols(&["order"])
        );
        let unique = index(posts, "unique_post_position");
        assert_eq!(unique.origin, IndexOrigin::UniqueConstraint);
        assert!(unique.unique);
        assert_eq!(unique.keys, cols(&["organization_id", "position"]));
        assert_eq!(unique.line, 353);
        let fk = &posts.foreign_keys[0];
        assert_eq!(
            (
                fk.to_table.as_str(),
                fk.column.as_str(),
                fk.primary_key.as_str()
            ),
            ("users", "author_id", "id")
        );
        assert_eq!(fk.name.as_deref(), Some("fk_posts_author"));
        // PostgreSQL makes no index for a foreign key.
        assert!(db
            .tables
            .values()
            .flat_map(|t| &t.indexes)
            .all(|i| i.origin != IndexOrigin::ImplicitForeignKey));

        let measurements = table(&db, "measurements");
        assert!(measurements.partitioned);
        assert_eq!(measurements.primary_key, ["id", "recorded_at"]);
        assert_eq!(measurements.indexes.len(), 1);
        assert!(!table(&db, "measurements_2024").partitioned);

        let events = table(&db, "audit.events");
        assert_eq!(events.primary_key, ["id"]);
        assert_eq!(events.indexes[0].keys, cols(&["action", "created_at"]));
        assert_eq!(
            table(&db, "ar_internal_metadata").primary_key,
            ["key"],
            "a column called `key` is a column"
        );
    }

    #[test]
    fn mysqldump_8() {
        let db = read(MYSQL8);
        assert_eq!(db.adapter, Adapter::Mysql);
        assert!(db.warnings.is_empty(), "{:?}", db.warnings);
        assert_eq!(db.tables.len(), 6);

        let posts = table(&db, "posts");
        assert_eq!(posts.line, 56);
        assert_eq!(posts.primary_key, ["id"]);
        assert_eq!(posts.column("title").unwrap().sql_type, "varchar(255)");
        assert_eq!(
            posts.column("price").unwrap().sql_type,
            "decimal(10,2) unsigned"
        );
        assert!(!posts.column("updated_at").unwrap().null);
        let slug = index(posts, "index_posts_on_slug");
        assert!(slug.unique);
        assert_eq!(slug.origin, IndexOrigin::Index);
        assert_eq!(slug.line, 67);
        // A prefix length still indexes the column.
        assert_eq!(index(posts, "index_posts_on_title").keys, cols(&["title"]));
        assert_eq!(
            index(posts, "index_posts_on_user_id_and_published_at").keys,
            cols(&["user_id", "published_at"])
        );
        assert_eq!(
            index(posts, "index_posts_on_lower_title").keys,
            [IndexKey::Expression("lower(`title`)".into())]
        );

        let comments = table(&db, "comments");
        let fulltext = index(comments, "index_comments_on_body");
        assert_eq!(fulltext.using.as_deref(), Some("fulltext"));
        assert!(!fulltext.is_btree_like());
        assert_eq!(comments.foreign_keys.len(), 2);
        // Every foreign key here has an index leading with its column (or the
        // primary key does): InnoDB adds none.
        assert!(db
            .tables
            .values()
            .flat_map(|t| &t.indexes)
            .all(|i| i.origin != IndexOrigin::ImplicitForeignKey));

        let memberships = table(&db, "memberships");
        assert_eq!(memberships.primary_key, ["organization_id", "user_id"]);
        assert_eq!(
            memberships.column("role").unwrap().sql_type,
            "enum('member','admin','owner')"
        );
        // The string with an escaped quote and a semicolon does not end the statement.
        assert_eq!(table(&db, "users").columns.len(), 6);
    }

    #[test]
    fn innodb_implicit_foreign_key_indexes() {
        let db = read(
            "CREATE TABLE `accounts` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
CREATE TABLE `invoices` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `account_id` bigint NOT NULL,
  `payer_id` bigint NOT NULL,
  `approver_id` bigint DEFAULT NULL,
  `issuer_id` bigint DEFAULT NULL,
  `body` text,
  PRIMARY KEY (`id`),
  KEY `index_invoices_on_payer_id_and_approver_id` (`payer_id`,`approver_id`),
  FULLTEXT KEY `index_invoices_on_body` (`body`),
  CONSTRAINT `fk_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`),
  CONSTRAINT `fk_payer` FOREIGN KEY (`payer_id`) REFERENCES `accounts` (`id`),
  CONSTRAINT `fk_approver` FOREIGN KEY (`approver_id`) REFERENCES `accounts` (`id`),
  FOREIGN KEY (`issuer_id`) REFERENCES `accounts` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE `line_items` (
  `invoice_id` bigint NOT NULL,
  `position` int NOT NULL,
  PRIMARY KEY (`invoice_id`,`position`),
  CONSTRAINT `fk_invoice` FOREIGN KEY (`invoice_id`) REFERENCES `invoices` (`id`)
) ENGINE=InnoDB;
",
        );
        assert_eq!(db.adapter, Adapter::Mysql);
        let invoices = table(&db, "invoices");
        let implicit: Vec<(&str, Vec<IndexKey>)> = invoices
            .indexes
            .iter()
            .filter(|i| i.origin == IndexOrigin::ImplicitForeignKey)
            .map(|i| (i.name.as_str(), i.keys.clone()))
            .collect();
        // `payer_id` leads an index: none for it. `approver_id` is only second.
        assert_eq!(
            implicit,
            [
                ("fk_account", cols(&["account_id"])),
                ("fk_approver", cols(&["approver_id"])),
                ("issuer_id", cols(&["issuer_id"])),
            ]
        );
        // The primary key leads with `invoice_id`.
        assert!(table(&db, "line_items").indexes.is_empty());
    }

    #[test]
    fn implicit_indexes_only_for_mysql() {
        let db = read(
            "CREATE TABLE public.a (id bigint NOT NULL);
CREATE TABLE public.b (id bigint NOT NULL, a_id bigint);
ALTER TABLE ONLY public.b
    ADD CONSTRAINT fk_a FOREIGN KEY (a_id) REFERENCES public.a(id);
",
        );
        assert_eq!(db.adapter, Adapter::Postgresql);
        assert!(table(&db, "b").indexes.is_empty());
        assert_eq!(table(&db, "b").foreign_keys[0].column, "a_id");
    }

    #[test]
    fn inline_constraints_and_unnamed_indexes() {
        let db = read(
            r#"CREATE TABLE IF NOT EXISTS public.widgets (
    id bigint PRIMARY KEY,
    code text UNIQUE NOT NULL,
    "Maker" bigint REFERENCES public.makers (id) ON DELETE SET NULL,
    key text,
    index integer,
    size numeric(4,1) DEFAULT 1.0,
    CONSTRAINT widgets_code_size UNIQUE NULLS NOT DISTINCT (code, size),
    CONSTRAINT positive CHECK (size > 0)
);
CREATE INDEX ON public.widgets (size);
CREATE INDEX CONCURRENTLY IF NOT EXISTS widgets_expr ON ONLY public.widgets USING btree (((key || 'x'::text)), size DESC NULLS LAST);
CREATE INDEX widgets_trgm ON public.widgets USING gist (key public.gist_trgm_ops(siglen='32'));
CREATE INDEX widgets_c ON public.widgets USING btree (key COLLATE "C" text_pattern_ops);
"#,
        );
        let widgets = table(&db, "widgets");
        assert_eq!(widgets.primary_key, ["id"]);
        assert!(!widgets.column("id").unwrap().null);
        assert!(!widgets.column("code").unwrap().null);
        assert_eq!(widgets.column("key").unwrap().sql_type, "text");
        assert_eq!(widgets.column("index").unwrap().sql_type, "integer");
        assert_eq!(widgets.column("size").unwrap().sql_type, "numeric(4,1)");
        let code_key = index(widgets, "widgets_code_key");
        assert_eq!(code_key.origin, IndexOrigin::UniqueConstraint);
        assert_eq!(code_key.keys, cols(&["code"]));
        assert_eq!(
            index(widgets, "widgets_code_size").keys,
            cols(&["code", "size"])
        );
        assert_eq!(index(widgets, "widgets_size_idx").keys, cols(&["size"]));
        assert_eq!(
            index(widgets, "widgets_expr").keys,
            [
                IndexKey::Expression("key || 'x'::text".into()),
                IndexKey::Column("size".into())
            ]
        );
        assert_eq!(index(widgets, "widgets_trgm").keys, cols(&["key"]));
        assert_eq!(index(widgets, "widgets_c").keys, cols(&["key"]));
        let fk = &widgets.foreign_keys[0];
        assert_eq!(
            (
                fk.column.as_str(),
                fk.to_table.as_str(),
                fk.primary_key.as_str()
            ),
            ("Maker", "makers", "id")
        );
        assert_eq!(widgets.indexes.len(), 6);
    }

    #[test]
    fn sqlite_dump() {
        let db = read(
            r#"CREATE TABLE IF NOT EXISTS "schema_migrations" ("version" varchar NOT NULL PRIMARY KEY);
CREATE TABLE IF NOT EXISTS "ar_internal_metadata" ("key" varchar NOT NULL PRIMARY KEY, "value" varchar, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);
CREATE TABLE IF NOT EXISTS "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "email" varchar DEFAULT '' NOT NULL, "deleted_at" datetime(6));
CREATE TABLE sqlite_sequence(name,seq);
CREATE UNIQUE INDEX "index_users_on_email" ON "users" ("email") WHERE deleted_at IS NULL;
INSERT INTO "schema_migrations" (version) VALUES
('20240101000000');
"#,
        );
        assert_eq!(db.adapter, Adapter::Sqlite);
        let users = table(&db, "users");
        assert_eq!(users.primary_key, ["id"]);
        assert_eq!(users.column("id").unwrap().sql_type, "integer");
        let ix = index(users, "index_users_on_email");
        assert!(ix.unique && ix.using.is_none());
        assert_eq!(ix.predicate.as_deref(), Some("deleted_at IS NULL"));
        assert_eq!(
            table(&db, "sqlite_sequence")
                .column("seq")
                .unwrap()
                .sql_type,
            ""
        );
    }

    #[test]
    fn comments_strings_and_bodies_hide_semicolons() {
        let db = read(
            "-- a comment; CREATE TABLE nope (x int);
/* block; comment
   CREATE TABLE nope2 (y int); */
CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  RAISE 'x; y';
  EXECUTE $$CREATE TABLE nope3 (z int);$$;
END;
$body$;
COMMENT ON TABLE public.t IS 'it''s; fine';
COMMENT ON COLUMN public.t.a IS E'escaped \\'; quote';
CREATE TABLE public.t (
    a text DEFAULT 'x;y' NOT NULL, -- trailing; comment
    \"b;c\" integer
);
CREATE INDEX t_a ON public.t USING btree (a);
",
        );
        assert!(db.warnings.is_empty(), "{:?}", db.warnings);
        assert_eq!(db.tables.keys().collect::<Vec<_>>(), ["t"]);
        let t = table(&db, "t");
        assert_eq!(t.line, 12);
        assert_eq!(
            t.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["a", "b;c"]
        );
        assert_eq!(t.column("b;c").unwrap().line, 14);
        assert_eq!(t.indexes[0].line, 16);
    }

    #[test]
    fn unterminated_statements_and_unknown_ones_are_warned_about() {
        let db = read(
            "CREATE TABLE public.a (
    id bigint NOT NULL,
    name text
CREATE TABLE public.b (
    id bigint NOT NULL
);
FROBNICATE everything;
CREATE INDEX b_id ON public.b USING btree (id);
CREATE INDEX nope ON public.missing USING btree (id);
CREATE TABLE public.c (
    id bigint NOT NULL,
    title character var",
        );
        assert_eq!(table(&db, "a").columns.len(), 2);
        assert_eq!(table(&db, "b").indexes.len(), 1);
        let c = table(&db, "c");
        assert_eq!(c.columns.len(), 2);
        assert_eq!(c.column("title").unwrap().sql_type, "character var");
        let lines: Vec<u32> = db.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [1, 7, 9, 10], "{:?}", db.warnings);
    }

    #[test]
    fn merge_conflict_reads_both_sides() {
        let db = read(
            "CREATE TABLE public.users (
    id bigint NOT NULL,
<<<<<<< HEAD
    name text,
=======
    nickname text,
>>>>>>> feature
    email text NOT NULL
);
<<<<<<< HEAD
CREATE INDEX index_users_on_name ON public.users USING btree (name);
=======
CREATE INDEX index_users_on_nickname ON public.users USING btree (nickname);
>>>>>>> feature
",
        );
        let users = table(&db, "users");
        assert_eq!(
            users
                .columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["id", "name", "nickname", "email"]
        );
        assert_eq!(users.indexes.len(), 2);
        let lines: Vec<u32> = db.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [3, 5, 7, 10, 12, 14], "{:?}", db.warnings);
    }

    #[test]
    fn partition_children_are_read_past() {
        let db = read(
            "CREATE TABLE public.events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY public.events_2024 ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, at);
CREATE INDEX events_2024_at_idx ON public.events_2024 USING btree (at);
CREATE MATERIALIZED VIEW public.daily AS SELECT 1 AS n WITH NO DATA;
CREATE UNIQUE INDEX daily_n ON public.daily USING btree (n);
",
        );
        assert!(db.warnings.is_empty(), "{:?}", db.warnings);
        assert_eq!(db.tables.keys().collect::<Vec<_>>(), ["events"]);
        assert!(table(&db, "events").partitioned);
        let daily = &db.views["daily"];
        assert!(daily.materialized);
        assert_eq!((daily.name.as_str(), daily.line), ("daily", 5));
    }

    #[test]
    fn views_are_recorded_by_name() {
        let db = read(
            "CREATE TABLE public.users (id bigint NOT NULL);\n\nCREATE VIEW public.post_events AS\n SELECT 1 AS id;\nCREATE OR REPLACE VIEW audit.recent AS SELECT 1;\nCREATE VIEW IF NOT EXISTS `v` AS SELECT 1;\n",
        );
        let views: Vec<(&str, bool, u32)> = db
            .views
            .values()
            .map(|v| (v.name.as_str(), v.materialized, v.line))
            .collect();
        assert_eq!(
            views,
            [
                ("audit.recent", false, 5),
                ("post_events", false, 3),
                ("v", false, 6)
            ]
        );
        assert!(!db.tables.contains_key("post_events"));
    }

    #[test]
    fn garbage_and_empty_files_are_errors() {
        for src in [
            "",
            "\n\n",
            "-- only a comment\n",
            "hello world, this is prose.",
        ] {
            let err = parse_structure_sql(Path::new("db/structure.sql"), src).unwrap_err();
            assert!(err.message.contains("not a SQL schema dump"), "{src:?}");
        }
        let err =
            parse_structure_sql(Path::new("db/structure.sql"), "\n\nfoo bar;\nbaz;\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.span.is_some());
    }

    #[test]
    fn binary_junk_does_not_panic() {
        let mut state = 0x9e37_79b9_u32;
        let bytes: Vec<u8> = (0..50_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(db) = parse_structure_sql(Path::new("db/structure.sql"), &text) {
            assert!(db.warnings.len() <= MAX_WARNINGS + 1);
        }
        // Unclosed quotes of every kind.
        for src in [
            "CREATE TABLE t (a '",
            "CREATE TABLE t (\"a",
            "CREATE TABLE `t",
            "SELECT $x$ ",
            "/* x",
            "E'\\",
        ] {
            let _ = parse_structure_sql(Path::new("db/structure.sql"), src);
        }
    }
}
