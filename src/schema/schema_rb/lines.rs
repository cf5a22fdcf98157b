//! A line-oriented reader for the schema.rb that Rails' schema dumper writes.
//!
//! The dumper writes a small, regular subset of Ruby: an
//! `ActiveRecord::Schema[x.y].define(version: ...) do` header, one statement per
//! line (`create_table ... do |t|` blocks of `t.<method> ...` lines closed by `end`,
//! `add_index`, `add_foreign_key`, `enable_extension`, ...), whose arguments are
//! literals (strings, symbols, numbers, `true` / `false` / `nil`, arrays, hashes,
//! `key: value` options and `-> { "sql" }` defaults), and a final `end`. This
//! module reads that subset straight from the text, without building a syntax
//! tree, into the [`Call`]s the tree-sitter path would build from the same text.
//!
//! The reader is strict: a statement with anything else in it (a heredoc, an
//! interpolated string, a method call in an argument, a `{ ... }` block, a
//! modifier `if`, a constant, ...) is not read here but handed back as a range of
//! lines, which the caller parses with tree-sitter. [`Layout::of`] refuses a file
//! whose overall shape is not the dumper's (no header or final `end`, a merge
//! conflict marker, an `=begin` block, `__END__`, a NUL byte), and
//! [`Pieces`] gives up (the whole file is then parsed with tree-sitter) when the
//! end of a statement it cannot read cannot be told.
//!
//! Nothing here recurses more than [`MAX_NESTING`] levels, and text is only ever
//! sliced at ASCII delimiters, so no input can make it panic.

use std::ops::Range;

use super::{Block, Call, IGNORED_STATEMENTS, POSTGRESQL_STATEMENTS};
use crate::ruby::{self, Literal};
use crate::schema::is_conflict_marker;

/// Arrays and hashes nested deeper than this are not read here (tree-sitter reads
/// the statement). It keeps the value parser's recursion shallow, and keeps every
/// value well below the depth at which the tree-sitter path stops evaluating
/// literals.
pub(super) const MAX_NESTING: usize = 8;

/// Statements without receiver that the line reader reads; any other goes to
/// tree-sitter (which warns about it as not understood).
fn is_top_level_method(method: &str) -> bool {
    matches!(method, "create_table" | "add_index" | "add_foreign_key")
        || POSTGRESQL_STATEMENTS.contains(&method)
        || IGNORED_STATEMENTS.contains(&method)
}

/// Keywords that continue the block around them (`rescue` in a `do ... end`, ...):
/// at the top of the schema's block they would make the statements after them
/// part of a clause, so a statement starting with one is never read on its own.
const CLAUSES: &[&[u8]] = &[
    b"else", b"elsif", b"ensure", b"in", b"rescue", b"then", b"when",
];

/// Keywords that open a block closed by `end` when they start a line.
const OPENERS: &[&[u8]] = &[
    b"begin", b"case", b"class", b"def", b"for", b"if", b"module", b"unless", b"until", b"while",
];

// ---------------------------------------------------------------------------- layout

/// The lines of a schema.rb in the dumper's shape: comments and blank lines, the
/// header line, the statements, and a final `end` at the margin followed only by
/// comments and blank lines.
pub(super) struct Layout<'s> {
    src: &'s str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
    /// The `ActiveRecord::Schema...define... do` line.
    header: usize,
    /// The final `end` line.
    footer: usize,
}

impl<'s> Layout<'s> {
    /// The layout of `src`, or `None` when the file is not in the dumper's shape.
    pub(super) fn of(src: &'s str) -> Option<Layout<'s>> {
        if src.as_bytes().contains(&0) {
            return None;
        }
        let starts: Vec<usize> = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < src.len())
            .collect();
        let mut layout = Layout {
            src,
            starts,
            header: 0,
            footer: 0,
        };
        let lines = layout.starts.len();
        for i in 0..lines {
            let text = layout.line(i).as_bytes();
            if text.starts_with(b"=begin")
                || text.starts_with(b"__END__")
                || is_conflict_marker(layout.line(i))
            {
                return None;
            }
        }
        layout.header = (0..lines).find(|&i| !layout.is_blank_or_comment(i))?;
        if !is_header(layout.line(layout.header)) {
            return None;
        }
        layout.footer = (layout.header + 1..lines)
            .rev()
            .find(|&i| !layout.is_blank_or_comment(i))?;
        if strip_cr(layout.line(layout.footer)).trim_end_matches([' ', '\t']) != "end" {
            return None;
        }
        Some(layout)
    }

