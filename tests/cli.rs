//! End-to-end tests of the command line.

use assert_cmd::Command;
use std::path::Path;

fn fullscan() -> Command {
    let mut cmd = Command::cargo_bin("fullscan").unwrap();
    // The tests' caches stay out of the home directory.
    cmd.env(
        "FULLSCAN_CACHE_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
    );
    cmd
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
            vec!["check", path.as_str(), "--format", "sarif"],
            vec!["check", path.as_str(), "--format", "concise"],
            vec!["check", path.as_str(), "--format", "github"],
        ] {
            let one = run("1", &cmd);
            assert!(!one.is_empty());
            assert_eq!(one, run("2", &cmd), "{app} {cmd:?}");
            assert_eq!(one, run("8", &cmd), "{app} {cmd:?}");
        }
    }
}

/// Any panic left, on the main thread or in a worker, is a report of a bug with
/// exit code 2: never 1 (findings) nor 0, which a CI step would trust.
#[test]
fn a_panic_is_reported_as_a_bug_with_exit_code_2() {
    for at in ["main", "worker"] {
        let out = fullscan()
            .env("__FULLSCAN_TEST_PANIC", at)
            .args(["check", &corpus("outage")])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{at}: {stderr}");
        assert!(stderr.contains("internal error"), "{at}: {stderr}");
        assert!(stderr.contains("a panic asked for"), "{at}: {stderr}");
        assert!(
            stderr.contains("This is a bug in fullscan"),
            "{at}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{at}");
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

    // An app whose one association has its index.
    let clean = tempfile::tempdir().unwrap();
    write_file(
        clean.path(),
        "app/models/post.rb",
        "class Post < ActiveRecord::Base\n  has_many :comments\nend\n",
    );
    write_file(
        clean.path(),
        "app/models/comment.rb",
        "class Comment < ActiveRecord::Base\nend\n",
    );
    write_file(
        clean.path(),
        "app/views/posts/show.html.erb",
        "<%= @post.comments.size %>\n",
    );
    write_file(
        clean.path(),
        "db/schema.rb",
        "ActiveRecord::Schema.define do\n  create_table :posts\n  create_table :comments do |t|\n    t.bigint :post_id\n    t.index :post_id\n  end\nend\n",
    );
    let out = fullscan()
        .args(["check", clean.path().to_str().unwrap()])
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
    assert_eq!(text.lines().count(), 11);
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
        .args(["check", &corpus("outage"), "--format", "pretty"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("has_many :events, dependent: :destroy"),
        "{text}"
    );
    assert!(text.contains("add_index :events, :account_id"), "{text}");
}

#[test]
fn concise_is_one_line_per_finding_then_the_summary() {
    let out = fullscan()
        .args(["check", &corpus("outage"), "--format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (summary, findings) = lines.split_last().unwrap();
    assert!(!findings.is_empty());
    let shape =
        regex::Regex::new(r"^app/models/[a-z_/]+\.rb:\d+:\d+: (error|warning|note)\[[a-z-]+\] \S")
            .unwrap();
    for line in findings {
        assert!(shape.is_match(line), "{line}");
    }
    assert!(
        summary.starts_with(&format!("{} findings (", findings.len())),
        "{summary}"
    );
    assert!(summary.contains("dependent-full-scan: "), "{summary}");
}

#[test]
fn github_annotations_escape_newlines_and_name_the_rule() {
    let out = fullscan()
        .args(["check", &corpus("outage"), "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.is_empty());
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        assert!(line.contains(",title=fullscan "), "{line}");
        let (_, data) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(!data.contains('\r'));
    }
    assert!(text.contains("%0A%0AFix: "), "{text}");
}

#[test]
fn several_formats_from_one_run_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let json = dir.path().join("out.json");
    let out = fullscan()
        .args([
            "check",
            &corpus("outage"),
            "--format",
            "sarif",
            "--output",
            sarif.to_str().unwrap(),
            "--format",
            "json",
            "--output",
            json.to_str().unwrap(),
            "--format",
            "concise",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("[dependent-full-scan] "), "{stdout}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        json["findings"].as_array().unwrap().len()
    );
    // Only temporary files renamed into place: nothing else is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    // Two formats for standard output, or an output without a format: usage errors.
    let out = fullscan()
        .args([
            "check",
            &corpus("outage"),
            "--format",
            "json",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let unknown = dir.path().join("findings.out");
    let out = fullscan()
        .args([
            "check",
            &corpus("outage"),
            "--output",
            unknown.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!unknown.exists());
    // Without a --format, the extension names it.
    let inferred = dir.path().join("scan.sarif");
    let out = fullscan()
        .args([
            "check",
            &corpus("outage"),
            "--output",
            inferred.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&inferred).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");

    // --fail-on: the outage app has errors and warnings, no note.
    for (fail_on, code) in [("error", 1), ("warning", 1), ("note", 1), ("never", 0)] {
        let out = fullscan()
            .args([
                "check",
                &corpus("outage"),
                "--format",
                "json",
                "--fail-on",
                fail_on,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "--fail-on {fail_on}");
    }
    let out = fullscan()
        .args([
            "check",
            &corpus("blog"),
            "--format",
            "json",
            "--fail-on",
            "error",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let has_error = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["severity"] == "error");
    assert_eq!(out.status.code(), Some(if has_error { 1 } else { 0 }));
}

#[test]
fn json_findings_carry_stable_fingerprints() {
    let out = fullscan()
        .args(["check", &corpus("outage"), "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let mut seen = std::collections::HashSet::new();
    for f in findings {
        let fp = f["fingerprint"].as_str().unwrap();
        assert_eq!(fp.len(), 32, "{fp}");
        assert!(seen.insert(fp.to_owned()), "duplicate fingerprint {fp}");
    }
}

/// A copy of a corpus app in a temporary directory, to change.
fn copy_of(app: &str) -> tempfile::TempDir {
    let src = std::path::Path::new(&corpus(app)).to_path_buf();
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

/// Writes `text` to `root/rel`, making its directories.
fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn json_of(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = fullscan().args(args).output().unwrap();
    let value = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), value)
}

#[test]
fn config_file_disables_rules_overrides_severity_and_rejects_unknown_keys() {
    let app = copy_of("outage");
    let root = app.path().to_str().unwrap();
    std::fs::write(
        app.path().join(".fullscan.toml"),
        "large-tables = [\"tasks\"]\n[rules]\ndisable = [\"unused-association\"]\nseverity = { unindexed-polymorphic = \"note\" }\n",
    )
    .unwrap();
    let (_, json) = json_of(&["check", root, "--format", "json"]);
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["rule"] != "unused-association"));
    for f in findings {
        if f["rule"] == "unindexed-polymorphic" {
            assert_eq!(f["severity"], "note", "{f}");
        }
        if f["table"] == "tasks" && f["rule"] == "unindexed-scope" {
            assert_eq!(f["severity"], "error", "{f}");
        }
    }
    std::fs::write(
        app.path().join(".fullscan.toml"),
        "[rules]\nignore = [\"x\"]\n",
    )
    .unwrap();
    let out = fullscan().args(["check", root]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".fullscan.toml") && err.contains("ignore"),
        "{err}"
    );
}

#[test]
fn inline_suppressions_are_kept_in_sarif_and_not_counted() {
    let app = copy_of("outage");
    let root = app.path().to_str().unwrap();
    let account = app.path().join("app/models/account.rb");
    let text = std::fs::read_to_string(&account).unwrap();
    let text = text.replace(
        "  has_many :events, dependent: :destroy",
        "  # fullscan:disable dependent-full-scan, unindexed-foreign-key, unused-association -- purged nightly\n  has_many :events, dependent: :destroy",
    );
    std::fs::write(&account, text).unwrap();
    let (_, json) = json_of(&["check", root, "--format", "json"]);
    let events: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["association"] == "events")
        .collect();
    assert_eq!(events.len(), 3, "{events:?}");
    for f in &events {
        assert_eq!(f["suppression"]["justification"], "purged nightly");
    }
    let (_, sarif) = json_of(&["check", root, "--format", "sarif"]);
    let suppressed = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "inSource")
        .count();
    assert_eq!(suppressed, 3);
    let out = fullscan()
        .args(["check", root, "--format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(":events"), "{text}");
    assert!(text.contains(", 3 suppressed"), "{text}");
}

#[test]
fn paths_and_changed_since_limit_what_is_reported() {
    let app = copy_of("outage");
    let root = app.path().to_str().unwrap();
    let user = app.path().join("app/models/user.rb");
    let (_, json) = json_of(&["check", root, user.to_str().unwrap(), "--format", "json"]);
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    assert!(
        paths.iter().all(|p| *p == "app/models/user.rb"),
        "{paths:?}"
    );
    // A path relative to the root works too; one outside the project is an error.
    let (_, json) = json_of(&["check", root, "app/models", "--format", "json"]);
    assert!(json["findings"].as_array().unwrap().len() > paths.len());
    let out = fullscan()
        .args(["check", root, "/etc/hostname"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(app.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "init"]);
    let (_, json) = json_of(&["check", root, "--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
    std::fs::write(&user, std::fs::read_to_string(&user).unwrap() + "\n").unwrap();
    let (_, json) = json_of(&["check", root, "--changed-since", "HEAD", "--format", "json"]);
    let changed: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(!changed.is_empty());
    assert!(
        changed.iter().all(|p| *p == "app/models/user.rb"),
        "{changed:?}"
    );
    let out = fullscan()
        .args(["check", root, "--changed-since", "no-such-rev"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn baseline_keeps_old_findings_quiet_reports_new_ones_and_fixed_entries() {
    let app = copy_of("outage");
    let root = app.path().to_str().unwrap();
    let out = fullscan().args(["baseline", root]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let file = app.path().join(".fullscan-baseline.json");
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let recorded = baseline["findings"].as_array().unwrap().len();
    assert!(recorded > 0);

    // Everything known is in the baseline: nothing to report, exit 0.
    let (code, json) = json_of(&["check", root, "--format", "json"]);
    assert_eq!(code, Some(0));
    assert_eq!(json["summary"]["baseline"]["matched"], recorded);
    let (_, sarif) = json_of(&["check", root, "--format", "sarif"]);
    assert!(sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["suppressions"][0]["kind"] == "external"));

    // A new unindexed association is reported; the fixed index leaves entries gone.
    let schema = app.path().join("db/schema.rb");
    let text = std::fs::read_to_string(&schema).unwrap().replace(
        "    t.index [\"kind\", \"account_id\"], name: \"index_events_on_kind_and_account_id\"\n",
        "    t.index [\"kind\", \"account_id\"], name: \"index_events_on_kind_and_account_id\"\n    t.index [\"account_id\"], name: \"index_events_on_account_id\"\n",
    );
    assert!(text.contains("index_events_on_account_id\""));
    std::fs::write(&schema, text).unwrap();
    let project = app.path().join("app/models/project.rb");
    let text = std::fs::read_to_string(&project).unwrap().replacen(
        "\n",
        "\n  has_many :audit_entries, class_name: \"Event\", foreign_key: :kind\n",
        1,
    );
    std::fs::write(&project, text).unwrap();
    let (code, json) = json_of(&["check", root, "--format", "json"]);
    assert_eq!(code, Some(1));
    let new: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppression"].is_null())
        .collect();
    assert!(!new.is_empty());
    assert!(
        new.iter().all(|f| f["association"] == "audit_entries"),
        "{new:?}"
    );
    let gone = json["summary"]["baseline"]["gone"].as_array().unwrap();
    assert!(gone.iter().any(|e| e["subject"] == "events"), "{gone:?}");
    // --no-baseline reports everything.
    let (_, json) = json_of(&["check", root, "--format", "json", "--no-baseline"]);
    assert!(json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["suppression"].is_null()));
    // A broken baseline is an error.
    std::fs::write(&file, "{").unwrap();
    let out = fullscan().args(["check", root]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_schema_file_as_a_path_reports_the_findings_on_its_tables() {
    let (_, json) = json_of(&[
        "check",
        &corpus("outage"),
        &format!("{}/db/schema.rb", corpus("outage")),
        "--format",
        "json",
    ]);
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["schema"]["path"], "db/schema.rb", "{f}");
    }
}

#[test]
fn fix_prints_the_migration_and_writes_it_only_when_asked() {
    let app = copy_of("outage");
    let root = app.path().to_str().unwrap();
    let migrate = app.path().join("db/migrate");
    let before = std::fs::read_dir(&migrate).unwrap().count();
    let out = fullscan().args(["fix", root]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("class AddMissingIndexesFromFullscan < ActiveRecord::Migration[6.1]"),
        "{text}"
    );
    assert!(
        text.contains("add_index :events, :account_id, name: \"index_events_on_account_id\""),
        "{text}"
    );
    assert_eq!(
        std::fs::read_dir(&migrate).unwrap().count(),
        before,
        "printing writes nothing"
    );

    let out = fullscan()
        .args(["fix", root, "--write-migration"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written: Vec<String> = std::fs::read_dir(&migrate)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("_add_missing_indexes_from_fullscan.rb"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&written[0]));
    // A second one would clash with the first: Rails refuses two of one name.
    let out = fullscan()
        .args(["fix", root, "--write-migration"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds"));
}

#[test]
fn config_names_schema_files_and_model_directories() {
    let original = fullscan()
        .args([
            "check",
            &corpus("blog"),
            "--format",
            "json",
            "--no-baseline",
        ])
        .output()
        .unwrap();
    let original: serde_json::Value = serde_json::from_slice(&original.stdout).unwrap();
    let app = copy_of("blog");
    let root = app.path().to_str().unwrap();
    std::fs::create_dir_all(app.path().join("db/dump")).unwrap();
    std::fs::rename(
        app.path().join("db/schema.rb"),
        app.path().join("db/dump/schema.rb"),
    )
    .unwrap();
    std::fs::create_dir_all(app.path().join("domain/models")).unwrap();
    std::fs::rename(
        app.path().join("app/models/tag.rb"),
        app.path().join("domain/models/tag.rb"),
    )
    .unwrap();
    let (_, moved) = json_of(&["check", root, "--format", "json"]);
    assert_ne!(
        moved["findings"], original["findings"],
        "the move must matter"
    );
    std::fs::write(
        app.path().join(".fullscan.toml"),
        "model-paths = [\"domain/models\"]\nschema = { primary = \"db/dump/schema.rb\" }\n",
    )
    .unwrap();
    let (_, configured) = json_of(&["check", root, "--format", "json"]);
    let rules = |v: &serde_json::Value| -> Vec<(String, String)> {
        let mut r: Vec<(String, String)> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].to_string(),
                    f["message"]
                        .to_string()
                        .replace("domain/models", "app/models"),
                )
            })
            .collect();
        r.sort();
        r
    };
    assert_eq!(rules(&configured), rules(&original));
}

#[test]
fn schema_command_prints_tables_columns_and_indexes_with_lines() {
    let (code, json) = json_of(&["schema", &corpus("outage"), "--format", "json"]);
    assert_eq!(code, Some(0));
    let db = &json["databases"][0];
    assert_eq!(db["path"], "db/schema.rb");
    let events = &db["tables"]["events"];
    assert_eq!(events["line"], 50);
    assert!(events["columns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "account_id" && c["null"] == false));
    let index = events["indexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "index_events_on_kind_and_account_id")
        .unwrap();
    assert_eq!(index["line"], 57);
    let out = fullscan()
        .args(["schema", &corpus("outage")])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("index index_events_on_kind_and_account_id (kind, account_id)  line 57"),
        "{text}"
    );
    assert!(
        text.contains("index index_events_on_created_at (created_at) using brin"),
        "{text}"
    );
}

#[test]
fn schema_from_migrations_when_asked_or_when_no_schema_file_exists() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/migrations_basic");
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let root = dir.path().to_str().unwrap();
    // No schema file: the migrations are replayed.
    let (code, json) = json_of(&["schema", root, "--format", "json"]);
    assert_eq!(code, Some(0));
    assert_eq!(json["databases"][0]["path"], "db/migrate");
    assert!(json["databases"][0]["tables"]["tags"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "color"));
    // A schema file wins, unless --schema-from-migrations.
    std::fs::write(
        dir.path().join("db/schema.rb"),
        "ActiveRecord::Schema.define(version: 1) do\n  create_table \"only_this\", force: :cascade do |t|\n  end\nend\n",
    )
    .unwrap();
    let (_, json) = json_of(&["schema", root, "--format", "json"]);
    let tables = json["databases"][0]["tables"].as_object().unwrap();
    assert_eq!(tables.keys().collect::<Vec<_>>(), ["only_this"]);
    let (_, json) = json_of(&[
        "schema",
        root,
        "--format",
        "json",
        "--schema-from-migrations",
    ]);
    assert!(json["databases"][0]["tables"]["tags"].is_object());
}

#[test]
fn a_replayed_mysql_schema_has_the_index_innodb_adds_for_a_foreign_key() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(dir.path(), rel, text);
    write(
        "db/migrate/20140101000000_create_posts.rb",
        "class CreatePosts < ActiveRecord::Migration[4.2]\n  def change\n    create_table :users\n    create_table :posts do |t|\n      t.references :user\n      t.references :editor\n    end\n    add_foreign_key :posts, :users\n  end\nend\n",
    );
    write(
        "app/models/user.rb",
        "class User < ActiveRecord::Base\n  has_many :posts\n  has_many :edited_posts, class_name: \"Post\", foreign_key: :editor_id\nend\n",
    );
    write(
        "app/models/post.rb",
        "class Post < ActiveRecord::Base\nend\n",
    );
    let root = dir.path().to_str().unwrap();
    let scanned = |adapter: &str| -> Vec<String> {
        write(
            "config/database.yml",
            &format!("development:\n  adapter: {adapter}\n"),
        );
        let (_, json) = json_of(&["check", root, "--format", "json"]);
        let mut keys: Vec<String> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "unindexed-foreign-key")
            .map(|f| {
                f["message"]
                    .as_str()
                    .unwrap()
                    .split('`')
                    .nth(1)
                    .unwrap()
                    .to_owned()
            })
            .collect();
        keys.sort();
        keys
    };
    // Migration[4.2] references are not indexed; only the foreign key's column gets
    // one, and only from InnoDB.
    assert_eq!(
        scanned("postgresql"),
        ["has_many :edited_posts", "has_many :posts"]
    );
    assert_eq!(scanned("mysql2"), ["has_many :edited_posts"]);
}

#[test]
fn output_to_a_pipe_or_through_a_symlink_is_written_in_place() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    // A symbolic link stays a link; the file it names gets the report.
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let status = fullscan()
        .args(["check", &corpus("outage"), "--format", "json", "--output"])
        .arg(&link)
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(1));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert!(json["findings"].as_array().is_some_and(|f| !f.is_empty()));
    // A FIFO (as /dev/null or /dev/stdout would be) is written to, not replaced.
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (send, received) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            send.send(text).unwrap();
        });
    }
    let status = fullscan()
        .args(["check", &corpus("outage"), "--format", "json", "--output"])
        .arg(&fifo)
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(1));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    let text = received
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the report reaches the pipe");
    assert!(text.contains("\"findings\""), "{text}");
}

#[test]
fn serializer_declarations_are_not_associations_nor_unanalyzed() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(dir.path(), rel, text);
    write(
        "db/schema.rb",
        "ActiveRecord::Schema.define(version: 1) do\n  create_table \"posts\" do |t|\n  end\nend\n",
    );
    write(
        "app/models/post.rb",
        "class Post < ActiveRecord::Base\nend\n",
    );
    write(
        "app/serializers/application_serializer.rb",
        "class ApplicationSerializer < ActiveModel::Serializer\nend\n",
    );
    write(
        "app/serializers/post_serializer.rb",
        "class PostSerializer < ApplicationSerializer\n  has_many :comments\n  belongs_to :author\nend\n",
    );
    // A base from a gem fullscan does not know may be ActiveRecord: reported.
    write(
        "app/models/legacy_post.rb",
        "class LegacyPost < SomeGem::Record\n  has_many :comments\nend\n",
    );
    let root = dir.path().to_str().unwrap();
    let (_, json) = json_of(&["associations", root, "--format", "json"]);
    let unanalyzed: Vec<String> = json["unanalyzed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(unanalyzed, ["app/models/legacy_post.rb"], "{json}");
    assert!(json["associations"].as_array().unwrap().is_empty());
}

#[test]
fn the_facts_cache_changes_nothing_but_the_time() {
    let app = copy_of("outage");
    let root = app.path().to_str().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let out = fullscan()
            .env("FULLSCAN_CACHE_DIR", cache.path())
            .args(["check", root, "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let uncached = run(&["--no-cache"]);
    assert!(
        std::fs::read_dir(cache.path()).unwrap().next().is_none(),
        "--no-cache writes no cache"
    );
    let first = run(&[]);
    let cached = run(&[]);
    assert_eq!(first, uncached);
    assert_eq!(cached, uncached);
    let mut files: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        2,
        "one facts cache and one support index per project"
    );
    assert!(files[0].ends_with(".json") && files[1].ends_with(".support"));
    // A changed model is parsed again: its new association is seen.
    let model = app.path().join("app/models/account.rb");
    let text = std::fs::read_to_string(&model).unwrap();
    std::fs::write(
        &model,
        text.replacen("has_many", "has_many :audits\n  has_many", 1),
    )
    .unwrap();
    let changed = run(&[]);
    assert_eq!(changed, run(&["--no-cache"]));
    assert_ne!(changed, uncached);
    // A corrupt cache is ignored.
    let file = std::fs::read_dir(cache.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&file, "{not json").unwrap();
    assert_eq!(run(&[]), changed);
}

#[test]
fn the_word_index_changes_nothing_but_the_time() {
    let app = copy_of("outage");
    let root = app.path();
    // Files older than the index's two seconds of doubt, as a checkout's would be.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let f = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            f.set_modified(old).unwrap();
        }
    }
    let cache = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let out = fullscan()
            .env("FULLSCAN_CACHE_DIR", cache.path())
            .args(["check", root.to_str().unwrap(), "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // A whole run writes the index; runs on one model file then use it.
    run(&[]);
    let mut models: Vec<String> = std::fs::read_dir(root.join("app/models"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".rb"))
        .collect();
    models.sort();
    assert!(models.len() > 3);
    let unused = |json: &str| json.matches("\"unused-association\"").count();
    let mut compared_unused = 0;
    for model in &models {
        let indexed = run(&[model]);
        assert_eq!(indexed, run(&[model, "--no-cache"]), "{model}");
        compared_unused += unused(&indexed);
    }
    assert!(
        compared_unused > 0,
        "the runs compared report unused associations"
    );
    // A new use in a file the index knows is seen: its stamp changed.
    let all_models = root.join("app/models").display().to_string();
    let before = run(&[&all_models]);
    let view = root.join("app/views/uses.html.erb");
    std::fs::create_dir_all(view.parent().unwrap()).unwrap();
    let names: Vec<String> = serde_json::from_str::<serde_json::Value>(&run(&["--no-cache"]))
        .unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unused-association")
        .filter_map(|f| f["association"].as_str().map(str::to_owned))
        .collect();
    assert!(!names.is_empty());
    let uses: String = names
        .iter()
        .map(|n| format!("<%= record.{n} %>\n"))
        .collect();
    std::fs::write(&view, uses).unwrap();
    for model in &models {
        assert_eq!(run(&[model]), run(&[model, "--no-cache"]), "{model}");
    }
    let after = run(&[&all_models]);
    assert_eq!(after, run(&[&all_models, "--no-cache"]));
    assert_eq!(unused(&after), 0, "the new uses are found");
    assert!(unused(&before) > 0);
}

#[test]
fn reporting_on_some_files_finds_exactly_what_the_whole_run_finds_there() {
    // outage with an inline suppression that is used and one that is not (an
    // unused-suppression finding), so that both are compared too.
    let suppressed = copy_of("outage");
    let account = suppressed.path().join("app/models/account.rb");
    let text = std::fs::read_to_string(&account).unwrap().replace(
        "  has_many :events, dependent: :destroy",
        "  # fullscan:disable unused-association -- kept for exports\n  has_many :events, dependent: :destroy # fullscan:disable broken-association",
    );
    std::fs::write(&account, text).unwrap();
    let suppressed_root = suppressed.path().to_str().unwrap().to_owned();
    for app in ["outage", "concerns", "outage with suppressions"] {
        let root = if app == "outage with suppressions" {
            suppressed_root.clone()
        } else {
            corpus(app)
        };
        let findings_of = |extra: &[&str]| -> Vec<serde_json::Value> {
            let mut args = vec!["check", root.as_str(), "--format", "json", "--no-cache"];
            args.extend(extra);
            let (_, json) = json_of(&args);
            json["findings"].as_array().unwrap().clone()
        };
        let all = findings_of(&[]);
        let unused = all
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("unused"))
            .count();
        assert!(
            unused > 0,
            "{app}: the unused rules have findings to compare"
        );
        if app == "outage with suppressions" {
            assert!(all.iter().any(|f| f["rule"] == "unused-suppression"));
            assert!(all.iter().any(|f| !f["suppression"].is_null()));
        }
        let mut files: Vec<String> = all
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_owned())
            .collect();
        files.sort();
        files.dedup();
        files.push("app/models".into());
        for file in &files {
            let expected: Vec<&serde_json::Value> = all
                .iter()
                .filter(|f| Path::new(f["path"].as_str().unwrap()).starts_with(file))
                .collect();
            let got = findings_of(&[file.as_str()]);
            assert_eq!(got.iter().collect::<Vec<_>>(), expected, "{app}: {file}");
        }
    }
}

/// The files the search parses are those a one-at-a-time reading in file order
/// would: a file is parsed only if a name it leaves to the parser is still open
/// when its turn comes, whatever the thread count, and the first use reported is
/// the first file's.
#[test]
fn the_search_parses_a_file_only_while_a_name_it_defers_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "db/schema.rb",
        "ActiveRecord::Schema.define(version: 1) do\n  create_table \"posts\" do |t|\n  end\n  \
         create_table \"comments\" do |t|\n    t.integer \"post_id\"\n    t.index [\"post_id\"]\n  end\n  \
         create_table \"tags\" do |t|\n    t.integer \"post_id\"\n    t.index [\"post_id\"]\n  end\nend\n",
    );
    write(
        "app/models/post.rb",
        "class Post < ActiveRecord::Base\n  has_many :comments\n  has_many :tags\nend\n",
    );
    write(
        "app/models/comment.rb",
        "class Comment < ActiveRecord::Base\n  belongs_to :post\nend\n",
    );
    write(
        "app/models/tag.rb",
        "class Tag < ActiveRecord::Base\n  belongs_to :post\nend\n",
    );
    // Each name only inside an interpolation after another one, which the lexer
    // leaves to the parser.
    write("app/views/a.rb", "x = \"#{a} #{post.comments.size}\"\n");
    write("app/views/b.rb", "y = \"#{b} #{post.comments.first}\"\n");
    write("app/views/c.rb", "z = \"#{c} #{post.tags.size}\"\n");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = fullscan()
            .args([
                "--threads",
                threads,
                "check",
                "--no-cache",
                "--format",
                "json",
            ])
            .arg(root)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let refs = &v["summary"]["references"];
        // a.rb settles `comments`, so b.rb is not parsed; c.rb is, for `tags`.
        assert_eq!(refs["files_parsed"], 2, "{threads} threads: {refs}");
        let unused: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "unused-association")
            .filter_map(|f| f["message"].as_str())
            .collect();
        assert!(
            !unused
                .iter()
                .any(|m| m.contains(":comments") || m.contains(":tags")),
            "{unused:?}"
        );
        outputs.push(out.stdout);
    }
    assert_eq!(outputs[0], outputs[1]);
}
