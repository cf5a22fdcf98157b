//! Facts extracted from Ruby source files: classes and modules with the ActiveRecord
//! declarations fullscan cares about. Plain data, no syntax trees: extraction keeps
//! only what later stages need, so memory stays flat however large the codebase.

use crate::query::{lambda_shape, scope_shape, QueryShape};
use crate::ruby::{Literal, Span};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The four association macros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Macro {
    BelongsTo,
    HasOne,
    HasMany,
    HasAndBelongsToMany,
}

impl Macro {
    pub fn from_method(name: &str) -> Option<Macro> {
        Some(match name {
            "belongs_to" => Macro::BelongsTo,
            "has_one" => Macro::HasOne,
            "has_many" => Macro::HasMany,
            "has_and_belongs_to_many" => Macro::HasAndBelongsToMany,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Macro::BelongsTo => "belongs_to",
            Macro::HasOne => "has_one",
            Macro::HasMany => "has_many",
            Macro::HasAndBelongsToMany => "has_and_belongs_to_many",
        }
    }
    /// has_many and habtm name a collection: their class name is the singular.
    pub fn is_collection(self) -> bool {
        matches!(self, Macro::HasMany | Macro::HasAndBelongsToMany)
    }
}

/// Association options in source order, with their literal values.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Options(pub Vec<(String, Literal)>);

impl Options {
    pub fn get(&self, key: &str) -> Option<&Literal> {
        // Later keys win, as in a Ruby hash literal with a repeated key.
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// A symbol or string option as a name.
    pub fn name(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Literal::as_name)
    }
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    /// Adds defaults (from `with_options`) that explicit options override.
    pub fn merged_under(&self, defaults: &Options) -> Options {
        let mut out: Vec<(String, Literal)> = defaults
            .0
            .iter()
            .filter(|(k, _)| !self.0.iter().any(|(k2, _)| k2 == k))
            .cloned()
            .collect();
        out.extend(self.0.iter().cloned());
        Options(out)
    }
}

/// A lambda that builds a query (a scope body, an association's scope, a
/// uniqueness validation's `conditions:`): its source, and the query read from it
/// when its file is extracted, so that later stages never parse it again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueryLambda {
    pub source: String,
    pub shape: QueryShape,
}

impl QueryLambda {
    /// Reads a lambda's source on its own.
    pub fn read(source: String) -> QueryLambda {
        let shape = scope_shape(&source);
        QueryLambda { source, shape }
    }

    /// Reads the code of `node` in the syntax tree of `src`: in place when it is a
    /// `-> { ... }` lambda, from its source otherwise (a block body, `lambda { }`).
    pub fn of_node(node: tree_sitter::Node<'_>, src: &str) -> QueryLambda {
        let source = crate::ruby::text(node, src).to_owned();
        if node.kind() == "lambda" {
            let shape = lambda_shape(node, src);
            QueryLambda { source, shape }
        } else {
            QueryLambda::read(source)
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssociationDecl {
    pub macro_: Macro,
    pub name: String,
    pub options: Options,
    /// The inline scope lambda (`-> { where(...) }`).
    pub scope: Option<QueryLambda>,
    /// Options that could not be read literally (`**opts`, computed keys).
    pub dynamic_options: bool,
    pub span: Span,
    /// Where the declaration sits, relative to the project root.
    pub path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    Scope,
    DefaultScope,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScopeDecl {
    pub kind: ScopeKind,
    /// `None` for `default_scope`.
    pub name: Option<String>,
    /// The scope body (the lambda or block).
    pub body: QueryLambda,
    /// 1-based line where the body starts (to map findings inside it).
    pub body_line: u32,
    pub span: Span,
    pub path: PathBuf,
}

/// `validates :a, uniqueness: {...}` / `validates_uniqueness_of :a, ...`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UniquenessDecl {
    pub attributes: Vec<String>,
    pub scope: Vec<String>,
    /// `case_sensitive: false` (needs a `lower(...)` index on PostgreSQL).
    pub case_sensitive: Option<bool>,
    pub has_conditions: bool,
    /// The `conditions:` lambda, when it is one.
    pub conditions: Option<QueryLambda>,
    /// Options that could not be read literally.
    pub dynamic: bool,
    pub span: Span,
    pub path: PathBuf,
}

/// A declaration fullscan saw but cannot analyze statically: counted and reported,
/// never guessed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unanalyzed {
    pub path: PathBuf,
    pub line: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefKind {
    Class,
    Module,
}

/// One `class` or `module` definition. A reopened class has one of these per
/// definition; the resolver merges them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClassDef {
    pub kind: DefKind,
    /// Full constant path, `Admin::User`.
    pub name: String,
    /// Full names of the lexically enclosing classes/modules, innermost first
    /// (Ruby's `Module.nesting` at the point of the definition, excluding itself).
    pub nesting: Vec<String>,
    /// The superclass as written (`ApplicationRecord`, `::Base`, `Admin::Base`).
    pub superclass: Option<String>,
    pub path: PathBuf,
    pub span: Span,

    pub abstract_class: Option<bool>,
    pub table_name: Option<Literal>,
    pub primary_key: Option<Vec<String>>,
    pub inheritance_column: Option<String>,
    pub pluralize_table_names: Option<bool>,
    /// `def self.table_name_prefix` (a module's, for its namespace) or
    /// `self.table_name_prefix = "x"` (a class's own).
    pub table_name_prefix: Option<String>,
    pub table_name_suffix: Option<String>,
    /// `connects_to database: { writing: :animals }`: the writing database name.
    pub connects_to: Option<String>,
    /// `query_constraints :a, :b` (Rails 7.1+).
    pub query_constraints: Option<Vec<String>>,

    /// `extend ActiveSupport::Concern`.
    pub is_concern: bool,
    /// Modules included into the class (or, for a concern, into its includers), as written.
    pub includes: Vec<String>,

    pub associations: Vec<AssociationDecl>,
    pub scopes: Vec<ScopeDecl>,
    pub uniqueness: Vec<UniquenessDecl>,
    /// Class-level macros defined outside the model that may declare associations
    /// (`resourcify`, `acts_as_taggable_on`, ...), in order: an association no
    /// declaration of the project names may be one of theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_macros: Vec<String>,
}

impl ClassDef {
    pub fn new(
        kind: DefKind,
        name: String,
        nesting: Vec<String>,
        path: PathBuf,
        span: Span,
    ) -> Self {
        ClassDef {
            kind,
            name,
            nesting,
            superclass: None,
            path,
            span,
            abstract_class: None,
            table_name: None,
            primary_key: None,
            inheritance_column: None,
            pluralize_table_names: None,
            table_name_prefix: None,
            table_name_suffix: None,
            connects_to: None,
            query_constraints: None,
            is_concern: false,
            includes: Vec::new(),
            associations: Vec::new(),
            scopes: Vec::new(),
            uniqueness: Vec::new(),
            hidden_macros: Vec::new(),
        }
    }
}

/// Everything extracted from one file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileFacts {
    pub path: PathBuf,
    pub defs: Vec<ClassDef>,
    pub unanalyzed: Vec<Unanalyzed>,
    /// Lines where tree-sitter found a syntax error (the rest is still read).
    pub syntax_errors: Vec<u32>,
    /// `isolate_namespace Spree` in an engine: the module whose classes get the
    /// engine's table name prefix (`spree_`), as written without a leading `::`.
    pub isolated_namespaces: Vec<String>,
}
