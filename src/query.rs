//! What a scope body asks of the database: the columns its `where` / `find_by` /
//! `rewhere` calls filter on and the columns `order` sorts by, read from the Ruby
//! source of the lambda without running it.

use crate::pattern::Pattern;
use crate::ruby::{self, call_args, literal, Literal};
use serde::{Deserialize, Serialize};

/// One filtered column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The table the condition names (`where(posts: { x: 1 })`, `"posts.x = ?"`), if any.
    pub table: Option<String>,
    pub column: String,
    /// Equality, `IN`, `IS NULL` or a range: all can use an index leading with the
    /// column. `IS NOT NULL` is not: it can only follow an equality in an index.
    pub sargable: bool,
    /// The comparison as SQL: `=`, `IS NULL`, `IN`, `>=`, `BETWEEN`, ...
    pub op: String,
}

impl Condition {
    /// An equality-like test (`=`, `IN`, `IS NULL`): an index can search the column
    /// and go on to its next one.
    pub fn is_equality(&self) -> bool {
        matches!(self.op.as_str(), "=" | "IN" | "IS NULL")
    }

    /// `x IS NOT NULL`: an index can search it only after an equality prefix.
    pub fn is_not_null(&self) -> bool {
        self.op == "IS NOT NULL"
    }

    /// How many bind parameters the condition takes.
    pub fn placeholders(&self) -> usize {
        match self.op.as_str() {
            "IS NULL" | "IS NOT NULL" => 0,
            "BETWEEN" => 2,
            _ => 1,
        }
    }

    /// The condition as SQL with a placeholder, e.g. `"t"."c" IS NULL`, `"t"."c" = $1`.
    pub fn sql(&self, table: &str, placeholder: usize) -> String {
        let col = format!("\"{table}\".\"{}\"", self.column);
        match self.op.as_str() {
            "IS NULL" | "IS NOT NULL" => format!("{col} {}", self.op),
            "IN" => format!("{col} IN (${placeholder}, ...)"),
            "BETWEEN" => format!("{col} BETWEEN ${placeholder} AND ${}", placeholder + 1),
            op => format!("{col} {op} ${placeholder}"),
        }
    }
}

