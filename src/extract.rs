//! Extraction: one Ruby file's tree-sitter tree in, [`FileFacts`] out.
//!
//! The walk is iterative (an explicit work list), so no input nesting can overflow
//! the stack. Only class and module bodies are read, the places where Rails'
//! class-level macros run; method bodies are not, and a macro found where it cannot be
//! read statically (inside a method, a loop, `send(:has_many, ...)`) is recorded as
//! [`Unanalyzed`] instead of being guessed.

use crate::model::*;
use crate::ruby::{self, call_args, literal, text, Literal, Span};
use std::path::Path;
use tree_sitter::Node;

/// Extracts the facts of one Ruby source file.
pub fn extract_file(path: &Path, src: &str) -> FileFacts {
    extract_parsed(path, src, parse_skimmed(src))
}

/// [`extract_file`] with every method body parsed: the reference the skimmed parse
/// is checked against (the facts must be the same).
#[doc(hidden)]
pub fn extract_file_whole(path: &Path, src: &str) -> FileFacts {
    extract_parsed(path, src, ruby::parse(src))
}

fn extract_parsed(path: &Path, src: &str, tree: Option<tree_sitter::Tree>) -> FileFacts {
    let mut facts = FileFacts {
        path: path.to_path_buf(),
        ..FileFacts::default()
    };
    let Some(tree) = tree else {
        facts.unanalyzed.push(Unanalyzed {
            path: path.to_path_buf(),
            line: 1,
            reason: "the Ruby parser gave up on this file".into(),
        });
        return facts;
    };
    let root = tree.root_node();
    if root.has_error() {
        facts.syntax_errors = syntax_error_lines(root);
    }
    Extractor {
        src,
        path,
        facts: &mut facts,
    }
    .run(root);
    facts
}

/// Parses `src` without the method bodies [`skim`](crate::skim) finds no use for;
/// the whole file when there are none, or when the skimmed parse has an error (a
/// body cut in the wrong place, or a real syntax error, whose lines must be the
/// whole file's).
fn parse_skimmed(src: &str) -> Option<tree_sitter::Tree> {
    let bodies = crate::skim::skippable_bodies(src);
    if !bodies.is_empty() {
        let ranges = crate::skim::included_ranges(src, &bodies);
        if let Some(tree) = ruby::parse_ranges(src, &ranges) {
            if !tree.root_node().has_error() {
                return Some(tree);
            }
        }
    }
    ruby::parse(src)
}

/// Lines where the parser stopped understanding: MISSING nodes and the ERROR
/// nodes that hold no other error (an ERROR wrapping a whole class that a broken
/// method spoils starts at the class, not at the method), deduplicated, in order.
fn syntax_error_lines(root: Node<'_>) -> Vec<u32> {
    let innermost = |n: &Node<'_>| {
        n.is_missing()
            || (n.is_error() && {
                let mut cursor = n.walk();
                let inner = n.children(&mut cursor).any(|c| c.has_error());
                !inner
            })
    };
    let mut lines: Vec<u32> = ruby::preorder(root)
        .filter(innermost)
        .map(ruby::line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines.truncate(100);
    lines
}

#[derive(Clone, Default)]
struct Ctx {
    /// Index of the enclosing definition in `facts.defs`.
    def: Option<usize>,
    /// Full names of enclosing definitions, innermost first.
    nesting: Vec<String>,
    /// Receivers that stand for the class itself (`with_options ... do |assoc|`,
    /// `def self.included(base)`).
    receivers: Vec<String>,
    /// `with_options` defaults in force.
    defaults: Options,
    /// Inside `class << self`.
    singleton: bool,
}

struct Extractor<'a> {
    src: &'a str,
    path: &'a Path,
    facts: &'a mut FileFacts,
}

/// How deep class/module definitions are followed.
const MAX_NESTING: usize = 64;

const MACROS: [&str; 4] = [
    "belongs_to",
    "has_one",
    "has_many",
    "has_and_belongs_to_many",
];

/// Class-level macros, of Rails' frameworks, of common gems or of the project's
/// own plugins, that declare associations or scopes by calling `has_many`,
/// `belongs_to` or `scope` where fullscan does not read them: `acts_as_*`
/// (taggable, paranoid, list, tree, nested set, tenant, ...), Active Storage's
/// and Action Text's attachments, paper_trail, audited, globalize and mobility,
/// friendly_id's slugs, rolify. Counted as not analyzed, never guessed.
fn defines_hidden_associations(method: &str) -> bool {
    method.starts_with("acts_as_")
        || matches!(
            method,
            "has_one_attached"
                | "has_many_attached"
                | "has_rich_text"
                | "has_paper_trail"
                | "has_associated_audits"
                | "audited"
                | "has_ancestry"
                | "has_closure_tree"
                | "translates"
                | "friendly_id"
                | "rolify"
                | "resourcify"
                | "multi_tenant"
        )
}

