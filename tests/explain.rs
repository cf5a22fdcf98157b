//! The planner is the judge: for every corpus app, the real ActiveRecord generated the
//! SQL of each association load, `dependent:` cleanup, uniqueness check and scope, and
//! SQLite's `EXPLAIN QUERY PLAN` said whether an index serves it
//! (`tests/activerecord/explain/<app>.json`, recorded by
//! `tests/activerecord/explain_queries.rb`; `scripts/judge check` re-records them).
//! fullscan's findings must say the same: a finding of severity warning or more for
//! every query the planner could not serve, none for the others.
//!
//! With `FULLSCAN_JUDGED_APPS=<dir>`, every `<dir>/<seed>/judge.json` is compared too,
//! the app being `<dir>/<seed>/` (`scripts/judge random N` generates and judges them).
//!
//! Skipped, and counted: associations fullscan reports as unresolved, queries of models
//! whose table fullscan does not know, scopes whose conditions fullscan does not read
//! completely (partial, no filter, or filters on other tables), uniqueness validations
//! it cannot read literally.

use fullscan::analyze::{analyze, Analysis};
use fullscan::model::ScopeKind;
use fullscan::rules::{self, Finding, Severity};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const KINDS: [&str; 4] = ["association", "dependent", "uniqueness", "scope"];

struct JudgedApp {
    label: String,
    root: PathBuf,
    judge: Value,
}

fn judged_apps() -> Vec<JudgedApp> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let goldens = manifest.join("tests/activerecord/explain");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&goldens)
        .unwrap_or_else(|e| panic!("{}: {e}", goldens.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let app = file.file_stem().unwrap().to_string_lossy().into_owned();
        out.push(JudgedApp {
            label: format!("corpus/{app}"),
            root: manifest.join("corpus").join(&app),
            judge: read_json(&file),
        });
    }
    if let Some(dir) = std::env::var_os("FULLSCAN_JUDGED_APPS") {
        let dir = PathBuf::from(dir);
        let mut seeds: Vec<(u64, PathBuf)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("FULLSCAN_JUDGED_APPS={}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("judge.json").is_file())
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name.parse().unwrap_or(u64::MAX), p)
            })
            .collect();
        seeds.sort();
        assert!(
            !seeds.is_empty(),
            "FULLSCAN_JUDGED_APPS={}: no <seed>/judge.json below it",
            dir.display()
        );
        for (_, root) in seeds {
            out.push(JudgedApp {
                label: format!(
                    "seed {} ({})",
                    root.file_name().unwrap().to_string_lossy(),
                    root.display()
                ),
                judge: read_json(&root.join("judge.json")),
                root,
            });
        }
    }
    out
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// What fullscan must say about one judged query: the rules that speak for its kind.
fn rules_for(kind: &str) -> &'static [&'static str] {
    match kind {
        "association" => &[
            "unindexed-foreign-key",
            "unindexed-polymorphic",
            "unindexed-join-table",
        ],
        "dependent" => &["dependent-full-scan"],
        "uniqueness" => &["uniqueness-without-index"],
        "scope" => &["unindexed-scope"],
        _ => &[],
    }
}

fn finding_is_for(f: &Finding, kind: &str, model: &str, name: &str) -> bool {
    if f.model != model || !rules_for(kind).contains(&f.rule) {
        return false;
    }
    match kind {
        "association" | "dependent" => f.association.as_deref() == Some(name),
        "uniqueness" => f.attribute.as_deref() == Some(name),
        "scope" => f.scope.as_deref() == Some(name),
        _ => false,
    }
}

/// Why fullscan makes no claim about a query, if it does not.
fn skip_reason(analysis: &Analysis, kind: &str, model: &str, name: &str) -> Option<&'static str> {
    let resolved = &analysis.resolved;
    let m = resolved.models.iter().find(|m| m.name == model);
    match kind {
        "association" | "dependent" => {
            let a = resolved
                .associations
                .iter()
                .find(|a| a.model == model && a.name == name);
            match a {
                Some(a) if a.unresolved.is_some() => Some("association unresolved by fullscan"),
                _ => None,
            }
        }
        "uniqueness" => {
            let m = m?;
            if !m.table_exists {
                return Some("table unknown to fullscan");
            }
            let decls: Vec<_> = m
                .uniqueness
                .iter()
                .filter(|v| v.attributes.iter().any(|a| a == name))
                .collect();
            if !decls.is_empty() && decls.iter().all(|v| v.dynamic) {
                return Some("uniqueness validation not read literally");
            }
            None
        }
        "scope" => {
            let Some(m) = m else {
                return Some("scope on a model fullscan does not know");
            };
            if !m.table_exists {
                return Some("table unknown to fullscan");
            }
            let table = m.table_name.as_deref().unwrap_or("");
            let decls: Vec<_> = m
                .scopes
                .iter()
                .filter(|sc| match sc.kind {
                    ScopeKind::DefaultScope => name == "default_scope",
                    ScopeKind::Scope => sc.name.as_deref() == Some(name),
                })
                .collect();
            if decls.is_empty() {
                return Some("scope not found by fullscan");
            }
            for decl in decls {
                let shape = &decl.body.shape;
                if shape.partial {
                    return Some("scope read partially");
                }
                if !shape.filters || shape.conditions.is_empty() {
                    return Some("scope without filters");
                }
                if shape
                    .conditions
                    .iter()
                    .any(|c| c.table.as_deref().is_some_and(|t| t != table))
                {
                    return Some("scope filters on other tables");
                }
            }
            None
        }
        _ => Some("unknown kind"),
    }
}

