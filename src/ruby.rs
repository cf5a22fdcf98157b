//! Thin helpers over tree-sitter-ruby: parsing, node text, positions, and the
//! evaluation of literal arguments (`:sym`, `"str"`, `[..]`, `{ key: .. }`, constants).
//!
//! Nothing here runs Ruby: a value that is not a literal is kept as [`Literal::Dynamic`]
//! with its source text, so callers can say what they could not analyze.

use tree_sitter::{Node, Parser, Tree};

thread_local! {
    /// One parser per thread, reused for every file.
    static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_ruby::LANGUAGE.into())
            .expect("tree-sitter-ruby grammar is compatible with the tree-sitter runtime");
        p
    });
}

/// Ruby's reserved words.
pub const KEYWORDS: &[&str] = &[
    "BEGIN",
    "END",
    "__ENCODING__",
    "__END__",
    "__FILE__",
    "__LINE__",
    "alias",
    "and",
    "begin",
    "break",
    "case",
    "class",
    "def",
    "defined",
    "do",
    "else",
    "elsif",
    "end",
    "ensure",
    "false",
    "for",
    "if",
    "in",
    "module",
    "next",
    "nil",
    "not",
    "or",
    "redo",
    "rescue",
    "retry",
    "return",
    "self",
    "super",
    "then",
    "true",
    "undef",
    "unless",
    "until",
    "when",
    "while",
    "yield",
];

/// Parses Ruby source. Returns `None` only if tree-sitter gives up entirely
/// (it normally returns a tree with ERROR nodes for broken code).
pub fn parse(source: &str) -> Option<Tree> {
    PARSER.with(|p| p.borrow_mut().parse(source, None))
}

/// Parses only `ranges` of `source` (tree-sitter's included ranges): the tree's
/// positions are those of the whole source. `None` when tree-sitter refuses the
/// ranges or gives up.
pub fn parse_ranges(source: &str, ranges: &[tree_sitter::Range]) -> Option<Tree> {
    PARSER.with(|p| {
        let mut p = p.borrow_mut();
        p.set_included_ranges(ranges).ok()?;
        let tree = p.parse(source, None);
        // Back to whole documents for the next parse on this thread.
        p.set_included_ranges(&[])
            .expect("the whole document is a valid range");
        tree
    })
}

/// The source text of a node.
pub fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// 1-based line of a node's start.
pub fn line(node: Node<'_>) -> u32 {
    node.start_position().row as u32 + 1
}

/// 1-based column, counted in characters, of a byte offset in `src`.
pub fn char_column(src: &str, byte: usize) -> u32 {
    let start = src[..byte.min(src.len())].rfind('\n').map_or(0, |i| i + 1);
    src.get(start..byte)
        .map_or(1, |s| s.chars().count() as u32 + 1)
}

/// A position span of a node: 1-based lines, 1-based character columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start_byte: usize,
    pub end_byte: usize,
}

impl Span {
    pub fn of(node: Node<'_>, src: &str) -> Span {
        Span {
            line: node.start_position().row as u32 + 1,
            column: char_column(src, node.start_byte()),
            end_line: node.end_position().row as u32 + 1,
            end_column: char_column(src, node.end_byte()),
            start_byte: node.start_byte(),
            end_byte: node.end_byte(),
        }
    }
}

/// A literal Ruby value, as far as it can be known without running the code.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Literal {
    Symbol(String),
    Str(String),
    Int(i64),
    Float(String),
    Bool(bool),
    Nil,
    /// A constant reference as written, `Foo::Bar` or `::Foo`.
    Const(String),
    Array(Vec<Literal>),
    /// Keys are normalised to their name (`key:`, `:key =>`, `"key" =>` all give `key`).
    Hash(Vec<(String, Literal)>),
    /// A `-> { ... }` / `lambda { ... }` / `proc { ... }`; the source text of the whole lambda.
    Lambda(String),
    /// Anything else: a method call, interpolation, a variable. Keeps the source text.
    Dynamic(String),
}