    /// The text of line `i`, without its `\n`.
    fn line(&self, i: usize) -> &'s str {
        let (Some(&start), end) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return "";
        };
        let text = match end {
            Some(&next) => self.src.get(start..next - 1),
            None => self.src.get(start..),
        };
        let text = text.unwrap_or("");
        text.strip_suffix('\n').unwrap_or(text)
    }

    /// Byte offset of the start of line `i` (the end of the text for the line past
    /// the last).
    fn start(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(self.src.len())
    }

    /// A blank line or a line holding only a comment.
    fn is_blank_or_comment(&self, i: usize) -> bool {
        let text = strip_cr(self.line(i)).trim_start_matches([' ', '\t']);
        // A `\r` inside a comment is not reliably part of it: such a line is left
        // to tree-sitter.
        text.is_empty() || (text.starts_with('#') && !text.contains('\r'))
    }

    /// The position of the start of line `i` (or of the end of the text).
    fn point(&self, i: usize) -> tree_sitter::Point {
        if i < self.starts.len() || self.src.ends_with('\n') || self.starts.is_empty() {
            return tree_sitter::Point { row: i, column: 0 };
        }
        // The end of a text whose last line has no `\n`.
        let last = self.starts.len() - 1;
        tree_sitter::Point {
            row: last,
            column: self.src.len() - self.start(last),
        }
    }

    /// Lines `lines` as a tree-sitter range of the whole text.
    pub(super) fn range(&self, lines: Range<usize>) -> tree_sitter::Range {
        tree_sitter::Range {
            start_byte: self.start(lines.start),
            end_byte: self.start(lines.end),
            start_point: self.point(lines.start),
            end_point: self.point(lines.end),
        }
    }

    /// The header line.
    pub(super) fn head(&self) -> tree_sitter::Range {
        self.range(self.header..self.header + 1)
    }

    /// The final `end` and what follows it.
    pub(super) fn tail(&self) -> tree_sitter::Range {
        self.range(self.footer..self.starts.len())
    }

    /// The size in bytes of lines `lines`.
    pub(super) fn bytes(&self, lines: Range<usize>) -> usize {
        self.start(lines.end)
            .saturating_sub(self.start(lines.start))
    }

    /// The statements between the header and the final `end`, in order.
    pub(super) fn pieces(&self) -> Pieces<'_, 's> {
        Pieces {
            layout: self,
            line: self.header + 1,
        }
    }

    /// The line after the end of the statement that starts on line `from`: the
    /// first line end at which every bracket, `do ... end` block, string and
    /// heredoc opened since `from` is closed and the line does not continue on the
    /// next. `None` when that cannot be told (the statement runs into the final
    /// `end`, or holds Ruby this scan does not follow: a string or `#{}` over
    /// several lines, a `%` literal, a regular expression, a global variable).
    ///
    /// Ending a statement too late only puts more lines in one tree-sitter piece;
    /// ending it too early leaves a piece that does not parse on its own, which
    /// sends the whole file to tree-sitter.
    pub(super) fn statement_end(&self, from: usize) -> Option<usize> {
        let mut depth = 0i64;
        let mut heredocs: Vec<Heredoc> = Vec::new();
        let mut continues = false;
        let mut line = from;
        while line < self.footer {
            let text = self.line(line);
            line += 1;
            if let Some(heredoc) = heredocs.first() {
                if heredoc.ends_at(text) {
                    heredocs.remove(0);
                }
            } else {
                // A line without code (blank, or only a comment) does not end a
                // statement that goes on.
                if let Some(goes_on) = lex_line(text.as_bytes(), &mut depth, &mut heredocs)? {
                    continues = goes_on;
                }
                if depth < 0 {
                    return None;
                }
            }
            if depth == 0 && heredocs.is_empty() && !continues {
                return Some(line);
            }
        }
        None
    }
}

fn strip_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

/// `ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do`, the older
/// `ActiveRecord::Schema.define(version: ...)` / `(:version => ...)`, or `.define do`,
/// with an optional comment after `do`.
fn is_header(line: &str) -> bool {
    let mut c = Cursor::new(line, 0);
    c.spaces();
    c.eat_str("::");
    if !c.eat_str("ActiveRecord::Schema") {
        return false;
    }
    if c.eat(b'[') && (c.digits() == 0 || !c.eat(b'.') || c.digits() == 0 || !c.eat(b']')) {
        return false;
    }
    if !c.eat_str(".define") {
        return false;
    }
    if c.eat(b'(') {
        let key = if c.eat_str("version:") {
            c.spaces() > 0
        } else if c.eat_str(":version") {
            c.spaces() > 0 && c.eat_str("=>") && c.spaces() > 0
        } else {
            false
        };
        if !key || c.number_text().is_none() || !c.eat(b')') {
            return false;
        }
    }
    if c.spaces() == 0 || !c.eat_str("do") {
        return false;
    }
    let spaces = c.spaces();
    let rest = strip_cr(c.rest_str());
    rest.is_empty() || (spaces > 0 && rest.starts_with('#') && !rest.contains('\r'))
}

// ---------------------------------------------------------------------------- pieces

