//! `dependent-full-scan`: `dependent:` on an association whose query scans: every
//! destroy of the owner scans the child table, used elsewhere or not.

use super::*;
use crate::model::Macro;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    for a in ctx.resolved_associations() {
        if a.macro_ == Macro::BelongsTo {
            continue;
        }
        // habtm always deletes its join rows when the owner is destroyed.
        let dependent = match (a.macro_, a.dependent.as_deref()) {
            (Macro::HasAndBelongsToMany, _) => "(implicit)",
            (_, Some(d)) => d,
            _ => continue,
        };
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