impl Literal {
    /// The name of a symbol or string literal.
    pub fn as_name(&self) -> Option<&str> {
        match self {
            Literal::Symbol(s) | Literal::Str(s) => Some(s),
            _ => None,
        }
    }
    /// A symbol/string, or an array of them, as a list of names.
    pub fn as_names(&self) -> Option<Vec<String>> {
        match self {
            Literal::Symbol(s) | Literal::Str(s) => Some(vec![s.clone()]),
            Literal::Array(items) => items
                .iter()
                .map(|i| i.as_name().map(str::to_owned))
                .collect(),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Literal::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// `false`/`nil` are falsy, every other *literal* is truthy; dynamic values are unknown.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Literal::Bool(b) => Some(*b),
            Literal::Nil => Some(false),
            Literal::Dynamic(_) => None,
            _ => Some(true),
        }
    }
    pub fn get(&self, key: &str) -> Option<&Literal> {
        match self {
            Literal::Hash(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn is_dynamic(&self) -> bool {
        matches!(self, Literal::Dynamic(_))
    }
}

/// Evaluates a node as a literal value.
pub fn literal(node: Node<'_>, src: &str) -> Literal {
    match node.kind() {
        "simple_symbol" => Literal::Symbol(text(node, src).trim_start_matches(':').to_owned()),
        "hash_key_symbol" => Literal::Symbol(text(node, src).to_owned()),
        "delimited_symbol" => match string_content(node, src) {
            Some(s) => Literal::Symbol(s),
            None => Literal::Dynamic(text(node, src).to_owned()),
        },
        "string" => match string_content(node, src) {
            Some(s) => Literal::Str(s),
            None => Literal::Dynamic(text(node, src).to_owned()),
        },
        "integer" => text(node, src)
            .replace('_', "")
            .parse()
            .map(Literal::Int)
            .unwrap_or_else(|_| Literal::Dynamic(text(node, src).to_owned())),
        "float" => Literal::Float(text(node, src).to_owned()),
        "true" => Literal::Bool(true),
        "false" => Literal::Bool(false),
        "nil" => Literal::Nil,
        "constant" | "scope_resolution" => Literal::Const(text(node, src).to_owned()),
        "array" | "string_array" | "symbol_array" => {
            let mut items = Vec::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() == "comment" {
                    continue;
                }
                items.push(match child.kind() {
                    // %w[a b] elements are bare_string, %i[a b] are bare_symbol.
                    "bare_string" => match string_content(child, src) {
                        Some(s) => Literal::Str(s),
                        None => Literal::Dynamic(text(child, src).to_owned()),
                    },
                    "bare_symbol" => match string_content(child, src) {
                        Some(s) => Literal::Symbol(s),
                        None => Literal::Dynamic(text(child, src).to_owned()),
                    },
                    _ => literal(child, src),
                });
            }
            Literal::Array(items)
        }
        "hash" => hash_literal(node, src),
        "lambda" => Literal::Lambda(text(node, src).to_owned()),
        "parenthesized_statements" => {
            let mut cursor = node.walk();
            let named: Vec<_> = node
                .named_children(&mut cursor)
                .filter(|n| n.kind() != "comment")
                .collect();
            if named.len() == 1 {
                literal(named[0], src)
            } else {
                Literal::Dynamic(text(node, src).to_owned())
            }
        }
        "call" if is_lambda_call(node, src) => Literal::Lambda(text(node, src).to_owned()),
        _ => Literal::Dynamic(text(node, src).to_owned()),
    }
}

/// `lambda { }`, `proc { }`, `Proc.new { }`.
fn is_lambda_call(node: Node<'_>, src: &str) -> bool {
    let Some(method) = node.child_by_field_name("method") else {
        return false;
    };
    let has_block = node.child_by_field_name("block").is_some();
    match text(method, src) {
        "lambda" | "proc" => has_block && node.child_by_field_name("receiver").is_none(),
        "new" => {
            has_block
                && node
                    .child_by_field_name("receiver")
                    .is_some_and(|r| text(r, src) == "Proc")
        }
        _ => false,
    }
}

/// The literal content of a string-like node, or `None` if it interpolates.
pub fn string_content(node: Node<'_>, src: &str) -> Option<String> {
    let mut out = String::new();
    // In '...' and %q(...) only \\ and \' are escapes, and tree-sitter leaves them
    // inside string_content.
    let raw = text(node, src);
    let single_quoted = raw.starts_with('\'') || raw.starts_with("%q") || raw.starts_with(":'");
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "string_content" if single_quoted => push_single_quoted(text(child, src), &mut out),
            "string_content" => out.push_str(text(child, src)),
            "escape_sequence" => out.push_str(&unescape(text(child, src))),
            "interpolation" => return None,
            _ => return None,
        }
    }
    if node.named_child_count() == 0 && matches!(node.kind(), "bare_string" | "bare_symbol") {
        return Some(text(node, src).to_owned());
    }
    Some(out)
}

