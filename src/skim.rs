//! Method bodies that cannot hold a declaration, found without parsing.
//!
//! Most of a model file's bytes are instance method bodies, and extraction reads
//! nothing in them but a call to an association macro (`has_many` where it cannot be
//! read statically, `send(:has_many, ...)`). Parsing those bytes is most of the cost
//! of reading a model, so before parsing, the lines of a file are scanned for the
//! shape every formatted Ruby file has:
//!
//! ```ruby
//!   def name(args)      # a complete signature, nothing after it
//!     ...               # every line indented deeper than `def` (or blank)
//!   end                 # `end`, indented exactly as `def`
//! ```
//!
//! and a body of that shape that mentions no macro (`has_`, `belongs_to`, `scope`) is
//! left out of the parse with tree-sitter's included ranges: the parser sees
//! `def name(args)` followed by `end`, and every position in the tree is still the
//! file's. The caller parses the whole file again whenever the skimmed parse has a
//! syntax error, so a body cut in the wrong place (an `end` line inside a string or
//! a heredoc) costs a second parse, never a different result.
//!
//! Methods whose bodies extraction does read (`table_name`, `primary_key`,
//! `inheritance_column`, the table name prefix and suffix, `self.included`) are
//! never skipped. A syntax error inside a skipped body is not looked for: such a
//! body holds no declaration, so the error cannot hide one.
//!
//! The search for uses ([`crate::references`]) skims the files it must parse the
//! same way, with its own test (a body that holds none of the names it still looks
//! for, and assigns none of the variables its uses are called on), and also skips
//! `do` block bodies (`it "..." do` ... `end`), which is where a spec's code is.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// Words whose presence in a body means extraction must see it.
static MACRO_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(["has_", "belongs_to", "scope"]).expect("fixed patterns build")
});

/// Method names whose bodies extraction reads as settings or as a concern's hook.
const READ_METHODS: &[&str] = &[
    "table_name",
    "table_name_prefix",
    "table_name_suffix",
    "primary_key",
    "inheritance_column",
    "included",
];

/// Bodies smaller than this are parsed: leaving them out saves less than it costs.
const MIN_BODY_BYTES: usize = 40;

/// Byte ranges of `src` (whole lines) that are method bodies extraction has no use
/// for, in order and disjoint.
pub fn skippable_bodies(src: &str) -> Vec<Range<usize>> {
    bodies_where(src, Bodies::Methods, |name, body| {
        !READ_METHODS.contains(&name) && !MACRO_WORDS.is_match(body)
    })
}

/// The bodies [`bodies_where`] looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bodies {
    /// Method bodies.
    Methods,
    /// Method bodies and the bodies of `do` blocks (`it "..." do`, `each do |x|`),
    /// whose `end` may be followed by a call (`end.to change { ... }`). A block is a
    /// closure: the caller must allow for what its body could assign.
    MethodsAndBlocks,
}

/// Byte ranges of `src` (whole lines) that are bodies of the shape above (method
/// bodies, and `do` blocks with [`Bodies::MethodsAndBlocks`]), not too short to be
/// worth it, for which `skip(method name, body)` holds (the name is empty for a
/// block); in order and disjoint. A body that is not skipped is searched for smaller
/// ones.
pub fn bodies_where(
    src: &str,
    bodies: Bodies,
    skip: impl Fn(&str, &str) -> bool,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut lines = Lines::new(src);
    while let Some((start, line)) = lines.next() {
        let indent = indentation(line);
        let rest = &line[indent.len()..];
        let (name, block) = match signature_name(rest) {
            Some(name) => (name, false),
            None if bodies == Bodies::MethodsAndBlocks && opens_block(rest) => ("", true),
            None => continue,
        };
        let body_start = start + line.len();
        // The body: lines indented deeper than `def`, up to `end` at its indentation.
        let mut probe = lines.clone();
        let mut end_line = None;
        for (at, l) in probe.by_ref() {
            if l.trim().is_empty() {
                continue;
            }
            let i = indentation(l);
            if i == indent {
                let closer = &l[i.len()..];
                if is_end(closer) || (block && ends_block(closer)) {
                    end_line = Some(at);
                }
                break;
            }
            if i.len() <= indent.len() || !i.starts_with(indent) {
                break;
            }
        }
        let Some(body_end) = end_line else {
            continue;
        };
        let body = &src[body_start..body_end];
        if body.len() >= MIN_BODY_BYTES
            && skip(name, body)
            && literals_closed(src.as_bytes(), start, end_of_line(src, body_end))
        {
            out.push(body_start..body_end);
            // Resume after the body: nothing inside it is looked at again.
            lines = probe;
        }
    }
    out
}

