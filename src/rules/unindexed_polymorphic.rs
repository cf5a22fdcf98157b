//! `unindexed-polymorphic`: a has_many / has_one `as:` whose id column no index
//! leads with. An index on the type column alone selects a whole class of rows and
//! does not count.

use super::*;
use crate::model::Macro;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    for a in ctx.resolved_associations() {
        if a.as_.is_none() || a.through.is_some() {
            continue;
        }
        let Some(hop) = a.hops.first() else { continue };
        let limit_one = a.macro_ == Macro::HasOne;
        let id_cols: Vec<&String> = hop
            .columns
            .iter()
            .filter(|c| !hop.type_columns.contains(c))
            .collect();
        let id = id_cols
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let types = hop.type_columns.join(", ");
        // Rails' own convention for polymorphic references: [type, id].
        let mut wanted: Vec<String> = hop.type_columns.clone();
        wanted.extend(id_cols.iter().map(|c| (*c).clone()));
        match &hop.index {
            None => out.push(association_finding(
                meta,
                meta.severity,
                a,
                &hop.table,
                hop.columns.clone(),
                format!(
                    "`{} :{}, as: :{}` loads its records by `{id}` and `{types}`: `{}` scans `{}`: no index starts with {id} (an index on {types} alone selects every row of the owner's class)",
                    a.macro_.as_str(),
                    a.name,
                    a.as_.as_deref().unwrap_or_default(),
                    select_sql(hop, limit_one),
                    hop.table
                ),
                Some(ctx.add_index_fix(&hop.database, &hop.table, &wanted, false)),
                ctx.schema_location(&hop.database, &hop.table),
            )),
            Some(index) if !hop.index_covers => out.push(association_finding(
                meta,
                Severity::Note,
                a,
                &hop.table,
                hop.columns.clone(),
                format!(
                    "index `{}` on {} ({}) serves `{} :{}` by `{id}` but not `{types}`: rows of other types with the same id are read and discarded",
                    index.name,
                    hop.table,
                    index.columns.join(", "),
                    a.macro_.as_str(),
                    a.name
                ),
                Some(ctx.add_index_fix(&hop.database, &hop.table, &wanted, false)),
                ctx.schema_location(&hop.database, &hop.table),
            )),
            Some(_) => {}
        }
    }
    out
}
