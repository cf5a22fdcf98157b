//! `dependent-full-scan`: `dependent:` on an association whose query scans: every
//! destroy of the owner scans the child table, used elsewhere or not.

use super::*;
use crate::model::Macro;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    for a in ctx.resolved_associations() {
        // habtm always deletes its join rows when the owner is destroyed.
        let dependent = match (a.macro_, a.dependent.as_deref()) {
            (Macro::HasAndBelongsToMany, _) => "(implicit)",
            (_, Some(d)) => d,
            _ => continue,
        };
        if a.through.is_some() {
            if let Some(f) = through(ctx, meta, a, dependent) {
                out.push(f);
            }
            continue;
        }
        let Some(hop) = a.hops.first() else { continue };
        if hop.index.is_some() {
            continue;
        }
        let t = &hop.table;
        let cond = hop
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("\"{t}\".\"{c}\" = ${}", i + 1))
            .collect::<Vec<_>>()
            .join(" AND ");
        let n = hop.columns.len() + 1;
        let sql = match (a.macro_, dependent) {
            // belongs_to loads its record to destroy or delete it.
            (Macro::BelongsTo, _) => {
                format!("SELECT \"{t}\".* FROM \"{t}\" WHERE {cond} LIMIT ${n}")
            }
            // has_one loads its one record first, whatever the option.
            (Macro::HasOne, "restrict_with_error" | "restrict_with_exception") => {
                format!("SELECT 1 AS one FROM \"{t}\" WHERE {cond} LIMIT ${n}")
            }
            (Macro::HasOne, _) => format!("SELECT \"{t}\".* FROM \"{t}\" WHERE {cond} LIMIT ${n}"),
            (_, "delete_all" | "(implicit)") => format!("DELETE FROM \"{t}\" WHERE {cond}"),
            (_, "nullify") => format!(
                "UPDATE \"{t}\" SET {} WHERE {cond}",
                hop.columns
                    .iter()
                    .map(|c| format!("\"{c}\" = NULL"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (_, "restrict_with_error" | "restrict_with_exception") => {
                format!("SELECT 1 AS one FROM \"{t}\" WHERE {cond} LIMIT ${n}")
            }
            _ => format!("SELECT \"{t}\".* FROM \"{t}\" WHERE {cond}"),
        };
        let declared = if dependent == "(implicit)" {
            format!(
                "`has_and_belongs_to_many :{}` deletes its join rows",
                a.name
            )
        } else {
            format!(
                "`{} :{}, dependent: :{dependent}`",
                a.macro_.as_str(),
                a.name
            )
        };
        out.push(association_finding(
            meta,
            meta.severity,
            a,
            t,
            hop.columns.clone(),
            format!(
                "{declared}: every `{}#destroy` runs `{sql}`, which scans `{t}`: no index starts with {}",
                a.model,
                hop.key_columns().join(", ")
            ),
            Some(ctx.add_index_fix(&hop.database, t, &hop.wanted_index(), false)),
            ctx.schema_location(&hop.database, t),
        ));
    }
    out
}

/// `has_many` / `has_one :through` with `dependent:` loads the records through the
/// whole join before it deletes, destroys or nullifies: every hop must be served.
fn through(
    ctx: &Context<'_>,
    meta: &RuleMeta,
    a: &crate::resolve::Association,
    dependent: &str,
) -> Option<Finding> {
    let unindexed: Vec<&crate::resolve::Hop> =
        a.hops.iter().filter(|h| h.index.is_none()).collect();
    let first = unindexed.first()?;
    let (severity, plan) = join_severity(a, meta.severity);
    let restrict = matches!(dependent, "restrict_with_error" | "restrict_with_exception");
    let sql = join_sql(&a.hops, restrict || a.macro_ == Macro::HasOne);
    let sql = if restrict {
        sql.replacen(
            &format!("SELECT \"{}\".*", a.hops.last()?.table),
            "SELECT 1 AS one",
            1,
        )
    } else {
        sql
    };
    let mut fix = ctx.add_index_fix(&first.database, &first.table, &first.wanted_index(), false);
    for h in &unindexed[1..] {
        let more = ctx.add_index_fix(&h.database, &h.table, &h.wanted_index(), false);
        fix.description = format!("{}; {}", fix.description, more.description);
        fix.migration.extend(more.migration);
    }
    Some(association_finding(
        meta,
        severity,
        a,
        &first.table,
        first.columns.clone(),
        format!(
            "`{} :{}, through: :{}, dependent: :{dependent}`: every `{}#destroy` first runs `{sql}`, which scans `{}`: no index starts with {}{plan}",
            a.macro_.as_str(),
            a.name,
            a.through.as_deref().unwrap_or_default(),
            a.model,
            first.table,
            first.key_columns().join(", "),
        ),
        Some(fix),
        ctx.schema_location(&first.database, &first.table),
    ))
}