/// Whether every literal that starts in `bytes[from..to]` (whole lines) closes
/// there and none reaches into it from before: a string that spans lines, whose
/// line at the `def`'s indentation reads `end`, would otherwise cut the body in the
/// wrong place where both readings still parse. A heredoc must close inside; a
/// line that may go on past its end (a quote left open, a percent literal, which
/// this does not follow) keeps the body in the parse.
fn literals_closed(bytes: &[u8], from: usize, to: usize) -> bool {
    use crate::references::{heredoc_end, line_end, literals_past_end, LineEnd};
    let mut at = from;
    while at < to {
        let end = line_end(bytes, at);
        match literals_past_end(&bytes[at..end]) {
            LineEnd::Closed => at = end + 1,
            LineEnd::Heredocs(openers) => match heredoc_end(bytes, end + 1, &openers) {
                Some(after) if after <= to => at = after,
                _ => return false,
            },
            LineEnd::Open => return false,
        }
    }
    true
}

/// The end of the line that starts at `start`, past its newline.
fn end_of_line(src: &str, start: usize) -> usize {
    memchr::memchr(b'\n', &src.as_bytes()[start..]).map_or(src.len(), |i| start + i + 1)
}

/// The parts of `src` around `skipped` (sorted, disjoint, whole lines), as
/// tree-sitter's included ranges.
pub fn included_ranges(src: &str, skipped: &[Range<usize>]) -> Vec<tree_sitter::Range> {
    let mut rows = RowCounter::default();
    let mut out = Vec::with_capacity(skipped.len() + 1);
    let mut from = 0;
    for cut in skipped
        .iter()
        .chain(std::iter::once(&(src.len()..src.len())))
    {
        if cut.start > from {
            out.push(tree_sitter::Range {
                start_byte: from,
                end_byte: cut.start,
                start_point: rows.point(src, from),
                end_point: rows.point(src, cut.start),
            });
        }
        from = cut.end;
    }
    out
}

/// Row and column of increasing offsets, counting newlines once.
#[derive(Default)]
struct RowCounter {
    at: usize,
    row: usize,
    line_start: usize,
}

impl RowCounter {
    fn point(&mut self, src: &str, byte: usize) -> tree_sitter::Point {
        for nl in memchr::memchr_iter(b'\n', &src.as_bytes()[self.at..byte]) {
            self.row += 1;
            self.line_start = self.at + nl + 1;
        }
        self.at = byte;
        tree_sitter::Point {
            row: self.row,
            column: byte - self.line_start,
        }
    }
}

/// The lines of a text with their start offsets, each with its line ending.
#[derive(Clone)]
struct Lines<'s> {
    src: &'s str,
    at: usize,
}

