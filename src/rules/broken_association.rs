//! `broken-association`: an association whose class, table or key column does not
//! exist: it raises when used, or silently finds nothing.

use super::*;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    let schema_known = !ctx.analysis.databases.is_empty();
    for a in &ctx.analysis.resolved.associations {
        let Some(reason) = a.unresolved.as_deref() else {
            continue;
        };
        // Values fullscan could not read are not broken, only unanalyzed.
        // Nor is a view, whose indexes are those of the tables it reads.
        if reason.contains("is not a literal")
            || reason.contains(crate::resolve::OUTSIDE_PROJECT)
            || reason.contains(crate::resolve::A_VIEW)
            || reason.contains(crate::resolve::BY_A_MACRO)
        {
            continue;
        }
        let schema_reason = reason.starts_with("table ")
            || reason.starts_with("column ")
            || reason.starts_with("join table ");
        if schema_reason && !schema_known {
            continue;
        }
        // The table the reason names (a missing column's table), else the target's.
        let named = reason
            .split_once("is not in table `")
            .and_then(|(_, rest)| rest.split('`').next())
            .map(str::to_owned);
        let table = named
            .or(a.target_table.clone())
            .or(a.join_table.clone())
            .unwrap_or_default();
        // A schema rebuilt from migrations some statements of which were not
        // analyzed may lack what those did: say so, at note severity.
        let rebuilt = if schema_reason {
            ctx.analysis
                .databases
                .iter()
                .find(|d| d.name == a.database)
                .filter(|d| d.not_analyzed > 0)
                .map(|d| d.not_analyzed)
        } else {
            None
        };
        let (severity, caveat) = match rebuilt {
            Some(n) => (
                Severity::Note,
                format!(" (the schema was rebuilt from the migrations, {n} statements of which were not analyzed: one of them may add it)"),
            ),
            None => (meta.severity, String::new()),
        };
        out.push(association_finding(
            meta,
            severity,
            a,
            &table,
            Vec::new(),
            format!(
                "`{} :{}` of {} is broken: {reason}{caveat}",
                a.macro_.as_str(),
                a.name,
                a.model
            ),
            None,
            None,
        ));
    }
    out
}