#[derive(Default)]
struct Tally {
    compared: BTreeMap<&'static str, usize>,
    agree: usize,
    disagree: Vec<String>,
    skipped: BTreeMap<&'static str, usize>,
    apps: usize,
}

fn describe_association(analysis: &Analysis, model: &str, name: &str) -> String {
    let mut out = String::new();
    for a in analysis
        .resolved
        .associations
        .iter()
        .filter(|a| a.model == model && a.name == name)
    {
        let hops: Vec<String> = a
            .hops
            .iter()
            .map(|h| {
                format!(
                    "{}({}){}",
                    h.table,
                    h.columns.join(", "),
                    match &h.index {
                        Some(i) => format!(" via {}", i.name),
                        None => " unindexed".into(),
                    }
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "    fullscan resolves it: {} -> {} [{}]",
            a.macro_.as_str(),
            a.target_class.as_deref().unwrap_or("?"),
            hops.join(" -> ")
        );
    }
    if out.is_empty() {
        out.push_str("    fullscan has no such association\n");
    }
    out
}

fn compare_app(app: &JudgedApp, tally: &mut Tally) {
    let analysis = analyze(&app.root).unwrap_or_else(|e| panic!("{}: {e}", app.label));
    let findings = rules::run(&analysis, &rules::all());
    tally.apps += 1;

    let mut groups: BTreeMap<(String, String, String), Vec<&Value>> = BTreeMap::new();
    for q in app.judge["queries"].as_array().into_iter().flatten() {
        groups
            .entry((
                s(q, "kind").into(),
                s(q, "model").into(),
                s(q, "name").into(),
            ))
            .or_default()
            .push(q);
    }
    for ((kind, model, name), queries) in &groups {
        let Some(kind) = KINDS.iter().copied().find(|k| k == kind) else {
            continue;
        };
        if let Some(reason) = skip_reason(&analysis, kind, model, name) {
            *tally.skipped.entry(reason).or_default() += 1;
            continue;
        }
        let unserved = queries
            .iter()
            .any(|q| q.get("served").and_then(Value::as_bool) == Some(false));
        let related: Vec<&Finding> = findings
            .iter()
            .filter(|f| finding_is_for(f, kind, model, name))
            .collect();
        let flagged = related.iter().any(|f| f.severity >= Severity::Warning);
        *tally.compared.entry(kind).or_default() += 1;
        if flagged == unserved {
            tally.agree += 1;
            continue;
        }
        let mut msg = format!(
            "{}: {kind} {model} {name}: the planner says {}, fullscan {}\n",
            app.label,
            if unserved { "unserved" } else { "served" },
            if flagged {
                "reports it"
            } else {
                "reports nothing at warning or above"
            }
        );
        for q in queries {
            let plan: Vec<&str> = q["plan"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let _ = writeln!(
                msg,
                "    {}sql:  {}\n    plan: {}\n    why:  {}",
                match q.get("dependent").and_then(Value::as_str) {
                    Some(d) => format!("dependent: {d}\n    "),
                    None => String::new(),
                },
                s(q, "sql"),
                plan.join(" | "),
                s(q, "why")
            );
        }
        if kind == "association" || kind == "dependent" {
            msg.push_str(&describe_association(&analysis, model, name));
        }
        if related.is_empty() {
            msg.push_str("    fullscan findings: none\n");
        }
        for f in related {
            let _ = writeln!(
                msg,
                "    fullscan {} [{}]: {}",
                f.severity.as_str(),
                f.rule,
                f.message
            );
        }
        tally.disagree.push(msg);
    }
}

#[test]
fn fullscan_agrees_with_the_query_planner() {
    let apps = judged_apps();
    assert!(!apps.is_empty(), "no judged app");
    let mut tally = Tally::default();
    for app in &apps {
        compare_app(app, &mut tally);
    }
    let compared: usize = tally.compared.values().sum();
    let skipped: Vec<String> = tally
        .skipped
        .iter()
        .map(|(why, n)| format!("{n} {why}"))
        .collect();
    let per_kind: Vec<String> = KINDS
        .iter()
        .map(|k| format!("{k} {}", tally.compared.get(k).copied().unwrap_or(0)))
        .collect();
    println!(
        "judged: {compared} queries, {} agree, {} disagree ({} apps; {}; skipped: {})",
        tally.agree,
        tally.disagree.len(),
        tally.apps,
        per_kind.join(", "),
        if skipped.is_empty() {
            "none".into()
        } else {
            skipped.join(", ")
        }
    );
    let missing: Vec<&str> = KINDS
        .iter()
        .copied()
        .filter(|k| tally.compared.get(k).copied().unwrap_or(0) == 0)
        .collect();
    assert!(
        tally.disagree.is_empty(),
        "{} disagreement(s) between fullscan and the query planner:\n\n{}",
        tally.disagree.len(),
        tally.disagree.join("\n")
    );
    assert!(
        missing.is_empty(),
        "no query of kind {} was compared (skipped: {})",
        missing.join(", "),
        skipped.join(", ")
    );
}
