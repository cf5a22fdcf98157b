//! Every output format of the demo app, as reviewed snapshots: what a person, an
//! editor, GitHub Actions and code scanning receive.

use std::process::Command;

fn run(format: &str) -> String {
    let app = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/outage");
    let out = Command::new(env!("CARGO_BIN_EXE_fullscan"))
        .env(
            "FULLSCAN_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
        .args(["check", app, "--format", format, "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn concise() {
    insta::assert_snapshot!(run("concise"));
}

#[test]
fn github() {
    insta::assert_snapshot!(run("github"));
}

#[test]
fn pretty() {
    insta::assert_snapshot!(run("pretty"));
}

/// The results of the SARIF log (the rules' help text is the rules/ docs).
#[test]
fn sarif_results() {
    let log: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let results = &log["runs"][0]["results"];
    insta::assert_snapshot!(serde_json::to_string_pretty(results).unwrap());
}
