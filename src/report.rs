//! Reporters for the association inventory (`fullscan associations`).

use crate::analyze::Analysis;
use crate::resolve::Association;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Version of the JSON documents fullscan prints; bumped on incompatible changes.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The inventory as JSON: one object per association, sorted by path and line.
pub fn inventory_json(a: &Analysis) -> Value {
    json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "rails_version": a.settings.rails.version.to_string(),
        "rails_version_source": a.settings.rails.source,
        "databases": a.databases.iter().map(|d| json!({
            "name": d.name,
            "path": d.path,
            "format": d.format,
            "adapter": d.adapter,
            "tables": d.tables.len(),
        })).collect::<Vec<_>>(),
        "associations": a.resolved.associations,
        "models": a.resolved.models,
        "unanalyzed": a.resolved.unanalyzed,
        "warnings": a.warnings,
    })
}

fn index_cell(assoc: &Association) -> String {
    match (&assoc.index, &assoc.unresolved) {
        (_, Some(_)) => "?".into(),
        (Some(i), _) => {
            let covers = if assoc.index_covers {
                ""
            } else {
                " (partial cover)"
            };
            format!("{} ({}){covers}", i.name, i.columns.join(", "))
        }
        (None, None) => "NONE: scans".into(),
    }
}

/// The inventory as an aligned text table for people.
pub fn inventory_table(a: &Analysis) -> String {
    let header = [
        "location",
        "model",
        "association",
        "target",
        "foreign key",
        "index",
    ];
    let rows: Vec<[String; 6]> = a
        .resolved
        .associations
        .iter()
        .map(|x| {
            let target = match (&x.target_class, &x.target_table) {
                (Some(c), Some(t)) => format!("{c} ({t})"),
                (Some(c), None) => c.clone(),
                _ if x.polymorphic => "(polymorphic)".into(),
                _ => "?".into(),
            };
            let fk = x
                .foreign_key
                .as_ref()
                .map(|k| k.to_string())
                .unwrap_or_default();
            [
                format!("{}:{}", x.path.display(), x.line),
                x.model.clone(),
                format!("{} :{}", x.macro_.as_str(), x.name),
                target,
                fk,
                index_cell(x),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                let _ = write!(l, "{cell:<w$}  ");
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&mut out, &header);
    for row in &rows {
        line(
            &mut out,
            &row.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    for x in &a.resolved.associations {
        if let Some(u) = &x.unresolved {
            let _ = writeln!(
                out,
                "unresolved: {}:{} {}#{}: {u}",
                x.path.display(),
                x.line,
                x.model,
                x.name
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} associations in {} models ({} unresolved, {} declarations not analyzed); Rails {} ({})",
        a.stats.associations,
        a.stats.models,
        a.stats.unresolved,
        a.resolved.unanalyzed.len(),
        a.settings.rails.version,
        a.settings.rails.source
    );
    out
}