/// Conditions joined with AND, their placeholders numbered from `$first`.
pub fn conditions_sql<'a>(
    conditions: impl IntoIterator<Item = &'a Condition>,
    table: &str,
    first: usize,
) -> String {
    let mut next = first;
    let mut parts = Vec::new();
    for c in conditions {
        parts.push(c.sql(table, next));
        next += c.placeholders();
    }
    parts.join(" AND ")
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryShape {
    /// Conditions combined with AND.
    pub conditions: Vec<Condition>,
    pub order: Vec<String>,
    /// True when part of the query could not be read (dynamic hashes, SQL with OR,
    /// `where.not`, method calls we do not know): the shape is a lower bound.
    pub partial: bool,
    /// Whether any `where`-like call was seen at all.
    pub filters: bool,
}

static SIMPLE_PREDICATE: Pattern = Pattern::new(
    r#"(?i)^\(?\s*(?:[`"]?(\w+)[`"]?\.)?[`"]?(\w+)[`"]?\s*(<>|!=|<=|>=|=|<|>|\bIN\b|\bIS\s+NULL\b|\bBETWEEN\b|\bLIKE\b|\bILIKE\b|\bIS\s+NOT\s+NULL\b)"#,
);
static AND_SPLIT: Pattern = Pattern::new(r"(?i)\s+AND\s+");
static OR_WORD: Pattern = Pattern::new(r"(?i)\bOR\b");

/// Reads a SQL fragment such as `"state = ? AND published_at IS NULL"`.
pub fn sql_conditions(sql: &str) -> (Vec<Condition>, bool) {
    if OR_WORD.is_match(sql) || sql.contains('(') && sql.matches('(').count() > 1 {
        return (Vec::new(), true);
    }
    let mut out = Vec::new();
    let mut partial = false;
    for part in AND_SPLIT.split(sql.trim()) {
        // `BETWEEN a AND b` was split too: the bare `b` half has no operator.
        match SIMPLE_PREDICATE.captures(part.trim()) {
            Some(c) => {
                let op = c.get(3).expect("the operator group").to_ascii_uppercase();
                // `IS NOT NULL` selects most rows: an index is searched for it only
                // after an equality on a column before it; `<>` and `LIKE` not at all.
                let sargable =
                    !matches!(op.as_str(), "<>" | "!=" | "LIKE" | "ILIKE") && !op.contains("NOT");
                out.push(Condition {
                    table: c.get(1).map(str::to_owned),
                    column: c.get(2).expect("the column group").to_owned(),
                    sargable,
                    op: op.split_whitespace().collect::<Vec<_>>().join(" "),
                });
            }
            None => {
                if !out.is_empty()
                    && part
                        .trim()
                        .chars()
                        .all(|ch| ch.is_alphanumeric() || "?:_'\"".contains(ch))
                {
                    continue;
                }
                partial = true;
            }
        }
    }
    (out, partial)
}

fn hash_conditions(lit: &Literal, table: Option<&str>, shape: &mut QueryShape) {
    match lit {
        Literal::Hash(pairs) => {
            for (key, value) in pairs {
                match value {
                    // `where(comments: { approved: true })` names another table.
                    Literal::Hash(_) if table.is_none() => hash_conditions(value, Some(key), shape),
                    _ => {
                        let (t, c) = match key.split_once('.') {
                            Some((t, c)) => (Some(t.to_owned()), c.to_owned()),
                            None => (table.map(str::to_owned), key.clone()),
                        };
                        let op = match value {
                            Literal::Nil => "IS NULL",
                            Literal::Array(_) => "IN",
                            Literal::Dynamic(v) if v.contains("..") => ">=",
                            _ => "=",
                        };
                        shape.conditions.push(Condition {
                            table: t,
                            column: c,
                            sargable: true,
                            op: op.to_owned(),
                        });
                    }
                }
            }
        }
        _ => shape.partial = true,
    }
}

/// Relation methods whose effect on the WHERE clause is read here or is none.
const KNOWN_RELATION_METHODS: &[&str] = &[
    "where",
    "find_by",
    "find_by!",
    "rewhere",
    "where!",
    "not",
    "missing",
    "associated",
    "order",
    "reorder",
    "limit",
    "offset",
    "includes",
    "preload",
    "eager_load",
    "select",
    "distinct",
    "group",
    "having",
    "references",
    "readonly",
    "lock",
    "all",
    "joins",
    "left_joins",
    "left_outer_joins",
    "strict_loading",
    "in_order_of",
];

/// Node kinds under which a node is not part of the relation chain the body builds
/// but of some call's arguments, a hash or a string interpolation.
fn leaves_chain(kind: &str) -> bool {
    matches!(
        kind,
        "argument_list"
            | "pair"
            | "hash"
            | "array"
            | "interpolation"
            | "lambda_parameters"
            | "block_parameters"
            | "parenthesized_statements"
            | "binary"
            | "unary"
            | "element_reference"
            | "range"
    )
}

/// What a node of a lambda body is, from its ancestors up to the body's root.
struct Place<'a> {
    /// Part of the relation chain: no ancestor is an argument list, a hash, ...
    in_chain: bool,
    /// The method name of a call (`where` in `where(...)`), not a receiver.
    is_method_name: bool,
    /// The words of the parameters of the lambdas and blocks around it.
    parameters: &'a [&'a str],
}