/// One statement of the body (or a run of them).
pub(super) enum Piece<'s> {
    /// A statement read from its text: one call, or a `create_table` followed by
    /// the calls of its block.
    Calls(Vec<Call<'s>>),
    /// Lines holding a statement the line reader does not read: tree-sitter's.
    Ruby(Range<usize>),
}

/// The end of a statement could not be told: the file is parsed whole.
#[derive(Debug)]
pub(super) struct Unreadable;

/// The statements of the body, in order (see [`Layout::pieces`]).
pub(super) struct Pieces<'l, 's> {
    layout: &'l Layout<'s>,
    /// The next line to read.
    line: usize,
}

impl<'s> Iterator for Pieces<'_, 's> {
    type Item = Result<Piece<'s>, Unreadable>;

    fn next(&mut self) -> Option<Self::Item> {
        let layout = self.layout;
        while self.line < layout.footer && layout.is_blank_or_comment(self.line) {
            self.line += 1;
        }
        if self.line >= layout.footer {
            return None;
        }
        let from = self.line;
        if let Some((calls, next)) = Statement::new(layout, from).read() {
            self.line = next;
            return Some(Ok(Piece::Calls(calls)));
        }
        match layout.statement_end(from) {
            Some(to) => {
                self.line = to;
                Some(Ok(Piece::Ruby(from..to)))
            }
            None => {
                self.line = layout.footer;
                Some(Err(Unreadable))
            }
        }
    }
}

// ---------------------------------------------------------------------------- cursor

/// A position in the text, with the line it is on.
struct Cursor<'s> {
    src: &'s str,
    pos: usize,
    /// 0-based line of `pos` (counted from the line the cursor started on).
    line: usize,
}

impl<'s> Cursor<'s> {
    fn new(src: &'s str, pos: usize) -> Cursor<'s> {
        Cursor { src, pos, line: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + ahead).copied()
    }

    fn rest(&self) -> &'s [u8] {
        self.src.as_bytes().get(self.pos..).unwrap_or(&[])
    }

    fn rest_str(&self) -> &'s str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s.as_bytes()) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Skips spaces and tabs; how many.
    fn spaces(&mut self) -> usize {
        let n = self
            .rest()
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        self.pos += n;
        n
    }

    /// A `\n` or `\r\n`.
    fn newline(&mut self) -> bool {
        if self.eat_str("\r\n") || self.eat(b'\n') {
            self.line += 1;
            true
        } else {
            false
        }
    }

    /// Spaces, tabs and line breaks (where Ruby lets an expression go on: inside
    /// brackets and after a comma). Comments are not skipped.
    fn gap(&mut self) {
        self.spaces();
        while self.newline() {
            self.spaces();
        }
    }

    /// The end of a line: spaces, an optional comment after at least one space,
    /// and the line break.
    fn line_end(&mut self) -> bool {
        let spaces = self.spaces();
        if self.peek() == Some(b'#') {
            if spaces == 0 {
                return false;
            }
            let comment = self.rest();
            let len = comment
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(comment.len());
            let comment = &comment[..len];
            let comment = comment.strip_suffix(b"\r").unwrap_or(comment);
            if comment.contains(&b'\r') {
                return false;
            }
            self.pos += comment.len();
        }
        self.newline()
    }

    /// Decimal digits; how many.
    fn digits(&mut self) -> usize {
        let n = self
            .rest()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        self.pos += n;
        n
    }

    /// `123`, `1_000` (no leading zero before another digit: that is octal).
    fn digit_groups(&mut self) -> bool {
        if self.peek() == Some(b'0') && matches!(self.peek_at(1), Some(b'0'..=b'9' | b'_')) {
            return false;
        }
        self.digit_run()
    }

    /// Digits with single `_` between them, leading zeros allowed (a fraction, an
    /// exponent).
    fn digit_run(&mut self) -> bool {
        if self.digits() == 0 {
            return false;
        }
        while self.peek() == Some(b'_') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
            self.digits();
        }
        true
    }

    /// An unsigned integer or float (`1_000`, `0.5`, `1.0e+20`); its text and
    /// whether it is a float.
    fn number_text(&mut self) -> Option<(&'s str, bool)> {
        let start = self.pos;
        if !self.digit_groups() {
            return None;
        }
        let mut float = false;
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
            if !self.digit_run() {
                return None;
            }
            float = true;
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.pos += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                if !self.digit_run() {
                    return None;
                }
            }
        }
        Some((self.src.get(start..self.pos)?, float))
    }

    /// A lowercase identifier (`create_table`, `t`, `null`): ASCII letters, digits
    /// and `_`, not starting with an uppercase letter or a digit.
    fn identifier(&mut self) -> Option<&'s str> {
        let rest = self.rest();
        if !rest
            .first()
            .is_some_and(|&b| b.is_ascii_lowercase() || b == b'_')
        {
            return None;
        }
        let n = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        let word = self.src.get(self.pos..self.pos + n)?;
        self.pos += n;
        Some(word)
    }

    /// `key:` followed by a space: the key. The cursor is left where it was when
    /// there is no label.
    fn label(&mut self) -> Option<String> {
        let save = self.pos;
        if let Some(key) = self.identifier() {
            if self.peek() == Some(b':')
                && matches!(self.peek_at(1), Some(b' ' | b'\t'))
                && !ruby::KEYWORDS.contains(&key)
            {
                self.pos += 1;
                return Some(key.to_owned());
            }
        }
        self.pos = save;
        None
    }
}

