//! The rule engine. A rule is one file in this directory (a check function) plus
//! its documentation and metadata in `rules/<id>.md`; the `rules!` list below is
//! the only registry.

use crate::analyze::Analysis;
use crate::resolve::{Association, Hop, Model};
use crate::schema::Adapter;
use serde::Serialize;
use std::path::PathBuf;

mod association_used_only_in_tests;
mod broken_association;
mod dependent_full_scan;
mod unindexed_foreign_key;
mod unindexed_join_table;
mod unindexed_polymorphic;
mod unindexed_scope;
mod uniqueness_without_index;
mod unused_association;
mod unused_scope;
mod unused_suppression;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The migration that fixes a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub description: String,
    /// The statements for the migration's `change` method.
    pub migration: Vec<String>,
    /// PostgreSQL builds the index concurrently, which cannot run in a transaction.
    pub disable_ddl_transaction: bool,
}

/// Where a table is defined in the schema file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaLocation {
    pub path: PathBuf,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    /// A stable identity for the finding across runs and edits: a hash of what it
    /// is about (rule, file, model, association / scope / attribute, table,
    /// columns), not of where the line is. Set by [`run`].
    pub fingerprint: String,
    /// Set when an inline comment or the baseline suppresses the finding: it is
    /// kept in JSON and SARIF, and neither shown to people nor counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<crate::suppress::Suppression>,
    pub severity: Severity,
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    pub table: String,
    pub columns: Vec<String>,
    pub message: String,
    pub fix: Option<Fix>,
    pub schema: Option<SchemaLocation>,
}

/// A rule's metadata, read from the front matter of `rules/<id>.md`.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: String,
    pub tags: Vec<String>,
    pub precision: String,
    /// The Markdown body (everything after the front matter).
    #[serde(skip)]
    pub doc: &'static str,
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Context<'_>, &RuleMeta) -> Vec<Finding>,
}

macro_rules! rules {
    ($($module:ident => $id:literal),* $(,)?) => {
        /// Every rule, in id order.
        pub fn all() -> Vec<Rule> {
            let mut v = vec![$(Rule {
                meta: parse_meta($id, include_str!(concat!("../../rules/", $id, ".md"))),
                check: $module::check,
            }),*];
            v.sort_by_key(|r| r.meta.id);
            v
        }
    };
}

rules! {
    association_used_only_in_tests => "association-used-only-in-tests",
    broken_association => "broken-association",
    dependent_full_scan => "dependent-full-scan",
    uniqueness_without_index => "uniqueness-without-index",
    unindexed_foreign_key => "unindexed-foreign-key",
    unindexed_join_table => "unindexed-join-table",
    unindexed_polymorphic => "unindexed-polymorphic",
    unindexed_scope => "unindexed-scope",
    unused_association => "unused-association",
    unused_scope => "unused-scope",
    unused_suppression => "unused-suppression",
}

/// Parses the `---`-delimited front matter of a rule doc. The docs are compiled in,
/// so a malformed one is a build-time mistake caught by the tests.
fn parse_meta(id: &'static str, text: &'static str) -> RuleMeta {
    let rest = text.strip_prefix("---\n").unwrap_or(text);
    let (front, body) = rest.split_once("\n---\n").unwrap_or(("", text));
    let mut meta = RuleMeta {
        id,
        severity: Severity::Warning,
        summary: String::new(),
        tags: Vec::new(),
        precision: "high".into(),
        doc: body.trim_start_matches('\n'),
    };
    for line in front.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim() {
            "severity" => meta.severity = Severity::parse(v).unwrap_or(Severity::Warning),
            "summary" => meta.summary = v.to_owned(),
            "precision" => meta.precision = v.to_owned(),
            "tags" => {
                meta.tags = v
                    .trim_matches(|c| c == '[' || c == ']')
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect()
            }
            _ => {}
        }
    }
    meta
}

/// What rules read: the analysis, with lookups they share.
pub struct Context<'a> {
    pub analysis: &'a Analysis,
    /// The belongs_to associations by (model, name).
    belongs_to: std::collections::HashMap<(&'a str, &'a str), &'a Association>,
}

impl<'a> Context<'a> {
    pub fn new(analysis: &'a Analysis) -> Context<'a> {
        let mut belongs_to = std::collections::HashMap::new();
        for a in &analysis.resolved.associations {
            if a.macro_ == crate::model::Macro::BelongsTo {
                // The first declaration wins, as a linear search would find it.
                belongs_to
                    .entry((a.model.as_str(), a.name.as_str()))
                    .or_insert(a);
            }
        }
        Context {
            analysis,
            belongs_to,
        }
    }

    pub fn model(&self, name: &str) -> Option<&'a Model> {
        let models = &self.analysis.resolved.models;
        models
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()
            .map(|i| &models[i])
    }

