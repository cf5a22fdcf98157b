//! The expected inventory and findings of every corpus app, as reviewed snapshots.
//! `cargo insta review` shows any change for a person to accept or reject.

use std::path::Path;

fn apps() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut apps: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type()
                .ok()?
                .is_dir()
                .then(|| e.file_name().into_string().ok())?
        })
        .collect();
    apps.sort();
    apps
}

#[test]
fn corpus_inventories() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for app in apps() {
        let analysis = fullscan::analyze::analyze(&root.join("corpus").join(&app)).unwrap();
        assert!(
            analysis.schema_errors.is_empty(),
            "{app}: {:?}",
            analysis.schema_errors
        );
        let table = fullscan::report::inventory_table(&analysis);
        insta::assert_snapshot!(format!("inventory_{app}"), table);
    }
}

#[test]
fn corpus_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for app in apps() {
        let dir = root.join("corpus").join(&app);
        let analysis = fullscan::analyze::analyze(&dir).unwrap();
        // Apps made of models and a schema alone (no code that uses them) would report
        // every association unused: the unused rules run only on apps with controllers.
        let rules: Vec<fullscan::rules::Rule> = fullscan::rules::all()
            .into_iter()
            .filter(|r| {
                dir.join("app/controllers").is_dir() || !r.meta.tags.iter().any(|t| t == "unused")
            })
            .collect();
        let findings = fullscan::rules::run(&analysis, &rules);
        let lines: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{}:{}:{} {}[{}] {}{}",
                    f.path.display(),
                    f.line,
                    f.column,
                    f.severity.as_str(),
                    f.rule,
                    f.message,
                    f.fix
                        .as_ref()
                        .map(|x| {
                            if x.migration.is_empty() {
                                format!("\n    fix: {}", x.description)
                            } else {
                                format!("\n    fix: {}", x.migration.join("; "))
                            }
                        })
                        .unwrap_or_default()
                )
            })
            .collect();
        insta::assert_snapshot!(format!("findings_{app}"), lines.join("\n"));
    }
}