/// Every node under `root` in preorder (anonymous ones too), with its [`Place`];
/// `root`'s ancestors are not looked at. One pass down the tree: a node's parent is
/// never asked for (which tree-sitter finds by walking down from the root again).
fn walk_places<'t>(
    root: tree_sitter::Node<'t>,
    src: &'t str,
    mut visit: impl FnMut(tree_sitter::Node<'t>, &Place<'_>),
) {
    struct Frame {
        children_in_chain: bool,
        is_call: bool,
        parameters_before: usize,
    }
    let mut cursor = root.walk();
    let mut frames: Vec<Frame> = Vec::new();
    let mut parameters: Vec<&'t str> = Vec::new();
    loop {
        let node = cursor.node();
        let parent = frames.last();
        let place = Place {
            in_chain: parent.is_none_or(|f| f.children_in_chain),
            is_method_name: parent.is_some_and(|f| f.is_call)
                && cursor.field_name() == Some("method"),
            parameters: &parameters,
        };
        visit(node, &place);
        let in_chain = place.in_chain;
        if cursor.goto_first_child() {
            frames.push(Frame {
                children_in_chain: in_chain && !leaves_chain(node.kind()),
                is_call: node.kind() == "call",
                parameters_before: parameters.len(),
            });
            if matches!(node.kind(), "lambda" | "block" | "do_block") {
                if let Some(p) = node.child_by_field_name("parameters") {
                    parameters.extend(
                        ruby::text(p, src)
                            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .filter(|w| !w.is_empty()),
                    );
                }
            }
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            let frame = frames.pop().expect("a frame per level below the root");
            parameters.truncate(frame.parameters_before);
        }
    }
}

/// Reads the query a scope body builds.
pub fn scope_shape(body: &str) -> QueryShape {
    let Some(tree) = ruby::parse(body) else {
        return QueryShape {
            partial: true,
            ..QueryShape::default()
        };
    };
    shape_in(tree.root_node(), body)
}

/// [`scope_shape`] of a lambda (`-> { ... }`) read where it stands in its file's
/// syntax tree (`src` is the file's text), without parsing it again: the lambda is
/// read as if it were the whole text.
pub fn lambda_shape(lambda: tree_sitter::Node<'_>, src: &str) -> QueryShape {
    shape_in(lambda, src)
}

/// The query built by the code under `root`, whose ancestors are not looked at.
fn shape_in(root: tree_sitter::Node<'_>, body: &str) -> QueryShape {
    let mut shape = QueryShape::default();
    walk_places(root, body, |node, place| {
        read_node(node, place, body, &mut shape)
    });
    shape
}