    fn database(&self, name: &str) -> Option<&'a crate::schema::Database> {
        self.analysis.databases.iter().find(|d| d.name == name)
    }

    pub fn table(&self, database: &str, table: &str) -> Option<&'a crate::schema::Table> {
        self.database(database)?.table(table)
    }

    /// The belongs_to named `name` visible on a model: its own or a superclass's.
    pub fn belongs_to(&self, model: &str, name: &str) -> Option<&'a Association> {
        let mut current = self.model(model)?;
        for _ in 0..32 {
            if let Some(found) = self.belongs_to.get(&(current.name.as_str(), name)) {
                return Some(found);
            }
            current = self.model(current.superclass.as_deref()?)?;
        }
        None
    }

    pub fn adapter(&self, database: &str) -> Adapter {
        self.database(database)
            .map_or(Adapter::Unknown, |d| d.adapter)
    }

    pub fn schema_location(&self, database: &str, table: &str) -> Option<SchemaLocation> {
        let db = self.database(database)?;
        Some(SchemaLocation {
            path: db.path.clone(),
            line: db.table(table)?.line,
        })
    }

    /// The associations that resolved, so index rules can reason about them.
    pub fn resolved_associations(&self) -> impl Iterator<Item = &'a Association> {
        self.analysis
            .resolved
            .associations
            .iter()
            .filter(|a| a.unresolved.is_none())
    }

    /// The migration statement that adds an index on `columns` of `table`.
    pub fn add_index_fix(
        &self,
        database: &str,
        table: &str,
        columns: &[String],
        unique: bool,
    ) -> Fix {
        self.index_fix(database, table, columns, unique, None)
    }

    /// The migration statement that adds a partial index on `columns` of `table`
    /// holding only the rows `predicate` selects.
    pub fn add_partial_index_fix(
        &self,
        database: &str,
        table: &str,
        columns: &[String],
        predicate: &str,
    ) -> Fix {
        let mut fix = self.index_fix(database, table, columns, false, Some(predicate));
        fix.description = fix.description.replacen(
            "add an index",
            &format!("add a partial index (where {predicate})"),
            1,
        );
        if self.adapter(database) == Adapter::Mysql {
            fix.description.push_str(
                "; MySQL has no partial indexes and builds a plain one, which serves only while few rows match",
            );
        }
        fix
    }

    fn index_fix(
        &self,
        database: &str,
        table: &str,
        columns: &[String],
        unique: bool,
        predicate: Option<&str>,
    ) -> Fix {
        let cols = match columns {
            [one] => format!(":{one}"),
            many => format!(
                "[{}]",
                many.iter()
                    .map(|c| format!(":{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let table_sym = if table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            format!(":{table}")
        } else {
            format!("{table:?}")
        };
        let mut stmt = format!("add_index {table_sym}, {cols}");
        if unique {
            stmt.push_str(", unique: true");
        }
        if let Some(predicate) = predicate {
            stmt.push_str(&format!(
                ", where: {}",
                crate::migration::ruby_string(predicate)
            ));
        }
        let pg = self.adapter(database) == Adapter::Postgresql;
        if pg {
            stmt.push_str(", algorithm: :concurrently");
        }
        Fix {
            description: format!(
                "add an index on {table} ({}){}",
                columns.join(", "),
                if pg {
                    ", built concurrently so writes are not blocked (the migration needs `disable_ddl_transaction!`)"
                } else {
                    ""
                }
            ),
            migration: vec![stmt],
            disable_ddl_transaction: pg,
        }
    }
}

/// The SQL Rails sends for a lookup, in PostgreSQL's placeholder style.
pub fn select_sql(hop: &Hop, limit_one: bool) -> String {
    let mut conds = Vec::new();
    for (i, c) in hop.columns.iter().enumerate() {
        conds.push(format!("\"{}\".\"{}\" = ${}", hop.table, c, i + 1));
    }
    format!(
        "SELECT \"{t}\".* FROM \"{t}\" WHERE {}{}",
        conds.join(" AND "),
        if limit_one {
            format!(" LIMIT ${}", hop.columns.len() + 1)
        } else {
            String::new()
        },
        t = hop.table
    )
}

/// For a join only a plan driven by a table's own conditions can serve: the
/// severity to report (note at most) and what to add to the message.
pub fn join_severity(a: &Association, severity: Severity) -> (Severity, String) {
    match &a.condition_plan {
        None => (severity, String::new()),
        Some(plan) => (
            Severity::Note,
            format!(
                "; the database can avoid the scan only by starting from `{}` on {} ({}), which is fast only while few rows match {}",
                plan.index.name,
                plan.table,
                plan.index.columns.join(", "),
                plan.conditions.join(" AND ")
            ),
        ),
    }
}

/// The SQL of a join across `hops`: the last hop's table, joined back to the first,
/// which the owner's key filters.
pub fn join_sql(hops: &[Hop], limit_one: bool) -> String {
    let Some(last) = hops.last() else {
        return String::new();
    };
    // A table met twice gets an alias the second time, as Rails does.
    let mut names: Vec<String> = Vec::new();
    for (i, h) in hops.iter().enumerate().rev() {
        let taken = names.iter().any(|n| n == &h.table);
        names.push(if taken {
            format!("{}_{}", h.table, i)
        } else {
            h.table.clone()
        });
    }
    names.reverse();
    let table = |i: usize| -> String {
        if names[i] == hops[i].table {
            format!("\"{}\"", hops[i].table)
        } else {
            format!("\"{}\" \"{}\"", hops[i].table, names[i])
        }
    };
    let mut sql = format!("SELECT \"{}\".* FROM {}", last.table, table(hops.len() - 1));
    for i in (1..hops.len()).rev() {
        let on: Vec<String> = hops[i]
            .key_columns()
            .iter()
            .zip(&hops[i].links)
            .map(|(c, l)| format!("\"{}\".\"{c}\" = \"{}\".\"{l}\"", names[i], names[i - 1]))
            .collect();
        sql.push_str(&format!(
            " INNER JOIN {} ON {}",
            table(i - 1),
            on.join(" AND ")
        ));
    }
    let wheres: Vec<String> = hops[0]
        .columns
        .iter()
        .enumerate()
        .map(|(n, c)| format!("\"{}\".\"{c}\" = ${}", names[0], n + 1))
        .collect();
    sql.push_str(&format!(" WHERE {}", wheres.join(" AND ")));
    if limit_one {
        sql.push_str(&format!(" LIMIT ${}", hops[0].columns.len() + 1));
    }
    sql
}

/// A finding located at an association's declaration.
#[allow(clippy::too_many_arguments)]
pub fn association_finding(
    meta: &RuleMeta,
    severity: Severity,
    a: &Association,
    table: &str,
    columns: Vec<String>,
    message: String,
    fix: Option<Fix>,
    schema: Option<SchemaLocation>,
) -> Finding {
    Finding {
        rule: meta.id,
        fingerprint: String::new(),
        suppression: None,
        severity,
        path: a.path.clone(),
        line: a.line,
        column: a.column,
        end_line: a.end_line,
        end_column: a.end_column,
        model: a.model.clone(),
        association: Some(a.name.clone()),
        scope: None,
        attribute: None,
        table: table.to_owned(),
        columns,
        // A declaration in a concern stands for each model that includes it.
        message: if a.declared_in == a.model {
            message
        } else {
            format!(
                "{message} (declared in {}, included into {})",
                a.declared_in, a.model
            )
        },
        fix,
        schema,
    }
}

/// Runs every rule and returns the findings in a stable order.
pub fn run(analysis: &Analysis, rules: &[Rule]) -> Vec<Finding> {
    use rayon::prelude::*;
    let ctx = Context::new(analysis);
    let mut findings: Vec<Finding> = rules
        .par_iter()
        .flat_map_iter(|r| (r.check)(&ctx, &r.meta))
        .collect();
    for f in &mut findings {
        f.fingerprint = fingerprint(f);
    }
    sort_findings(&mut findings);
    findings
}

/// The rules the configuration does not disable, in id order.
pub fn enabled(config: &crate::config::Config) -> Vec<Rule> {
    all()
        .into_iter()
        .filter(|r| !config.disabled_rules.iter().any(|d| d == r.meta.id))
        .collect()
}

/// Runs the rules the configuration enables and applies its severities, its
/// exclusions and the inline suppressions; a suppression that suppressed nothing
/// becomes an `unused-suppression` finding.
pub fn run_configured(analysis: &Analysis, config: &crate::config::Config) -> Vec<Finding> {
    let rules = enabled(config);
    let defaults: std::collections::HashMap<&str, Severity> =
        rules.iter().map(|r| (r.meta.id, r.meta.severity)).collect();
    let mut findings = run(analysis, &rules);
    findings.retain(|f| !config.excluded(&f.path));
    for f in &mut findings {
        let default = defaults.get(f.rule).copied().unwrap_or(f.severity);
        // An override replaces the rule's default level; a finding the rule itself
        // put at another level keeps it.
        let level = if f.severity == default {
            config.severity(f.rule, "", default)
        } else {
            f.severity
        };
        f.severity = if config.large_tables.contains(&f.table) {
            config.severity("", &f.table, level)
        } else {
            level
        };
    }
    let mut directives = Vec::new();
    // A directive suppresses findings in its own file only: with findings reported
    // for some files alone, the directives of the others change nothing reported.
    let only = crate::analyze::declarations_reported(config, &analysis.files);
    for rel in analysis
        .files
        .model_files
        .iter()
        .chain(&analysis.files.support_files)
        .filter(|rel| only.is_none_or(|only| only.iter().any(|o| rel.starts_with(o))))
    {
        if let Ok(src) = crate::project::read_text(&analysis.root.join(rel)) {
            directives.extend(crate::suppress::directives(rel, &src));
        }
    }
    let used = crate::suppress::apply(&mut findings, &directives);
    if let Some(meta) = rules
        .iter()
        .find(|r| r.meta.id == "unused-suppression")
        .map(|r| &r.meta)
    {
        let known: Vec<&str> = all().iter().map(|r| r.meta.id).collect();
        for (d, n) in directives.iter().zip(used) {
            if n > 0 || config.excluded(&d.path) {
                continue;
            }
            let unknown: Vec<&String> = d
                .rules
                .iter()
                .filter(|r| *r != "all" && !known.contains(&r.as_str()))
                .collect();
            let why = if d.rules.is_empty() {
                "it names no rule (write `# fullscan:disable RULE -- reason`)".to_owned()
            } else if !unknown.is_empty() {
                format!(
                    "{} {} no rule (`fullscan rules` lists them)",
                    unknown
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if unknown.len() == 1 { "is" } else { "are" }
                )
            } else {
                format!(
                    "no finding of {} {}",
                    d.rules.join(", "),
                    if d.file_wide {
                        "in this file"
                    } else {
                        "on this line or the next"
                    }
                )
            };
            let mut f = Finding {
                rule: meta.id,
                fingerprint: String::new(),
                suppression: None,
                severity: meta.severity,
                path: d.path.clone(),
                line: d.line,
                column: d.column,
                end_line: d.line,
                end_column: d.end_column,
                model: String::new(),
                association: None,
                scope: None,
                attribute: Some(d.rules.join(",")),
                table: String::new(),
                columns: Vec::new(),
                message: format!("`fullscan:disable` suppresses nothing: {why}"),
                fix: Some(Fix {
                    description: format!(
                        "remove `# fullscan:disable{} {}` ({}:{}), or correct its rule ids",
                        if d.file_wide { "-file" } else { "" },
                        d.rules.join(", "),
                        d.path.display(),
                        d.line
                    ),
                    migration: Vec::new(),
                    disable_ddl_transaction: false,
                }),
                schema: None,
            };
            f.fingerprint = fingerprint(&f);
            findings.push(f);
        }
    }
    sort_findings(&mut findings);
    findings
}

/// The semantic fingerprint of a finding (see [`Finding::fingerprint`]): the first
/// 32 hex digits of a SHA-256 over its identifying fields.
pub fn fingerprint(f: &Finding) -> String {
    use sha2::{Digest, Sha256};
    let path = f.path.to_string_lossy().replace('\\', "/");
    let subject = f
        .association
        .as_deref()
        .or(f.scope.as_deref())
        .or(f.attribute.as_deref())
        .unwrap_or("");
    let mut h = Sha256::new();
    for part in [
        f.rule,
        path.as_str(),
        &f.model,
        subject,
        &f.table,
        &f.columns.join(","),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            &a.path,
            a.line,
            a.column,
            a.rule,
            &a.model,
            &a.association,
            &a.scope,
            &a.attribute,
            &a.message,
        )
            .cmp(&(
                &b.path,
                b.line,
                b.column,
                b.rule,
                &b.model,
                &b.association,
                &b.scope,
                &b.attribute,
                &b.message,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_complete_metadata() {
        let rules = all();
        assert_eq!(rules.len(), 11);
        for r in &rules {
            assert!(!r.meta.summary.is_empty(), "{} has no summary", r.meta.id);
            assert!(!r.meta.tags.is_empty(), "{} has no tags", r.meta.id);
            for heading in [
                "## What it finds",
                "## Why",
                "## Example",
                "## How to fix",
                "## Limits",
            ] {
                assert!(
                    r.meta.doc.contains(heading),
                    "{} lacks `{heading}`",
                    r.meta.id
                );
            }
        }
    }

    #[test]
    fn rule_docs_and_registry_match() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut docs: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .into_string()
                    .ok()?
                    .strip_suffix(".md")
                    .map(str::to_owned)
            })
            .filter(|n| n != "README")
            .collect();
        docs.sort();
        let ids: Vec<String> = all().iter().map(|r| r.meta.id.to_owned()).collect();
        assert_eq!(docs, ids);
    }
}
