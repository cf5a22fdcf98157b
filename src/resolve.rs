//! The resolver: joins extracted Ruby facts with the schema by applying Rails' own
//! naming rules (table names, STI, namespaces and prefixes, foreign keys, join tables,
//! `:through` chains), and finds, for each association, the index that serves the
//! query Rails generates for it.
//!
//! Every rule here mirrors ActiveRecord code; the comments name the method.

use crate::inflector::{demodulize, Inflector};
use crate::model::*;
use crate::project::{RailsVersion, Settings};
use crate::query::Condition;
use crate::ruby::Literal;
use crate::schema::{Database, SchemaFormat, Table};
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// A key of one or more columns. Serialised as a string for one column (the
/// common case) and as an array for composite keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Key(pub Vec<String>);

impl Key {
    pub fn one(s: impl Into<String>) -> Key {
        Key(vec![s.into()])
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => s.serialize_str(one),
            many => many.serialize(s),
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// A model as Rails sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub name: String,
    pub path: PathBuf,
    pub line: u32,
    pub superclass: Option<String>,
    pub base_class: String,
    pub abstract_class: bool,
    /// `None` for an abstract class directly under `ActiveRecord::Base`.
    pub table_name: Option<String>,
    pub database: String,
    pub table_exists: bool,
    /// Its table is a view of the schema (`table_exists` is false).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub view: bool,
    /// `None` when it cannot be known (no table in the schema, no explicit key).
    pub primary_key: Option<Key>,
    pub inheritance_column: String,
    pub sti_subclass: bool,
    /// Whether its queries carry `type = 'Name'` (`finder_needs_type_condition?`): an
    /// STI subclass whose table has the inheritance column.
    #[serde(skip)]
    pub type_condition: bool,
    /// The conditions every query of the model carries on its table: its default
    /// scopes (its own and inherited ones) and the STI type condition.
    #[serde(skip)]
    pub query_conditions: Vec<Condition>,
    pub includes: Vec<String>,
    /// Scopes and uniqueness validations the model declares itself or receives from
    /// its concerns (inherited ones stay with the class that declares them).
    #[serde(skip)]
    pub scopes: Vec<ScopeDecl>,
    #[serde(skip)]
    pub uniqueness: Vec<UniquenessDecl>,
}

/// The index that serves a lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexRef {
    pub name: String,
    pub columns: Vec<String>,
}

/// One lookup a query performs: rows of `table` found by equality on `columns`.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    pub table: String,
    pub database: String,
    pub columns: Vec<String>,
    /// The columns among `columns` that only select a class of rows (STI / polymorphic type).
    pub type_columns: Vec<String>,
    pub index: Option<IndexRef>,
    pub index_covers: bool,
    /// Conditions on this table the query carries besides `columns`.
    #[serde(skip)]
    pub conditions: Vec<Condition>,
    /// The columns among `conditions` that only select a class of rows.
    #[serde(skip)]
    pub condition_types: Vec<String>,
    /// The previous hop's columns that `columns` are joined to (empty for the first).
    #[serde(skip)]
    pub links: Vec<String>,
}

impl Hop {
    /// The filtered columns that select rows by identity (not type columns).
    pub fn key_columns(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| !self.type_columns.contains(c))
            .cloned()
            .collect()
    }

    /// The index to add for this lookup: type columns first, then the keys (the order
    /// `t.references ..., polymorphic: true` uses).
    pub fn wanted_index(&self) -> Vec<String> {
        let mut cols = self.type_columns.clone();
        cols.extend(self.key_columns());
        cols
    }
}

/// One association, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Association {
    pub model: String,
    pub table: Option<String>,
    pub name: String,
    #[serde(rename = "macro")]
    pub macro_: Macro,
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The class or concern whose source declares it.
    pub declared_in: String,
    pub target_class: Option<String>,
    pub target_table: Option<String>,
    pub foreign_key: Option<Key>,
    pub foreign_type: Option<String>,
    /// The key the foreign key refers to: the target's for `belongs_to`, the owner's otherwise.
    pub primary_key: Option<Key>,
    pub join_table: Option<String>,
    pub association_foreign_key: Option<String>,
    pub through: Option<String>,
    pub source: Option<String>,
    pub polymorphic: bool,
    #[serde(rename = "as")]
    pub as_: Option<String>,
    pub dependent: Option<String>,
    pub scope: Option<String>,
    pub database: String,
    /// The index the association's query can use, or `None` when it scans.
    pub index: Option<IndexRef>,
    pub index_covers: bool,
    /// Every lookup the query performs (one for a direct association, more for
    /// `:through` and habtm).
    pub hops: Vec<Hop>,
    /// Set when only a plan driven by a table's own conditions avoids a scan.
    #[serde(skip)]
    pub condition_plan: Option<ConditionPlan>,
    /// The options as declared (with `with_options` defaults).
    #[serde(skip)]
    pub options: crate::model::Options,
    pub unresolved: Option<String>,
}

pub struct Input<'a> {
    pub files: &'a [FileFacts],
    pub databases: &'a [Database],
    pub inflector: &'a Inflector,
    pub settings: &'a Settings,
}

#[derive(Debug, Default, Serialize)]
pub struct Resolved {
    pub models: Vec<Model>,
    pub associations: Vec<Association>,
    pub unanalyzed: Vec<Unanalyzed>,
}

/// The definitions of one constant, merged (classes can be reopened).
struct Class<'a> {
    kind: DefKind,
    defs: Vec<&'a ClassDef>,
}

impl<'a> Class<'a> {
    fn first<T>(&self, f: impl Fn(&'a ClassDef) -> Option<T>) -> Option<T> {
        self.defs.iter().find_map(|d| f(d))
    }
}

/// Wording of unresolved reasons for classes that live outside the analyzed code
/// (gems): not broken, only beyond what fullscan can see.
pub const OUTSIDE_PROJECT: &str = "not defined in the project (a gem's?)";

/// How a reason says that an association may be one a macro fullscan does not
/// read declares (`resourcify`'s `roles`): not broken, not analyzed.
pub const BY_A_MACRO: &str = "which is not analyzed, may declare it";

/// How a reason says that a model reads a view: no table, yet nothing broken.
pub const A_VIEW: &str =
    "a database view: what it reads, and the indexes that serve it, are not analyzed";

/// Library base classes with association-like macros of their own.
const NON_ACTIVE_RECORD_BASES: &[&str] = &[
    "ActiveModel::Serializer",
    "ActiveModelSerializers::Model",
    "Blueprinter::Base",
    "Grape::Entity",
    "ActiveResource::Base",
    "Panko::Serializer",
];

const AR_BASE: [&str; 2] = ["ActiveRecord::Base", "::ActiveRecord::Base"];
const MAX_DEPTH: usize = 32;

struct Resolver<'a> {
    classes: BTreeMap<&'a str, Class<'a>>,
    input: &'a Input<'a>,
    rails: RailsVersion,
    /// Model name → facts, computed once.
    models: BTreeMap<String, Model>,
}

