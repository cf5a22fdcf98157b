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

/// Findings as JSON: `{"findings": [...]}` with stable field names.
pub fn findings_json(a: &Analysis, findings: &[crate::rules::Finding]) -> Value {
    json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "findings": findings,
        "summary": summary_json(a, findings),
    })
}

/// Writes [`findings_json`] (pretty-printed, then a newline) with `extra` fields
/// added to its summary, building each finding's JSON only as it is written.
pub fn write_findings_json(
    w: &mut dyn std::io::Write,
    a: &Analysis,
    findings: &[crate::rules::Finding],
    extra: Vec<(&str, Value)>,
) -> std::io::Result<()> {
    let mut summary = summary_json(a, findings);
    for (key, value) in extra {
        summary[key] = value;
    }
    let doc = json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "findings": [],
        "summary": summary,
    });
    crate::output::write_spliced(
        w,
        &doc,
        &[crate::output::Step::Key("findings")],
        findings
            .iter()
            .map(|f| serde_json::to_value(f).expect("findings serialise")),
    )
}

fn summary_json(a: &Analysis, findings: &[crate::rules::Finding]) -> Value {
    let mut by_rule = std::collections::BTreeMap::<&str, usize>::new();
    let mut by_severity = std::collections::BTreeMap::<&str, usize>::new();
    for f in findings {
        *by_rule.entry(f.rule).or_default() += 1;
        *by_severity.entry(f.severity.as_str()).or_default() += 1;
    }
    json!({
        "by_rule": by_rule,
        "by_severity": by_severity,
        "models": a.stats.models,
        "associations": a.stats.associations,
        "files_parsed": a.stats.files_parsed,
        "references": a.references.stats,
        "not_analyzed": a.resolved.unanalyzed,
        "warnings": a.warnings,
        "rails_version": a.settings.rails.version.to_string(),
    })
}

/// Byte offset of a 1-based line and character column.
fn byte_offset(src: &str, line: u32, column: u32) -> usize {
    let mut offset = 0;
    for (i, l) in src.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let col: usize = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            return offset + col;
        }
        offset += l.len();
    }
    src.len()
}

/// How diagnostics are drawn for people.
fn graphical_handler(color: bool) -> miette::GraphicalReportHandler {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

/// Findings rendered for people: miette diagnostics with the source line, the
/// declaration labelled, and the fix as help.
pub fn findings_pretty(a: &Analysis, findings: &[crate::rules::Finding], color: bool) -> String {
    use miette::{LabeledSpan, MietteDiagnostic, NamedSource};
    let handler = graphical_handler(color);
    let mut out = String::new();
    let mut sources: std::collections::HashMap<&std::path::Path, String> = Default::default();
    for f in findings.iter().filter(|f| f.suppression.is_none()) {
        let src = sources
            .entry(f.path.as_path())
            .or_insert_with(|| crate::project::read_text(&a.root.join(&f.path)).unwrap_or_default())
            .clone();
        let start = byte_offset(&src, f.line, f.column);
        let end = if f.end_line == f.line {
            byte_offset(&src, f.end_line, f.end_column).max(start)
        } else {
            src[start..].find('\n').map_or(src.len(), |n| start + n)
        };
        let label = match (&f.association, &f.scope, &f.attribute) {
            (Some(x), _, _) | (_, Some(x), _) | (_, _, Some(x)) => format!("{}.{x}", f.model),
            _ => f.model.clone(),
        };
        let severity = match f.severity {
            crate::rules::Severity::Error => miette::Severity::Error,
            crate::rules::Severity::Warning => miette::Severity::Warning,
            crate::rules::Severity::Note => miette::Severity::Advice,
        };
        let mut diag = MietteDiagnostic::new(f.message.clone())
            .with_code(f.rule)
            .with_severity(severity)
            .with_label(LabeledSpan::at(start..end, label));
        if let Some(fix) = &f.fix {
            diag = diag.with_help(if fix.migration.is_empty() {
                fix.description.clone()
            } else {
                format!("{}:\n    {}", fix.description, fix.migration.join("\n    "))
            });
        }
        let report = miette::Report::new(diag)
            .with_source_code(NamedSource::new(f.path.display().to_string(), src));
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    }
    out.push_str(&crate::output::summary_line(a, findings));
    out
}

/// A warning about a line of a file, for people: a miette diagnostic with the
/// line shown. `None` for a warning about a whole file or none, or when the file
/// cannot be read again: those are a line of text.
pub fn warning_pretty(a: &Analysis, w: &crate::analyze::Warning, color: bool) -> Option<String> {
    use miette::{LabeledSpan, MietteDiagnostic, NamedSource};
    let (path, line) = (w.path.as_ref()?, w.line?);
    let src = crate::project::read_text(&a.root.join(path)).ok()?;
    let start = byte_offset(&src, line, 1);
    if start >= src.len() && line > 1 {
        return None;
    }
    let end = src[start..].find('\n').map_or(src.len(), |n| start + n);
    let end = if src[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    let handler = graphical_handler(color);
    let diag = MietteDiagnostic::new(w.message.clone())
        .with_severity(miette::Severity::Warning)
        .with_label(LabeledSpan::at(start..end.max(start), "here"));
    let report = miette::Report::new(diag)
        .with_source_code(NamedSource::new(path.display().to_string(), src));
    let mut out = String::new();
    handler.render_report(&mut out, report.as_ref()).ok()?;
    Some(out)
}

/// The schema fullscan uses, as JSON: every database with its source file, and
/// every table with its columns, primary key and indexes, each with its line.
pub fn schema_json(a: &Analysis) -> Value {
    json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "databases": a.databases,
        "warnings": a.warnings,
    })
}

