//! Machine and one-line formats of findings: concise, GitHub workflow annotations
//! and SARIF 2.1.0. (The miette diagnostics and the JSON document are in
//! [`crate::report`].)

use crate::analyze::Analysis;
use crate::rules::{Finding, Rule, Severity};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Where fullscan's documentation lives, for SARIF's `informationUri`.
pub const INFORMATION_URI: &str = "https://github.com/fullscan/fullscan";

/// The `partialFingerprints` key of SARIF results.
pub const FINGERPRINT_KEY: &str = "fullscan/v1";

/// One line per finding: `path:line:col: severity[rule] message`.
pub fn concise(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings.iter().filter(|f| f.suppression.is_none()) {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            slash_path(&f.path),
            f.line,
            f.column,
            f.severity.as_str(),
            f.rule,
            f.message
        );
    }
    out
}

/// The counts line that closes the human formats: per severity and per rule, then
/// what was analyzed. No timing, so that it is the same on every run.
pub fn summary_line(a: &Analysis, findings: &[Finding]) -> String {
    let suppressed = findings.iter().filter(|f| f.suppression.is_some()).count();
    let findings: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .collect();
    let mut by_severity = std::collections::BTreeMap::<Severity, usize>::new();
    let mut by_rule = std::collections::BTreeMap::<&str, usize>::new();
    for f in &findings {
        *by_severity.entry(f.severity).or_default() += 1;
        *by_rule.entry(f.rule).or_default() += 1;
    }
    let severities = if by_severity.is_empty() {
        "none".to_owned()
    } else {
        by_severity
            .iter()
            .rev()
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rules = by_rule
        .iter()
        .map(|(r, n)| format!("{r}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{} finding{} ({severities}){}{} in {} models, {} associations; {} declarations not analyzed; uses searched in {} files ({} parsed)\n",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        if rules.is_empty() {
            String::new()
        } else {
            format!(" [{rules}]")
        },
        if suppressed == 0 {
            String::new()
        } else {
            format!(", {suppressed} suppressed")
        },
        a.stats.models,
        a.stats.associations,
        a.resolved.unanalyzed.len(),
        a.references.stats.files_read,
        a.references.stats.files_parsed,
    )
}

/// GitHub Actions workflow commands: one `::error` / `::warning` / `::notice`
/// annotation per finding.
pub fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings.iter().filter(|f| f.suppression.is_none()) {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let message = message_with_fix(f);
        let _ = writeln!(
            out,
            "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(&slash_path(&f.path)),
            f.line,
            f.end_line,
            f.column,
            f.end_column,
            escape_property(&format!("fullscan {}", f.rule)),
            escape_data(&message)
        );
    }
    out
}

/// Workflow command data: `%`, CR and LF are escaped.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command properties also escape `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn slash_path(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A repository-relative path as a URI reference: each segment percent-encoded
/// outside RFC 3986's unreserved characters and sub-delimiters.
pub fn uri_path(p: &std::path::Path) -> String {
    let mut out = String::new();
    for b in slash_path(p).bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `unindexed-foreign-key` → `UnindexedForeignKey`, SARIF's rule `name`.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The first paragraph under `## What it finds`, as plain text.
fn full_description(doc: &str) -> String {
    let after = doc
        .split_once("## What it finds")
        .map(|(_, rest)| rest)
        .unwrap_or(doc);
    after
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rule's page as plain text for `help.text`: the Markdown with its code
/// fences and heading marks dropped.
fn help_text(doc: &str) -> String {
    doc.lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| l.trim_start_matches('#').trim_start_matches(' '))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Where a SARIF log built by [`sarif`] holds its results: [`write_sarif`] writes
/// them one at a time at this place.
const SARIF_RESULTS: &[Step] = &[Step::Key("runs"), Step::Index(0), Step::Key("results")];

/// Writes the SARIF log of [`sarif`] (pretty-printed, then a newline), building
/// each result only as it is written: a large log is never held whole.
pub fn write_sarif(
    w: &mut dyn std::io::Write,
    findings: &[Finding],
    rules: &[Rule],
    warnings: &[crate::analyze::Warning],
) -> std::io::Result<()> {
    let mut doc = sarif(&[], rules);
    if !warnings.is_empty() {
        doc["runs"][0]["invocations"] = json!([invocation(warnings)]);
    }
    let index = rule_index(rules);
    write_spliced(
        w,
        &doc,
        SARIF_RESULTS,
        findings.iter().map(|f| sarif_result(f, &index)),
    )
}

fn rule_index(rules: &[Rule]) -> std::collections::HashMap<&'static str, usize> {
    rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta.id, i))
        .collect()
}

/// One step of a path into a JSON document.
#[derive(Clone, Copy)]
pub enum Step {
    Key(&'static str),
    Index(usize),
}

/// Writes `doc` pretty-printed, then a newline, with the array at `path` (empty in
/// `doc`) written from `items`, one element at a time. The bytes are those of
/// `serde_json::to_string_pretty` on the document with the items in place.
pub fn write_spliced(
    w: &mut dyn std::io::Write,
    doc: &Value,
    path: &[Step],
    items: impl Iterator<Item = Value>,
) -> std::io::Result<()> {
    let items = std::cell::RefCell::new(Some(items));
    let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(
        &mut out,
        &Spliced {
            value: doc,
            path,
            items: &items,
        },
    )?;
    std::io::Write::write_all(&mut out, b"\n")?;
    std::io::Write::flush(&mut out)
}

struct Spliced<'a, I> {
    value: &'a Value,
    path: &'a [Step],
    items: &'a std::cell::RefCell<Option<I>>,
}

