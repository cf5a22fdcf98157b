//! `uniqueness-without-index`: a uniqueness validation whose query no index serves.
//! It runs on every save of the model.

use super::*;
use crate::resolve::best_index;
use crate::schema::{Adapter, IndexKey};

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut out = Vec::new();
    for model in &ctx.analysis.resolved.models {
        if model.abstract_class || model.uniqueness.is_empty() {
            continue;
        }
        let Some(table_name) = model.table_name.as_deref() else {
            continue;
        };
        let Some(table) = ctx.table(&model.database, table_name) else {
            continue;
        };
        let adapter = ctx.adapter(&model.database);
        for v in &model.uniqueness {
            if v.dynamic {
                continue;
            }
            // A belongs_to name stands for its foreign key (and type column).
            let column_of = |name: &str| -> Vec<String> {
                let assoc = ctx.belongs_to(&model.name, name);
                match assoc {
                    Some(a) => {
                        let mut cols = a
                            .foreign_key
                            .as_ref()
                            .map(|k| k.0.clone())
                            .unwrap_or_default();
                        cols.extend(a.foreign_type.clone());
                        cols
                    }
                    None => vec![name.to_owned()],
                }
            };
            let scope_cols: Vec<String> = v.scope.iter().flat_map(|s| column_of(s)).collect();
            let mut type_cols: Vec<String> = scope_cols
                .iter()
                .chain(std::iter::once(&model.inheritance_column))
                .filter(|c| c.ends_with("_type") || **c == model.inheritance_column)
                .cloned()
                .collect();
            type_cols.dedup();
            // `conditions: -> { where(deleted_at: nil) }` narrows the check's query.
            let implied: Vec<crate::query::Condition> = v
                .conditions
                .iter()
                .flat_map(|c| c.shape.conditions.iter().cloned())
                .collect();
            for attribute in &v.attributes {
                let attr_cols = column_of(attribute);
                if attr_cols
                    .iter()
                    .chain(&scope_cols)
                    .any(|c| !table.has_column(c))
                {
                    // A virtual attribute or a typo: nothing to index.
                    continue;
                }
                // `case_sensitive: false` compares LOWER(column) everywhere but on MySQL,
                // whose default collations are case-insensitive already.
                let lowered = v.case_sensitive == Some(false) && adapter != Adapter::Mysql;
                let mut columns: Vec<String> = scope_cols.clone();
                if !lowered {
                    columns.extend(attr_cols.iter().cloned());
                }
                let served = best_index(table, &columns, &type_cols, &implied).is_some()
                    || (lowered && has_lower_index(table, &attr_cols[0], &scope_cols));
                if served {
                    continue;
                }
                // An index on a column of `conditions:` lets the database avoid the
                // scan, but only while few rows match those conditions.
                let condition_cols: Vec<String> = implied
                    .iter()
                    .filter(|c| c.sargable && !type_cols.contains(&c.column))
                    .map(|c| c.column.clone())
                    .collect();
                let condition_plan = best_index(table, &condition_cols, &type_cols, &implied)
                    .map(|(index, _)| {
                        format!(
                            "; the database can avoid the scan only by searching `{}` ({}) for {}, which is fast only while few rows match",
                            index.name,
                            index.columns.join(", "),
                            crate::query::conditions_sql(
                                implied.iter().filter(|c| c.sargable && !type_cols.contains(&c.column)),
                                table_name,
                                attr_cols.len() + scope_cols.len() + 1,
                            )
                        )
                    });
                let mut all_cols = scope_cols.clone();
                all_cols.extend(attr_cols.iter().cloned());
                let where_sql = attr_cols
                    .iter()
                    .map(|c| {
                        if lowered {
                            format!("LOWER(\"{table_name}\".\"{c}\") = LOWER($1)")
                        } else {
                            format!("\"{table_name}\".\"{c}\" = $1")
                        }
                    })
                    .chain(
                        scope_cols
                            .iter()
                            .enumerate()
                            .map(|(i, c)| format!("\"{table_name}\".\"{c}\" = ${}", i + 2)),
                    )
                    .collect::<Vec<_>>()
                    .join(" AND ");
                let fix = if lowered {
                    lower_index_fix(ctx, &model.database, table_name, &scope_cols, &attr_cols[0])
                } else {
                    let mut f = ctx.add_index_fix(&model.database, table_name, &all_cols, true);
                    f.description.push_str("; unique, so the database also enforces what the validation only checks (remove duplicates first)");
                    f
                };
                out.push(Finding {
                    rule: meta.id,
                    fingerprint: String::new(),
        suppression: None,
                    severity: if condition_plan.is_some() {
                        Severity::Note
                    } else {
                        meta.severity
                    },
                    path: v.path.clone(),
                    line: v.span.line,
                    column: v.span.column,
                    end_line: v.span.end_line,
                    end_column: v.span.end_column,
                    model: model.name.clone(),
                    association: None,
                    scope: None,
                    attribute: Some(attribute.clone()),
                    table: table_name.to_owned(),
                    columns: all_cols.clone(),
                    message: format!(
                        "uniqueness of `{attribute}`{} is checked on every save with `SELECT 1 AS one FROM \"{table_name}\" WHERE {where_sql} LIMIT ${}`, which scans `{table_name}`: no index {}",
                        if scope_cols.is_empty() { String::new() } else { format!(" (scope: {})", scope_cols.join(", ")) },
                        attr_cols.len() + scope_cols.len() + 1,
                        if lowered {
                            format!("on LOWER({}){}", attr_cols[0], if scope_cols.is_empty() { String::new() } else { format!(" or starting with {}", scope_cols.join(", ")) })
                        } else {
                            format!("starts with {}", all_cols.iter().filter(|c| !type_cols.contains(c)).cloned().collect::<Vec<_>>().join(" or "))
                        }
                    ) + condition_plan.as_deref().unwrap_or_default(),
                    fix: Some(fix),
                    schema: ctx.schema_location(&model.database, table_name),
                });
            }
        }
    }
    out
}

