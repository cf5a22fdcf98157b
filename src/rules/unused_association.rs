//! `unused-association`: an association nothing in the project uses. Shared with
//! `association-used-only-in-tests` and `unused-scope`, which read the same index.

use super::*;
use crate::model::Macro;
use crate::references::{Target, TargetKind, Usage};
use crate::ruby::Literal;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    unused(ctx, meta, Verdict::Unused)
}

/// Scopes gems call by name, by convention: Searchkick's `search_import` (used when
/// reindexing).
const GEM_CONVENTION_SCOPES: &[&str] = &["search_import"];

/// Which targets a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Associations used nowhere.
    Unused,
    /// Associations used only in test directories.
    TestsOnly,
    /// Scopes used nowhere (tests included).
    UnusedScope,
}

pub fn unused(ctx: &Context<'_>, meta: &RuleMeta, verdict: Verdict) -> Vec<Finding> {
    let index = &ctx.analysis.references;
    let mut out = Vec::new();
    for (target, usage) in index.targets.iter().zip(&index.usages) {
        let is_scope = target.kind == TargetKind::Scope;
        let report = match verdict {
            Verdict::Unused => !is_scope && usage.app.is_none() && usage.test.is_none(),
            Verdict::TestsOnly => !is_scope && usage.app.is_none() && usage.test.is_some(),
            Verdict::UnusedScope => {
                is_scope
                    && usage.app.is_none()
                    && usage.test.is_none()
                    && !GEM_CONVENTION_SCOPES.contains(&target.name.as_str())
            }
        };
        if !report {
            continue;
        }
        if let Some(f) = finding(ctx, meta, verdict, target, usage) {
            out.push(f);
        }
    }
    out
}

fn finding(
    ctx: &Context<'_>,
    meta: &RuleMeta,
    verdict: Verdict,
    target: &Target,
    usage: &Usage,
) -> Option<Finding> {
    let model = target.models.first()?.clone();
    let searched = ctx.analysis.references.stats.files;
    let mut severity = meta.severity;
    let dynamic = usage.dynamic.as_ref().map(|d| {
        if verdict != Verdict::TestsOnly {
            severity = Severity::Note;
        }
        format!(
            "; a dynamic call may still reach it: `{}` at {}:{}",
            d.text,
            d.path.display(),
            d.line
        )
    });
    let includers = if target.models.len() > 1 {
        format!(" (and {})", target.models[1..].join(", "))
    } else {
        String::new()
    };
    let (table, message, fix, association, scope) = match target.kind {
        TargetKind::Scope => {
            let table = ctx
                .model(&model)
                .and_then(|m| m.table_name.clone())
                .unwrap_or_default();
            let message = format!(
                "scope `{}` of {model}{includers}{} is never used: no call, symbol or string in the {searched} files searched names it{}",
                target.name,
                if table.is_empty() {
                    String::new()
                } else {
                    format!(" (table `{table}`)")
                },
                dynamic.unwrap_or_default()
            );
            let fix = Fix {
                description: format!(
                    "remove `scope :{}` ({}:{}){}",
                    target.name,
                    target.path.display(),
                    target.line,
                    if table.is_empty() {
                        String::new()
                    } else {
                        format!(", a query on `{table}` nobody runs")
                    }
                ),
                migration: Vec::new(),
                disable_ddl_transaction: false,
            };
            (table, message, fix, None, Some(target.name.clone()))
        }
        TargetKind::Association(macro_) => {
            let a = ctx.analysis.resolved.associations.iter().find(|a| {
                a.line == target.line && a.name == target.name && a.path == target.path
            })?;
            let table = a
                .target_table
                .clone()
                .or_else(|| a.table.clone())
                .unwrap_or_default();
            let (costs, changes) = costs(ctx, a, macro_, &table);
            let used = match verdict {
                Verdict::TestsOnly => {
                    let (path, line) = usage.test.clone().unwrap_or_default();
                    format!(
                        "is used only by tests (first at {}:{line}): the application never reads it",
                        path.display()
                    )
                }
                _ => format!(
                    "is never used: no call, symbol or string in the {searched} files searched names it"
                ),
            };
            let message = format!(
                "`{} :{}` of {model}{includers}{} {used}{}{}",
                macro_.as_str(),
                target.name,
                if table.is_empty() {
                    String::new()
                } else {
                    format!(" (table `{table}`)")
                },
                costs,
                dynamic.unwrap_or_default()
            );
            let fix = Fix {
                description: format!(
                    "remove `{} :{}` ({}:{}){}{}",
                    macro_.as_str(),
                    target.name,
                    target.path.display(),
                    target.line,
                    if verdict == Verdict::TestsOnly {
                        " and the tests that only exercise it"
                    } else {
                        ""
                    },
                    changes
                ),
                migration: Vec::new(),
                disable_ddl_transaction: false,
            };
            (table, message, fix, Some(target.name.clone()), None)
        }
    };
    let database = ctx
        .model(&model)
        .map(|m| m.database.clone())
        .unwrap_or_else(|| "primary".into());
    Some(Finding {
        rule: meta.id,
        fingerprint: String::new(),
        suppression: None,
        severity,
        path: target.path.clone(),
        line: target.line,
        column: target.column,
        end_line: target.end_line,
        end_column: target.end_column,
        model,
        association,
        scope,
        attribute: None,
        schema: ctx.schema_location(&database, &table),
        table,
        columns: Vec::new(),
        message,
        fix: Some(fix),
    })
}