// ---------------------------------------------------------------------------- statements

/// Reads one statement (with its block) from its first line.
struct Statement<'l, 's> {
    layout: &'l Layout<'s>,
    c: Cursor<'s>,
    /// 0-based line the statement starts on.
    first: usize,
}

impl<'l, 's> Statement<'l, 's> {
    fn new(layout: &'l Layout<'s>, first: usize) -> Statement<'l, 's> {
        // The cursor sees the text up to the final `end` only: no statement can
        // run into it.
        let body = layout.src.get(..layout.start(layout.footer)).unwrap_or("");
        Statement {
            layout,
            c: Cursor::new(body, layout.start(first)),
            first,
        }
    }

    /// The 0-based line the cursor is on.
    fn line(&self) -> usize {
        self.first + self.c.line
    }

    /// The statement's calls and the line after it, or `None` when the statement is
    /// not in the subset read here.
    fn read(mut self) -> Option<(Vec<Call<'s>>, usize)> {
        self.c.spaces();
        let start = self.c.pos;
        let line = self.line();
        let method = self.c.identifier()?;
        if !is_top_level_method(method) {
            return None;
        }
        let mut call = self.arguments(start, line, None, method)?;
        let mut calls = Vec::new();
        let save = self.c.pos;
        let spaces = self.c.spaces();
        if spaces > 0 && self.c.eat_str("do") {
            if method != "create_table" {
                return None;
            }
            let param = self.block_parameter()?;
            let mut body = Vec::new();
            let end = self.block_body(&mut body)?;
            call.text = self.c.src.get(start..end)?;
            call.block = Some(Block { param, end });
            calls.push(call);
            calls.extend(body);
        } else {
            self.c.pos = save;
            // A bare word is a variable or a call to tree-sitter, depending on
            // what came before: left to it.
            let bare = call.positional.is_empty() && call.options == Literal::Hash(Vec::new());
            if bare || !self.c.line_end() {
                return None;
            }
            calls.push(call);
        }
        Some((calls, self.line()))
    }

    /// After `do`: ` |t|` (or nothing) and the end of the line.
    fn block_parameter(&mut self) -> Option<Option<String>> {
        let save = self.c.pos;
        let spaces = self.c.spaces();
        let param = if spaces > 0 && self.c.eat(b'|') {
            self.c.spaces();
            let name = self.c.identifier()?;
            if ruby::KEYWORDS.contains(&name) {
                return None;
            }
            self.c.spaces();
            if !self.c.eat(b'|') {
                return None;
            }
            Some(name.to_owned())
        } else {
            self.c.pos = save;
            None
        };
        self.c.line_end().then_some(param)
    }

    /// The lines of a `create_table` block up to its `end`: each a `t.<method> ...`
    /// call, a comment or a blank line. The byte after the `end`.
    fn block_body(&mut self, calls: &mut Vec<Call<'s>>) -> Option<usize> {
        loop {
            let line = self.line();
            if line >= self.layout.footer {
                return None;
            }
            if self.layout.is_blank_or_comment(line) {
                self.c.pos = self.layout.start(line + 1);
                self.c.line += 1;
                continue;
            }
            self.c.spaces();
            let start = self.c.pos;
            let receiver = self.c.identifier()?;
            if receiver == "end" {
                let end = self.c.pos;
                return self.c.line_end().then_some(end);
            }
            if ruby::KEYWORDS.contains(&receiver) || !self.c.eat(b'.') {
                return None;
            }
            let method = self.c.identifier()?;
            if ruby::KEYWORDS.contains(&method) {
                return None;
            }
            let call = self.arguments(start, line, Some(receiver), method)?;
            if !self.c.line_end() {
                return None;
            }
            calls.push(call);
        }
    }

