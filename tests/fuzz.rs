//! The fuzz targets' properties (`fullscan::fuzz`) on every seed (see
//! `fuzz/seeds.globs`) and every input that once broke one,
//! `fuzz/regressions/<target>`: what a fuzzer found stays fixed without the fuzzer.

use std::path::{Path, PathBuf};

/// Every seed of `target` (`fuzz/seeds/<target>` and the repository's files
/// `fuzz/seeds.globs` names for it) and every file of `fuzz/regressions/<target>`,
/// with its bytes.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = Vec::new();
    for kind in ["seeds", "regressions"] {
        if let Ok(dir) = std::fs::read_dir(root.join("fuzz").join(kind).join(target)) {
            paths.extend(dir.map(|e| e.unwrap().path()));
        }
    }
    let globs = std::fs::read_to_string(root.join("fuzz/seeds.globs")).unwrap();
    let mut set = globset::GlobSetBuilder::new();
    for line in globs.lines().filter(|l| !l.starts_with('#')) {
        let mut words = line.split_whitespace();
        if words.next() != Some(target) {
            continue;
        }
        for glob in words {
            set.add(
                globset::GlobBuilder::new(glob)
                    .literal_separator(true)
                    .build()
                    .unwrap(),
            );
        }
    }
    let set = set.build().unwrap();
    for top in ["corpus", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root.join(top)) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(root).unwrap();
            if entry.file_type().is_file() && set.is_match(rel) {
                paths.push(entry.path().to_path_buf());
            }
        }
    }
    let mut out: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn each(target: &str, at_least: usize, check: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(
        inputs.len() >= at_least,
        "{target}: {} inputs",
        inputs.len()
    );
    for (name, bytes) in &inputs {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(bytes)));
        assert!(result.is_ok(), "{name}");
    }
}

#[test]
fn schema_rb() {
    each("schema_rb", 5, fullscan::fuzz::schema_rb);
}

#[test]
fn structure_sql() {
    each("structure_sql", 2, fullscan::fuzz::structure_sql);
}

#[test]
fn extract() {
    each("extract", 20, fullscan::fuzz::extract);
}

#[test]
fn inflector() {
    let rails = fullscan::inflector::Inflector::default();
    each("inflector", 2, |data| {
        fullscan::fuzz::inflector(data, &rails)
    });
}

#[test]
fn config() {
    each("config", 3, fullscan::fuzz::config);
}

#[test]
fn references() {
    each("references", 5, fullscan::fuzz::references);
}

#[test]
fn migrations() {
    each("migrations", 4, fullscan::fuzz::migrations);
}