/// What one node of a query body adds to its shape.
fn read_node(node: tree_sitter::Node<'_>, place: &Place<'_>, body: &str, shape: &mut QueryShape) {
    {
        // Branches, `or`, and calls to other scopes or methods in the relation chain
        // (`published.where(...)`, `merge(...)`) change the query in ways not read
        // here: the shape is then only a lower bound.
        match node.kind() {
            "if" | "unless" | "conditional" | "case" | "if_modifier" | "unless_modifier" => {
                shape.partial = true;
                return;
            }
            "identifier" if place.in_chain && !place.is_method_name => {
                let name = ruby::text(node, body);
                if !KNOWN_RELATION_METHODS.contains(&name) && !place.parameters.contains(&name) {
                    shape.partial = true;
                }
                return;
            }
            "call" => {}
            _ => return,
        }
        let Some(method) = ruby::call_method(node, body) else {
            return;
        };
        if place.in_chain && !KNOWN_RELATION_METHODS.contains(&method) {
            shape.partial = true;
        }
        let receiver_is_where = node
            .child_by_field_name("receiver")
            .is_some_and(|r| ruby::call_method(r, body) == Some("where"));
        match method {
            "not" | "missing" | "associated" if receiver_is_where => {
                shape.partial = true;
            }
            "where" | "find_by" | "find_by!" | "rewhere" | "where!" => {
                let args = call_args(node, body);
                if args.positional.is_empty() && args.options.is_empty() {
                    // `where.not(...)`: handled above.
                    return;
                }
                shape.filters = true;
                if !args.options.is_empty() {
                    hash_conditions(&Literal::Hash(args.options_literal(body)), None, shape);
                }
                if args.dynamic_options {
                    shape.partial = true;
                }
                if let Some(first) = args.positional.first() {
                    match literal(*first, body) {
                        Literal::Str(sql) => {
                            let (conds, partial) = sql_conditions(&sql);
                            shape.conditions.extend(conds);
                            shape.partial |= partial;
                        }
                        lit @ Literal::Hash(_) => hash_conditions(&lit, None, shape),
                        _ => shape.partial = true,
                    }
                }
            }
            "order" | "reorder" => {
                let args = call_args(node, body);
                for a in &args.positional {
                    match literal(*a, body) {
                        Literal::Symbol(s) => shape.order.push(s),
                        Literal::Str(s) => {
                            let col = s
                                .split_whitespace()
                                .next()
                                .unwrap_or("")
                                .trim_matches('"')
                                .to_owned();
                            if col
                                .chars()
                                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                                && !col.is_empty()
                            {
                                shape.order.push(col);
                            } else {
                                shape.partial = true;
                            }
                        }
                        _ => shape.partial = true,
                    }
                }
                for (k, _) in &args.options {
                    shape.order.push(k.clone());
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The places of every node, computed from each node's ancestors the slow way.
    fn places_by_ancestors(root: tree_sitter::Node<'_>, src: &str) -> Vec<(bool, bool, bool)> {
        ruby::preorder(root)
            .map(|node| {
                let mut ancestors = Vec::new();
                let mut current = (node.id() != root.id()).then(|| node.parent()).flatten();
                while let Some(n) = current {
                    ancestors.push(n);
                    if n.id() == root.id() {
                        break;
                    }
                    current = n.parent();
                }
                let in_chain = !ancestors.iter().any(|a| leaves_chain(a.kind()));
                let is_method_name = node.id() != root.id()
                    && node.parent().is_some_and(|p| {
                        p.kind() == "call"
                            && p.child_by_field_name("method")
                                .is_some_and(|m| m.id() == node.id())
                    });
                let name = ruby::text(node, src);
                let is_parameter = ancestors.iter().any(|a| {
                    matches!(a.kind(), "lambda" | "block" | "do_block")
                        && a.child_by_field_name("parameters").is_some_and(|p| {
                            ruby::text(p, src)
                                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                                .any(|w| w == name)
                        })
                });
                (in_chain, is_method_name, is_parameter)
            })
            .collect()
    }

    #[test]
    fn places_found_going_down_are_those_of_the_ancestors() {
        let src = "class A\n  scope :a, ->(user, max = 5) { where(id: user).merge(B.x { |b| b.y(max) })\n    .order(\"#{z}\") }\n  scope :b, -> { where(k: [1, 2], v: (a..b)).not(!c) if d }\n  scope :c, lambda { |q| q.where(x: 1) do |r| r + s end }\nend\n";
        let tree = ruby::parse(src).unwrap();
        let roots: Vec<_> = ruby::preorder(tree.root_node())
            .filter(|n| matches!(n.kind(), "lambda" | "block" | "call" | "program"))
            .collect();
        assert!(roots.len() > 10);
        for root in roots {
            let mut down = Vec::new();
            walk_places(root, src, |node, place| {
                let name = ruby::text(node, src);
                down.push((
                    place.in_chain,
                    place.is_method_name,
                    place.parameters.contains(&name),
                ));
            });
            assert_eq!(
                down,
                places_by_ancestors(root, src),
                "under {}",
                ruby::text(root, src)
            );
        }
    }

    #[test]
    fn sql_patterns_read_ascii_fragments_as_the_unicode_engine_does() {
        let fragments = [
            "state = ?",
            "`posts`.`state` = 'x'",
            "\"users\".\"deleted_at\" IS NULL",
            "email IS NOT NULL AND email <> ''",
            "email is  not\tnull and age between ? and ?",
            "(state = ?)",
            "(( a = 1) or b = 2)",
            "stateIN (1)",
            "x_in IN (?)",
            "status_or_not = 1 OR",
            "ORDER = 1",
            "name ILIKE ? AND kind LIKE ?",
            "a.b.c = 1",
            "\"a\".b <= 3 AND c >= 4 AND d != 5 AND e < 6 AND f > 7",
            "LOWER(email) = ?",
            "created_at BETWEEN :from AND :to",
            "and = 1 AND andy = 2 ANDx = 3",
            "",
            "   ",
            "_ = ?",
            "K = 1 AND k = 2 AND s IS NULL AND S IS null",
        ];
        for pattern in [&SIMPLE_PREDICATE, &AND_SPLIT, &OR_WORD] {
            for f in fragments {
                assert!(pattern.engines_agree(f), "{f:?}");
                for part in AND_SPLIT.split(f) {
                    assert!(pattern.engines_agree(part.trim()), "{part:?} of {f:?}");
                }
            }
        }
    }

    fn cols(shape: &QueryShape) -> Vec<String> {
        shape
            .conditions
            .iter()
            .map(|c| match &c.table {
                Some(t) => format!("{t}.{}", c.column),
                None => c.column.clone(),
            })
            .collect()
    }

    #[test]
    fn hash_and_string_conditions() {
        let s = scope_shape("-> { where(state: :open, account_id: 1).order(created_at: :desc) }");
        assert_eq!(cols(&s), ["state", "account_id"]);
        assert_eq!(s.order, ["created_at"]);
        assert!(!s.partial);
        let s = scope_shape(r#"-> { where("published_at IS NULL AND posts.kind = ?", k) }"#);
        assert_eq!(cols(&s), ["published_at", "posts.kind"]);
        let s = scope_shape(r#"-> { where("a = 1 OR b = 2") }"#);
        assert!(s.conditions.is_empty() && s.partial);
        let s = scope_shape("-> { joins(:comments).where(comments: { approved: true }) }");
        assert_eq!(cols(&s), ["comments.approved"]);
        let s = scope_shape("-> { where.not(deleted_at: nil) }");
        assert!(s.partial);
        let s = scope_shape("->(since) { where(created_at: since..) }");
        assert_eq!(cols(&s), ["created_at"]);
        let s = scope_shape("-> { order(:position) }");
        assert!(!s.filters);
        assert_eq!(s.order, ["position"]);
    }

    #[test]
    fn not_equal_is_not_sargable() {
        let (c, _) = sql_conditions("email IS NOT NULL AND email <> ''");
        let ops: Vec<(&str, bool)> = c.iter().map(|c| (c.op.as_str(), c.sargable)).collect();
        assert_eq!(ops, [("IS NOT NULL", false), ("<>", false)]);
        assert!(c[0].is_not_null() && !c[0].is_equality());
        let (c, _) = sql_conditions("age >= 18");
        assert_eq!((c[0].op.as_str(), c[0].sargable), (">=", true));
    }

    #[test]
    fn placeholders_are_numbered_by_what_each_condition_binds() {
        let (c, _) =
            sql_conditions("email IS NOT NULL AND email <> '' AND age BETWEEN ? AND ? AND x = ?");
        assert_eq!(
            conditions_sql(&c, "t", 1),
            r#""t"."email" IS NOT NULL AND "t"."email" <> $1 AND "t"."age" BETWEEN $2 AND $3 AND "t"."x" = $4"#
        );
    }

    #[test]
    fn chains_through_unknown_methods_are_partial() {
        for body in [
            "-> { published.where(x: 1) }",
            "-> { where(a: 1).or(where(b: 2)) }",
            "-> { merge(Post.visible).where(x: 1) }",
            "->(f) { f ? where(a: 1) : all }",
            "-> { where(a: 1) if true }",
        ] {
            assert!(scope_shape(body).partial, "{body}");
        }
        for body in [
            "-> { where(a: 1).order(:b).limit(5) }",
            "->(since) { where(created_at: since..).includes(:c) }",
            "->(user) { where(user_id: user.id) }",
            "-> { where(created_at: 1.week.ago..) }",
            "{ where(a: 1) }",
            "->(q) { where(\"name = ?\", q.strip) }",
        ] {
            assert!(!scope_shape(body).partial, "{body}");
        }
    }

    #[test]
    fn between_is_one_condition() {
        let (c, partial) = sql_conditions("created_at BETWEEN ? AND ?");
        assert_eq!(c.len(), 1);
        assert!(!partial);
    }
}
