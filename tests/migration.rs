//! ActiveRecord is the judge of `fullscan fix --write-migration`: for every corpus app,
//! the migration [`fullscan::migration`] writes is run by the real ActiveRecord
//! against the app's schema (`tests/activerecord/apply_migration.rb`: schema.rb into
//! SQLite, the migration through ActiveRecord's migrator, the schema dumped back), and
//! fullscan, run again on the app with the dumped schema, must no longer report any
//! finding the migration claimed to fix, and report every other finding as before.
//! The dumped schema must hold exactly the indexes the migration names, besides the
//! ones it had.
//!
//! Apps whose schema is `db/structure.sql` are skipped: apply_migration.rb, like the
//! ActiveRecord oracle, loads schemas through `ActiveRecord::Schema`, and its crude
//! structure.sql translation (dump_reflections.rb) does not recreate indexes.
//!
//! With `FULLSCAN_JUDGED_APPS=<dir>` (see `scripts/judge random`), the generated apps
//! under `<dir>/<seed>/` are checked too.
//!
//! Ruby with ActiveRecord and sqlite3 is required (scripts/test checks for it first):
//! without it the test fails, it does not skip.

use fullscan::analyze::{analyze, Analysis};
use fullscan::migration::{plan, plans, MigrationPlan, HEADER};
use fullscan::rules::{self, Finding};
use fullscan::schema::SchemaFormat;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const TIMESTAMP: &str = "20240101000000";
/// The generated apps' schemas have version 2024_01_01_000000: a migration of that
/// version would count as already run, so theirs come a day later.
const JUDGED_APPS_TIMESTAMP: &str = "20240102000000";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn require_activerecord() {
    let out = Command::new("ruby")
        .args([
            "-e",
            "require 'active_record'; require 'sqlite3'; print ActiveRecord.version",
        ])
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "this test needs Ruby with ActiveRecord and sqlite3 (apt-get install ruby ruby-activerecord ruby-sqlite3): {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!(
            "this test needs `ruby` with ActiveRecord and sqlite3 (apt-get install ruby ruby-activerecord ruby-sqlite3): {e}"
        ),
    }
}

/// What a finding is about, wherever its line is.
type Identity = (String, String, String, String, Vec<String>);

fn identity(f: &Finding) -> Identity {
    let subject = f
        .association
        .as_deref()
        .or(f.scope.as_deref())
        .or(f.attribute.as_deref())
        .unwrap_or("");
    (
        f.rule.to_owned(),
        f.model.clone(),
        subject.to_owned(),
        f.table.clone(),
        f.columns.clone(),
    )
}

fn has_migration(f: &Finding) -> bool {
    f.suppression.is_none() && f.fix.as_ref().is_some_and(|x| !x.migration.is_empty())
}

