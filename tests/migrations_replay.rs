//! The schema fullscan rebuilds from migrations, against the schema the real
//! ActiveRecord dumps after running them: for every corpus app that commits no
//! schema file, tests/activerecord/migrations/<app>/ holds the migration folders of
//! each database (`paths`) and ActiveRecord's dump (`schema.rb`,
//! `<database>_schema.rb`), made by tests/activerecord/migrations.sh.

use fullscan::schema::migration_dirs;
use fullscan::schema::migrations::replay;
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
        // A dump's `add_foreign_key "posts", "users"` leaves the column to the
        // convention: `<singular of the target>_id`.
        let inflector = fullscan::inflector::Inflector::default();
        let mut fks: Vec<String> = t
            .foreign_keys
            .iter()
            .map(|fk| {
                let column = if fk.column.is_empty() {
                    format!("{}_id", inflector.singularize(&fk.to_table))
                } else {
                    fk.column.clone()
                };
                format!(
                    "  foreign key {}.{column} -> {}.{}",
                    t.name, fk.to_table, fk.primary_key
                )
            })
            .collect();
        fks.sort();
        out.extend(fks);
    }
    out
}

/// `<database> <folder>...` lines of tests/activerecord/migrations/<app>/paths.
fn declared_paths(dir: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(dir.join("paths")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut words = l.split_whitespace().map(str::to_owned);
            let db = words.next().unwrap();
            let mut folders: Vec<String> = words.collect();
            folders.sort();
            (db, folders)
        })
        .collect()
}

#[test]
fn replayed_migrations_match_activerecord() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let goldens = here.join("tests/activerecord/migrations");
    let mut apps: Vec<_> = std::fs::read_dir(&goldens)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    apps.sort();
    assert!(apps.len() >= 4, "{apps:?}");
    let mut problems = Vec::new();
    for golden_dir in apps {
        let name = golden_dir.file_name().unwrap().to_str().unwrap().to_owned();
        let app = here.join("corpus").join(&name);
        // The folders fullscan finds, and the migrations it keeps, per database.
        let files = fullscan::project::discover(&app);
        let (dirs, notes) = migration_dirs::find(&app, &files.migration_dirs);
        assert!(notes.is_empty(), "{name}: {notes:?}");
        let (sets, notes) = migration_dirs::collect(&app, &dirs);
        assert!(notes.is_empty(), "{name}: {notes:?}");
        let found: Vec<(String, Vec<String>)> = sets
            .iter()
            .map(|s| {
                let mut folders: Vec<String> =
                    s.dirs.iter().map(|d| d.display().to_string()).collect();
                folders.sort();
                (s.database.clone(), folders)
            })
            .collect();
        let mut declared = declared_paths(&golden_dir);
        declared.sort_by_key(|(db, _)| (db != "primary", db.clone()));
        assert_eq!(found, declared, "{name}: migration folders");

        for set in sets {
            let golden = match set.database.as_str() {
                "primary" => golden_dir.join("schema.rb"),
                db => golden_dir.join(format!("{db}_schema.rb")),
            };
            let (replayed, _) = replay(&set.database, &set.dirs[0], set.files);
            let expected =
                parse_schema_rb(&golden, &std::fs::read_to_string(&golden).unwrap()).unwrap();
            let (a, b) = (shape(&replayed), shape(&expected));
            if a != b {
                let missing: Vec<&String> = b.iter().filter(|l| !a.contains(l)).collect();
                let extra: Vec<&String> = a.iter().filter(|l| !b.contains(l)).collect();
                problems.push(format!(
                    "{name} ({}):\n  ActiveRecord has, fullscan not: {missing:#?}\n  fullscan has, ActiveRecord not: {extra:#?}\n  not analyzed: {:?}",
                    set.database,
                    replayed.warnings.iter().map(|w| &w.message).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