/// Appends the content of a single-quoted string as Ruby reads it: `\\` and `\'`
/// stand for `\` and `'`, any other backslash is itself.
pub(crate) fn push_single_quoted(raw: &str, out: &mut String) {
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('\\') | Some('\'')) {
            out.push(chars.next().unwrap_or(c));
        } else {
            out.push(c);
        }
    }
}

/// A double-quoted string escape (`\n`, `\x41`, `\u00e9`, `\"`, ...), as Ruby reads it.
pub(crate) fn unescape(seq: &str) -> String {
    let body = seq.strip_prefix('\\').unwrap_or(seq);
    let simple = match body {
        "n" => Some('\n'),
        "t" => Some('\t'),
        "r" => Some('\r'),
        "s" => Some(' '),
        "e" => Some('\u{1b}'),
        "a" => Some('\u{7}'),
        "b" => Some('\u{8}'),
        "f" => Some('\u{c}'),
        "v" => Some('\u{b}'),
        _ => None,
    };
    if let Some(c) = simple {
        return c.to_string();
    }
    let code = if let Some(hex) = body.strip_prefix('x') {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(u) = body.strip_prefix('u') {
        u32::from_str_radix(u.trim_matches(|c| c == '{' || c == '}'), 16).ok()
    } else if !body.is_empty() && body.chars().all(|c| c.is_digit(8)) {
        u32::from_str_radix(body, 8).ok()
    } else {
        None
    };
    match code.and_then(char::from_u32) {
        Some(c) => c.to_string(),
        None => body.to_owned(),
    }
}

/// The name a hash key or pair key stands for: `key:` / `:key =>` / `"key" =>`.
pub fn key_name(node: Node<'_>, src: &str) -> Option<String> {
    match literal(node, src) {
        Literal::Symbol(s) | Literal::Str(s) => Some(s),
        _ => None,
    }
}

fn hash_literal(node: Node<'_>, src: &str) -> Literal {
    let mut pairs = Vec::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "pair" => {
                let (Some(k), Some(v)) = (
                    child.child_by_field_name("key"),
                    child.child_by_field_name("value"),
                ) else {
                    return Literal::Dynamic(text(node, src).to_owned());
                };
                match key_name(k, src) {
                    Some(name) => pairs.push((name, literal(v, src))),
                    None => return Literal::Dynamic(text(node, src).to_owned()),
                }
            }
            "comment" => {}
            _ => return Literal::Dynamic(text(node, src).to_owned()),
        }
    }
    Literal::Hash(pairs)
}

/// The arguments of a call: positional arguments and the trailing keyword hash
/// (bare `key: value` pairs), kept apart. A `&block` or `*splat` argument is kept
/// as a dynamic positional argument.
#[derive(Debug, Clone, Default)]
pub struct Args<'t> {
    pub positional: Vec<Node<'t>>,
    pub options: Vec<(String, Node<'t>)>,
    /// True when an option key is not a literal name, or a `**splat` is passed:
    /// the options may hold more than we can see.
    pub dynamic_options: bool,
}

impl<'t> Args<'t> {
    pub fn option(&self, name: &str) -> Option<Node<'t>> {
        self.options
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }
    /// The options as a literal hash.
    pub fn options_literal(&self, src: &str) -> Vec<(String, Literal)> {
        self.options
            .iter()
            .map(|(k, v)| (k.clone(), literal(*v, src)))
            .collect()
    }
}

/// Splits a call's `argument_list` into positional args and keyword options.
pub fn call_args<'t>(call: Node<'t>, src: &str) -> Args<'t> {
    match call.child_by_field_name("arguments") {
        Some(list) => list_args(list, src),
        None => Args::default(),
    }
}

