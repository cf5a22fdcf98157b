//! Rails is the judge: for every corpus app, fullscan's resolution of every model and
//! association must agree with what the real ActiveRecord computed for the same app
//! (recorded in `tests/activerecord/goldens/<app>.json` by
//! `tests/activerecord/dump_reflections.rb`; `.ci/run` re-records them live and fails
//! on any difference, so the goldens cannot drift from Rails).

use fullscan::analyze::analyze;
use fullscan::resolve::{Association, Model};
use serde_json::Value;
use std::path::Path;

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn has_error(v: &Value, key: &str) -> bool {
    v.get("errors").and_then(|e| e.get(key)).is_some()
}

fn key_string(k: &Option<fullscan::resolve::Key>) -> Option<String> {
    k.as_ref().map(|k| k.0.join(","))
}

/// Unresolved reasons that only the schema can reveal; ActiveRecord does not check
/// columns when it builds reflections.
fn schema_only(reason: &str) -> bool {
    reason.starts_with("column ")
        || reason.starts_with("join table ")
        || reason.starts_with("table ")
}

fn compare_model(golden: &Value, m: &Model, out: &mut Vec<String>) {
    let name = &m.name;
    let mut check = |field: &str, ours: Option<String>| {
        if has_error(golden, field) {
            if field == "primary_key" && ours.is_none() {
                return;
            }
            if field == "primary_key" && !m.table_exists {
                return;
            }
        }
        let theirs = s(golden, field);
        if theirs != ours {
            out.push(format!(
                "model {name}: {field}: activerecord {theirs:?}, fullscan {ours:?}"
            ));
        }
    };
    check("table_name", m.table_name.clone());
    check("base_class", Some(m.base_class.clone()));
    check("inheritance_column", Some(m.inheritance_column.clone()));
    if golden.get("table_exists").and_then(Value::as_bool) == Some(true) || m.table_exists {
        check("primary_key", key_string(&m.primary_key));
    }
    let abstract_class = golden
        .get("abstract_class")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if abstract_class != m.abstract_class {
        out.push(format!(
            "model {name}: abstract_class: activerecord {abstract_class}, fullscan {}",
            m.abstract_class
        ));
    }
    if !m.abstract_class {
        let exists = golden
            .get("table_exists")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if exists != m.table_exists {
            out.push(format!(
                "model {name}: table_exists: activerecord {exists}, fullscan {}",
                m.table_exists
            ));
        }
    }
}

fn compare_association(golden: &Value, a: &Association, out: &mut Vec<String>) {
    let id = format!("{}#{}", a.model, a.name);
    let class_error = has_error(golden, "target_class") || has_error(golden, "check_validity");
    let ours_class_error = a.unresolved.as_deref().is_some_and(|r| !schema_only(r));
    if class_error != ours_class_error {
        out.push(format!(
            "{id}: activerecord error {:?}, fullscan unresolved {:?}",
            golden.get("errors"),
            a.unresolved
        ));
        return;
    }
    if class_error {
        return;
    }
    let mut check = |field: &str, theirs: Option<String>, ours: Option<String>| {
        if theirs != ours {
            out.push(format!(
                "{id}: {field}: activerecord {theirs:?}, fullscan {ours:?}"
            ));
        }
    };
    check(
        "macro",
        s(golden, "macro"),
        Some(a.macro_.as_str().to_owned()),
    );
    check(
        "target_class",
        s(golden, "target_class"),
        a.target_class.clone(),
    );
    check(
        "target_table",
        s(golden, "target_table"),
        a.target_table.clone(),
    );
    check(
        "foreign_key",
        s(golden, "foreign_key"),
        key_string(&a.foreign_key),
    );
    let polymorphic_belongs_to = golden.get("polymorphic").and_then(Value::as_bool) == Some(true)
        && s(golden, "macro").as_deref() == Some("belongs_to");
    // `foreign_type` is set for polymorphic belongs_to (and a :through delegates it
    // to its source); `type` for `as:`.
    let type_column = s(golden, "foreign_type").or_else(|| s(golden, "type"));
    check("foreign_type", type_column, a.foreign_type.clone());
    check("through", s(golden, "through"), a.through.clone());
    check("source", s(golden, "source"), a.source.clone());
    if a.through.is_none() {
        check("join_table", s(golden, "join_table"), a.join_table.clone());
        check(
            "association_foreign_key",
            s(golden, "association_foreign_key"),
            a.association_foreign_key.clone(),
        );
        let pk_field = if a.macro_ == fullscan::model::Macro::BelongsTo {
            "association_primary_key"
        } else {
            "active_record_primary_key"
        };
        if !has_error(golden, pk_field) && !polymorphic_belongs_to {
            check(
                "primary_key",
                s(golden, pk_field),
                key_string(&a.primary_key),
            );
        }
    }
    check("as", s(golden, "as"), a.as_.clone());
}

fn judge(app: &str) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden_path = root
        .join("tests/activerecord/goldens")
        .join(format!("{app}.json"));
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(&golden_path).unwrap()).unwrap();
    let analysis = analyze(&root.join("corpus").join(app)).unwrap();
    let mut mismatches = Vec::new();
    let mut compared = 0;

    let golden_models = golden["models"].as_array().unwrap();
    for gm in golden_models {
        let name = s(gm, "name").unwrap();
        match analysis.resolved.models.iter().find(|m| m.name == name) {
            Some(m) => {
                compared += 1;
                compare_model(gm, m, &mut mismatches);
            }
            None => mismatches.push(format!(
                "model {name}: known to activerecord, missed by fullscan"
            )),
        }
    }
    for m in &analysis.resolved.models {
        if !golden_models
            .iter()
            .any(|g| s(g, "name").as_deref() == Some(&m.name))
        {
            mismatches.push(format!(
                "model {}: found by fullscan, unknown to activerecord",
                m.name
            ));
        }
    }

    // Inherited reflections are the parent's: compare each where it is declared.
    let declared: Vec<&Value> = golden["associations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| s(g, "declared_in") == s(g, "model"))
        .collect();
    for g in &declared {
        let (model, name) = (s(g, "model").unwrap(), s(g, "name").unwrap());
        match analysis
            .resolved
            .associations
            .iter()
            .find(|a| a.model == model && a.name == name)
        {
            Some(a) => {
                compared += 1;
                compare_association(g, a, &mut mismatches);
            }
            None => mismatches.push(format!(
                "{model}#{name}: known to activerecord, missed by fullscan"
            )),
        }
    }
    for a in &analysis.resolved.associations {
        let known = declared.iter().any(|g| {
            s(g, "model").as_deref() == Some(&a.model) && s(g, "name").as_deref() == Some(&a.name)
        });
        if !known {
            mismatches.push(format!(
                "{}#{}: found by fullscan, unknown to activerecord",
                a.model, a.name
            ));
        }
    }
    (compared, mismatches)
}

#[test]
fn fullscan_agrees_with_activerecord_on_every_corpus_app() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut apps: Vec<String> = std::fs::read_dir(root.join("tests/activerecord/goldens"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    apps.sort();
    assert!(
        apps.len() >= 9,
        "expected a golden for every corpus app, found {apps:?}"
    );
    let mut report = Vec::new();
    let mut total = 0;
    for app in &apps {
        let (compared, mismatches) = judge(app);
        assert!(compared > 0, "{app}: nothing compared");
        total += compared;
        report.extend(mismatches.into_iter().map(|m| format!("{app}: {m}")));
    }
    assert!(
        report.is_empty(),
        "{} disagreements with ActiveRecord over {total} models and associations:\n{}",
        report.len(),
        report.join("\n")
    );
}