fn findings(root: &Path) -> (Analysis, Vec<Finding>) {
    let analysis = analyze(root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let findings = rules::run(&analysis, &rules::all());
    (analysis, findings)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The `name: "..."` of a generated `add_index` statement.
fn statement_name(statement: &str) -> String {
    let rest = statement
        .split_once("name: \"")
        .unwrap_or_else(|| panic!("no name: in {statement}"))
        .1;
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Index name -> (columns, unique, where) of each table of each database.
type Indexes = BTreeMap<(String, String), (Vec<String>, bool, Option<String>)>;

fn indexes(analysis: &Analysis) -> Indexes {
    let mut out = BTreeMap::new();
    for db in &analysis.databases {
        for (table, t) in &db.tables {
            for i in &t.indexes {
                let mut keys: Vec<String> = Vec::new();
                for k in &i.keys {
                    let k = match k {
                        fullscan::schema::IndexKey::Column(c) => c.clone(),
                        fullscan::schema::IndexKey::Expression(e) => e.clone(),
                    };
                    // A column an index names twice (generated apps do) comes back
                    // from SQLite once.
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                out.insert(
                    (db.name.clone(), format!("{table}/{}", i.name)),
                    (keys, i.unique, i.predicate.clone()),
                );
            }
        }
    }
    out
}

/// Database -> table -> columns.
fn columns(analysis: &Analysis) -> BTreeMap<(String, String), Vec<String>> {
    analysis
        .databases
        .iter()
        .flat_map(|db| {
            db.tables.iter().map(|(name, t)| {
                (
                    (db.name.clone(), name.clone()),
                    t.columns.iter().map(|c| c.name.clone()).collect(),
                )
            })
        })
        .collect()
}

fn ruby_syntax_ok(file: &Path) -> Result<(), String> {
    let out = Command::new("ruby")
        .arg("-c")
        .arg(file)
        .output()
        .map_err(|e| format!("ruby -c: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

struct Outcome {
    /// Indexes added, over all databases.
    indexes: usize,
    plans: usize,
}

/// Writes and applies the app's migrations to a copy of it, and compares fullscan's
/// findings before and after. Returns None when the app needs no migration.
fn check_app(label: &str, app: &Path, timestamp: &str) -> Result<Option<Outcome>, String> {
    let (before, findings_before) = findings(app);
    let all = plans(&before, &findings_before, timestamp);
    let single = plan(&before, &findings_before, timestamp);
    if single.as_ref() != all.first() {
        return Err(format!(
            "{label}: plan() is not the first of plans(): {single:?}"
        ));
    }
    let fixed: BTreeSet<Identity> = findings_before
        .iter()
        .filter(|f| has_migration(f))
        .map(identity)
        .collect();
    if all.is_empty() {
        return if fixed.is_empty() {
            Ok(None)
        } else {
            Err(format!(
                "{label}: findings have migration fixes but no plan: {fixed:?}"
            ))
        };
    }
    if all
        .iter()
        .map(|p| p.database.as_str())
        .collect::<BTreeSet<_>>()
        .len()
        != all.len()
    {
        return Err(format!("{label}: two plans for one database"));
    }

    let tmp = tempfile::Builder::new()
        .prefix("fullscan-migration-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let copy = tmp.path().join(app.file_name().unwrap());
    copy_tree(app, &copy);

    let mut added = 0;
    for p in &all {
        check_text(label, p, timestamp)?;
        let db = before
            .databases
            .iter()
            .find(|d| d.name == p.database)
            .ok_or_else(|| format!("{label}: plan for unknown database {}", p.database))?;
        if db.format != SchemaFormat::SchemaRb {
            return Err(format!(
                "{label}: database {} has no schema.rb to judge the migration on",
                p.database
            ));
        }
        let dir = copy.join(&p.directory);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let file = dir.join(&p.file_name);
        std::fs::write(&file, &p.text).map_err(|e| e.to_string())?;
        ruby_syntax_ok(&file).map_err(|e| {
            format!(
                "{label}: {} is not valid Ruby: {e}\n{}",
                p.file_name, p.text
            )
        })?;

        let mut cmd = Command::new("ruby");
        cmd.arg(manifest().join("tests/activerecord/apply_migration.rb"));
        if p.database != "primary" {
            cmd.args(["--database", &p.database]);
        }
        let out = cmd
            .arg(&copy)
            .arg(&file)
            .arg(copy.join(&db.path))
            .output()
            .map_err(|e| format!("ruby: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "{label}: ActiveRecord could not run {}:\n{}\n--- the migration:\n{}",
                p.file_name,
                String::from_utf8_lossy(&out.stderr),
                p.text
            ));
        }
        added += p.statements.len();
    }

    // fullscan judges the schema the migrations produced, not the migration files:
    // they go before the second analysis. (fullscan reads `db/migrate` as no use of
    // an association, but reads a further database's `db/<name>_migrate` as one: a
    // migration there mentioning `cats` hides an unused `has_many :cats`.)
    for p in &all {
        std::fs::remove_file(copy.join(&p.directory).join(&p.file_name))
            .map_err(|e| e.to_string())?;
    }
    let (after, findings_after) = findings(&copy);
    let mut problems = Vec::new();

    // The schema: the same tables and columns, the old indexes, and exactly the new
    // ones the migrations name.
    if columns(&before) != columns(&after) {
        problems.push("tables or columns changed across the round trip".to_owned());
    }
    let (old, new) = (indexes(&before), indexes(&after));
    for (key, value) in &old {
        if new.get(key) != Some(value) {
            problems.push(format!(
                "index {key:?} changed: {value:?} -> {:?}",
                new.get(key)
            ));
        }
    }
    let mut created: Vec<String> = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .map(|(db, name)| format!("{db}:{}", name.split_once('/').unwrap().1))
        .collect();
    created.sort();
    let mut named: Vec<String> = all
        .iter()
        .flat_map(|p| {
            p.statements
                .iter()
                .map(move |s| format!("{}:{}", p.database, statement_name(s)))
        })
        .collect();
    named.sort();
    if created != named {
        problems.push(format!(
            "the dumped schema has the new indexes {created:?}, the migrations name {named:?}"
        ));
    }

    // The findings: the fixed ones gone, the others unchanged.
    let remaining: BTreeSet<Identity> = findings_after.iter().map(identity).collect();
    for f in fixed.intersection(&remaining) {
        problems.push(format!("still reported after the migration: {f:?}"));
    }
    let others: BTreeSet<Identity> = findings_before
        .iter()
        .map(identity)
        .filter(|i| !fixed.contains(i))
        .collect();
    for f in others.difference(&remaining) {
        problems.push(format!(
            "gone although the migration did not claim it: {f:?}"
        ));
    }
    for f in remaining.difference(&others) {
        if !fixed.contains(f) {
            problems.push(format!("new after the migration: {f:?}"));
        }
    }

    if problems.is_empty() {
        Ok(Some(Outcome {
            indexes: added,
            plans: all.len(),
        }))
    } else {
        let texts: Vec<&str> = all.iter().map(|p| p.text.as_str()).collect();
        Err(format!(
            "{label}:\n  {}\n--- the migrations:\n{}",
            problems.join("\n  "),
            texts.join("\n")
        ))
    }
}

/// What every generated file must look like, whatever ActiveRecord thinks of it.
fn check_text(label: &str, p: &MigrationPlan, timestamp: &str) -> Result<(), String> {
    let stem = p
        .file_name
        .strip_prefix(&format!("{timestamp}_"))
        .and_then(|s| s.strip_suffix(".rb"))
        .ok_or_else(|| format!("{label}: bad file name {}", p.file_name))?;
    let camel: String = stem
        .split('_')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect();
    let mut errors = Vec::new();
    if camel != p.class_name {
        errors.push(format!("class {} for file {}", p.class_name, p.file_name));
    }
    if !p.text.starts_with(HEADER) {
        errors.push("no header".to_owned());
    }
    if !p
        .text
        .contains(&format!("class {} < ActiveRecord::Migration", p.class_name))
    {
        errors.push("no class line".to_owned());
    }
    let concurrently = p.text.contains("disable_ddl_transaction!");
    let mut seen = BTreeSet::new();
    for s in &p.statements {
        if !p.text.contains(&format!("    {s}\n")) {
            errors.push(format!("statement not in the text: {s}"));
        }
        if !seen.insert(statement_name(s)) {
            errors.push(format!("name used twice: {s}"));
        }
        if statement_name(s).len() > 63 {
            errors.push(format!("name over 63 bytes: {s}"));
        }
        if s.contains("algorithm: :concurrently") != concurrently {
            errors.push(format!(
                "`algorithm: :concurrently` and `disable_ddl_transaction!` disagree: {s}"
            ));
        }
    }
    if p.text.matches("\n    # ").count() != p.statements.len() {
        errors.push("not one comment per statement".to_owned());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{label}: {}:\n  {}\n{}",
            p.file_name,
            errors.join("\n  "),
            p.text
        ))
    }
}

fn apps() -> Vec<(String, PathBuf, &'static str)> {
    let mut out = Vec::new();
    let corpus = manifest().join("corpus");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push((format!("corpus/{name}"), dir, TIMESTAMP));
    }
    if let Some(judged) = std::env::var_os("FULLSCAN_JUDGED_APPS") {
        let judged = PathBuf::from(judged);
        let mut seeds: Vec<(u64, PathBuf)> = std::fs::read_dir(&judged)
            .unwrap_or_else(|e| panic!("FULLSCAN_JUDGED_APPS={}: {e}", judged.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .map(|p| {
                let n = p
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .parse()
                    .unwrap_or(u64::MAX);
                (n, p)
            })
            .collect();
        seeds.sort();
        for (seed, dir) in seeds {
            out.push((format!("seed {seed}"), dir, JUDGED_APPS_TIMESTAMP));
        }
    }
    out
}

#[test]
fn activerecord_runs_every_migration_and_the_findings_it_fixes_are_gone() {
    require_activerecord();
    let mut failures = Vec::new();
    let (mut checked, mut with_plan, mut indexes, mut skipped) = (0, 0, 0, Vec::new());
    for (label, app, timestamp) in apps() {
        if !app.join("db/schema.rb").is_file() {
            skipped.push(label);
            continue;
        }
        checked += 1;
        match check_app(&label, &app, timestamp) {
            Ok(Some(o)) => {
                with_plan += 1;
                indexes += o.indexes;
                eprintln!(
                    "{label}: {} index(es) in {} migration(s)",
                    o.indexes, o.plans
                );
            }
            Ok(None) => eprintln!("{label}: nothing to migrate"),
            Err(e) => failures.push(e),
        }
    }
    eprintln!(
        "{checked} apps checked, {with_plan} with a migration, {indexes} indexes added; skipped (no db/schema.rb): {}",
        skipped.join(", ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The corpus has seven schema.rb apps, all of them with missing indexes: a
    // smaller count means the test lost its subject.
    assert!(
        checked >= 7 && with_plan >= 7,
        "only {checked} apps checked"
    );
}
