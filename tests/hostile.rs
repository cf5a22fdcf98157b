//! Whatever a repository holds, fullscan finishes: broken, strange or huge files
//! are named in a warning (with the line where there is one), the rest of the
//! project is still analyzed, and nothing panics, hangs or follows a link out of
//! the project.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

fn fullscan() -> Command {
    let mut cmd = Command::cargo_bin("fullscan").unwrap();
    cmd.env(
        "FULLSCAN_CACHE_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-cache"),
    );
    // A hang is a failure, not a stuck CI job.
    cmd.timeout(Duration::from_secs(120));
    cmd
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

const SCHEMA: &str = r#"ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do
  create_table "accounts", force: :cascade do |t|
    t.string "name"
  end

  create_table "events", force: :cascade do |t|
    t.bigint "account_id", null: false
    t.string "kind"
  end
end
"#;

/// A small app with one certain mistake: `events.account_id` has no index, and
/// every account's events are read and destroyed by it.
fn app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "app/models/application_record.rb",
        "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n",
    );
    write(
        root,
        "app/models/account.rb",
        "class Account < ApplicationRecord\n  has_many :events, dependent: :destroy\nend\n",
    );
    write(
        root,
        "app/models/event.rb",
        "class Event < ApplicationRecord\n  belongs_to :account\nend\n",
    );
    write(
        root,
        "app/controllers/accounts_controller.rb",
        "class AccountsController < ApplicationController\n  def show\n    @events = Account.find(params[:id]).events\n    @owner = Event.first.account\n  end\nend\n",
    );
    write(
        root,
        "config/application.rb",
        "module Demo\n  class Application < Rails::Application\n  end\nend\n",
    );
    write(root, "db/schema.rb", SCHEMA);
    dir
}

struct Run {
    code: Option<i32>,
    json: Value,
    stderr: String,
}

fn check(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", root.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = fullscan().args(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("internal error") && !stderr.contains("panicked"),
        "{stderr}"
    );
    Run {
        code: out.status.code(),
        json: serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        stderr,
    }
}

