//! The schema fullscan rebuilds from migrations, against the schema the real
//! ActiveRecord dumps after running them (tests/fixtures/migrations/<app>/
//! expected_schema.rb, made by tests/activerecord/dump_migrations.rb).

use fullscan::schema::migrations::{replay, version_of, MigrationFile};
use fullscan::schema::{schema_rb::parse_schema_rb, Database};
use std::path::Path;

fn shape(db: &Database) -> Vec<String> {
    let mut out = Vec::new();
    for t in db.tables.values() {
        out.push(format!(
            "table {} pk [{}]",
            t.name,
            t.primary_key.join(", ")
        ));
        let mut cols: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("  column {}.{} null={}", t.name, c.name, c.null))
            .collect();
        cols.sort();
        out.extend(cols);
        let mut idx: Vec<String> = t
            .indexes
            .iter()
            .map(|i| {
                let keys: Vec<String> = i
                    .keys
                    .iter()
                    .map(|k| k.column().unwrap_or("<expr>").to_owned())
                    .collect();
                format!(
                    "  index {}.{} ({}) unique={} where={:?}",
                    t.name,
                    i.name,
                    keys.join(", "),
                    i.unique,
                    i.predicate
                )
            })
            .collect();
        idx.sort();
        out.extend(idx);
    }
    out
}

#[test]
fn replayed_migrations_match_activerecord() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations");
    let mut apps: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    apps.sort();
    assert!(apps.len() >= 3);
    let mut problems = Vec::new();
    for app in apps {
        let dir = app.join("db/migrate");
        let mut files = Vec::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if let Some(version) = version_of(&p) {
                files.push(MigrationFile {
                    source: std::fs::read_to_string(&p).unwrap(),
                    path: p.strip_prefix(&app).unwrap().to_path_buf(),
                    version,
                });
            }
        }
        let (replayed, _) = replay("primary", Path::new("db/migrate"), files);
        let expected_path = app.join("expected_schema.rb");
        let expected = parse_schema_rb(
            &expected_path,
            &std::fs::read_to_string(&expected_path).unwrap(),
        )
        .unwrap();
        let (a, b) = (shape(&replayed), shape(&expected));
        if a != b {
            let missing: Vec<&String> = b.iter().filter(|l| !a.contains(l)).collect();
            let extra: Vec<&String> = a.iter().filter(|l| !b.contains(l)).collect();
            problems.push(format!(
                "{}:\n  ActiveRecord has, fullscan not: {missing:#?}\n  fullscan has, ActiveRecord not: {extra:#?}\n  not analyzed: {:?}",
                app.display(),
                replayed.warnings.iter().map(|w| &w.message).collect::<Vec<_>>()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