impl<'s> Lines<'s> {
    fn new(src: &'s str) -> Lines<'s> {
        Lines { src, at: 0 }
    }
}

impl<'s> Iterator for Lines<'s> {
    type Item = (usize, &'s str);

    fn next(&mut self) -> Option<(usize, &'s str)> {
        if self.at >= self.src.len() {
            return None;
        }
        let start = self.at;
        let rest = &self.src[start..];
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        self.at += len;
        Some((start, &rest[..len]))
    }
}

/// The leading spaces and tabs of a line.
fn indentation(line: &str) -> &str {
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

/// `end`, alone on its line but for a comment.
fn is_end(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("end") else {
        return false;
    };
    let after = after.trim_start_matches([' ', '\t']);
    after.is_empty() || after.starts_with(['\n', '\r', '#'])
}

/// A line that ends by opening a `do` block: `... do` or `... do |a, b|`, with no `#`
/// on it (which could start a comment, or sit in a string, either way making the
/// end of the line uncertain).
fn opens_block(rest: &str) -> bool {
    if rest.contains('#') {
        return false;
    }
    let mut line = rest.trim_end();
    if let Some(params) = line.strip_suffix('|') {
        let Some(open) = params.rfind('|') else {
            return false;
        };
        line = params[..open].trim_end();
    }
    line.strip_suffix("do")
        .is_some_and(|before| before.ends_with([' ', ')']) && !before.trim().is_empty())
}

/// `end` closing a block, alone or followed by a call or a closing bracket
/// (`end.to raise_error`, `end)`), but not a longer word (`ends`, `end_at`).
fn ends_block(rest: &str) -> bool {
    rest.strip_prefix("end").is_some_and(|after| {
        after
            .bytes()
            .next()
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80))
    })
}

/// `def name`, `def self.name`, `def name(args)`, `def name=(value)` or
/// `def name(args) # comment`, with
/// nothing after the signature: not an endless `def x = y`, not a one-line
/// `def x; y; end`, not parameters without parentheses. The method's name, when the
/// signature is complete.
fn signature_name(rest: &str) -> Option<&str> {
    let after_def = rest.strip_prefix("def ")?;
    let after_def = after_def.trim_start_matches(' ');
    let unqualified = after_def.strip_prefix("self.").unwrap_or(after_def);
    let name_len = unqualified
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if name_len == 0 || unqualified.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let name = &unqualified[..name_len];
    let mut tail = &unqualified[name_len..];
    // A predicate, a bang method or a setter (`def url=(value)`); a setter is never
    // endless, and `def x = y` has a space before its `=`.
    if let Some(t) = tail.strip_prefix(['?', '!', '=']) {
        tail = t;
    }
    if let Some(params) = tail.strip_prefix('(') {
        // Parameters without nested brackets, strings or comments.
        let close = params.find(')')?;
        if params[..close]
            .bytes()
            .any(|b| matches!(b, b'(' | b'"' | b'\'' | b'#' | b'%' | b'<' | b'`' | b'/'))
        {
            return None;
        }
        tail = &params[close + 1..];
    }
    let tail = tail.trim_start_matches([' ', '\t']);
    (tail.is_empty() || tail.starts_with(['\n', '\r', '#'])).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skipped(src: &str) -> Vec<&str> {
        skippable_bodies(src).into_iter().map(|r| &src[r]).collect()
    }

    const BODY: &str = "    total = items.sum(&:price)\n    total * (1 + tax_rate)\n";

    #[test]
    fn plain_bodies_are_skipped() {
        let src = format!(
            "class Order < ApplicationRecord\n  has_many :items\n\n  def total(tax_rate)\n{BODY}  end\n\n  def self.build\n{BODY}\n  end # build\nend\n"
        );
        assert_eq!(skipped(&src), [BODY.to_string(), format!("{BODY}\n")]);
    }

    #[test]
    fn bodies_with_a_literal_open_at_a_line_end_are_parsed() {
        // A string going on past its line, a percent literal (not followed), a
        // heredoc that closes after the `end`.
        for line in [
            "    s = \"first line",
            "    t = %w[a b]",
            "    <<~SQL",
            "    x = 'it''s' + \"",
        ] {
            let src = format!("class A\n  def a\n{line}\n{BODY}  end\n    SQL\n  \"\nend\n");
            assert_eq!(skipped(&src), Vec::<&str>::new(), "{line}");
        }
        // A heredoc that closes inside the body, with quotes and `end` in it.
        let heredoc = format!("    <<~SQL\n      it's \"\n  end\n    SQL\n{BODY}");
        let src = format!("class A\n  def a\n{heredoc}  end\nend\n");
        assert_eq!(
            skipped(&src),
            Vec::<&str>::new(),
            "cut at the `end` in the heredoc"
        );
        let heredoc = format!("    <<~SQL\n      it's \"\n    SQL\n{BODY}");
        let src = format!("class A\n  def a\n{heredoc}  end\nend\n");
        assert_eq!(skipped(&src), [heredoc]);
    }

    #[test]
    fn predicate_bang_and_setter_bodies_are_skipped() {
        for sig in [
            "def valid?",
            "def save!(x)",
            "def url=(u)",
            "def self.key=(k)",
        ] {
            let src = format!("class A\n  {sig}\n{BODY}  end\nend\n");
            assert_eq!(skipped(&src), [BODY], "{sig}");
        }
    }

    #[test]
    fn bodies_that_mention_macros_are_parsed() {
        for word in [
            "has_many :x",
            "belongs_to :y",
            "send(:has_one, :z)",
            "scope :a",
        ] {
            let src = format!("class A\n  def setup\n{BODY}    {word}\n  end\nend\n");
            assert!(skipped(&src).is_empty(), "{word}");
        }
    }

    #[test]
    fn read_methods_are_parsed() {
        for sig in [
            "def self.table_name",
            "def self.table_name=(name)",
            "def table_name_prefix",
            "def self.included(base)",
        ] {
            let src = format!("class A\n  {sig}\n{BODY}  end\nend\n");
            assert!(skipped(&src).is_empty(), "{sig}");
        }
    }

    #[test]
    fn incomplete_signatures_are_parsed() {
        for sig in [
            "def x = compute",
            "def x; y; end",
            "def x a, b",
            "def x(a = f(1))",
            "def x(a = \"(\")",
            "def x(a,",
            "def ==(other)",
            "def x=y",
            "def x= y",
            "def x=(v) = y",
            "private def x",
        ] {
            let src = format!("class A\n  {sig}\n{BODY}  end\nend\n");
            assert!(skipped(&src).is_empty(), "{sig}");
        }
    }

    #[test]
    fn shallow_lines_stop_the_body() {
        // A heredoc at the margin, a `=begin` block, an `end` at another indentation.
        for inner in [
            "    x = <<SQL\nSELECT 1\nSQL\n",
            "=begin\n    y\n=end\n",
            "      z\n end\n",
        ] {
            let src = format!("class A\n  def x\n{BODY}{inner}  end\nend\n");
            assert!(skipped(&src).is_empty(), "{inner:?}");
        }
    }

    #[test]
    fn tabs_and_crlf() {
        let body = "\t\tone_thing\r\n\t\tanother_thing_that_is_long_enough_to_matter\r\n";
        let src = format!("class A\r\n\tdef x\r\n{body}\tend\r\nend\r\n");
        assert_eq!(skipped(&src), [body]);
    }

    #[test]
    fn ranges_around_the_bodies_keep_positions() {
        let src = format!("class A\n  def x\n{BODY}  end\n  def y\n{BODY}  end\nend");
        let cuts = skippable_bodies(&src);
        assert_eq!(cuts.len(), 2);
        let ranges = included_ranges(&src, &cuts);
        type Span = (usize, usize, (usize, usize), (usize, usize));
        let spans: Vec<Span> = ranges
            .iter()
            .map(|r| {
                (
                    r.start_byte,
                    r.end_byte,
                    (r.start_point.row, r.start_point.column),
                    (r.end_point.row, r.end_point.column),
                )
            })
            .collect();
        let b = BODY.len();
        assert_eq!(
            spans,
            [
                (0, 16, (0, 0), (2, 0)),
                (16 + b, 30 + b, (4, 0), (6, 0)),
                (30 + 2 * b, src.len(), (8, 0), (9, 3)),
            ]
        );
        // Parsed with those ranges, the file is two empty methods at their places.
        let tree = crate::ruby::parse_ranges(&src, &ranges).unwrap();
        assert!(!tree.root_node().has_error());
        let methods: Vec<(usize, usize)> = crate::ruby::preorder(tree.root_node())
            .filter(|n| n.kind() == "method")
            .map(|n| (n.start_position().row, n.end_position().row))
            .collect();
        assert_eq!(methods, [(1, 4), (5, 8)]);
    }

    #[test]
    fn block_bodies_when_asked() {
        let src = "describe Post do\n  it \"works\" do\n    expect(post.title).to eq(\"a long title here\")\n  end\n\n  it \"raises\" do\n    expect do\n      post.publish!(now: true, force: true)\n    end.to raise_error(ArgumentError)\n  end\n  items.each do |item, i|\n    total += item.price * item.quantity + i\n  end\nend\n";
        let all = |_: &str, _: &str| true;
        // Methods only: no body.
        assert!(bodies_where(src, Bodies::Methods, all).is_empty());
        let bodies: Vec<&str> = bodies_where(src, Bodies::MethodsAndBlocks, |_, b| {
            !b.contains("describe") && !b.contains("raise_error")
        })
        .into_iter()
        .map(|r| &src[r])
        .collect();
        assert_eq!(
            bodies,
            vec![
                "    expect(post.title).to eq(\"a long title here\")\n",
                "      post.publish!(now: true, force: true)\n",
                "    total += item.price * item.quantity + i\n",
            ]
        );
    }

    #[test]
    fn what_opens_and_closes_a_block() {
        for line in [
            "it \"x\" do",
            "each do |a, b|",
            "foo(1) do",
            "x.each do |y|  \n",
        ] {
            assert!(opens_block(line), "{line}");
        }
        for line in [
            "do",
            "undo",
            "foo # do",
            "x = \"do\"",
            "redo",
            "todo_do",
            "each { |x| }",
        ] {
            assert!(!opens_block(line), "{line}");
        }
        for line in ["end", "end\n", "end.to raise_error", "end)", "end # c"] {
            assert!(ends_block(line), "{line}");
        }
        for line in ["ends", "end_at = 1", "endpoint"] {
            assert!(!ends_block(line), "{line}");
        }
    }

    #[test]
    fn small_bodies_are_parsed() {
        assert!(skipped("class A\n  def x\n    1\n  end\nend\n").is_empty());
    }
}