    /// The arguments after a method name, up to (not including) the end of the line
    /// or a `do`: positional literals, then `key: value` / `"key" => value` options.
    fn arguments(
        &mut self,
        start: usize,
        line: usize,
        receiver: Option<&'s str>,
        method: &'s str,
    ) -> Option<Call<'s>> {
        let mut positional = Vec::new();
        let mut options = Vec::new();
        let mut end = self.c.pos;
        let save = self.c.pos;
        let spaces = self.c.spaces();
        let first = self.c.peek();
        let no_arguments = spaces == 0
            || matches!(first, None | Some(b'\r' | b'\n' | b'#'))
            || (self.c.rest().starts_with(b"do")
                && !self
                    .c
                    .peek_at(2)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':'));
        if no_arguments {
            self.c.pos = save;
        } else {
            // `m -1` and `m {` mean something else in Ruby than an argument.
            if matches!(first, Some(b'-' | b'{')) {
                return None;
            }
            loop {
                if let Some(key) = self.c.label() {
                    self.c.spaces();
                    options.push((key, self.value(0)?));
                } else {
                    // A braced hash among the arguments is taken for options by the
                    // tree-sitter path: not read here.
                    if self.c.peek() == Some(b'{') {
                        return None;
                    }
                    let value = self.value(0)?;
                    match self.rocket_value()? {
                        Some(v) => options.push((name_of_key(value)?, v)),
                        None if options.is_empty() => positional.push(value),
                        // A positional argument after options is not Ruby.
                        None => return None,
                    }
                }
                end = self.c.pos;
                if !self.c.eat(b',') {
                    break;
                }
                self.c.gap();
            }
        }
        Some(Call {
            text: self.c.src.get(start..end)?,
            start,
            line: u32::try_from(line + 1).ok()?,
            receiver,
            method,
            positional,
            options: Literal::Hash(options),
            block: None,
            in_error: false,
        })
    }

    /// After a key: ` => value` (`=>value` in the dumps of older Rubies),
    /// `Some(None)` when no `=>` follows, `None` when the value is not read here.
    fn rocket_value(&mut self) -> Option<Option<Literal>> {
        let save = self.c.pos;
        self.c.spaces();
        if self.c.eat_str("=>") {
            self.c.spaces();
            return self.value(0).map(Some);
        }
        self.c.pos = save;
        Some(None)
    }

    /// A literal value, as [`ruby::literal`] evaluates the same text.
    fn value(&mut self, depth: usize) -> Option<Literal> {
        if depth > MAX_NESTING {
            return None;
        }
        let value = self.value_text(depth)?;
        self.ends_value().then_some(value)
    }

    /// [`Self::value`] without the check of what follows.
    fn value_text(&mut self, depth: usize) -> Option<Literal> {
        let start = self.c.pos;
        match self.c.peek()? {
            b'"' => self.double_quoted().map(Literal::Str),
            b'\'' => self.single_quoted().map(Literal::Str),
            b':' => {
                self.c.pos += 1;
                match self.c.peek()? {
                    b'"' => self.double_quoted().map(Literal::Symbol),
                    b'\'' => self.single_quoted().map(Literal::Symbol),
                    _ => self.c.identifier().map(|s| Literal::Symbol(s.to_owned())),
                }
            }
            b'[' => {
                self.c.pos += 1;
                self.c.gap();
                let mut items = Vec::new();
                if self.c.eat(b']') {
                    return Some(Literal::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.c.eat(b',') {
                        self.c.gap();
                        continue;
                    }
                    self.c.gap();
                    if self.c.eat(b']') {
                        return Some(Literal::Array(items));
                    }
                    return None;
                }
            }
            b'{' => {
                self.c.pos += 1;
                self.c.gap();
                let mut pairs = Vec::new();
                if self.c.eat(b'}') {
                    return Some(Literal::Hash(pairs));
                }
                loop {
                    let pair = match self.c.label() {
                        Some(key) => {
                            self.c.spaces();
                            (key, self.value(depth + 1)?)
                        }
                        None => {
                            let key = self.value(depth + 1)?;
                            let value = self.rocket_value()??;
                            (name_of_key(key)?, value)
                        }
                    };
                    pairs.push(pair);
                    if self.c.eat(b',') {
                        self.c.gap();
                        continue;
                    }
                    self.c.gap();
                    if self.c.eat(b'}') {
                        return Some(Literal::Hash(pairs));
                    }
                    return None;
                }
            }
            b'-' if self.c.peek_at(1) == Some(b'>') => {
                // `-> { "now()" }`: a lambda whose body is one string.
                self.c.pos += 2;
                self.c.spaces();
                if !self.c.eat(b'{') {
                    return None;
                }
                self.c.spaces();
                match self.c.peek()? {
                    b'"' => self.double_quoted()?,
                    b'\'' => self.single_quoted()?,
                    _ => return None,
                };
                self.c.spaces();
                if !self.c.eat(b'}') {
                    return None;
                }
                Some(Literal::Lambda(
                    self.c.src.get(start..self.c.pos)?.to_owned(),
                ))
            }
            b'-' => {
                // `-1`: a unary minus, which is not a literal to tree-sitter.
                self.c.pos += 1;
                self.c.number_text()?;
                Some(Literal::Dynamic(
                    self.c.src.get(start..self.c.pos)?.to_owned(),
                ))
            }
            b'0'..=b'9' => {
                let (text, float) = self.c.number_text()?;
                Some(if float {
                    Literal::Float(text.to_owned())
                } else {
                    text.replace('_', "")
                        .parse()
                        .map(Literal::Int)
                        .unwrap_or_else(|_| Literal::Dynamic(text.to_owned()))
                })
            }
            _ => match self.c.identifier()? {
                "true" => Some(Literal::Bool(true)),
                "false" => Some(Literal::Bool(false)),
                "nil" => Some(Literal::Nil),
                _ => None,
            },
        }
    }

    /// True when the value just read is not continued by something that would make
    /// it another expression (`"a" "b"`, `1.foo`, `:a?`, `"a"[0]`, `x(...)`). A
    /// `=>` may follow (the value is then a key).
    fn ends_value(&self) -> bool {
        match self.c.peek() {
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}') => true,
            Some(b'=') => self.c.peek_at(1) == Some(b'>'),
            _ => false,
        }
    }

    /// A `"..."` string (the cursor on its opening quote): its content, or `None`
    /// when it interpolates, spans lines or holds an escape tree-sitter would read
    /// differently.
    fn double_quoted(&mut self) -> Option<String> {
        self.c.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.c.rest_str();
            // The run of plain characters.
            let run = rest
                .bytes()
                .position(|b| matches!(b, b'"' | b'\\' | b'#' | b'\n' | b'\r'))?;
            out.push_str(rest.get(..run)?);
            self.c.pos += run;
            match self.c.peek()? {
                b'"' => {
                    self.c.pos += 1;
                    return Some(out);
                }
                b'#' => {
                    // `#{...}`, `#@var`, `#$var` interpolate.
                    if matches!(self.c.peek_at(1), Some(b'{' | b'@' | b'$')) {
                        return None;
                    }
                    out.push('#');
                    self.c.pos += 1;
                }
                b'\\' => {
                    let len = escape_len(self.c.rest_str())?;
                    out.push_str(&ruby::unescape(self.c.rest_str().get(..len)?));
                    self.c.pos += len;
                }
                _ => return None,
            }
        }
    }

    /// A `'...'` string (the cursor on its opening quote): its content, or `None`
    /// when it spans lines.
    fn single_quoted(&mut self) -> Option<String> {
        self.c.pos += 1;
        let rest = self.c.rest();
        let mut i = 0;
        loop {
            match rest.get(i)? {
                b'\'' => break,
                b'\\' => {
                    if matches!(rest.get(i + 1)?, b'\n' | b'\r') {
                        return None;
                    }
                    // The escaped character may be several bytes long: the loop
                    // goes on over its continuation bytes, never a quote.
                    i += 2;
                }
                b'\n' | b'\r' => return None,
                _ => i += 1,
            }
        }
        let raw = self.c.src.get(self.c.pos..self.c.pos + i)?;
        let mut out = String::new();
        ruby::push_single_quoted(raw, &mut out);
        self.c.pos += i + 1;
        Some(out)
    }
}