/// An expression index on lower(column), possibly after the scope columns.
fn has_lower_index(table: &crate::schema::Table, column: &str, scope: &[String]) -> bool {
    table.indexes.iter().any(|i| {
        i.predicate.is_none()
            && i.is_btree_like()
            && i.keys.iter().any(|k| match k {
                IndexKey::Expression(e) => is_lower_of(e, column),
                IndexKey::Column(_) => false,
            })
            && match i.keys.first() {
                Some(IndexKey::Expression(_)) => true,
                Some(IndexKey::Column(c)) => scope.contains(c),
                None => false,
            }
    })
}

/// Whether an index expression is `lower(column)` (quotes, spaces and `::text`
/// casts aside): `lower(username)` does not serve a check on `name`.
fn is_lower_of(expression: &str, column: &str) -> bool {
    let e: String = expression
        .to_ascii_lowercase()
        .replace("::text", "")
        .replace("::character varying", "")
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | ' ' | '(' | ')'))
        .collect();
    e == format!("lower{}", column.to_ascii_lowercase())
}

fn lower_index_fix(
    ctx: &Context<'_>,
    db: &str,
    table: &str,
    scope: &[String],
    column: &str,
) -> Fix {
    let pg = ctx.adapter(db) == Adapter::Postgresql;
    let mut expr: Vec<String> = scope.to_vec();
    expr.push(format!("lower({column})"));
    let name = format!(
        "index_{table}_on_{}",
        scope
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(format!("lower_{column}").as_str()))
            .collect::<Vec<_>>()
            .join("_and_")
    );
    let mut stmt = format!(
        "add_index :{table}, \"{}\", name: \"{name}\", unique: true",
        expr.join(", ")
    );
    if pg {
        stmt.push_str(", algorithm: :concurrently");
    }
    Fix {
        description: format!(
            "add a unique expression index on {table} ({}) that the case-insensitive check can use",
            expr.join(", ")
        ),
        migration: vec![stmt],
        disable_ddl_transaction: pg,
    }
}

#[cfg(test)]
mod tests {
    use super::is_lower_of;

    #[test]
    fn lower_expression_must_name_the_column() {
        assert!(is_lower_of("lower((email)::text)", "email"));
        assert!(is_lower_of("LOWER(\"email\")", "email"));
        assert!(!is_lower_of("lower((username)::text)", "name"));
        assert!(!is_lower_of("upper(email)", "email"));
    }
}
