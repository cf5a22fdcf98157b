//! `unindexed-scope`: a scope or default_scope whose conditions no index serves.

use super::*;
use crate::model::ScopeKind;
use crate::resolve::best_index_trailing;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    for model in &ctx.analysis.resolved.models {
        if model.abstract_class || model.scopes.is_empty() {
            continue;
        }
        let Some(table_name) = model.table_name.as_deref() else {
            continue;
        };
        let Some(table) = ctx.table(&model.database, table_name) else {
            continue;
        };
        for scope in &model.scopes {
            let shape = &scope.body.shape;
            // Only what we read completely is judged: a condition we could not read
            // might be the indexed one.
            if !shape.filters || shape.partial {
                continue;
            }
            // `where(author: user)` names a belongs_to: Rails filters on its key.
            let conditions: Vec<crate::query::Condition> = shape
                .conditions
                .iter()
                .flat_map(
                    |c| match (c.table.is_none(), ctx.belongs_to(&model.name, &c.column)) {
                        (true, Some(a)) => a
                            .foreign_key
                            .iter()
                            .flat_map(|k| k.0.iter())
                            .chain(a.foreign_type.iter())
                            .map(|col| crate::query::Condition {
                                column: col.clone(),
                                ..c.clone()
                            })
                            .collect::<Vec<_>>(),
                        _ => vec![c.clone()],
                    },
                )
                .collect();
            let own: Vec<&crate::query::Condition> = conditions
                .iter()
                .filter(|c| c.table.as_deref().is_none_or(|t| t == table_name))
                .collect();
            if own.is_empty() || own.len() != conditions.len() {
                // Conditions on joined tables: the join decides the plan.
                continue;
            }
            if own.iter().any(|c| !table.has_column(&c.column)) {
                continue;
            }
            let sargable: Vec<String> = own
                .iter()
                .filter(|c| c.sargable)
                .map(|c| c.column.clone())
                .collect();
            // A type column (polymorphic or STI) selects a whole class's rows: an
            // index it alone leads does not serve a lookup by other columns too. A
            // scope that asks for nothing but those rows is served by it.
            let mut type_cols: Vec<String> = sargable
                .iter()
                .filter(|c| **c == model.inheritance_column || c.ends_with("_type"))
                .cloned()
                .collect();
            if type_cols.len() == sargable.len() {
                type_cols.clear();
            }
            // The scope runs on top of the default scopes (inherited ones too) and the
            // STI type condition.
            let mut implied: Vec<crate::query::Condition> =
                own.iter().map(|c| (*c).clone()).collect();
            implied.extend(model.query_conditions.iter().cloned());
            let trailing: Vec<String> = own
                .iter()
                .filter(|c| c.is_not_null())
                .map(|c| c.column.clone())
                .collect();
            if best_index_trailing(table, &sargable, &trailing, &type_cols, &implied).is_some() {
                continue;
            }
            let wanted: Vec<String> = sargable
                .iter()
                .filter(|c| !type_cols.contains(c))
                .cloned()
                .collect();
            let all: Vec<String> = own.iter().map(|c| c.column.clone()).collect();
            let (severity, what) = match scope.kind {
                ScopeKind::DefaultScope => (
                    Severity::Error,
                    format!(
                        "`default_scope` of {} applies to every query of the model",
                        model.name
                    ),
                ),
                ScopeKind::Scope => (
                    meta.severity,
                    format!("scope `{}`", scope.name.as_deref().unwrap_or_default()),
                ),
            };
            let why = if wanted.is_empty() {
                format!("its conditions on {} cannot use an index", all.join(", "))
            } else {
                format!("no index starts with {}", wanted.join(" or "))
            };
            out.push(Finding {
                rule: meta.id,
                fingerprint: String::new(),
        suppression: None,
                severity,
                path: scope.path.clone(),
                line: scope.span.line,
                column: scope.span.column,
                end_line: scope.span.end_line,
                end_column: scope.span.end_column,
                model: model.name.clone(),
                association: None,
                scope: Some(scope.name.clone().unwrap_or_else(|| "default_scope".into())),
                attribute: None,
                table: table_name.to_owned(),
                columns: all.clone(),
                message: format!(
                    "{what}: `SELECT \"{table_name}\".* FROM \"{table_name}\" WHERE {}` scans `{table_name}`: {why}",
                    crate::query::conditions_sql(own.iter().copied(), table_name, 1)
                ),
                fix: Some(if !wanted.is_empty() {
                    ctx.add_index_fix(&model.database, table_name, &wanted, false)
                } else if let Some(column) = trailing.first() {
                    ctx.add_partial_index_fix(
                        &model.database,
                        table_name,
                        std::slice::from_ref(column),
                        &format!("{column} IS NOT NULL"),
                    )
                } else {
                    Fix {
                        description: format!(
                            "no index can search {}: filter on the values wanted instead (`where({}: [...])`, a range, or a flag column) so that an index can serve the scope",
                            own.iter().map(|c| format!("`{} {}`", c.column, c.op)).collect::<Vec<_>>().join(", "),
                            all[0],
                        ),
                        migration: Vec::new(),
                        disable_ddl_transaction: false,
                    }
                }),
                schema: ctx.schema_location(&model.database, table_name),
            });
        }
    }
    out
}