impl<'a> Extractor<'a> {
    fn run(&mut self, root: Node<'_>) {
        // Work list of (statement container, context); containers are walked in order
        // by pushing children in reverse.
        let mut work: Vec<(Node<'_>, Ctx)> = vec![(root, Ctx::default())];
        while let Some((node, ctx)) = work.pop() {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            for child in children.into_iter().rev() {
                if let Some(next) = self.statement(child, &ctx) {
                    work.push(next);
                }
            }
        }
        // Definitions were discovered in reverse within each body; restore source order.
        self.facts.defs.sort_by_key(|d| d.span.start_byte);
        for def in &mut self.facts.defs {
            def.associations.sort_by_key(|a| a.span.start_byte);
            def.scopes.sort_by_key(|s| s.span.start_byte);
            def.uniqueness.sort_by_key(|u| u.span.start_byte);
        }
        self.facts.unanalyzed.sort_by_key(|u| u.line);
    }

    fn def_mut(&mut self, ctx: &Ctx) -> Option<&mut ClassDef> {
        ctx.def.map(|i| &mut self.facts.defs[i])
    }

    fn unanalyzed(&mut self, node: Node<'_>, reason: impl Into<String>) {
        self.facts.unanalyzed.push(Unanalyzed {
            path: self.path.to_path_buf(),
            line: ruby::line(node),
            reason: reason.into(),
        });
    }

    fn hidden_associations(&mut self, node: Node<'_>, method: &str, ctx: &Ctx) {
        if let Some(def) = self.def_mut(ctx) {
            def.hidden_macros.push(method.to_owned());
        }
        self.unanalyzed(
            node,
            format!("`{method}` (a macro defined outside the model) may declare associations or scopes that are not analyzed"),
        );
    }

    /// Handles one statement of a class/module body (or the top level). Returns a
    /// nested body to walk, with its context.
    fn statement<'t>(&mut self, node: Node<'t>, ctx: &Ctx) -> Option<(Node<'t>, Ctx)> {
        match node.kind() {
            "class" | "module" => {
                let name = node.child_by_field_name("name")?;
                let kind = if node.kind() == "class" {
                    DefKind::Class
                } else {
                    DefKind::Module
                };
                let superclass = node.child_by_field_name("superclass");
                let body = node.child_by_field_name("body");
                self.definition(node, kind, name, superclass, body, ctx)
            }
            // tree-sitter wraps code it cannot parse in ERROR nodes; a class whose body
            // is broken often becomes `(ERROR "class" (constant) (superclass) ...)`.
            // Read what is recognisable instead of dropping the whole class.
            "ERROR" => {
                let mut c = node.walk();
                let children: Vec<Node<'t>> = node.children(&mut c).collect();
                if let [kw, name, ..] = children.as_slice() {
                    let kind = match kw.kind() {
                        "class" => Some(DefKind::Class),
                        "module" => Some(DefKind::Module),
                        _ => None,
                    };
                    if let (Some(kind), "constant" | "scope_resolution") = (kind, name.kind()) {
                        let superclass =
                            children.iter().find(|n| n.kind() == "superclass").copied();
                        return self.definition(node, kind, *name, superclass, Some(node), ctx);
                    }
                }
                Some((node, ctx.clone()))
            }
            "singleton_class" => {
                let value = node.child_by_field_name("value")?;
                if text(value, self.src) != "self" {
                    return None;
                }
                let body = node.child_by_field_name("body")?;
                Some((
                    body,
                    Ctx {
                        singleton: true,
                        ..ctx.clone()
                    },
                ))
            }
            "call" => self.call(node, ctx),
            // A bare command without arguments parses as an identifier.
            "identifier" => {
                let name = text(node, self.src);
                if name == "primary_abstract_class" {
                    if let Some(def) = self.def_mut(ctx) {
                        def.abstract_class = Some(true);
                    }
                } else if ctx.def.is_some() && defines_hidden_associations(name) {
                    self.hidden_associations(node, name, ctx);
                }
                None
            }
            "assignment" => {
                self.assignment(node, ctx);
                None
            }
            "singleton_method" => self.singleton_method(node, ctx),
            "method" => {
                if ctx.singleton {
                    self.class_method(node, ctx);
                } else {
                    self.scan_dynamic(node);
                }
                None
            }
            // Conditional declarations are declared for fullscan's purposes.
            "if"
            | "unless"
            | "then"
            | "else"
            | "begin"
            | "parenthesized_statements"
            | "body_statement"
            | "if_modifier"
            | "unless_modifier" => {
                if matches!(node.kind(), "if_modifier" | "unless_modifier") {
                    let body = node.child_by_field_name("body")?;
                    return self.statement(body, ctx);
                }
                Some((node, ctx.clone()))
            }
            "comment" => None,
            _ => {
                self.scan_dynamic(node);
                None
            }
        }
    }