/// (rule, path, line) of every finding.
fn findings(run: &Run) -> Vec<(String, String, u64)> {
    run.json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {:?} / {}", run.json, run.stderr))
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// (path, line, message) of every warning of the JSON summary.
fn warnings(run: &Run) -> Vec<(String, Option<u64>, String)> {
    run.json["summary"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["path"].as_str().unwrap_or_default().to_owned(),
                w["line"].as_u64(),
                w["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The app's findings: `account.events` is read by `account_id` (the
/// association's queries) and deleted by it (`dependent: :destroy`).
fn its_findings() -> Vec<(String, String, u64)> {
    ["dependent-full-scan", "unindexed-foreign-key"]
        .map(|rule| (rule.to_owned(), "app/models/account.rb".to_owned(), 2))
        .to_vec()
}

/// The app's findings are still reported: the rest was analyzed.
fn assert_still_analyzed(run: &Run) {
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found = findings(run);
    assert!(
        its_findings().iter().all(|f| found.contains(f)),
        "{found:?}\n{}",
        run.stderr
    );
}

#[test]
fn the_plain_app_has_exactly_its_findings_and_no_warning() {
    let dir = app();
    let run = check(dir.path(), &[]);
    assert_eq!(findings(&run), its_findings(), "{}", run.stderr);
    assert_eq!(warnings(&run), [], "{}", run.stderr);
    assert_eq!(run.code, Some(1));
}

#[test]
fn ruby_that_does_not_parse_is_named_with_its_line_and_the_rest_is_analyzed() {
    let dir = app();
    write(
        dir.path(),
        "app/models/broken.rb",
        "class Broken < ApplicationRecord\n  has_many :events\n\n  def oops(\n    [1, 2\n  end\nend\n",
    );
    // Half of a file, as an editor's crash or an interrupted checkout leaves it.
    write(
        dir.path(),
        "app/controllers/half_controller.rb",
        "class HalfController < ApplicationController\n  def show\n    @x = \"unterminated\n",
    );
    let run = check(dir.path(), &[]);
    assert_still_analyzed(&run);
    let w = warnings(&run);
    let broken = w
        .iter()
        .find(|(p, ..)| p == "app/models/broken.rb")
        .unwrap_or_else(|| panic!("{w:?}"));
    assert!(broken.2.contains("syntax error"), "{broken:?}");
    // Where the parser stopped understanding (the unclosed parameter list), not
    // the class whose end it could not find.
    assert_eq!(broken.1, Some(4), "{broken:?}");
    // The human report says the same on standard error, with file and line.
    assert!(
        run.stderr.contains("app/models/broken.rb:"),
        "{}",
        run.stderr
    );
}

/// At a terminal the same warning shows the line (the tests' standard error is
/// not one: this is the rendering itself).
#[test]
fn a_warning_about_a_line_is_rendered_with_it() {
    let dir = app();
    write(
        dir.path(),
        "app/models/broken.rb",
        "class Broken < ApplicationRecord\r\n  has_many :events\r\n\r\n  def oops(\r\n    [1, 2\r\n  end\r\nend\r\n",
    );
    let analysis = fullscan::analyze::analyze(dir.path()).unwrap();
    let warning = analysis
        .warnings
        .iter()
        .find(|w| w.line.is_some())
        .expect("a warning with a line");
    let text = fullscan::report::warning_pretty(&analysis, warning, false).unwrap();
    assert!(text.contains("app/models/broken.rb:4:1"), "{text}");
    assert!(text.contains("  def oops("), "{text}");
    assert!(
        text.contains("the Ruby parser could not read this"),
        "{text}"
    );
    assert!(!text.contains('\r'), "{text:?}");
    // A warning about a whole file is a line of text.
    let whole = fullscan::analyze::Warning {
        path: Some("app/models/broken.rb".into()),
        line: None,
        message: "x".into(),
    };
    assert!(fullscan::report::warning_pretty(&analysis, &whole, false).is_none());
}

#[test]
fn end_sections_and_heredocs_declare_nothing() {
    let dir = app();
    write(
        dir.path(),
        "app/models/note.rb",
        "class Note < ApplicationRecord\n  HELP = <<~TEXT\n    has_many :ghosts\n  TEXT\n  belongs_to :account\nend\n__END__\nhas_many :phantoms\nclass Other < ApplicationRecord; end\n",
    );
    write(
        dir.path(),
        "db/schema.rb",
        SCHEMA.replace(
            "end\n\nend\n",
            "end\n\n  create_table \"notes\" do |t|\n    t.bigint \"account_id\"\n    t.index [\"account_id\"]\n  end\nend\n",
        ),
    );
    let out = fullscan()
        .args([
            "associations",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inventory: Value = serde_json::from_slice(&out.stdout).unwrap();
    let of_note: Vec<&str> = inventory["associations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["model"] == "Note")
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(of_note, ["account"]);
    let models: Vec<&str> = inventory["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(!models.contains(&"Other"), "{models:?}");
}

#[test]
fn non_utf8_nul_bom_and_crlf_bytes_keep_lines_and_columns() {
    let dir = app();
    let mut account = b"\xef\xbb\xbfclass Account < ApplicationRecord\r\n".to_vec();
    account.extend_from_slice(b"  # caf\xe9 \x00 \xff\xfe\r\n");
    account.extend_from_slice(b"  has_many :events, dependent: :destroy\r\nend\r\n");
    write(dir.path(), "app/models/account.rb", &account);
    let mut controller =
        b"class AccountsController < ApplicationController\n  # \xc3\x28 \x00\n".to_vec();
    controller.extend_from_slice(
        b"  def show\n    @events = Account.find(params[:id]).events\n    @owner = Event.first.account\n  end\nend\n",
    );
    write(
        dir.path(),
        "app/controllers/accounts_controller.rb",
        &controller,
    );
    let run = check(dir.path(), &[]);
    // Line 3, column 3: the BOM is no column, the CR is no line.
    let at: Vec<_> = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64(), f["column"].as_u64()))
        .collect();
    assert_eq!(at, [(Some(3), Some(3)); 2], "{}", run.stderr);
    // Nothing after the NUL byte was lost, and the uses in the controller were
    // still found: nothing is unused.
    let expected: Vec<_> = its_findings()
        .into_iter()
        .map(|(rule, path, _)| (rule, path, 3))
        .collect();
    assert_eq!(findings(&run), expected);
    assert_eq!(warnings(&run), []);
}

#[test]
fn files_too_large_to_read_are_named_and_skipped() {
    let dir = app();
    // 50 MB of generated Ruby, as a model and as a file that might use one.
    let line = "  CONSTANT_VALUE_WITH_A_LONG_NAME = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] # padding\n";
    let mut big = String::from("class Generated < ApplicationRecord\n  has_many :events\n");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(line);
    }
    big.push_str("end\n");
    write(dir.path(), "app/models/generated.rb", &big);
    write(
        dir.path(),
        "app/services/generated_data.rb",
        big.replace(
            "class Generated < ApplicationRecord",
            "module GeneratedData",
        ),
    );
    let run = check(dir.path(), &[]);
    assert_still_analyzed(&run);
    let w = warnings(&run);
    for path in ["app/models/generated.rb", "app/services/generated_data.rb"] {
        assert!(
            w.iter()
                .any(|(p, line, m)| p == path && line.is_none() && m.contains("larger than")),
            "{path}: {w:?}"
        );
    }
    assert!(!run.stderr.is_empty());
}

#[test]
fn ten_thousand_levels_of_nesting_overflow_nothing() {
    let dir = app();
    let depth = 10_000;
    let mut model = String::from("class Deep < ApplicationRecord\n  belongs_to :account\n  X = ");
    model.push_str(&"[".repeat(depth));
    model.push_str(&"]".repeat(depth));
    model.push_str("\n  def deep\n");
    for _ in 0..depth {
        model.push_str("if a\n");
    }
    model.push_str("account\n");
    for _ in 0..depth {
        model.push_str("end\n");
    }
    model.push_str("  end\nend\n");
    write(dir.path(), "app/models/deep.rb", &model);
    let mut controller = String::from("class DeepController < ApplicationController\n  def show\n");
    controller.push_str(&"foo { ".repeat(depth));
    controller.push_str("Deep.first.account.events");
    controller.push_str(&" }".repeat(depth));
    controller.push_str("\n    x = ");
    controller.push_str(&"(".repeat(depth));
    controller.push('1');
    controller.push_str(&")".repeat(depth));
    controller.push_str("\n  end\nend\n");
    write(
        dir.path(),
        "app/controllers/deep_controller.rb",
        &controller,
    );
    let mut schema = SCHEMA.to_owned();
    schema.push_str("# ");
    schema.push_str(&"(".repeat(depth));
    schema.push('\n');
    write(dir.path(), "db/schema.rb", schema);
    let run = check(dir.path(), &[]);
    assert_still_analyzed(&run);
}

#[test]
fn a_schema_of_100000_lines() {
    let dir = app();
    let mut schema = SCHEMA.trim_end().strip_suffix("end").unwrap().to_owned();
    let tables = 10_000;
    for i in 0..tables {
        schema.push_str(&format!(
            "\n  create_table \"audit_{i}\", force: :cascade do |t|\n    t.bigint \"account_id\"\n    t.string \"kind\"\n    t.datetime \"created_at\", null: false\n    t.datetime \"updated_at\", null: false\n    t.string \"note\"\n    t.integer \"size\"\n    t.index [\"account_id\", \"kind\"], name: \"index_audit_{i}_on_account_id_and_kind\"\n    t.index [\"created_at\"], name: \"index_audit_{i}_on_created_at\"\n  end\n"
        ));
    }
    schema.push_str("end\n");
    assert!(schema.lines().count() >= 100_000);
    write(dir.path(), "db/schema.rb", &schema);
    let run = check(dir.path(), &[]);
    assert_eq!(findings(&run), its_findings(), "{}", run.stderr);
    let out = fullscan()
        .args(["schema", dir.path().to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let db_tables = &schema["databases"][0]["tables"];
    let count = db_tables
        .as_object()
        .map(|o| o.len())
        .or_else(|| db_tables.as_array().map(|a| a.len()))
        .unwrap();
    assert_eq!(count, tables + 2);
}

#[test]
fn empty_files_are_nothing_to_report() {
    let dir = app();
    write(dir.path(), "app/models/empty.rb", "");
    write(dir.path(), "app/models/blank.rb", "\n\n   \n");
    write(dir.path(), "app/controllers/empty_controller.rb", "");
    write(dir.path(), "app/views/accounts/empty.html.erb", "");
    let run = check(dir.path(), &[]);
    assert_eq!(findings(&run), its_findings(), "{}", run.stderr);
    assert_eq!(warnings(&run), []);
}

#[test]
fn an_empty_schema_file_is_an_error_naming_it() {
    let dir = app();
    write(dir.path(), "db/schema.rb", "");
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("db/schema.rb"), "{}", run.stderr);
}

#[test]
fn a_schema_cut_short_is_a_warning_with_its_line() {
    let dir = app();
    write(
        dir.path(),
        "db/schema.rb",
        SCHEMA.replace(
            "    t.string \"kind\"\n  end\nend\n",
            "    t.string \"kind\"\n",
        ),
    );
    let run = check(dir.path(), &[]);
    // The tables that parse are still used; the one that does not is named.
    assert_still_analyzed(&run);
    assert!(
        run.stderr.contains(
            "warning: db/schema.rb:6: the definition of table `events` does not fully parse"
        ),
        "{}",
        run.stderr
    );
    assert!(warnings(&run)
        .iter()
        .any(|(p, line, _)| p == "db/schema.rb" && *line == Some(6)));
}

#[test]
fn a_missing_schema_is_a_warning_and_models_are_still_read() {
    let dir = app();
    std::fs::remove_file(dir.path().join("db/schema.rb")).unwrap();
    let run = check(dir.path(), &[]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    assert!(run.stderr.contains("no db/schema.rb"), "{}", run.stderr);
    assert_eq!(run.json["summary"]["models"], 3, "with ApplicationRecord");
    assert_eq!(run.json["summary"]["associations"], 2);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(unix)]
#[test]
fn pipes_dangling_links_and_link_loops_neither_hang_nor_stop_the_run() {
    use std::os::unix::fs::symlink;
    let dir = app();
    let root = dir.path();
    // Named pipes where Ruby files and the settings are expected: opening one to
    // read would wait for a writer forever.
    mkfifo(&root.join("app/models/pipe.rb"));
    mkfifo(&root.join("app/controllers/pipe_controller.rb"));
    mkfifo(&root.join("config/database.yml"));
    mkfifo(&root.join("Gemfile.lock"));
    // A file that is gone (the link is all that is left of it) and loops.
    symlink(
        root.join("app/models/vanished.rb"),
        root.join("app/models/gone.rb"),
    )
    .unwrap();
    symlink("..", root.join("app/models/loop")).unwrap();
    symlink("loop_b", root.join("app/controllers/loop_a")).unwrap();
    symlink("loop_a", root.join("app/controllers/loop_b")).unwrap();
    let run = check(root, &[]);
    assert_eq!(findings(&run), its_findings(), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_project_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = app();
    let outside = tempfile::tempdir().unwrap();
    // A model outside the project that would be a finding if it were read.
    write(
        outside.path(),
        "models/outsider.rb",
        "class Outsider < ApplicationRecord\n  has_many :events, dependent: :delete_all\nend\n",
    );
    write(
        outside.path(),
        "schema.rb",
        SCHEMA.replace("\"kind\"", "\"outside_kind\""),
    );
    symlink(
        outside.path().join("models"),
        dir.path().join("app/models/shared"),
    )
    .unwrap();
    symlink(
        outside.path().join("models/outsider.rb"),
        dir.path().join("app/models/outsider.rb"),
    )
    .unwrap();
    symlink(
        outside.path().join("models"),
        dir.path().join("app/controllers/elsewhere"),
    )
    .unwrap();
    let run = check(dir.path(), &[]);
    assert_eq!(findings(&run), its_findings(), "{}", run.stderr);
    assert_eq!(run.json["summary"]["models"], 3, "with ApplicationRecord");
    // Nor does a settings file lead out of the project.
    write(
        dir.path(),
        ".fullscan.toml",
        "[schema]\nprimary = \"../schema.rb\"\n",
    );
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("inside the project"), "{}", run.stderr);
}

#[test]
fn a_directory_that_is_not_a_rails_app_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# not an app\n");
    write(
        dir.path(),
        "lib/tool.rb",
        "module Tool\n  def self.run; end\nend\n",
    );
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("not a Rails application"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json, Value::Null, "nothing on standard output");
}

#[test]
fn an_empty_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git/objects")).unwrap();
    write(dir.path(), ".git/HEAD", "ref: refs/heads/main\n");
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("not a Rails application"),
        "{}",
        run.stderr
    );
}

#[test]
fn tables_no_model_uses_and_models_without_tables() {
    let dir = app();
    write(
        dir.path(),
        "db/schema.rb",
        SCHEMA.replace(
            "end\n\nend\n",
            "end\n\n  create_table \"legacy_imports\" do |t|\n    t.bigint \"account_id\"\n  end\nend\n",
        ),
    );
    // No `ghosts` table: Rails would fail on its first query, not fullscan.
    write(
        dir.path(),
        "app/models/ghost.rb",
        "class Ghost < ApplicationRecord\n  belongs_to :account\n  has_many :events, foreign_key: :account_id\nend\n",
    );
    let run = check(dir.path(), &[]);
    assert_still_analyzed(&run);
    let found = findings(&run);
    assert!(
        !found.iter().any(|(_, p, _)| p == "db/schema.rb"),
        "a table no model uses is no finding: {found:?}"
    );
    let out = fullscan()
        .args([
            "associations",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let inventory: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ghost = inventory["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Ghost")
        .expect("the model without a table is still listed");
    assert_eq!(ghost["table_name"], "ghosts");
    assert_eq!(ghost["table_exists"], false);
}

/// Every file under `root` with its bytes.
fn tree(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn the_project_is_never_written_nor_its_code_run() {
    let dir = app();
    let root = dir.path();
    let marker = root.join("ran");
    // Ruby that would leave a file behind if anything evaluated it.
    let touch = format!("File.write({:?}, \"x\")\n", marker.display().to_string());
    write(root, "config/initializers/touch.rb", &touch);
    write(
        root,
        "app/models/account.rb",
        format!("class Account < ApplicationRecord\n  has_many :events, dependent: :destroy\n  {touch}  class_eval \"{}\"\nend\n", touch.trim().replace('"', "\\\"")),
    );
    write(
        root,
        "app/views/accounts/show.html.erb",
        format!("<% {touch} %>"),
    );
    let before = tree(root);
    for args in [
        vec!["check", "--format", "json"],
        vec!["check", "--format", "sarif"],
        vec!["check"],
        vec!["associations"],
        vec!["schema"],
        vec!["fix"],
    ] {
        let mut cmd = fullscan();
        cmd.args(&args).arg(root);
        cmd.output().unwrap();
    }
    assert!(!marker.exists());
    assert_eq!(tree(root), before, "nothing in the project changed");
}

#[test]
fn the_same_input_gives_the_same_bytes_at_any_thread_count_and_every_run() {
    let dir = app();
    // Warnings too are part of the output.
    write(
        dir.path(),
        "app/models/broken.rb",
        "class Broken < ApplicationRecord\n  has_many :events\n  def oops(\nend\n",
    );
    for i in 0..12 {
        write(
            dir.path(),
            &format!("app/models/thing_{i}.rb"),
            format!("class Thing{i} < ApplicationRecord\n  belongs_to :account\n  has_many :events, through: :account\nend\n"),
        );
    }
    let root = dir.path().to_str().unwrap();
    for format in ["json", "sarif"] {
        let run = |threads: &str| {
            fullscan()
                .args(["--threads", threads, "check", root, "--format", format])
                .output()
                .unwrap()
        };
        let first = run("1");
        assert!(!first.stdout.is_empty());
        // The file that does not parse is in the report, whatever its format.
        let doc: Value = serde_json::from_slice(&first.stdout).unwrap();
        let named = if format == "json" {
            doc["summary"]["warnings"][0]["path"].clone()
        } else {
            doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]
                ["physicalLocation"]["artifactLocation"]["uri"]
                .clone()
        };
        assert_eq!(named, "app/models/broken.rb", "{format}");
        for threads in ["1", "2", "8", "2", "8"] {
            let again = run(threads);
            assert_eq!(first.stdout, again.stdout, "{format} at {threads} threads");
            assert_eq!(first.stderr, again.stderr, "{format} at {threads} threads");
        }
    }
}