/// What an unused association still costs, and what removing it changes.
fn costs(
    ctx: &Context<'_>,
    a: &crate::resolve::Association,
    macro_: Macro,
    table: &str,
) -> (String, String) {
    let mut costs = Vec::new();
    let mut changes = Vec::new();
    let opt = |k: &str| a.options.get(k);
    let truthy = |k: &str| opt(k).and_then(Literal::truthy) == Some(true);
    let scans = a.hops.iter().any(|h| h.index.is_none()) && !a.hops.is_empty();
    if let Some(dependent) = a.dependent.as_deref() {
        costs.push(format!(
            "yet every `{}#destroy` still runs its `dependent: :{dependent}` query on `{table}`{}",
            a.model,
            if scans {
                ", which scans the table (see dependent-full-scan)"
            } else {
                ""
            }
        ));
        let what = match dependent {
            "restrict_with_error" | "restrict_with_exception" => {
                format!(
                    "refusing to destroy a {} that still has {}",
                    a.model, a.name
                )
            }
            "nullify" => format!("clearing the keys of its {}", a.name),
            _ => format!("deleting its {}", a.name),
        };
        changes.push(format!(
            "{}#destroy stops {what}: do that another way first (a foreign key with `on_delete:`, or a job)",
            a.model
        ));
    } else if macro_ == Macro::HasAndBelongsToMany {
        costs.push(format!(
            "yet every `{}#destroy` still deletes its rows in `{}`",
            a.model,
            a.join_table.as_deref().unwrap_or(table)
        ));
        changes.push(format!("{}#destroy stops deleting its join rows", a.model));
    }
    if macro_ == Macro::BelongsTo {
        let required = ctx.analysis.settings.rails.version.at_least(5, 0)
            && opt("optional").and_then(Literal::truthy) != Some(true)
            && opt("required").and_then(Literal::truthy) != Some(false);
        if required {
            costs.push(format!(
                "yet, required by default, it is validated on every save of a {}, which loads the record when `{}` changed",
                a.model,
                a.foreign_key.as_ref().map(|k| k.0.join(", ")).unwrap_or_default()
            ));
            changes.push(format!(
                "{} stops validating that its {} exists",
                a.model, a.name
            ));
        }
        if let Some(cache) = opt("counter_cache").filter(|v| v.truthy() != Some(false)) {
            let column = cache
                .as_name()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{}_count", a.table.as_deref().unwrap_or("records")));
            costs.push(format!(
                "it maintains `{table}.{column}` on every create and destroy"
            ));
            changes.push(format!("`{table}.{column}` is no longer maintained"));
        }
        if opt("touch").is_some_and(|v| v.truthy() != Some(false)) {
            costs.push(format!("it touches the {} on every save", a.name));
            changes.push(format!("saving stops touching the {}", a.name));
        }
    } else if scans && a.dependent.is_none() {
        costs.push(format!(
            "its query would scan `{table}` (see the index rules), one more reason to drop it"
        ));
    }
    if truthy("autosave") {
        costs.push("`autosave: true` saves it with every save".into());
    }
    let costs = if costs.is_empty() {
        String::new()
    } else {
        format!("; {}", costs.join("; "))
    };
    let changes = if changes.is_empty() {
        String::new()
    } else {
        format!("; removing it changes behaviour: {}", changes.join("; "))
    };
    (costs, changes)
}
