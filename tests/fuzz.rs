//! The fuzz targets' properties (`fullscan::fuzz`) on every seed of
//! `fuzz/seeds/<target>` and every input that once broke one,
//! `fuzz/regressions/<target>`: what a fuzzer found stays fixed without the fuzzer.

use std::path::Path;

/// Every file of `fuzz/{seeds,regressions}/<target>`, with its bytes.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let Ok(dir) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        for entry in dir {
            let path = entry.unwrap().path();
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
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