/// The schema fullscan uses, for people: a block per table.
pub fn schema_table(a: &Analysis) -> String {
    let mut out = String::new();
    for db in &a.databases {
        let _ = writeln!(
            out,
            "database {} ({}, {:?}, {} tables)",
            db.name,
            db.path.display(),
            db.adapter,
            db.tables.len()
        );
        // Where a line is: the schema file's own lines as `line N`, a migration's as
        // `path:N`.
        let at = |file: &Option<std::path::PathBuf>, line: u32| match file {
            Some(f) => format!("{}:{line}", f.display()),
            None => format!("line {line}"),
        };
        for t in db.tables.values() {
            let _ = writeln!(
                out,
                "\n  {}  ({}:{}){}",
                t.name,
                t.file.as_deref().unwrap_or(&db.path).display(),
                t.line,
                if t.primary_key.is_empty() {
                    "  no primary key".to_owned()
                } else {
                    format!("  primary key ({})", t.primary_key.join(", "))
                }
            );
            for c in &t.columns {
                let _ = writeln!(
                    out,
                    "    {:<32} {}{}  {}",
                    c.name,
                    c.sql_type,
                    if c.null { "" } else { " not null" },
                    at(&c.file, c.line)
                );
            }
            for i in &t.indexes {
                let keys: Vec<String> = i
                    .keys
                    .iter()
                    .map(|k| match k {
                        crate::schema::IndexKey::Column(c) => c.clone(),
                        crate::schema::IndexKey::Expression(e) => e.clone(),
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "    index {} ({}){}{}{}  {}",
                    i.name,
                    keys.join(", "),
                    if i.unique { " unique" } else { "" },
                    i.using
                        .as_deref()
                        .map(|u| format!(" using {u}"))
                        .unwrap_or_default(),
                    i.predicate
                        .as_deref()
                        .map(|p| format!(" where {p}"))
                        .unwrap_or_default(),
                    at(&i.file, i.line)
                );
            }
        }
        for v in db.views.values() {
            let _ = writeln!(
                out,
                "\n  {}  ({}:{})  {}view: what it reads is not analyzed",
                v.name,
                db.path.display(),
                v.line,
                if v.materialized { "materialized " } else { "" },
            );
        }
        out.push('\n');
    }
    if a.databases.is_empty() {
        out.push_str("no schema: no db/schema.rb or db/structure.sql was read\n");
    }
    out
}