impl<I: Iterator<Item = Value>> serde::Serialize for Spliced<'_, I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let Some((step, rest)) = self.path.split_first() else {
            let items = self.items.borrow_mut().take();
            let mut seq = serializer.serialize_seq(None)?;
            for item in items.into_iter().flatten() {
                seq.serialize_element(&item)?;
            }
            return seq.end();
        };
        let inner = |value| Spliced {
            value,
            path: rest,
            items: self.items,
        };
        match (self.value, *step) {
            (Value::Object(map), Step::Key(key)) => {
                let mut m = serializer.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    if k == key {
                        m.serialize_entry(k, &inner(v))?;
                    } else {
                        m.serialize_entry(k, v)?;
                    }
                }
                m.end()
            }
            (Value::Array(list), Step::Index(at)) => {
                let mut seq = serializer.serialize_seq(Some(list.len()))?;
                for (i, v) in list.iter().enumerate() {
                    if i == at {
                        seq.serialize_element(&inner(v))?;
                    } else {
                        seq.serialize_element(v)?;
                    }
                }
                seq.end()
            }
            // The path does not lead anywhere: the document as it is.
            (value, _) => value.serialize(serializer),
        }
    }
}

/// A SARIF 2.1.0 log with one run: every rule in `rules` as a
/// `reportingDescriptor`, every finding as a result.
pub fn sarif(findings: &[Finding], rules: &[Rule]) -> Value {
    let index = rule_index(rules);
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.meta.id,
                "name": pascal_case(r.meta.id),
                "shortDescription": { "text": r.meta.summary },
                "fullDescription": { "text": full_description(r.meta.doc) },
                "help": {
                    "text": help_text(r.meta.doc),
                    "markdown": r.meta.doc.trim(),
                },
                "helpUri": format!("{INFORMATION_URI}/blob/main/rules/{}.md", r.meta.id),
                "defaultConfiguration": { "level": sarif_level(r.meta.severity) },
                "properties": {
                    "tags": r.meta.tags,
                    "precision": r.meta.precision,
                },
            })
        })
        .collect();
    let results: Vec<Value> = findings.iter().map(|f| sarif_result(f, &index)).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "fullscan",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": descriptors,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// The run's invocation, with what the analysis could not read (a file too large,
/// a syntax error, a file that vanished) as warning notifications: code scanning
/// shows them with the run.
fn invocation(warnings: &[crate::analyze::Warning]) -> Value {
    let notifications: Vec<Value> = warnings
        .iter()
        .map(|w| {
            let mut n = json!({
                "level": "warning",
                "message": { "text": w.message },
            });
            if let Some(path) = &w.path {
                let mut location = json!({
                    "artifactLocation": {
                        "uri": uri_path(path),
                        "uriBaseId": "%SRCROOT%",
                    },
                });
                if let Some(line) = w.line {
                    location["region"] = json!({ "startLine": line });
                }
                n["locations"] = json!([{ "physicalLocation": location }]);
            }
            n
        })
        .collect();
    json!({
        "executionSuccessful": true,
        "toolExecutionNotifications": notifications,
    })
}

/// A finding's message, then its fix and the migration lines.
fn message_with_fix(f: &Finding) -> String {
    let mut message = f.message.clone();
    if let Some(fix) = &f.fix {
        message.push_str("\n\nFix: ");
        message.push_str(&fix.description);
        for line in &fix.migration {
            message.push_str("\n    ");
            message.push_str(line);
        }
    }
    message
}

/// One finding as a SARIF result.
fn sarif_result(f: &Finding, index: &std::collections::HashMap<&'static str, usize>) -> Value {
    let message = message_with_fix(f);
    let mut result = json!({
        "ruleId": f.rule,
        "level": sarif_level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&f.path), "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": f.end_line,
                    "endColumn": f.end_column,
                },
            },
        }],
        "partialFingerprints": { FINGERPRINT_KEY: f.fingerprint },
        "properties": {
            "model": f.model,
            "table": f.table,
            "columns": f.columns,
        },
    });
    if let Some(i) = index.get(f.rule) {
        result["ruleIndex"] = json!(i);
    }
    for (key, value) in [
        ("association", &f.association),
        ("scope", &f.scope),
        ("attribute", &f.attribute),
    ] {
        if let Some(v) = value {
            result["properties"][key] = json!(v);
        }
    }
    if let Some(fix) = &f.fix {
        result["properties"]["fix"] = json!(fix);
    }
    if let Some(sup) = &f.suppression {
        result["suppressions"] = json!([{
            "kind": sup.kind,
            "justification": sup.justification,
        }]);
    }
    if let Some(schema) = &f.schema {
        result["relatedLocations"] = json!([{
            "id": 1,
            "message": { "text": format!("table `{}`", f.table) },
            "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&schema.path), "uriBaseId": "%SRCROOT%" },
                "region": { "startLine": schema.line },
            },
        }]);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_data_and_properties() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn uris_encode_what_is_not_a_path_character() {
        assert_eq!(
            uri_path(std::path::Path::new("app/models/my model#1.rb")),
            "app/models/my%20model%231.rb"
        );
        assert_eq!(
            uri_path(std::path::Path::new("app/modèles/x.rb")),
            "app/mod%C3%A8les/x.rb"
        );
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("unindexed-foreign-key"), "UnindexedForeignKey");
    }
}