    fn definition<'t>(
        &mut self,
        node: Node<'t>,
        kind: DefKind,
        name_node: Node<'t>,
        superclass: Option<Node<'t>>,
        body: Option<Node<'t>>,
        ctx: &Ctx,
    ) -> Option<(Node<'t>, Ctx)> {
        if ctx.nesting.len() >= MAX_NESTING {
            // Real code never nests this deep; generated or hostile input must not make
            // the extraction quadratic in memory.
            self.unanalyzed(
                node,
                format!("definitions nested deeper than {MAX_NESTING} levels"),
            );
            return None;
        }
        let written = text(name_node, self.src);
        let name = if let Some(abs) = written.strip_prefix("::") {
            abs.to_owned()
        } else {
            match ctx.nesting.first() {
                Some(outer) => format!("{outer}::{written}"),
                None => written.to_owned(),
            }
        };
        let mut def = ClassDef::new(
            kind,
            name.clone(),
            ctx.nesting.clone(),
            self.path.to_path_buf(),
            Span::of(name_node, self.src),
        );
        if let Some(sup) = superclass {
            let mut c = sup.walk();
            let expr = sup.named_children(&mut c).find(|n| n.kind() != "comment");
            def.superclass = expr.map(|e| text(e, self.src).to_owned());
        }
        self.facts.defs.push(def);
        let idx = self.facts.defs.len() - 1;
        let body = body?;
        let mut nesting = Vec::with_capacity(ctx.nesting.len() + 1);
        nesting.push(name);
        nesting.extend(ctx.nesting.iter().cloned());
        Some((
            body,
            Ctx {
                def: Some(idx),
                nesting,
                receivers: Vec::new(),
                defaults: Options::default(),
                singleton: false,
            },
        ))
    }

    fn receiver_is_self(&self, node: Node<'_>, ctx: &Ctx) -> bool {
        match node.child_by_field_name("receiver") {
            None => true,
            Some(r) => {
                let t = text(r, self.src);
                t == "self" || ctx.receivers.iter().any(|x| x == t)
            }
        }
    }

    fn call<'t>(&mut self, node: Node<'t>, ctx: &Ctx) -> Option<(Node<'t>, Ctx)> {
        let method = ruby::call_method(node, self.src)?;
        if ctx.def.is_none() || !self.receiver_is_self(node, ctx) {
            self.scan_dynamic(node);
            return None;
        }
        if let Some(m) = Macro::from_method(method) {
            self.association(node, m, ctx);
            return None;
        }
        if method == "delegated_type" {
            // `delegated_type :entryable, types: %w[...]` is a polymorphic belongs_to.
            self.association(node, Macro::BelongsTo, ctx);
            if let Some(def) = self.def_mut(ctx) {
                if let Some(last) = def.associations.last_mut() {
                    last.options.0.retain(|(k, _)| k != "types");
                    last.options
                        .0
                        .push(("polymorphic".into(), Literal::Bool(true)));
                }
            }
            return None;
        }
        match method {
            "scope" | "default_scope" => self.scope(node, method, ctx),
            "validates" | "validates_uniqueness_of" => self.validation(node, method, ctx),
            "include" => {
                let args = call_args(node, self.src);
                let names: Vec<String> = args
                    .positional
                    .iter()
                    .filter_map(|a| match literal(*a, self.src) {
                        Literal::Const(c) => Some(c),
                        _ => None,
                    })
                    .collect();
                if let Some(def) = self.def_mut(ctx) {
                    def.includes.extend(names);
                }
            }
            "extend" => {
                let args = call_args(node, self.src);
                let concern = args.positional.iter().any(|a| {
                    matches!(
                        text(*a, self.src),
                        "ActiveSupport::Concern" | "::ActiveSupport::Concern"
                    )
                });
                if concern {
                    if let Some(def) = self.def_mut(ctx) {
                        def.is_concern = true;
                    }
                }
            }
            "connects_to" => {
                let args = call_args(node, self.src);
                let db = args
                    .option("database")
                    .map(|n| literal(n, self.src))
                    .and_then(|l| {
                        l.get("writing")
                            .or_else(|| l.get("reading"))
                            .and_then(|v| v.as_name().map(str::to_owned))
                    });
                match db {
                    Some(db) => {
                        if let Some(def) = self.def_mut(ctx) {
                            def.connects_to = Some(db);
                        }
                    }
                    None => self.unanalyzed(
                        node,
                        "connects_to without a literal writing database (shards are not analyzed)",
                    ),
                }
            }
            "query_constraints" => {
                let args = call_args(node, self.src);
                let cols: Option<Vec<String>> = args
                    .positional
                    .iter()
                    .map(|a| literal(*a, self.src).as_name().map(str::to_owned))
                    .collect();
                if let (Some(cols), Some(def)) = (cols, self.def_mut(ctx)) {
                    def.query_constraints = Some(cols);
                }
            }
            "isolate_namespace" => {
                let args = call_args(node, self.src);
                if let Some(Literal::Const(c)) =
                    args.positional.first().map(|a| literal(*a, self.src))
                {
                    self.facts
                        .isolated_namespaces
                        .push(c.trim_start_matches("::").to_owned());
                }
            }
            "primary_abstract_class" => {
                if let Some(def) = self.def_mut(ctx) {
                    def.abstract_class = Some(true);
                }
            }
            "with_options" => return self.with_options(node, ctx),
            // `included do ... end` in a concern, `class_eval do ... end`, and inline
            // `concerning :Name do ... end`: their bodies run in the class itself.
            "included" | "class_eval" | "class_exec" | "instance_eval" | "concerning" => {
                if method == "class_eval" || method == "instance_eval" {
                    let args = call_args(node, self.src);
                    if !args.positional.is_empty() {
                        self.unanalyzed(node, format!("`{method}` with a string is not analyzed"));
                        return None;
                    }
                }
                let block = node.child_by_field_name("block")?;
                let body = block_body(block)?;
                return Some((body, ctx.clone()));
            }
            "class_methods" => self.scan_dynamic(node),
            _ if defines_hidden_associations(method) => self.hidden_associations(node, method, ctx),
            _ => self.scan_dynamic(node),
        }
        None
    }

    fn with_options<'t>(&mut self, node: Node<'t>, ctx: &Ctx) -> Option<(Node<'t>, Ctx)> {
        let args = call_args(node, self.src);
        let block = node.child_by_field_name("block")?;
        let mut opts = Options(args.options_literal(self.src));
        if args.positional.len() == 1 {
            // `with_options({ dependent: :destroy })` / `with_options(OPTS)`.
            match literal(args.positional[0], self.src) {
                Literal::Hash(pairs) => opts.0.extend(pairs),
                _ => self.unanalyzed(
                    node,
                    "with_options with options that are not a literal hash",
                ),
            }
        }
        if args.dynamic_options {
            self.unanalyzed(node, "with_options with options that are not literal");
        }
        let mut receivers = ctx.receivers.clone();
        if let Some(param) = block_param(block, self.src) {
            receivers.push(param);
        }
        let defaults = opts.merged_under(&ctx.defaults);
        let body = block_body(block)?;
        Some((
            body,
            Ctx {
                receivers,
                defaults: Options(
                    // Inner with_options override outer ones.
                    defaults.0,
                ),
                ..ctx.clone()
            },
        ))
    }

    fn association(&mut self, node: Node<'_>, m: Macro, ctx: &Ctx) {
        let args = call_args(node, self.src);
        let Some(first) = args.positional.first() else {
            self.unanalyzed(
                node,
                format!("`{}` without an association name", m.as_str()),
            );
            return;
        };
        let Some(name) = literal(*first, self.src).as_name().map(str::to_owned) else {
            self.unanalyzed(
                node,
                format!(
                    "`{}` with a computed name `{}`",
                    m.as_str(),
                    text(*first, self.src)
                ),
            );
            return;
        };
        let mut scope = None;
        let mut dynamic = args.dynamic_options;
        for extra in &args.positional[1..] {
            match literal(*extra, self.src) {
                Literal::Lambda(_) if scope.is_none() => {
                    scope = Some(QueryLambda::of_node(*extra, self.src))
                }
                _ => dynamic = true,
            }
        }
        let options = Options(args.options_literal(self.src)).merged_under(&ctx.defaults);
        let decl = AssociationDecl {
            macro_: m,
            name,
            options,
            scope,
            dynamic_options: dynamic,
            span: Span::of(node, self.src),
            path: self.path.to_path_buf(),
        };
        if let Some(def) = self.def_mut(ctx) {
            def.associations.push(decl);
        }
    }

    fn scope(&mut self, node: Node<'_>, method: &str, ctx: &Ctx) {
        let args = call_args(node, self.src);
        let (kind, name, body) = if method == "scope" {
            let name = args
                .positional
                .first()
                .and_then(|n| literal(*n, self.src).as_name().map(str::to_owned));
            let Some(name) = name else {
                self.unanalyzed(node, "`scope` with a computed name");
                return;
            };
            let body = args
                .positional
                .get(1)
                .copied()
                .or(node.child_by_field_name("block"));
            (ScopeKind::Scope, Some(name), body)
        } else {
            let body = node
                .child_by_field_name("block")
                .or(args.positional.first().copied());
            (ScopeKind::DefaultScope, None, body)
        };
        let Some(body) = body else {
            self.unanalyzed(node, format!("`{method}` without a body"));
            return;
        };
        let decl = ScopeDecl {
            kind,
            name,
            body: QueryLambda::of_node(body, self.src),
            body_line: ruby::line(body),
            span: Span::of(node, self.src),
            path: self.path.to_path_buf(),
        };
        if let Some(def) = self.def_mut(ctx) {
            def.scopes.push(decl);
        }
    }

    fn validation(&mut self, node: Node<'_>, method: &str, ctx: &Ctx) {
        let args = call_args(node, self.src);
        let attributes: Vec<String> = args
            .positional
            .iter()
            .filter_map(|n| literal(*n, self.src).as_name().map(str::to_owned))
            .collect();
        let all_options = Options(args.options_literal(self.src)).merged_under(&ctx.defaults);
        // validates_uniqueness_of :a, scope: ...  vs  validates :a, uniqueness: { scope: ... }
        let uniq: Literal = if method == "validates_uniqueness_of" {
            Literal::Hash(all_options.0.clone())
        } else {
            match all_options.get("uniqueness") {
                None => return,
                Some(l) => l.clone(),
            }
        };
        if uniq.truthy() == Some(false) {
            return;
        }
        let mut dynamic = args.dynamic_options || attributes.len() != args.positional.len();
        let scope = match uniq.get("scope") {
            None => Vec::new(),
            Some(l) => l.as_names().unwrap_or_else(|| {
                dynamic = true;
                Vec::new()
            }),
        };
        let case_sensitive = uniq.get("case_sensitive").and_then(Literal::as_bool);
        let has_conditions = uniq.get("conditions").is_some();
        let conditions = match uniq.get("conditions") {
            Some(Literal::Lambda(body)) => Some(QueryLambda::read(body.clone())),
            _ => None,
        };
        if uniq.is_dynamic() {
            dynamic = true;
        }
        let decl = UniquenessDecl {
            attributes,
            scope,
            case_sensitive,
            has_conditions,
            conditions,
            dynamic,
            span: Span::of(node, self.src),
            path: self.path.to_path_buf(),
        };
        if let Some(def) = self.def_mut(ctx) {
            def.uniqueness.push(decl);
        }
    }

    /// `self.table_name = "x"` and friends.
    fn assignment(&mut self, node: Node<'_>, ctx: &Ctx) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        if left.kind() != "call" || ctx.def.is_none() {
            return;
        }
        let Some(recv) = left.child_by_field_name("receiver") else {
            return;
        };
        if text(recv, self.src) != "self" {
            return;
        }
        let Some(attr) = ruby::call_method(left, self.src) else {
            return;
        };
        let value = literal(right, self.src);
        self.setting(node, attr, value, ctx);
    }

    fn setting(&mut self, node: Node<'_>, attr: &str, value: Literal, ctx: &Ctx) {
        let known = matches!(
            attr,
            "table_name"
                | "primary_key"
                | "abstract_class"
                | "inheritance_column"
                | "pluralize_table_names"
                | "table_name_prefix"
                | "table_name_suffix"
        );
        if !known {
            return;
        }
        // `"#{table_name_prefix}users#{table_name_suffix}"` is read by the resolver.
        let prefix_suffix_only = matches!(&value, Literal::Dynamic(t) if attr == "table_name"
        && t.starts_with('"')
        && t.split("#{").skip(1).all(|part| {
            let expr = part.split('}').next().unwrap_or("").trim();
            matches!(
                expr.strip_prefix("self.").unwrap_or(expr),
                "table_name_prefix" | "table_name_suffix" | "full_table_name_prefix" | "full_table_name_suffix"
            )
        }));
        if value.is_dynamic() {
            if !prefix_suffix_only {
                self.unanalyzed(node, format!("`{attr}` is set to a computed value"));
            }
            if attr == "table_name" {
                if let Some(def) = self.def_mut(ctx) {
                    def.table_name = Some(value);
                }
            }
            return;
        }
        let Some(def) = self.def_mut(ctx) else { return };
        match attr {
            "table_name" => def.table_name = Some(value),
            "primary_key" => def.primary_key = value.as_names(),
            "abstract_class" => def.abstract_class = value.truthy(),
            "inheritance_column" => def.inheritance_column = value.as_name().map(str::to_owned),
            "pluralize_table_names" => def.pluralize_table_names = value.as_bool(),
            "table_name_prefix" => def.table_name_prefix = value.as_name().map(str::to_owned),
            "table_name_suffix" => def.table_name_suffix = value.as_name().map(str::to_owned),
            _ => {}
        }
    }

    /// `def self.table_name_prefix; "admin_"; end`, `def self.included(base)`.
    fn singleton_method<'t>(&mut self, node: Node<'t>, ctx: &Ctx) -> Option<(Node<'t>, Ctx)> {
        let object = node.child_by_field_name("object")?;
        if text(object, self.src) != "self" {
            return None;
        }
        let name = text(node.child_by_field_name("name")?, self.src);
        if name == "included" {
            // Classic `def self.included(base); base.has_many ...; end`.
            let params = node.child_by_field_name("parameters");
            let param = params.and_then(|p| {
                let mut c = p.walk();
                let first = p.named_children(&mut c).next();
                first.map(|n| text(n, self.src).to_owned())
            });
            let body = node.child_by_field_name("body")?;
            let mut receivers = ctx.receivers.clone();
            receivers.extend(param);
            return Some((
                body,
                Ctx {
                    receivers,
                    ..ctx.clone()
                },
            ));
        }
        self.class_method(node, ctx);
        None
    }

    /// A class-level method definition whose constant return value is a setting
    /// (`def self.table_name_prefix = "admin_"`, `def self.table_name; "x"; end`).
    fn class_method(&mut self, node: Node<'_>, ctx: &Ctx) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let name = text(name_node, self.src);
        if !matches!(
            name,
            "table_name"
                | "table_name_prefix"
                | "table_name_suffix"
                | "primary_key"
                | "inheritance_column"
        ) {
            self.scan_dynamic(node);
            return;
        }
        let value = node
            .child_by_field_name("body")
            .map(|body| {
                if body.kind() == "body_statement" {
                    let mut c = body.walk();
                    let stmts: Vec<Node<'_>> = body
                        .named_children(&mut c)
                        .filter(|n| n.kind() != "comment")
                        .collect();
                    match stmts.as_slice() {
                        [only] => literal(*only, self.src),
                        _ => Literal::Dynamic(text(body, self.src).to_owned()),
                    }
                } else {
                    literal(body, self.src)
                }
            })
            .unwrap_or(Literal::Nil);
        self.setting(node, name, value, ctx);
    }

    /// Looks inside a statement fullscan does not read for association macros that
    /// would make its picture of the model incomplete, and records them.
    fn scan_dynamic(&mut self, node: Node<'_>) {
        let mut found = Vec::new();
        for n in ruby::preorder(node) {
            if n.kind() != "call" {
                continue;
            }
            let Some(m) = ruby::call_method(n, self.src) else {
                continue;
            };
            if MACROS.contains(&m) {
                found.push((
                    n,
                    format!("`{m}` called where it cannot be read statically"),
                ));
            } else if matches!(m, "send" | "public_send" | "__send__") {
                let args = call_args(n, self.src);
                if let Some(first) = args.positional.first() {
                    if let Some(target) = literal(*first, self.src).as_name() {
                        if MACROS.contains(&target) {
                            found.push((n, format!("`{m}(:{target}, ...)` is not analyzed")));
                        }
                    }
                }
            }
        }
        for (n, reason) in found {
            self.unanalyzed(n, reason);
        }
    }
}