pub fn resolve(input: &Input<'_>) -> Resolved {
    let mut classes: BTreeMap<&str, Class<'_>> = BTreeMap::new();
    for file in input.files {
        for def in &file.defs {
            classes
                .entry(def.name.as_str())
                .or_insert_with(|| Class {
                    kind: def.kind,
                    defs: Vec::new(),
                })
                .defs
                .push(def);
        }
    }
    let mut r = Resolver {
        classes,
        input,
        rails: input.settings.rails.version,
        models: BTreeMap::new(),
    };
    let names: Vec<&str> = r.classes.keys().copied().collect();
    let mut unanalyzed: Vec<Unanalyzed> = input
        .files
        .iter()
        .flat_map(|f| f.unanalyzed.iter().cloned())
        .collect();
    // Models are built on every core: a model's facts depend on the classes only.
    let built: Vec<Option<Model>> = names
        .par_iter()
        .map(|name| r.is_model(name, 0).then(|| r.model(name)))
        .collect();
    for (&name, model) in names.iter().zip(built) {
        if let Some(m) = model {
            r.models.insert(name.to_owned(), m);
        } else if r.classes[name].kind == DefKind::Class && !r.outside_active_record(name) {
            // A class that declares associations but is not an ActiveRecord model as far
            // as the project shows (its superclass comes from a gem, say).
            for def in &r.classes[name].defs {
                if let Some(a) = def.associations.first() {
                    unanalyzed.push(Unanalyzed {
                        path: a.path.clone(),
                        line: def.span.line,
                        reason: format!(
                            "`{}` declares associations but does not descend from ActiveRecord::Base in this project (superclass `{}`)",
                            name,
                            r.superclass_written(name).unwrap_or("none")
                        ),
                    });
                }
            }
        }
    }
    // Each association is resolved on its own, on every core.
    let model_names: Vec<&String> = r.models.keys().collect();
    let mut associations: Vec<Association> = model_names
        .par_iter()
        .flat_map_iter(|model| {
            r.declared(model)
                .into_iter()
                .map(|(declared_in, decl)| r.association(model, declared_in, decl))
        })
        .collect();
    associations.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.model, &a.name)
            .cmp(&(&b.path, b.line, b.column, &b.model, &b.name))
    });
    // An association that reads a view, or goes through one a macro may declare:
    // no rule can judge its queries.
    for a in &associations {
        if let Some(reason) = a
            .unresolved
            .as_deref()
            .filter(|r| r.contains(A_VIEW) || r.contains(BY_A_MACRO))
        {
            unanalyzed.push(Unanalyzed {
                path: a.path.clone(),
                line: a.line,
                reason: format!("`{} :{}`: {reason}", a.macro_.as_str(), a.name),
            });
        }
    }
    unanalyzed.sort_by(|a, b| (&a.path, a.line, &a.reason).cmp(&(&b.path, b.line, &b.reason)));
    unanalyzed.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.reason == b.reason);
    Resolved {
        models: r.models.into_values().collect(),
        associations,
        unanalyzed,
    }
}

/// What a reflection resolves to, before index lookup.
#[derive(Debug, Clone, Default)]
struct Reflection {
    target_class: Option<String>,
    foreign_key: Option<Key>,
    foreign_type: Option<String>,
    primary_key: Option<Key>,
    join_table: Option<String>,
    association_foreign_key: Option<String>,
    through: Option<String>,
    source: Option<String>,
    hops: Vec<HopSpec>,
    unresolved: Option<String>,
}

#[derive(Debug, Clone)]
struct HopSpec {
    table: String,
    database: String,
    columns: Vec<String>,
    type_columns: Vec<String>,
    /// Conditions the query also carries on this table (the target's default_scope,
    /// the association's scope, the STI type condition): equalities among them can
    /// lead an index before the key, and they decide whether a partial index applies.
    implied: Vec<Condition>,
    /// The columns among `implied` that only select a class of rows (the STI type
    /// column, a `source_type:` type column).
    implied_types: Vec<String>,
    /// The columns of the previous hop's table (none for the first hop, which the
    /// owner's values drive) that `columns` are compared with in the join.
    links: Vec<String>,
}

impl<'a> Resolver<'a> {
    fn inflector(&self) -> &Inflector {
        self.input.inflector
    }

