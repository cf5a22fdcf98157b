//! `unindexed-foreign-key`: a has_many / has_one whose foreign key no index leads
//! with, and a belongs_to whose `primary_key:` no index leads with.

use super::*;
use crate::model::Macro;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    for a in ctx.resolved_associations() {
        if a.polymorphic || (a.as_.is_some() && a.through.is_none()) {
            continue;
        }
        let limit_one = matches!(a.macro_, Macro::HasOne | Macro::BelongsTo);
        // For :through and habtm, the last hop is the lookup into the target table
        // (earlier hops are join tables: `unindexed-join-table`).
        let joined = a.through.is_some() || a.macro_ == Macro::HasAndBelongsToMany;
        let Some(hop) = (if joined {
            a.hops.last()
        } else {
            a.hops.first()
        }) else {
            continue;
        };
        if hop.index.is_some() || (joined && hop.type_columns.len() == hop.columns.len()) {
            continue;
        }
        let cols = hop.columns.join(", ");
        let (severity, plan) = if joined {
            join_severity(a, meta.severity)
        } else {
            (meta.severity, String::new())
        };
        let what = if joined {
            format!(
                "`{} :{}` joins `{}` by `{cols}`",
                a.macro_.as_str(),
                a.name,
                hop.table
            )
        } else if a.macro_ == Macro::BelongsTo {
            format!(
                "`belongs_to :{}` looks up `{}` by `{cols}`, its `primary_key:`",
                a.name, hop.table
            )
        } else {
            format!(
                "`{} :{}` loads its records by `{cols}`",
                a.macro_.as_str(),
                a.name
            )
        };
        out.push(association_finding(
            meta,
            severity,
            a,
            &hop.table,
            hop.columns.clone(),
            if joined {
                format!(
                    "{what}: the join scans `{}`: no index starts with {cols}{plan}",
                    hop.table
                )
            } else {
                format!(
                    "{what}: `{}` scans `{}`: no index starts with {cols}",
                    select_sql(hop, limit_one),
                    hop.table
                )
            },
            Some(ctx.add_index_fix(&hop.database, &hop.table, &hop.columns, false)),
            ctx.schema_location(&hop.database, &hop.table),
        ));
    }
    out
}
