//! End-to-end tests of the command line.

use assert_cmd::Command;
use std::path::Path;

fn fullscan() -> Command {
    Command::cargo_bin("fullscan").unwrap()
}

fn corpus(app: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(app)
        .display()
        .to_string()
}

#[test]
fn inventory_json_has_the_documented_fields() {
    let out = fullscan()
        .args(["associations", &corpus("blog"), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let assocs = v["associations"].as_array().unwrap();
    assert!(!assocs.is_empty());
    for field in [
        "model",
        "table",
        "name",
        "macro",
        "path",
        "line",
        "column",
        "target_class",
        "target_table",
        "foreign_key",
        "foreign_type",
        "primary_key",
        "join_table",
        "through",
        "source",
        "polymorphic",
        "as",
        "dependent",
        "index",
        "index_covers",
        "unresolved",
    ] {
        assert!(assocs[0].get(field).is_some(), "missing field {field}");
    }
    // sorted by path then line
    let keys: Vec<(String, u64)> = assocs
        .iter()
        .map(|a| {
            (
                a["path"].as_str().unwrap().to_owned(),
                a["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let run = |threads: &str, cmd: &[&str]| {
        let mut args = vec!["--threads", threads];
        args.extend_from_slice(cmd);
        fullscan().args(&args).output().unwrap().stdout
    };
    for app in ["outage", "polymorphic", "namespaces"] {
        let path = corpus(app);
        for cmd in [
            vec!["associations", path.as_str(), "--format", "json"],
            vec!["check", path.as_str(), "--format", "json"],
        ] {
            let one = run("1", &cmd);
            assert!(!one.is_empty());
            assert_eq!(one, run("2", &cmd), "{app} {cmd:?}");
            assert_eq!(one, run("8", &cmd), "{app} {cmd:?}");
        }
    }
}

#[test]
fn missing_directory_is_a_clear_error() {
    let out = fullscan()
        .args(["check", "/definitely/not/here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such directory"));
}

#[test]
fn check_exits_1_on_findings_and_0_when_clean() {
    let out = fullscan()
        .args([&corpus("outage"), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule"] == "dependent-full-scan"
        && f["association"] == "events"
        && f["model"] == "Account"));
    for field in [
        "rule", "severity", "path", "line", "column", "model", "table", "columns", "message", "fix",
    ] {
        assert!(findings[0].get(field).is_some(), "missing {field}");
    }

    let empty = tempfile::tempdir().unwrap();
    let out = fullscan()
        .args(["check", empty.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rules_and_explain() {
    let out = fullscan().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 10);
    assert!(text.contains("unindexed-foreign-key"));
    let out = fullscan()
        .args(["explain", "dependent-full-scan"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("## How to fix"));
    let out = fullscan().args(["explain", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn pretty_output_shows_the_source_line_and_the_fix() {
    let out = fullscan()
        .env("NO_COLOR", "1")
        .args(["check", &corpus("outage")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("has_many :events, dependent: :destroy"),
        "{text}"
    );
    assert!(text.contains("add_index :events, :account_id"), "{text}");
}