/// The name a key stands for (`"key" =>`, `:key =>`).
fn name_of_key(key: Literal) -> Option<String> {
    match key {
        Literal::Str(s) | Literal::Symbol(s) => Some(s),
        _ => None,
    }
}

/// The length in bytes of the escape sequence at the start of `s` (which starts
/// with `\`), as tree-sitter-ruby tokenizes it: `\` and one character, `\x` and one
/// or two hex digits, one to three octal digits, `\u` and four hex digits, or
/// `\u{...}`. `None` for what is not one of those (or a line break).
fn escape_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let after = |from: usize, max: usize, ok: fn(&u8) -> bool| {
        b.get(from..)
            .unwrap_or(&[])
            .iter()
            .take(max)
            .take_while(|c| ok(c))
            .count()
    };
    match b.get(1)? {
        b'\n' | b'\r' => None,
        b'x' => match after(2, 2, u8::is_ascii_hexdigit) {
            0 => None,
            n => Some(2 + n),
        },
        b'0'..=b'7' => Some(1 + after(1, 3, |c| matches!(c, b'0'..=b'7'))),
        b'u' if b.get(2) == Some(&b'{') => {
            let n = after(3, usize::MAX, |c| c.is_ascii_hexdigit() || *c == b' ');
            (n > 0 && b.get(3 + n) == Some(&b'}')).then_some(4 + n)
        }
        b'u' => (after(2, 4, u8::is_ascii_hexdigit) == 4).then_some(6),
        _ => {
            let c = s.get(1..)?.chars().next()?;
            Some(1 + c.len_utf8())
        }
    }
}

// ---------------------------------------------------------------------------- statement ends

/// A heredoc whose body follows the line that opened it.
struct Heredoc {
    /// The word that ends it.
    id: Vec<u8>,
    /// `<<~` / `<<-`: the word may be indented.
    indented: bool,
}