/// The statements of a `do_block` / `block`.
fn block_body(block: Node<'_>) -> Option<Node<'_>> {
    block.child_by_field_name("body").or_else(|| {
        let mut c = block.walk();
        let found = block
            .named_children(&mut c)
            .find(|n| matches!(n.kind(), "body_statement" | "block_body"));
        found
    })
}

/// The first block parameter name, `|assoc|`.
fn block_param(block: Node<'_>, src: &str) -> Option<String> {
    let params = block.child_by_field_name("parameters")?;
    let mut c = params.walk();
    let first = params
        .named_children(&mut c)
        .find(|n| n.kind() == "identifier");
    first.map(|n| text(n, src).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> FileFacts {
        extract_file(Path::new("app/models/x.rb"), src)
    }

    #[test]
    fn nested_and_compact_names() {
        let f = facts(
            "module Admin\n  class User < Base\n    has_many :posts\n  end\nend\nclass Billing::Invoice < ApplicationRecord; end\nclass ::Top; end\n",
        );
        let names: Vec<_> = f.defs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Admin", "Admin::User", "Billing::Invoice", "Top"]);
        assert_eq!(f.defs[1].nesting, ["Admin"]);
        assert_eq!(f.defs[1].superclass.as_deref(), Some("Base"));
        assert_eq!(f.defs[1].associations[0].name, "posts");
        assert_eq!(f.defs[1].associations[0].span.line, 3);
        assert_eq!(f.defs[1].associations[0].span.column, 5);
    }

    #[test]
    fn settings() {
        let f = facts(
            r#"class Person < ApplicationRecord
  self.table_name = "legacy_people"
  self.primary_key = :person_code
  self.inheritance_column = "kind"
  self.abstract_class = false
end
module Admin
  def self.table_name_prefix
    "admin_"
  end
end
module Ops
  def self.table_name_prefix = "ops_"
end
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end
class Base < ActiveRecord::Base
  self.abstract_class = true
  connects_to database: { writing: :animals, reading: :animals_replica }
end
"#,
        );
        let p = &f.defs[0];
        assert_eq!(p.table_name, Some(Literal::Str("legacy_people".into())));
        assert_eq!(p.primary_key, Some(vec!["person_code".to_string()]));
        assert_eq!(p.inheritance_column.as_deref(), Some("kind"));
        assert_eq!(p.abstract_class, Some(false));
        assert_eq!(f.defs[1].table_name_prefix.as_deref(), Some("admin_"));
        assert_eq!(f.defs[2].table_name_prefix.as_deref(), Some("ops_"));
        assert_eq!(
            f.defs[3].abstract_class,
            Some(true),
            "primary_abstract_class"
        );
        assert_eq!(f.defs[4].abstract_class, Some(true));
        assert_eq!(f.defs[4].connects_to.as_deref(), Some("animals"));
    }

    #[test]
    fn with_options_both_forms() {
        let f = facts(
            r#"class Post < ApplicationRecord
  with_options dependent: :destroy do |assoc|
    assoc.has_many :comments
    assoc.has_many :likes, dependent: :delete_all
  end
  with_options class_name: "User" do
    belongs_to :author
    with_options optional: true do
      belongs_to :editor
    end
  end
end
"#,
        );
        let a = &f.defs[0].associations;
        assert_eq!(a.len(), 4);
        assert_eq!(a[0].options.name("dependent"), Some("destroy"));
        assert_eq!(a[1].options.name("dependent"), Some("delete_all"));
        assert_eq!(a[2].options.name("class_name"), Some("User"));
        assert_eq!(a[3].options.name("class_name"), Some("User"));
        assert_eq!(a[3].options.get("optional"), Some(&Literal::Bool(true)));
    }

    #[test]
    fn macros_that_declare_associations_elsewhere_are_not_analyzed() {
        let f = facts(
            "class Product < ApplicationRecord\n  acts_as_paranoid\n  acts_as_taggable_on :labels\n  has_one_attached :photo\n  has_paper_trail only: [:price]\n  translates :name\n  has_secure_password\n  has_many :variants\n  included do\n    audited\n  end\n  def x\n    acts_as_nothing\n  end\nend\n",
        );
        let lines: Vec<u32> = f.unanalyzed.iter().map(|u| u.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 10], "{:?}", f.unanalyzed);
        assert!(f.unanalyzed[1]
            .reason
            .starts_with("`acts_as_taggable_on` (a macro"));
        assert_eq!(f.defs[0].associations.len(), 1);
    }

    #[test]
    fn concerns() {
        let f = facts(
            r#"module Commentable
  extend ActiveSupport::Concern
  include Reactable
  included do
    has_many :comments, as: :commentable
    scope :recent, -> { where(created_at: 1.day.ago..) }
  end
  class_methods do
    def has_many_things; has_many :things; end
  end
end
module Old
  def self.included(base)
    base.belongs_to :owner
  end
end
"#,
        );
        let c = &f.defs[0];
        assert!(c.is_concern);
        assert_eq!(c.includes, ["Reactable"]);
        assert_eq!(c.associations[0].options.name("as"), Some("commentable"));
        assert_eq!(c.scopes[0].name.as_deref(), Some("recent"));
        assert_eq!(f.defs[1].associations[0].name, "owner");
        // the has_many inside a class method definition is not read, but counted
        assert_eq!(f.unanalyzed.len(), 1, "{:?}", f.unanalyzed);
    }

    #[test]
    fn associations_with_scopes_and_options() {
        let f = facts(
            r#"class Author < ApplicationRecord
  has_many :posts, -> { order(:id) }, class_name: "::Post", :foreign_key => "author_id", inverse_of: :author
  has_and_belongs_to_many :roles, join_table: "users_roles"
  belongs_to :imageable, polymorphic: true, optional: true
  delegated_type :entryable, types: %w[Message Comment]
  has_many :tags, **TAG_OPTIONS
  [:a, :b].each { |n| has_many n }
  send(:has_one, :avatar)
  validates :email, presence: true, uniqueness: { scope: [:account_id], case_sensitive: false }
  validates_uniqueness_of :slug, :handle, scope: :site_id
  validates :name, uniqueness: false
  default_scope { where(deleted_at: nil) }
end
"#,
        );
        let d = &f.defs[0];
        let a = &d.associations;
        assert_eq!(a.len(), 5);
        let scope = a[0].scope.as_ref().unwrap();
        assert!(scope.source.contains("order(:id)"));
        // The query each lambda builds is read with the file.
        assert_eq!(scope.shape.order, ["id"]);
        assert!(!scope.shape.filters);
        assert_eq!(a[0].options.name("class_name"), Some("::Post"));
        assert_eq!(a[0].options.name("foreign_key"), Some("author_id"));
        assert_eq!(a[1].macro_, Macro::HasAndBelongsToMany);
        assert_eq!(a[2].options.get("polymorphic"), Some(&Literal::Bool(true)));
        assert_eq!(a[3].name, "entryable");
        assert_eq!(a[3].options.get("polymorphic"), Some(&Literal::Bool(true)));
        assert!(a[3].options.get("types").is_none());
        assert!(a[4].dynamic_options);
        assert_eq!(f.unanalyzed.len(), 2, "{:?}", f.unanalyzed);
        assert_eq!(d.uniqueness.len(), 2);
        assert_eq!(d.uniqueness[0].attributes, ["email"]);
        assert_eq!(d.uniqueness[0].scope, ["account_id"]);
        assert_eq!(d.uniqueness[0].case_sensitive, Some(false));
        assert_eq!(d.uniqueness[1].attributes, ["slug", "handle"]);
        assert_eq!(d.uniqueness[1].scope, ["site_id"]);
        assert_eq!(d.scopes[0].kind, ScopeKind::DefaultScope);
        let shape = &d.scopes[0].body.shape;
        assert!(shape.filters && !shape.partial);
        assert_eq!(shape.conditions.len(), 1);
        assert_eq!(shape.conditions[0].column, "deleted_at");
        assert_eq!(shape.conditions[0].op, "IS NULL");
    }

    #[test]
    fn skimmed_bodies_never_change_the_facts() {
        let cases = [
            // An `end` line inside a string that spans lines: the body is not cut.
            ("class A < ApplicationRecord\n  def text\n    s = \"first line of a long string, long enough to be cut\n  end\n    \"\n  end\n  has_many :bs\nend\n", false),
            // A syntax error outside the bodies keeps the whole file's error lines.
            ("class A < ApplicationRecord\n  def text\n    compute_something_long(arguments, more)\n  end\n  has_many :bs,\nend\n", true),
        ];
        for (src, cut) in cases {
            assert_eq!(!crate::skim::skippable_bodies(src).is_empty(), cut, "{src}");
            let path = Path::new("app/models/a.rb");
            let skimmed = serde_json::to_string(&extract_file(path, src)).unwrap();
            let whole = serde_json::to_string(&extract_file_whole(path, src)).unwrap();
            assert_eq!(skimmed, whole, "{src}");
        }
        let f = facts("class A < ApplicationRecord\n  def text\n    compute_something_long(arguments, more)\n  end\n  has_many :bs,\nend\n");
        assert!(!f.syntax_errors.is_empty());
    }

    #[test]
    fn broken_ruby_still_yields_facts() {
        let f = facts("class Post < ApplicationRecord\n  has_many :comments\n  def broken(\nend\n");
        assert!(!f.syntax_errors.is_empty());
        assert!(f.defs.iter().any(|d| d.name == "Post"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 20_000;
        let mut src = String::new();
        for i in 0..depth {
            src.push_str(&format!("module M{i}\n"));
        }
        for _ in 0..depth {
            src.push_str("end\n");
        }
        let f = facts(&src);
        assert!(f.defs.len() <= depth);
    }
}
