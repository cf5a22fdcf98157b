//! `unindexed-join-table`: habtm join tables and has_many :through join models
//! missing the index a hop of the join needs. The final hop, into the target
//! table, is checked by `unindexed-foreign-key`.

use super::*;
use crate::model::Macro;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    for a in ctx.resolved_associations() {
        let kind = if a.macro_ == Macro::HasAndBelongsToMany {
            "has_and_belongs_to_many"
        } else if a.through.is_some() {
            "through"
        } else {
            continue;
        };
        // The last hop reaches the target table: that is `unindexed-foreign-key`'s.
        let joins = a.hops.len().saturating_sub(1);
        for (i, hop) in a.hops.iter().enumerate().take(joins) {
            if hop.index.is_some() {
                continue;
            }
            let cols = hop.key_columns().join(", ");
            let role = if i == 0 { "filters" } else { "joins" };
            let how = if kind == "through" {
                format!(
                    "`{} :{}, through: :{}` {role} `{}` by `{cols}`",
                    a.macro_.as_str(),
                    a.name,
                    a.through.as_deref().unwrap_or_default(),
                    hop.table
                )
            } else {
                format!(
                    "`has_and_belongs_to_many :{}` {role} join table `{}` by `{cols}`",
                    a.name, hop.table
                )
            };
            let (severity, plan) = join_severity(a, meta.severity);
            out.push(association_finding(
                meta,
                severity,
                a,
                &hop.table,
                hop.columns.clone(),
                format!(
                    "{how}: the join scans `{}`: no index starts with {cols}{plan}",
                    hop.table
                ),
                Some(ctx.add_index_fix(&hop.database, &hop.table, &hop.wanted_index(), false)),
                ctx.schema_location(&hop.database, &hop.table),
            ));
        }
    }
    out
}