impl Heredoc {
    fn ends_at(&self, line: &str) -> bool {
        let line = strip_cr(line).as_bytes();
        let line = if self.indented {
            let n = line
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            &line[n..]
        } else {
            line
        };
        line == self.id.as_slice()
    }
}

/// `<<~ID`, `<<-'ID'`, `<<"ID"`, ... with `at` just after the `<<`: the heredoc and
/// the index after its opener.
fn heredoc_start(b: &[u8], at: usize) -> Option<(Heredoc, usize)> {
    let mut i = at;
    let indented = matches!(b.get(i), Some(b'~' | b'-'));
    if indented {
        i += 1;
    }
    let word = |from: usize| {
        b.get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count()
    };
    match b.get(i)? {
        q @ (b'\'' | b'"' | b'`') => {
            let n = word(i + 1);
            if n == 0 || b.get(i + 1 + n) != Some(q) {
                return None;
            }
            let id = b.get(i + 1..i + 1 + n)?.to_vec();
            Some((Heredoc { id, indented }, i + n + 2))
        }
        c if c.is_ascii_alphabetic() || *c == b'_' => {
            let n = word(i);
            let id = b.get(i..i + n)?.to_vec();
            Some((Heredoc { id, indented }, i + n))
        }
        _ => None,
    }
}

/// Follows one line of Ruby for [`Layout::statement_end`]: updates the depth of
/// brackets and `do`/`end` blocks and the heredocs the line opens. `Some(Some(true))`
/// when the line goes on to the next (a trailing comma, operator or `\`),
/// `Some(None)` for a line without code, `None` when the line holds what this scan
/// does not follow.
fn lex_line(b: &[u8], depth: &mut i64, heredocs: &mut Vec<Heredoc>) -> Option<Option<bool>> {
    let mut i = 0;
    // The last byte of the last token, for a line that goes on.
    let mut last: Option<u8> = None;
    let mut last_word: &[u8] = b"";
    let mut first_token = true;
    let depth_before = *depth;
    while let Some(&c) = b.get(i) {
        let word_before = i > 0 && is_word_byte(b[i - 1]);
        match c {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => break,
            b'"' | b'`' | b'\'' => i = skip_quoted(b, i)?,
            b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_start(b, i + 2) {
                Some((heredoc, next)) => {
                    heredocs.push(heredoc);
                    i = next;
                }
                None => i += 2,
            },
            b'%' | b'/' | b'$' => return None,
            b'?' if !word_before && !matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\r')) => {
                return None
            }
            b'\\' => {
                // A line continuation, or something this scan does not follow.
                return b[i + 1..].iter().all(|&b| b == b'\r').then_some(Some(true));
            }
            b'(' | b'[' | b'{' => {
                *depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                *depth -= 1;
                i += 1;
            }
            c if is_word_byte(c) => {
                let start = i;
                while b.get(i).is_some_and(|&c| is_word_byte(c)) {
                    i += 1;
                }
                if matches!(b.get(i), Some(b'?' | b'!')) && b.get(i + 1) != Some(&b'=') {
                    i += 1;
                }
                let word = &b[start..i];
                let before = start.checked_sub(1).and_then(|k| b.get(k));
                // `t.end`, `:end`, `@end`, `$end` and `end:` are not keywords.
                let label = b.get(i) == Some(&b':') && b.get(i + 1) != Some(&b':');
                let after_dot = matches!(last, Some(b'.'));
                let keyword =
                    !(matches!(before, Some(b'.' | b':' | b'@' | b'$')) || after_dot || label);
                if keyword {
                    if first_token && depth_before == 0 && CLAUSES.contains(&word) {
                        return None;
                    }
                    if word == b"do" {
                        *depth += 1;
                    } else if word == b"end" {
                        *depth -= 1;
                    } else if first_token && OPENERS.contains(&word) {
                        *depth += 1;
                    }
                }
                last_word = word;
                last = Some(b'a');
                first_token = false;
                continue;
            }
            _ => i += 1,
        }
        last = b.get(i.saturating_sub(1)).copied();
        last_word = b"";
        first_token = false;
    }
    let operator = matches!(
        last,
        Some(
            b',' | b'.'
                | b'+'
                | b'-'
                | b'*'
                | b'='
                | b'&'
                | b'|'
                | b'<'
                | b'>'
                | b'!'
                | b'~'
                | b'^'
                | b':'
                | b'?'
        )
    );
    if first_token {
        return Some(None);
    }
    Some(Some(
        operator || matches!(last_word, b"and" | b"or" | b"not"),
    ))
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// How deeply strings and `#{}` interpolations may nest in [`skip_quoted`].
const MAX_STRING_NESTING: usize = 16;