/// Splits an `argument_list` node into positional args and keyword options. Useful
/// on its own where error recovery left an argument list beside its method name
/// instead of inside a `call`.
pub fn list_args<'t>(list: Node<'t>, src: &str) -> Args<'t> {
    let mut args = Args::default();
    let mut cursor = list.walk();
    for child in list.named_children(&mut cursor) {
        match child.kind() {
            "pair" => match (
                child.child_by_field_name("key"),
                child.child_by_field_name("value"),
            ) {
                (Some(k), Some(v)) => match key_name(k, src) {
                    Some(name) => args.options.push((name, v)),
                    None => args.dynamic_options = true,
                },
                _ => args.dynamic_options = true,
            },
            "hash_splat_argument" => args.dynamic_options = true,
            "comment" => {}
            // A trailing braced hash `{ key: v }` passed as the last argument is
            // also a set of options for the macros fullscan reads.
            "hash" => {
                let mut c2 = child.walk();
                for pair in child.named_children(&mut c2) {
                    if pair.kind() != "pair" {
                        continue;
                    }
                    match (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ) {
                        (Some(k), Some(v)) => match key_name(k, src) {
                            Some(name) => args.options.push((name, v)),
                            None => args.dynamic_options = true,
                        },
                        _ => args.dynamic_options = true,
                    }
                }
            }
            _ => args.positional.push(child),
        }
    }
    args
}

/// The method name of a `call` node (or the identifier itself for a bare command).
pub fn call_method<'a>(node: Node<'_>, src: &'a str) -> Option<&'a str> {
    match node.kind() {
        "call" => node.child_by_field_name("method").map(|m| text(m, src)),
        "identifier" => Some(text(node, src)),
        _ => None,
    }
}

/// Iterates over every node of a tree without recursion (safe on deeply nested input).
pub fn preorder(root: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    let mut cursor = root.walk();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let node = cursor.node();
        if cursor.goto_first_child() {
            return Some(node);
        }
        loop {
            if cursor.goto_next_sibling() {
                return Some(node);
            }
            if !cursor.goto_parent() {
                done = true;
                return Some(node);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_call_args(src: &str) -> Vec<(String, Literal)> {
        let tree = parse(src).unwrap();
        let call = preorder(tree.root_node())
            .find(|n| n.kind() == "call")
            .unwrap();
        let args = call_args(call, src);
        let mut out: Vec<(String, Literal)> = args
            .positional
            .iter()
            .map(|n| (String::new(), literal(*n, src)))
            .collect();
        out.extend(args.options_literal(src));
        out
    }

    #[test]
    fn literals_of_every_key_style() {
        let got = first_call_args(
            r#"has_many :posts, -> { order(:id) }, class_name: "::Post", :foreign_key => "author_id", "dependent" => :destroy, through: %i[a b]"#,
        );
        assert_eq!(got[0], (String::new(), Literal::Symbol("posts".into())));
        assert!(matches!(got[1].1, Literal::Lambda(_)));
        assert_eq!(got[2], ("class_name".into(), Literal::Str("::Post".into())));
        assert_eq!(
            got[3],
            ("foreign_key".into(), Literal::Str("author_id".into()))
        );
        assert_eq!(
            got[4],
            ("dependent".into(), Literal::Symbol("destroy".into()))
        );
        assert_eq!(
            got[5],
            (
                "through".into(),
                Literal::Array(vec![
                    Literal::Symbol("a".into()),
                    Literal::Symbol("b".into())
                ])
            )
        );
    }

    #[test]
    fn escapes_follow_ruby() {
        let got = first_call_args(r#"x 'it\'s', 'a\\b', 'c\d', "\1zes", "tab\there", "\x41""#);
        let names: Vec<_> = got
            .iter()
            .map(|(_, l)| l.as_name().unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            ["it's", "a\\b", "c\\d", "\u{1}zes", "tab\there", "A"]
        );
    }

    #[test]
    fn interpolation_is_dynamic() {
        let got = first_call_args(r##"belongs_to :x, class_name: "#{prefix}User""##);
        assert!(got[1].1.is_dynamic());
    }

    #[test]
    fn preorder_visits_every_node_once() {
        let src = "class A; def b; c(1, [2, 3]); end; end";
        let tree = parse(src).unwrap();
        let n = preorder(tree.root_node()).count();
        let mut stack = vec![tree.root_node()];
        let mut m = 0;
        while let Some(node) = stack.pop() {
            m += 1;
            let mut c = node.walk();
            stack.extend(node.children(&mut c));
        }
        assert_eq!(n, m);
    }

    #[test]
    fn columns_count_characters() {
        let src = "é = 1\n  x";
        assert_eq!(char_column(src, src.find('x').unwrap()), 3);
        assert_eq!(char_column(src, src.find('=').unwrap()), 3);
    }
}