    fn superclass_written(&self, name: &str) -> Option<&'a str> {
        self.classes.get(name)?.first(|d| d.superclass.as_deref())
    }

    /// Ruby's lexical constant lookup: each enclosing namespace innermost first, then
    /// the top level.
    fn lookup_lexical(&self, written: &str, nesting: &[String]) -> Option<String> {
        if let Some(abs) = written.strip_prefix("::") {
            return self.classes.contains_key(abs).then(|| abs.to_owned());
        }
        for outer in nesting {
            let candidate = format!("{outer}::{written}");
            if self.classes.contains_key(candidate.as_str()) {
                return Some(candidate);
            }
        }
        self.classes
            .contains_key(written)
            .then(|| written.to_owned())
    }

    /// The superclass's full name if it is defined in the project.
    fn superclass(&self, name: &str) -> Option<String> {
        let class = self.classes.get(name)?;
        let def = class.defs.iter().find(|d| d.superclass.is_some())?;
        let written = def.superclass.as_deref()?;
        self.lookup_lexical(written, &def.nesting)
            .filter(|s| s != name)
    }

    /// The first superclass outside the project on the way up from `name`, unless the
    /// chain ends at ActiveRecord::Base or has no superclass.
    fn external_ancestor(&self, name: &str) -> Option<String> {
        let mut current = name.to_owned();
        for _ in 0..MAX_DEPTH {
            let written = self.superclass_written(&current)?;
            if AR_BASE.contains(&written) {
                return None;
            }
            match self.superclass(&current) {
                Some(sup) => current = sup,
                None => return Some(written.to_owned()),
            }
        }
        None
    }

    /// Whether the class descends from a library base whose own `has_many` /
    /// `belongs_to` are not ActiveRecord's (a serializer's, an API resource's):
    /// its declarations are not associations, and not "not analyzed" either.
    fn outside_active_record(&self, name: &str) -> bool {
        let mut current = name.to_owned();
        for _ in 0..MAX_DEPTH {
            let Some(written) = self.superclass_written(&current) else {
                return false;
            };
            match self.superclass(&current) {
                Some(sup) => current = sup,
                None => {
                    let written = written.trim_start_matches("::");
                    return NON_ACTIVE_RECORD_BASES.contains(&written);
                }
            }
        }
        false
    }

    fn is_model(&self, name: &str, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let Some(class) = self.classes.get(name) else {
            return false;
        };
        if class.kind != DefKind::Class {
            return false;
        }
        let Some(written) = self.superclass_written(name) else {
            return false;
        };
        if AR_BASE.contains(&written) {
            return true;
        }
        match self.superclass(name) {
            Some(sup) => self.is_model(&sup, depth + 1),
            None => false,
        }
    }

    /// A class attribute: the first definition along the superclass chain that sets it.
    fn inherited<T>(&self, name: &str, f: impl Fn(&'a ClassDef) -> Option<T>) -> Option<T> {
        let mut current = name.to_owned();
        for _ in 0..MAX_DEPTH {
            if let Some(v) = self.classes.get(current.as_str()).and_then(|c| c.first(&f)) {
                return Some(v);
            }
            current = self.superclass(&current)?;
        }
        None
    }

    fn is_abstract(&self, name: &str) -> bool {
        self.classes
            .get(name)
            .and_then(|c| c.first(|d| d.abstract_class))
            .unwrap_or(false)
    }

    /// `Inheritance::ClassMethods#base_class`: up the chain until the superclass is
    /// ActiveRecord::Base or abstract.
    fn base_class(&self, name: &str) -> String {
        let mut current = name.to_owned();
        for _ in 0..MAX_DEPTH {
            match self.superclass(&current) {
                Some(sup) if self.is_model(&sup, 0) && !self.is_abstract(&sup) => current = sup,
                _ => break,
            }
        }
        current
    }

    /// `ModelSchema#reset_table_name` / `compute_table_name`.
    fn table_name(&self, name: &str, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        // An explicit `self.table_name =` on this class wins.
        if let Some(explicit) = self
            .classes
            .get(name)
            .and_then(|c| c.first(|d| d.table_name.as_ref()))
        {
            return match explicit {
                Literal::Str(s) | Literal::Symbol(s) => Some(s.clone()),
                Literal::Dynamic(text) => self.interpolated_table_name(name, text),
                _ => None,
            };
        }
        let sup = self.superclass(name).filter(|s| self.is_model(s, 0));
        if self.is_abstract(name) {
            return sup.and_then(|s| self.table_name(&s, depth + 1));
        }
        if let Some(s) = &sup {
            if self.is_abstract(s) {
                if let Some(t) = self.table_name(s, depth + 1) {
                    return Some(t);
                }
                return self.compute_table_name(name, depth);
            }
            // STI subclass: the base class's table.
            let base = self.base_class(name);
            return self.table_name(&base, depth + 1);
        }
        self.compute_table_name(name, depth)
    }

    fn compute_table_name(&self, name: &str, depth: usize) -> Option<String> {
        let inflector = self.inflector();
        let settings = self.input.settings;
        let pluralize = self
            .inherited(name, |d| d.pluralize_table_names)
            .unwrap_or(settings.pluralize_table_names);
        let parent = crate::inflector::deconstantize(name);
        let mut contained = String::new();
        if !parent.is_empty() && self.is_model(parent, 0) && !self.is_abstract(parent) {
            let mut t = self.table_name(parent, depth + 1)?;
            let parent_pluralizes = self
                .inherited(parent, |d| d.pluralize_table_names)
                .unwrap_or(settings.pluralize_table_names);
            if parent_pluralizes {
                t = inflector.singularize(&t);
            }
            contained = t + "_";
        }
        let mut undecorated = inflector.underscore(demodulize(name));
        if pluralize {
            undecorated = inflector.pluralize(&undecorated);
        }
        let (prefix, suffix) = self.prefix_suffix(name);
        Some(format!("{prefix}{contained}{undecorated}{suffix}"))
    }

    /// Whether the class or an ancestor sets `table_name` to something not read.
    fn computed_table_name(&self, name: &str) -> bool {
        let mut current = name.to_owned();
        for _ in 0..MAX_DEPTH {
            if let Some(t) = self
                .classes
                .get(current.as_str())
                .and_then(|c| c.first(|d| d.table_name.as_ref()))
            {
                return !matches!(t, Literal::Str(_) | Literal::Symbol(_));
            }
            match self.superclass(&current) {
                Some(sup) => current = sup,
                None => return false,
            }
        }
        false
    }

    /// `self.table_name = "#{table_name_prefix}users#{table_name_suffix}"`: a string
    /// whose interpolations are only the class's own prefix and suffix.
    fn interpolated_table_name(&self, name: &str, text: &str) -> Option<String> {
        let body = text.strip_prefix('"')?.strip_suffix('"')?;
        let (prefix, suffix) = self.prefix_suffix(name);
        let mut out = String::new();
        let mut rest = body;
        while let Some(open) = rest.find("#{") {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}')? + open;
            let expr = rest[open + 2..close].trim();
            let expr = expr.strip_prefix("self.").unwrap_or(expr);
            match expr {
                "table_name_prefix" | "full_table_name_prefix" => out.push_str(&prefix),
                "table_name_suffix" | "full_table_name_suffix" => out.push_str(&suffix),
                _ => return None,
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        (!out.is_empty()
            && out
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
        .then_some(out)
    }

    /// `full_table_name_prefix` / `full_table_name_suffix`: each from the innermost
    /// enclosing module (or model class) that responds to `table_name_prefix` /
    /// `table_name_suffix`, else the class's own (the global setting). A module an
    /// engine isolates (`isolate_namespace Spree`) responds to `table_name_prefix`
    /// with the engine's name (`spree_`), unless it defines its own.
    fn prefix_suffix(&self, name: &str) -> (String, String) {
        let settings = self.input.settings;
        let own_prefix = |n: &str| {
            self.inherited(n, |d| d.table_name_prefix.clone())
                .unwrap_or_else(|| settings.table_name_prefix.clone())
        };
        let own_suffix = |n: &str| {
            self.inherited(n, |d| d.table_name_suffix.clone())
                .unwrap_or_else(|| settings.table_name_suffix.clone())
        };
        let mut prefix = None;
        let mut suffix = None;
        let mut parent = crate::inflector::deconstantize(name);
        while !parent.is_empty() && (prefix.is_none() || suffix.is_none()) {
            if self.is_model(parent, 0) {
                prefix.get_or_insert_with(|| own_prefix(parent));
                suffix.get_or_insert_with(|| own_suffix(parent));
                break;
            }
            if let Some(class) = self.classes.get(parent) {
                if let Some(p) = class.first(|d| d.table_name_prefix.clone()) {
                    prefix.get_or_insert(p);
                }
                if let Some(s) = class.first(|d| d.table_name_suffix.clone()) {
                    suffix.get_or_insert(s);
                }
            }
            if prefix.is_none() && self.isolated(parent) {
                prefix = Some(format!(
                    "{}_",
                    self.input.inflector.underscore(parent).replace('/', "_")
                ));
            }
            parent = crate::inflector::deconstantize(parent);
        }
        (
            prefix.unwrap_or_else(|| own_prefix(name)),
            suffix.unwrap_or_else(|| own_suffix(name)),
        )
    }

    /// Whether an engine isolates the module (`isolate_namespace`).
    fn isolated(&self, module: &str) -> bool {
        self.input
            .files
            .iter()
            .any(|f| f.isolated_namespaces.iter().any(|m| m == module))
    }

    fn database_name(&self, name: &str) -> String {
        self.inherited(name, |d| d.connects_to.clone())
            .unwrap_or_else(|| "primary".to_owned())
    }

    fn database(&self, db: &str) -> Option<&'a Database> {
        let dbs = self.input.databases;
        dbs.iter()
            .find(|d| d.name == db)
            .or_else(|| (dbs.len() == 1 && db == "primary").then(|| &dbs[0]))
    }

    /// Whether the schema has a view of this name.
    fn view(&self, db: &str, name: &str) -> bool {
        self.database(db)
            .is_some_and(|d| d.views.contains_key(&crate::schema::table_key(name)))
    }

    /// Finds a table, tolerating the schema dumper's removal of a global prefix and
    /// PostgreSQL's `public.` qualifier.
    fn table(&self, db: &str, table: &str) -> Option<&'a Table> {
        let database = self.database(db)?;
        let table = crate::schema::table_key(table);
        if let Some(t) = database.tables.get(&table) {
            return Some(t);
        }
        let settings = self.input.settings;
        if database.format == SchemaFormat::SchemaRb
            && (!settings.table_name_prefix.is_empty() || !settings.table_name_suffix.is_empty())
        {
            let stripped = table
                .strip_prefix(settings.table_name_prefix.as_str())
                .and_then(|t| t.strip_suffix(settings.table_name_suffix.as_str()));
            if let Some(t) = stripped {
                return database.tables.get(t);
            }
        }
        None
    }

    fn model(&self, name: &str) -> Model {
        let class = &self.classes[name];
        let def = class.defs[0];
        let abstract_class = self.is_abstract(name);
        let table_name = self.table_name(name, 0);
        let database = self.database_name(name);
        let table = table_name.as_deref().and_then(|t| self.table(&database, t));
        let base_class = self.base_class(name);
        let primary_key = self
            .inherited(name, |d| d.primary_key.clone())
            .map(Key)
            .or_else(|| {
                // Before 7.1, ActiveRecord knows no composite primary keys: a table keyed
                // on several columns gives the model no primary key at all.
                table.and_then(|t| match t.primary_key.len() {
                    0 => None,
                    1 => Some(Key(t.primary_key.clone())),
                    _ if self.rails.at_least(7, 1) => Some(Key(t.primary_key.clone())),
                    _ => None,
                })
            });
        let inheritance_column = self
            .inherited(name, |d| d.inheritance_column.clone())
            .unwrap_or_else(|| "type".to_owned());
        let sti_subclass = base_class != name;
        let type_condition =
            sti_subclass && table.is_some_and(|t| t.has_column(&inheritance_column));
        let mut query_conditions = self.default_scope_conditions(name);
        if type_condition {
            query_conditions.push(Condition {
                table: None,
                column: inheritance_column.clone(),
                sargable: true,
                op: "=".into(),
            });
        }
        Model {
            name: name.to_owned(),
            path: def.path.clone(),
            line: def.span.line,
            superclass: self
                .superclass(name)
                .or_else(|| self.superclass_written(name).map(str::to_owned)),
            type_condition,
            query_conditions,
            sti_subclass,
            base_class,
            abstract_class,
            table_exists: table.is_some(),
            view: table.is_none()
                && table_name
                    .as_deref()
                    .is_some_and(|t| self.view(&database, t)),
            table_name,
            database,
            primary_key,
            inheritance_column,
            includes: self.included_modules(name),
            scopes: self.own_and_included(name, |d| &d.scopes),
            uniqueness: self.own_and_included(name, |d| &d.uniqueness),
        }
    }

    fn own_and_included<T: Clone + 'a>(
        &self,
        name: &str,
        f: impl Fn(&'a ClassDef) -> &'a Vec<T>,
    ) -> Vec<T> {
        let mut out: Vec<T> = Vec::new();
        for def in &self.classes[name].defs {
            out.extend(f(def).iter().cloned());
        }
        for module in self.included_modules(name) {
            for def in &self.classes[module.as_str()].defs {
                out.extend(f(def).iter().cloned());
            }
        }
        out
    }

    /// When `name` calls macros that may declare associations fullscan does not
    /// read: "one of `a`, `b`, [`BY_A_MACRO`]", the end of a reason that an
    /// association missing from the project may be one of theirs.
    fn macros_that_may_declare(&self, name: &str) -> Option<String> {
        let macros = self.hidden_macros(name);
        let one_of = match macros.len() {
            0 => return None,
            1 => "",
            _ => "one of ",
        };
        Some(format!("{one_of}`{}`, {BY_A_MACRO}", macros.join("`, `")))
    }

    /// The macros of `name`, its superclasses and the modules they include that
    /// may declare associations fullscan does not read, each once, in order.
    fn hidden_macros(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut current = Some(name.to_owned());
        for _ in 0..MAX_DEPTH {
            let Some(class) = current.filter(|c| self.classes.contains_key(c.as_str())) else {
                break;
            };
            for m in self.own_and_included(&class, |d| &d.hidden_macros) {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
            current = self.superclass(&class);
        }
        out
    }

    /// Modules included into a class, transitively through concerns, in include order.
    fn included_modules(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.collect_includes(name, &mut out, &mut seen, 0);
        out
    }

    fn collect_includes(
        &self,
        name: &str,
        out: &mut Vec<String>,
        seen: &mut HashSet<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(class) = self.classes.get(name) else {
            return;
        };
        for def in &class.defs {
            // Inside a class body, Module.nesting starts with the class itself.
            let mut nesting = vec![name.to_owned()];
            nesting.extend(def.nesting.iter().cloned());
            for written in &def.includes {
                if let Some(module) = self.lookup_lexical(written, &nesting) {
                    if self.classes[module.as_str()].kind == DefKind::Module
                        && seen.insert(module.clone())
                    {
                        // A concern's own dependencies are included first.
                        self.collect_includes(&module, out, seen, depth + 1);
                        out.push(module);
                    }
                }
            }
        }
    }

    /// The associations a model declares itself or receives from included modules,
    /// with the name of the class/module whose source holds each.
    fn declared(&self, model: &str) -> Vec<(String, &'a AssociationDecl)> {
        let mut out = Vec::new();
        for def in &self.classes[model].defs {
            out.extend(def.associations.iter().map(|a| (model.to_owned(), a)));
        }
        for module in self.included_modules(model) {
            for def in &self.classes[module.as_str()].defs {
                out.extend(def.associations.iter().map(|a| (module.clone(), a)));
            }
        }
        out
    }

    /// Every association visible on a model: its own, then its superclasses' (the
    /// nearest definition of a name wins). Returns (declaring model, decl).
    fn find_association(&self, model: &str, name: &str) -> Option<(String, &'a AssociationDecl)> {
        let mut current = model.to_owned();
        for _ in 0..MAX_DEPTH {
            if !self.models.contains_key(&current) && !self.is_model(&current, 0) {
                return None;
            }
            if let Some((_, decl)) = self
                .declared(&current)
                .into_iter()
                .rev()
                .find(|(_, a)| a.name == name)
            {
                return Some((current, decl));
            }
            current = self.superclass(&current)?;
        }
        None
    }

    /// The model `name`, borrowed once every model is built (the associations are
    /// resolved after), built here before that.
    fn model_info(&self, name: &str) -> Option<std::borrow::Cow<'_, Model>> {
        match self.models.get(name) {
            Some(m) => Some(std::borrow::Cow::Borrowed(m)),
            None => self
                .is_model(name, 0)
                .then(|| std::borrow::Cow::Owned(self.model(name))),
        }
    }

    /// The conditions of a model's default scopes (its own and inherited ones).
    pub(crate) fn default_scope_conditions(&self, model: &str) -> Vec<Condition> {
        let mut out = Vec::new();
        let mut current = model.to_owned();
        for _ in 0..MAX_DEPTH {
            if !self.classes.contains_key(current.as_str()) {
                break;
            }
            for scope in self.own_and_included(&current, |d| &d.scopes) {
                if scope.kind == ScopeKind::DefaultScope {
                    let conditions = &scope.body.shape.conditions;
                    out.extend(conditions.iter().filter(|c| c.table.is_none()).cloned());
                }
            }
            match self.superclass(&current) {
                Some(sup) => current = sup,
                None => break,
            }
        }
        out
    }

    /// The conditions every query of `model` carries on its table: its default scopes
    /// and, for an STI subclass, the type condition; with the type columns among them.
    fn model_conditions(&self, model: &str) -> (Vec<Condition>, Vec<String>) {
        // A built model holds them already (see `model`).
        if let Some(m) = self.models.get(model) {
            let types = if m.type_condition {
                vec![m.inheritance_column.clone()]
            } else {
                Vec::new()
            };
            return (m.query_conditions.clone(), types);
        }
        let mut conditions = self.default_scope_conditions(model);
        let mut types = Vec::new();
        if let Some(m) = self.model_info(model) {
            if m.type_condition {
                types.push(m.inheritance_column.clone());
                conditions.push(Condition {
                    table: None,
                    column: m.inheritance_column.clone(),
                    sargable: true,
                    op: "=".into(),
                });
            }
        }
        (conditions, types)
    }

    /// The conditions of an association's scope on `table`: unqualified ones and
    /// those naming the table.
    fn scope_conditions(decl: &AssociationDecl, table: &str) -> Vec<Condition> {
        decl.scope
            .iter()
            .flat_map(|body| &body.shape.conditions)
            .filter(|c| c.table.as_deref().is_none_or(|t| t == table))
            .cloned()
            .collect()
    }

    /// `AssociationReflection#compute_type`: the class name relative to the owner.
    fn compute_type(&self, owner: &str, class_name: &str) -> Result<String, String> {
        let mut tried = Vec::new();
        if let Some(abs) = class_name.strip_prefix("::") {
            tried.push(abs.to_owned());
        } else {
            let mut prefix = owner.to_owned();
            loop {
                tried.push(format!("{prefix}::{class_name}"));
                match prefix.rfind("::") {
                    Some(i) => prefix.truncate(i),
                    None => break,
                }
            }
            tried.push(class_name.to_owned());
        }
        for candidate in &tried {
            if self
                .classes
                .get(candidate.as_str())
                .is_some_and(|c| c.kind == DefKind::Class)
            {
                if self.is_model(candidate, 0) {
                    return Ok(candidate.clone());
                }
                if let Some(outside) = self.external_ancestor(candidate) {
                    return Err(format!(
                        "class `{candidate}` descends from `{outside}`, which is {OUTSIDE_PROJECT}"
                    ));
                }
                return Err(format!("class `{candidate}` is not an ActiveRecord model"));
            }
        }
        // `Doorkeeper::Application` when nothing in the project defines `Doorkeeper`:
        // most likely a gem's model, which fullscan cannot see.
        let top = class_name
            .trim_start_matches("::")
            .split("::")
            .next()
            .unwrap_or_default();
        if class_name.trim_start_matches("::").contains("::") && !self.classes.contains_key(top) {
            return Err(format!("class `{class_name}` is {OUTSIDE_PROJECT}"));
        }
        Err(format!(
            "unknown class `{class_name}` (looked for {})",
            tried
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    fn class_name(&self, decl: &AssociationDecl) -> Result<String, String> {
        match decl.options.get("class_name") {
            Some(Literal::Str(s)) | Some(Literal::Symbol(s)) => Ok(s.clone()),
            Some(Literal::Const(c)) => Ok(c.clone()),
            Some(other) => Err(format!(
                "class_name is not a literal: {}",
                literal_text(other)
            )),
            None => {
                let base = if decl.macro_.is_collection() {
                    self.inflector().singularize(&decl.name)
                } else {
                    decl.name.clone()
                };
                Ok(self.inflector().camelize(&base))
            }
        }
    }

    fn option_key(decl: &AssociationDecl, key: &str) -> Result<Option<Key>, String> {
        match decl.options.get(key) {
            None | Some(Literal::Nil) => Ok(None),
            Some(l) => l
                .as_names()
                .map(|v| Some(Key(v)))
                .ok_or_else(|| format!("`{key}:` is not a literal: {}", literal_text(l))),
        }
    }

    /// Resolves one reflection (recursively for `:through`).
    fn reflect(&self, owner: &str, decl: &AssociationDecl, depth: usize) -> Reflection {
        let mut r = Reflection::default();
        if depth > MAX_DEPTH {
            r.unresolved = Some("`:through` chain too deep or circular".into());
            return r;
        }
        if decl.options.has("through") {
            return self.reflect_through(owner, decl, depth);
        }
        let owner_model = self.model_info(owner);
        let owner_db = owner_model
            .as_ref()
            .map_or_else(|| "primary".to_owned(), |m| m.database.clone());
        let polymorphic = decl.options.get("polymorphic").and_then(Literal::truthy) == Some(true);
        let as_ = decl.options.name("as").map(str::to_owned);

        // Foreign key: `foreign_key:` or `derive_foreign_key`.
        let explicit_fk = match Self::option_key(decl, "foreign_key") {
            Ok(k) => k,
            Err(e) => {
                r.unresolved = Some(e);
                None
            }
        };
        let target = if polymorphic {
            None
        } else {
            match self
                .class_name(decl)
                .and_then(|c| self.compute_type(owner, &c))
            {
                Ok(t) => Some(t),
                Err(e) => {
                    r.unresolved.get_or_insert(e);
                    None
                }
            }
        };
        r.target_class = target.clone();
        let target_model = target.as_deref().and_then(|t| self.model_info(t));

        let derived_fk = || -> Key {
            match decl.macro_ {
                Macro::BelongsTo => Key::one(format!("{}_id", decl.name)),
                _ if as_.is_some() => {
                    Key::one(format!("{}_id", as_.as_deref().unwrap_or_default()))
                }
                _ => {
                    // 7.1+: a has_many/has_one with inverse_of takes the inverse's key.
                    if self.rails.at_least(7, 1) && decl.macro_ != Macro::HasAndBelongsToMany {
                        if let (Some(inv), Some(t)) =
                            (decl.options.name("inverse_of"), target.as_deref())
                        {
                            if let Some((inv_owner, inv_decl)) = self.find_association(t, inv) {
                                if !inv_decl.options.has("through") {
                                    if let Ok(Some(k)) = Self::option_key(inv_decl, "foreign_key") {
                                        return k;
                                    }
                                    if inv_decl.macro_ == Macro::BelongsTo {
                                        return Key::one(format!("{}_id", inv_decl.name));
                                    }
                                    let _ = inv_owner;
                                }
                            }
                        }
                    }
                    Key::one(self.inflector().foreign_key(owner))
                }
            }
        };
        let fk = explicit_fk.unwrap_or_else(derived_fk);
        r.foreign_key = Some(fk.clone());

        if polymorphic {
            r.foreign_type = Some(
                decl.options
                    .name("foreign_type")
                    .map_or_else(|| format!("{}_type", decl.name), str::to_owned),
            );
        }
        let type_column = as_.as_ref().map(|a| {
            decl.options
                .name("foreign_type")
                .map_or_else(|| format!("{a}_type"), str::to_owned)
        });
        if type_column.is_some() {
            r.foreign_type = type_column.clone();
        }

        let explicit_pk = match Self::option_key(decl, "primary_key") {
            Ok(k) => k,
            Err(e) => {
                r.unresolved.get_or_insert(e);
                None
            }
        };
        let target_table = target_model.as_ref().and_then(|m| m.table_name.clone());
        let target_db = target_model
            .as_ref()
            .map(|m| m.database.clone())
            .unwrap_or(owner_db.clone());
        if let Some(m) = &target_model {
            if !m.table_exists && r.unresolved.is_none() {
                r.unresolved = Some(match &m.table_name {
                    Some(t) if m.view => format!("table `{t}` of `{}` is {A_VIEW}", m.name),
                    Some(t) => format!("table `{t}` of `{}` is not in the schema", m.name),
                    None if self.computed_table_name(&m.name) => format!(
                        "the table name of `{}` is not a literal fullscan can read",
                        m.name
                    ),
                    None => format!("`{}` has no table", m.name),
                });
            }
        }
        match decl.macro_ {
            Macro::BelongsTo => {
                r.primary_key = explicit_pk.or_else(|| {
                    target_model
                        .as_ref()
                        .map(|m| m.primary_key.clone().unwrap_or_else(|| Key::one("id")))
                });
                if let (Some(t), Some(pk)) = (&target_table, &r.primary_key) {
                    let (mut implied, implied_types) = target
                        .as_deref()
                        .map(|t| self.model_conditions(t))
                        .unwrap_or_default();
                    implied.extend(Self::scope_conditions(decl, t));
                    r.hops.push(HopSpec {
                        table: t.clone(),
                        database: target_db.clone(),
                        columns: pk.0.clone(),
                        type_columns: Vec::new(),
                        implied,
                        implied_types,
                        links: fk.0.clone(),
                    });
                }
                // The foreign key lives on the owner's table.
                if let Some(owner_table) = owner_model
                    .as_ref()
                    .and_then(|m| m.table_name.as_deref())
                    .and_then(|t| self.table(&owner_db, t))
                {
                    if let Some(missing) = fk.0.iter().find(|c| !owner_table.has_column(c)) {
                        r.unresolved.get_or_insert(format!(
                            "column `{missing}` is not in table `{}`",
                            owner_table.name
                        ));
                    }
                }
            }
            Macro::HasOne | Macro::HasMany => {
                r.primary_key = explicit_pk.or_else(|| {
                    owner_model
                        .as_ref()
                        .map(|m| m.primary_key.clone().unwrap_or_else(|| Key::one("id")))
                });
                if let Some(t) = &target_table {
                    let mut columns = fk.0.clone();
                    let mut type_columns = Vec::new();
                    if let Some(tc) = &type_column {
                        columns.push(tc.clone());
                        type_columns.push(tc.clone());
                    }
                    if let Some(table) = self.table(&target_db, t) {
                        if let Some(missing) = columns.iter().find(|c| !table.has_column(c)) {
                            r.unresolved
                                .get_or_insert(format!("column `{missing}` is not in table `{t}`"));
                        }
                    }
                    let (mut implied, implied_types) = target
                        .as_deref()
                        .map(|t| self.model_conditions(t))
                        .unwrap_or_default();
                    implied.extend(Self::scope_conditions(decl, t));
                    r.hops.push(HopSpec {
                        table: t.clone(),
                        database: target_db.clone(),
                        columns,
                        type_columns,
                        implied,
                        implied_types,
                        links: r.primary_key.clone().map(|k| k.0).unwrap_or_default(),
                    });
                }
            }
            Macro::HasAndBelongsToMany => {
                r.primary_key = owner_model
                    .as_ref()
                    .map(|m| m.primary_key.clone().unwrap_or_else(|| Key::one("id")));
                let join_table = match decl.options.get("join_table") {
                    Some(l) => l.as_name().map(str::to_owned),
                    None => match (
                        &owner_model.as_ref().and_then(|m| m.table_name.clone()),
                        &target_table,
                    ) {
                        (Some(a), Some(b)) => Some(derive_join_table(a, b)),
                        _ => None,
                    },
                };
                let afk = decl
                    .options
                    .name("association_foreign_key")
                    .map(str::to_owned)
                    .or_else(|| {
                        self.class_name(decl)
                            .ok()
                            .map(|c| self.inflector().foreign_key(&c))
                    });
                r.association_foreign_key = afk.clone();
                r.join_table = join_table.clone();
                if let Some(jt) = &join_table {
                    match self.table(&owner_db, jt) {
                        None => {
                            r.unresolved
                                .get_or_insert(format!("join table `{jt}` is not in the schema"));
                        }
                        Some(table) => {
                            let cols = fk.0.iter().chain(afk.iter());
                            if let Some(missing) = cols.into_iter().find(|c| !table.has_column(c)) {
                                r.unresolved.get_or_insert(format!(
                                    "column `{missing}` is not in table `{jt}`"
                                ));
                            }
                        }
                    }
                    r.hops.push(HopSpec {
                        table: jt.clone(),
                        database: owner_db.clone(),
                        columns: fk.0.clone(),
                        type_columns: Vec::new(),
                        implied: Vec::new(),
                        implied_types: Vec::new(),
                        links: r.primary_key.clone().map(|k| k.0).unwrap_or_default(),
                    });
                }
                if let (Some(t), Some(m)) = (&target_table, &target_model) {
                    let (mut implied, implied_types) = self.model_conditions(&m.name);
                    implied.extend(Self::scope_conditions(decl, t));
                    r.hops.push(HopSpec {
                        table: t.clone(),
                        database: target_db.clone(),
                        columns: m.primary_key.clone().unwrap_or_else(|| Key::one("id")).0,
                        type_columns: Vec::new(),
                        implied,
                        implied_types,
                        links: afk.iter().cloned().collect(),
                    });
                }
            }
        }
        r
    }

    fn reflect_through(&self, owner: &str, decl: &AssociationDecl, depth: usize) -> Reflection {
        let mut r = Reflection::default();
        let Some(through) = decl.options.name("through").map(str::to_owned) else {
            r.unresolved = Some("`through:` is not a literal name".into());
            return r;
        };
        r.through = Some(through.clone());
        let Some((through_owner, through_decl)) = self.find_association(owner, &through) else {
            r.unresolved = Some(match self.macros_that_may_declare(owner) {
                None => format!("through association `{through}` is not defined on `{owner}`"),
                Some(macros) => format!(
                    "through association `{through}` is not declared on `{owner}` in the project; {macros}"
                ),
            });
            return r;
        };
        let through_r = self.reflect(&through_owner, through_decl, depth + 1);
        r.hops = through_r.hops.clone();
        let Some(through_target) = through_r.target_class.clone() else {
            r.unresolved = Some(
                through_r
                    .unresolved
                    .unwrap_or_else(|| format!("through association `{through}` is polymorphic")),
            );
            return r;
        };
        // `source_reflection_names`: the `source:` option, else [singular name, name].
        let candidates: Vec<String> = match decl.options.name("source") {
            Some(s) => vec![s.to_owned()],
            None => {
                let mut v = vec![self.inflector().singularize(&decl.name), decl.name.clone()];
                v.dedup();
                v
            }
        };
        let found = candidates.iter().find_map(|c| {
            self.find_association(&through_target, c)
                .map(|f| (c.clone(), f))
        });
        let Some((source_name, (source_owner, source_decl))) = found else {
            let tried = candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            r.unresolved = Some(match self.macros_that_may_declare(&through_target) {
                None => format!("no source association on `{through_target}`: tried {tried}"),
                Some(macros) => format!(
                    "no source association declared on `{through_target}` in the project (tried {tried}); {macros}"
                ),
            });
            return r;
        };
        r.source = Some(source_name);
        let mut source_r = self.reflect(&source_owner, source_decl, depth + 1);
        // A polymorphic source needs `source_type:` to name the class.
        let source_polymorphic = source_decl
            .options
            .get("polymorphic")
            .and_then(Literal::truthy)
            == Some(true);
        if source_polymorphic && !source_decl.options.has("through") {
            match decl.options.name("source_type") {
                Some(st) => match self.compute_type(owner, st) {
                    Ok(cls) => {
                        source_r.target_class = Some(cls.clone());
                        if let Some(m) = self.model_info(&cls) {
                            let pk = m.primary_key.clone().unwrap_or_else(|| Key::one("id"));
                            source_r.primary_key = Some(pk.clone());
                            if let Some(t) = &m.table_name {
                                let (mut implied, implied_types) = self.model_conditions(&cls);
                                implied.extend(Self::scope_conditions(source_decl, t));
                                source_r.hops = vec![HopSpec {
                                    table: t.clone(),
                                    database: m.database.clone(),
                                    columns: pk.0,
                                    type_columns: Vec::new(),
                                    implied,
                                    implied_types,
                                    links: source_r
                                        .foreign_key
                                        .clone()
                                        .map(|k| k.0)
                                        .unwrap_or_default(),
                                }];
                            }
                            // The through table is filtered on the type column too.
                            if let (Some(ft), Some(last)) =
                                (source_r.foreign_type.clone(), r.hops.last_mut())
                            {
                                last.implied.push(Condition {
                                    table: None,
                                    column: ft.clone(),
                                    sargable: true,
                                    op: "=".into(),
                                });
                                last.implied_types.push(ft);
                            }
                        }
                    }
                    Err(e) => source_r.unresolved = Some(e),
                },
                None => {
                    r.unresolved = Some(format!(
                        "source association `{}` is polymorphic and `source_type:` is missing",
                        source_decl.name
                    ));
                }
            }
        }
        r.target_class = source_r.target_class.clone();
        r.foreign_key = source_r.foreign_key.clone();
        r.foreign_type = source_r.foreign_type.clone();
        r.join_table = source_r.join_table.clone();
        r.association_foreign_key = source_r.association_foreign_key.clone();
        r.primary_key = if source_decl.macro_ == Macro::BelongsTo {
            source_r.primary_key.clone()
        } else {
            through_r.primary_key.clone()
        };
        r.hops.extend(source_r.hops);
        // The association's own scope filters the target table (or the tables it names).
        if let Some(body) = &decl.scope {
            let last = r.hops.len().saturating_sub(1);
            for c in &body.shape.conditions {
                for (i, hop) in r.hops.iter_mut().enumerate() {
                    let applies = match &c.table {
                        None => i == last,
                        Some(t) => *t == hop.table,
                    };
                    if applies {
                        hop.implied.push(c.clone());
                    }
                }
            }
        }
        if r.unresolved.is_none() {
            r.unresolved = through_r.unresolved.or(source_r.unresolved);
        }
        r
    }

    fn association(&self, model: &str, declared_in: String, decl: &AssociationDecl) -> Association {
        let m = &self.models[model];
        let reflection = self.reflect(model, decl, 0);
        let hops: Vec<Hop> = reflection
            .hops
            .iter()
            .map(|h| {
                let (index, index_covers) = match self.table(&h.database, &h.table) {
                    Some(table) => match best_index(table, &h.columns, &h.type_columns, &h.implied)
                    {
                        Some((i, covers)) => (Some(i), covers),
                        None => (None, false),
                    },
                    None => (None, false),
                };
                Hop {
                    table: h.table.clone(),
                    database: h.database.clone(),
                    columns: h.columns.clone(),
                    type_columns: h.type_columns.clone(),
                    index,
                    index_covers,
                    conditions: h.implied.clone(),
                    condition_types: h.implied_types.clone(),
                    links: h.links.clone(),
                }
            })
            .collect();
        let condition_plan = self.condition_plan(&hops);
        let polymorphic = decl.options.get("polymorphic").and_then(Literal::truthy) == Some(true);
        let (index, index_covers) = if polymorphic && !decl.options.has("through") {
            // Each possible target is looked up by its primary key.
            let pk = decl.options.name("primary_key").unwrap_or("id").to_owned();
            let by_pk = !decl.options.has("primary_key");
            (
                by_pk.then(|| IndexRef {
                    name: "PRIMARY KEY".into(),
                    columns: vec![pk],
                }),
                by_pk,
            )
        } else if hops.is_empty() || hops.iter().any(|h| h.index.is_none()) {
            (None, false)
        } else {
            (hops[0].index.clone(), hops.iter().all(|h| h.index_covers))
        };
        let target_table = reflection
            .target_class
            .as_deref()
            .and_then(|t| self.model_info(t))
            .and_then(|t| t.table_name.clone());
        Association {
            model: model.to_owned(),
            table: m.table_name.clone(),
            name: decl.name.clone(),
            macro_: decl.macro_,
            path: decl.path.clone(),
            line: decl.span.line,
            column: decl.span.column,
            end_line: decl.span.end_line,
            end_column: decl.span.end_column,
            declared_in,
            target_class: reflection.target_class,
            target_table,
            foreign_key: reflection.foreign_key,
            foreign_type: reflection.foreign_type,
            primary_key: reflection.primary_key,
            join_table: reflection.join_table,
            association_foreign_key: reflection.association_foreign_key,
            through: reflection.through,
            source: reflection.source,
            polymorphic,
            as_: decl.options.name("as").map(str::to_owned),
            // `dependent: nil` / `false` mean no dependent behaviour.
            dependent: decl.options.get("dependent").and_then(|d| match d {
                Literal::Nil | Literal::Bool(false) => None,
                _ => Some(d.as_name().map_or_else(|| literal_text(d), str::to_owned)),
            }),
            scope: decl.scope.as_ref().map(|s| s.source.clone()),
            database: m.database.clone(),
            index,
            index_covers,
            hops,
            condition_plan,
            options: decl.options.clone(),
            unresolved: reflection.unresolved,
        }
    }

    /// For a join some hop of which the owner's key cannot reach through an index:
    /// whether the database can still search every table, starting instead from an
    /// index on a table's own conditions (`quizzes.active = 1`) and following the
    /// join keys in either direction. Returns the starting lookup when it can.
    fn condition_plan(&self, hops: &[Hop]) -> Option<ConditionPlan> {
        if hops.len() < 2 || hops.iter().all(|h| h.index.is_some()) {
            return None;
        }
        let tables: Vec<&Table> = hops
            .iter()
            .map(|h| self.table(&h.database, &h.table))
            .collect::<Option<_>>()?;
        // Each table's constants: its conditions, its type columns (compared with the
        // owner's class name) and, for the first, the owner's key.
        let constants = |i: usize| -> Vec<Condition> {
            let h = &hops[i];
            let mut c = h.conditions.clone();
            let fixed = if i == 0 { &h.columns } else { &h.type_columns };
            c.extend(fixed.iter().map(|col| Condition {
                table: None,
                column: col.clone(),
                sargable: true,
                op: "=".into(),
            }));
            c
        };
        let mut searched = vec![false; hops.len()];
        let mut start = None;
        searched[0] = hops[0].index.is_some();
        for (i, h) in hops.iter().enumerate() {
            if searched[i] {
                continue;
            }
            let filtered: Vec<String> = h
                .conditions
                .iter()
                .filter(|c| c.sargable)
                .map(|c| c.column.clone())
                .collect();
            let types: Vec<String> = h
                .condition_types
                .iter()
                .chain(&h.type_columns)
                .cloned()
                .collect();
            if let Some((index, _)) = best_index(tables[i], &filtered, &types, &constants(i)) {
                searched[i] = true;
                start.get_or_insert(ConditionPlan {
                    table: h.table.clone(),
                    index,
                    conditions: h
                        .conditions
                        .iter()
                        .filter(|c| c.sargable && !types.contains(&c.column))
                        .map(|c| c.sql(&h.table, 1))
                        .collect(),
                });
            }
        }
        start.as_ref()?;
        loop {
            let mut changed = false;
            for i in 0..hops.len() {
                if searched[i] {
                    continue;
                }
                // Forward: from the previous table by this hop's key.
                let forward = i > 0 && searched[i - 1] && hops[i].index.is_some();
                // Backward: from the next table by the columns it joins on.
                let backward = i + 1 < hops.len()
                    && searched[i + 1]
                    && best_index(tables[i], &hops[i + 1].links, &[], &constants(i)).is_some();
                if forward || backward {
                    searched[i] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        searched.iter().all(|s| *s).then_some(start).flatten()
    }
}

/// A join the database can serve without scanning only by starting from an index on
/// a table's own conditions rather than from the owner's key: fast only when those
/// conditions select few rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionPlan {
    pub table: String,
    pub index: IndexRef,
    /// The conditions the starting index searches, as SQL.
    pub conditions: Vec<String>,
}

fn literal_text(l: &Literal) -> String {
    match l {
        Literal::Dynamic(s) | Literal::Lambda(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// `HasAndBelongsToMany#table_name`: the two table names sorted, with their longest
/// common prefix that ends in `_` or `.` kept once.
pub fn derive_join_table(a: &str, b: &str) -> String {
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    // Ruby: "#{first}\0#{second}".sub(/^(.*[._])(.+)\0\1(.+)/, '\1\2_\3'), then tr("\0", "_").
    let fb = first.as_bytes();
    let sb = second.as_bytes();
    // Greedy `.*`: the longest prefix ending in `_`/`.` that both share, with a
    // non-empty remainder on both sides.
    let mut best = None;
    for (i, &c) in fb.iter().enumerate() {
        if (c == b'_' || c == b'.') && i + 1 < fb.len() && sb.len() > i + 1 && fb[..=i] == sb[..=i]
        {
            best = Some(i + 1);
        }
    }
    match best {
        Some(n) => format!("{}{}_{}", &first[..n], &first[n..], &second[n..]),
        None => format!("{first}_{second}"),
    }
}

/// The best index serving an equality lookup on `columns`: the primary key or a
/// usable B-tree index whose leading columns are among them or are compared for
/// equality by the `implied` conditions. An index is usable when that leading prefix
/// holds at least one of `columns` that is not a type column; it covers when the
/// prefix holds them all. An expression-led index does not serve a
/// plain lookup; a partial index only when the query's conditions (`columns`, plus
/// the `implied` ones of default scopes and scope lambdas) imply its predicate.
pub fn best_index(
    table: &Table,
    columns: &[String],
    type_columns: &[String],
    implied: &[Condition],
) -> Option<(IndexRef, bool)> {
    best_index_trailing(table, columns, &[], type_columns, implied)
}

/// [`best_index`], where the query also tests `trailing` columns in a way an index
/// can search only after an equality on the columns before them (`x IS NOT NULL`):
/// they count as the query's own but cannot lead the index.
pub fn best_index_trailing(
    table: &Table,
    columns: &[String],
    trailing: &[String],
    type_columns: &[String],
    implied: &[Condition],
) -> Option<(IndexRef, bool)> {
    // (name, leading columns, rank, partial)
    let mut candidates: Vec<(String, Vec<String>, u8, bool)> = Vec::new();
    if !table.primary_key.is_empty() {
        candidates.push(("PRIMARY KEY".into(), table.primary_key.clone(), 0, false));
    }
    for index in &table.indexes {
        if !index.is_btree_like() {
            continue;
        }
        if let Some(predicate) = &index.predicate {
            if !predicate_implied(predicate, columns, implied) {
                continue;
            }
        }
        let cols: Vec<String> = index.leading_columns().map(str::to_owned).collect();
        if cols.is_empty() {
            continue;
        }
        candidates.push((index.name.clone(), cols, 1, index.predicate.is_some()));
    }
    let mut best: Option<(usize, bool, u8, String, Vec<String>)> = None;
    for (name, cols, rank, partial) in candidates {
        // The index is searched as far as its columns are compared: the lookup's own
        // columns, and equalities the query carries anyway (a scope's `active = 1`,
        // the STI type) in front of them.
        let mut prefix: Vec<&String> = Vec::new();
        for c in &cols {
            if columns.contains(c) || implied.iter().any(|k| k.column == *c && k.is_equality()) {
                prefix.push(c);
            } else {
                // A partial index whose predicate the query implies holds only the
                // rows asked for: `x IS NOT NULL` may lead it.
                if (partial || !prefix.is_empty()) && trailing.contains(c) {
                    prefix.push(c);
                }
                break;
            }
        }
        if !prefix
            .iter()
            .any(|c| (columns.contains(c) || trailing.contains(c)) && !type_columns.contains(c))
        {
            continue;
        }
        let covers = columns.iter().all(|c| prefix.contains(&c));
        let key = (prefix.len(), covers, rank, name.clone(), cols.clone());
        let better = match &best {
            None => true,
            Some(b) => {
                (
                    covers,
                    key.0,
                    std::cmp::Reverse(rank),
                    std::cmp::Reverse(&name),
                ) > (b.1, b.0, std::cmp::Reverse(b.2), std::cmp::Reverse(&b.3))
            }
        };
        if better {
            best = Some(key);
        }
    }
    best.map(|(_, covers, _, name, columns)| (IndexRef { name, columns }, covers))
}

/// Whether a partial index's predicate is implied by the query: every AND-ed term
/// must be `x IS NULL` with the query testing `x IS NULL`, or `x IS NOT NULL` with
/// the query comparing `x` (an equality, `IN` or a range never matches NULL).
/// Anything else is not proven, and the index is not counted.
pub fn predicate_implied(predicate: &str, columns: &[String], implied: &[Condition]) -> bool {
    let cleaned: String = predicate
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '"' | '`'))
        .collect();
    let upper = cleaned.to_ascii_uppercase();
    if upper.contains(" OR ") {
        return false;
    }
    upper.split(" AND ").all(|term| {
        let term = term.trim();
        let words: Vec<&str> = term.split_whitespace().collect();
        let column = |w: &str| {
            w.split("::")
                .next()
                .unwrap_or(w)
                .rsplit('.')
                .next()
                .unwrap_or(w)
                .to_ascii_lowercase()
        };
        match words.as_slice() {
            [col, "IS", "NULL"] => {
                let col = column(col);
                implied
                    .iter()
                    .any(|c| c.column.eq_ignore_ascii_case(&col) && c.op == "IS NULL")
            }
            [col, "IS", "NOT", "NULL"] => {
                let col = column(col);
                // Any comparison but IS NULL is false or unknown on NULL.
                columns.iter().any(|c| c.eq_ignore_ascii_case(&col))
                    || implied
                        .iter()
                        .any(|c| c.column.eq_ignore_ascii_case(&col) && c.op != "IS NULL")
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_indexes_apply_only_when_implied() {
        let cond = |col: &str, op: &str| Condition {
            table: None,
            column: col.into(),
            sargable: true,
            op: op.into(),
        };
        let fk = vec!["post_id".to_string()];
        assert!(predicate_implied(
            "(deleted_at IS NULL)",
            &fk,
            &[cond("deleted_at", "IS NULL")]
        ));
        assert!(!predicate_implied("(deleted_at IS NULL)", &fk, &[]));
        assert!(predicate_implied("post_id IS NOT NULL", &fk, &[]));
        assert!(predicate_implied(
            "(\"deleted_at\" IS NULL) AND (post_id IS NOT NULL)",
            &fk,
            &[cond("deleted_at", "IS NULL")]
        ));
        assert!(!predicate_implied(
            "deleted_at IS NULL OR x IS NULL",
            &fk,
            &[cond("deleted_at", "IS NULL")]
        ));
        assert!(!predicate_implied(
            "(state)::text = 'open'::text",
            &fk,
            &[cond("state", "=")]
        ));
    }

    #[test]
    fn join_tables() {
        assert_eq!(
            derive_join_table("developers", "projects"),
            "developers_projects"
        );
        assert_eq!(derive_join_table("posts", "categories"), "categories_posts");
        assert_eq!(
            derive_join_table("music_artists", "music_records"),
            "music_artists_records"
        );
        // Ruby keeps the shared prefix once even when one name extends the other.
        assert_eq!(
            derive_join_table("music_artists", "music_artists_x"),
            "music_artists_artists_x"
        );
        assert_eq!(derive_join_table("a.b_c", "a.b_d"), "a.b_c_d");
        assert_eq!(derive_join_table("users", "users"), "users_users");
    }
}