/// The index after the string that starts at `b[at]` (a quote), on this line,
/// `#{...}` interpolations (with their own strings) included. `None` when it does
/// not end on this line, or an interpolation holds a comment.
fn skip_quoted(b: &[u8], at: usize) -> Option<usize> {
    enum Frame {
        /// In a string closed by this quote.
        Quoted(u8),
        /// In an interpolation, this many `{` deep.
        Interpolation(usize),
    }
    let mut stack = vec![Frame::Quoted(*b.get(at)?)];
    let mut i = at + 1;
    loop {
        let c = *b.get(i)?;
        let next = b.get(i + 1).copied();
        match stack.last_mut()? {
            Frame::Quoted(_) if c == b'\\' => i += 2,
            Frame::Quoted(quote) if c == *quote => {
                stack.pop();
                i += 1;
                if stack.is_empty() {
                    return Some(i);
                }
            }
            Frame::Quoted(quote) if *quote != b'\'' && c == b'#' && next == Some(b'{') => {
                stack.push(Frame::Interpolation(0));
                i += 2;
            }
            Frame::Quoted(_) => i += 1,
            Frame::Interpolation(depth) => {
                match c {
                    b'{' => *depth += 1,
                    b'}' if *depth == 0 => {
                        stack.pop();
                    }
                    b'}' => *depth -= 1,
                    b'"' | b'\'' | b'`' => stack.push(Frame::Quoted(c)),
                    b'#' => return None,
                    _ => {}
                }
                i += 1;
            }
        }
        if stack.len() > MAX_STRING_NESTING {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        for ok in [
            "ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do",
            "ActiveRecord::Schema.define(version: 20150101000000) do\r",
            "ActiveRecord::Schema.define(:version => 20150101000000) do",
            "::ActiveRecord::Schema.define do # comment",
        ] {
            assert!(is_header(ok), "{ok}");
        }
        for bad in [
            "ActiveRecord::Schema[7.1].define(version: 1) {",
            "ActiveRecord::Schema[7.1].define(version: 1) do |s|",
            "ActiveRecord::Schema[7.1].define(version: 1, foo: 2) do",
            "ActiveRecord::Schema[7].define(version: 1) do",
            "x; ActiveRecord::Schema.define do",
            "ActiveRecord::Schema.define do# comment",
        ] {
            assert!(!is_header(bad), "{bad}");
        }
    }

    #[test]
    fn escapes_are_measured_as_tree_sitter_does() {
        for (s, len) in [
            ("\\n", Some(2)),
            ("\\\"", Some(2)),
            ("\\x4", Some(3)),
            ("\\x41g", Some(4)),
            ("\\xg", None),
            ("\\101", Some(4)),
            ("\\1019", Some(4)),
            ("\\u00e9x", Some(6)),
            ("\\u00e", None),
            ("\\u{1F600}", Some(9)),
            ("\\u{}", None),
            ("\\é", Some(3)),
            ("\\\n", None),
            ("\\", None),
        ] {
            assert_eq!(escape_len(s), len, "{s:?}");
        }
    }

    #[test]
    fn statement_ends_follow_blocks_brackets_and_heredocs() {
        let src = "ActiveRecord::Schema.define(version: 1) do\n  create_view \"v\", sql_definition: <<-SQL\n  SELECT 1\n  SQL\n  foo(1,\n    2)\n  bar 1 \\\n    2\n  x do |t|\n    t.end 1\n    if: 1\n  end\n  \"unterminated\n  baz 1 # (\nend\n";
        let layout = Layout::of(src).unwrap();
        assert_eq!(layout.statement_end(1), Some(4));
        assert_eq!(layout.statement_end(4), Some(6));
        assert_eq!(layout.statement_end(6), Some(8));
        assert_eq!(layout.statement_end(8), Some(12));
        assert_eq!(layout.statement_end(12), None);
        assert_eq!(layout.statement_end(13), Some(14));
    }

    #[test]
    fn shapes_that_are_not_the_dumpers() {
        for src in [
            "",
            "# only a comment\n",
            "create_table \"a\"\n",
            "ActiveRecord::Schema.define(version: 1) do\n  create_table \"a\"\n",
            "ActiveRecord::Schema.define(version: 1) do\n  create_table \"a\"\n  end\n",
            "ActiveRecord::Schema.define(version: 1) do\n<<<<<<< HEAD\nend\n",
            "ActiveRecord::Schema.define(version: 1) do\n=begin\n=end\nend\n",
            "ActiveRecord::Schema.define(version: 1) do\nend\n__END__\n",
            "ActiveRecord::Schema.define(version: 1) do\n\0\nend\n",
            "require 'x'\nActiveRecord::Schema.define(version: 1) do\nend\n",
        ] {
            assert!(Layout::of(src).is_none(), "{src:?}");
        }
        let layout = Layout::of("# c\n\nActiveRecord::Schema.define do\n  x\nend").unwrap();
        assert_eq!((layout.header, layout.footer), (2, 4));
        assert_eq!(layout.tail().end_point.column, 3);
        assert_eq!(layout.tail().end_byte, layout.src.len());
    }
}
