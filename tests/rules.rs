//! Pass/fail vectors for every rule. Each `tests/fixtures/<rule>/<case>/` directory is a
//! tiny Rails app (`Gemfile.lock`, `app/models`, `db/schema.rb` or `db/structure.sql`)
//! with an `expected.txt` that lists exactly the findings `<rule>` must report for it,
//! one per line:
//!
//! ```text
//! <rule> <severity> <path>:<line> <Model>#<association|scope|attribute>
//! ```
//!
//! An empty `expected.txt` means the rule must flag nothing: those cases are the false
//! positives a rule must not fall for. Other rules may fire in a fixture; only the
//! findings of the rule named by the directory are compared.
//!
//! The expectations are what Rails and the database really do, not what fullscan
//! happens to print: when the two disagree, fullscan is wrong.

use fullscan::analyze::{analyze_with, Analysis};
use fullscan::rules::{self, Finding};
use std::path::{Path, PathBuf};

const MIN_CASES: usize = 40;

struct Case {
    rule: String,
    name: String,
    dir: PathBuf,
}

impl Case {
    fn id(&self) -> String {
        format!("{}/{}", self.rule, self.name)
    }
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn sorted_subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .expect("a directory has a name")
        .to_string_lossy()
        .into_owned()
}

/// Every `tests/fixtures/<rule>/<case>/`, sorted by rule then case. Only directories
/// named after a rule hold rule cases (`tests/fixtures` also holds other tests' inputs).
fn discover() -> Vec<Case> {
    let ids = rule_ids();
    let mut cases = Vec::new();
    for rule_dir in sorted_subdirs(&fixtures_root()) {
        let rule = file_name(&rule_dir);
        if !ids.contains(&rule.as_str()) {
            continue;
        }
        for dir in sorted_subdirs(&rule_dir) {
            cases.push(Case {
                rule: rule.clone(),
                name: file_name(&dir),
                dir,
            });
        }
    }
    cases
}

fn rule_ids() -> Vec<&'static str> {
    rules::all().iter().map(|r| r.meta.id).collect()
}

/// `a/b.rb` on every platform.
fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn render(f: &Finding) -> String {
    let member = f
        .association
        .as_deref()
        .or(f.scope.as_deref())
        .or(f.attribute.as_deref())
        .unwrap_or("?");
    format!(
        "{} {} {}:{} {}#{}",
        f.rule,
        f.severity.as_str(),
        slash_path(&f.path),
        f.line,
        f.model,
        member
    )
}

/// The expected lines, sorted; blank lines are ignored.
fn expected_lines(case: &Case) -> Result<Vec<String>, String> {
    let path = case.dir.join("expected.txt");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    lines.sort();
    Ok(lines)
}

/// The lines of `a` not matched by a line of `b`, counting repeats (a finding
/// reported twice is one line too many).
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut rest = b.to_vec();
    let mut out = Vec::new();
    for line in a {
        match rest.iter().position(|r| r == line) {
            Some(i) => {
                rest.remove(i);
            }
            None => out.push(line.clone()),
        }
    }
    out
}

/// Runs the pipeline and every rule; problems with the fixture itself (a schema that
/// could not be read, Ruby that does not parse) are errors, so that a case that must
/// flag nothing cannot pass only because nothing was read.
fn run_case(case: &Case) -> Result<(Analysis, Vec<Finding>), String> {
    // A case may carry its own `.fullscan.toml`.
    let config = fullscan::config::Config::load(&case.dir, None).map_err(|e| e.to_string())?;
    let analysis = analyze_with(&case.dir, &config).map_err(|e| format!("analyze failed: {e}"))?;
    let mut problems = Vec::new();
    for e in &analysis.schema_errors {
        problems.push(format!(
            "schema could not be read: {} (line {})",
            e.message, e.line
        ));
    }
    if analysis.databases.is_empty() && analysis.schema_errors.is_empty() {
        problems.push("no schema was read".to_owned());
    }
    for w in &analysis.warnings {
        if w.message.contains("syntax error") {
            problems.push(format!(
                "{}:{}: {}",
                w.path.as_deref().map(slash_path).unwrap_or_default(),
                w.line.unwrap_or(0),
                w.message
            ));
        }
    }
    // Index rules skip what does not resolve: outside `broken-association`'s own
    // fixtures, every model must have its table and every association must resolve,
    // or a case that must flag nothing would pass without being judged.
    if case.rule != "broken-association" {
        for m in &analysis.resolved.models {
            if !m.abstract_class && !m.table_exists {
                problems.push(format!(
                    "model {} has no table ({})",
                    m.name,
                    m.table_name.as_deref().unwrap_or("no table name")
                ));
            }
        }
        for a in &analysis.resolved.associations {
            if let Some(reason) = &a.unresolved {
                problems.push(format!("{}#{} does not resolve: {reason}", a.model, a.name));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n      "));
    }
    let findings = rules::run_configured(&analysis, &config);
    Ok((analysis, findings))
}

/// The rendered findings of the case's rule, sorted.
fn actual_lines(case: &Case, findings: &[Finding]) -> Vec<String> {
    let mut lines: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == case.rule && f.suppression.is_none())
        .map(render)
        .collect();
    lines.sort();
    lines
}

#[test]
fn fixtures_cover_every_rule() {
    let cases = discover();
    assert!(
        cases.len() >= MIN_CASES,
        "expected at least {MIN_CASES} fixture cases under {}, found {}",
        fixtures_root().display(),
        cases.len()
    );
    let ids = rule_ids();
    let mut problems = Vec::new();
    // A directory of cases whose name is not a rule id would never be run.
    for dir in sorted_subdirs(&fixtures_root()) {
        let name = file_name(&dir);
        let holds_cases = sorted_subdirs(&dir)
            .iter()
            .any(|c| c.join("expected.txt").is_file());
        if holds_cases && !ids.contains(&name.as_str()) {
            problems.push(format!(
                "tests/fixtures/{name}: holds cases but is not a rule id ({})",
                ids.join(", ")
            ));
        }
    }
    for case in &cases {
        match expected_lines(case) {
            Err(e) => problems.push(format!("{}: {e}", case.id())),
            Ok(lines) => {
                for line in &lines {
                    if !line.starts_with(&format!("{} ", case.rule)) {
                        problems.push(format!(
                            "{}: expected.txt line for another rule: {line}",
                            case.id()
                        ));
                    }
                }
            }
        }
    }
    for id in &ids {
        let of_rule: Vec<&Case> = cases.iter().filter(|c| c.rule == *id).collect();
        let flagged = of_rule
            .iter()
            .filter(|c| expected_lines(c).is_ok_and(|l| !l.is_empty()))
            .count();
        let clean = of_rule
            .iter()
            .filter(|c| expected_lines(c).is_ok_and(|l| l.is_empty()))
            .count();
        if flagged == 0 {
            problems.push(format!(
                "{id}: no case where the rule must report something"
            ));
        }
        if clean == 0 {
            problems.push(format!("{id}: no case where the rule must report nothing"));
        }
    }
    assert!(
        problems.is_empty(),
        "fixture layout problems:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn fixtures_match_expected_findings() {
    let cases = discover();
    assert!(
        !cases.is_empty(),
        "no fixtures under {}",
        fixtures_root().display()
    );
    let mut report = Vec::new();
    let mut failed = 0;
    for case in &cases {
        let expected = match expected_lines(case) {
            Ok(e) => e,
            Err(e) => {
                failed += 1;
                report.push(format!("{}\n    {e}", case.id()));
                continue;
            }
        };
        let actual = match run_case(case) {
            Ok((_, findings)) => actual_lines(case, &findings),
            Err(e) => {
                failed += 1;
                report.push(format!(
                    "{}\n    fixture not analyzed:\n      {e}",
                    case.id()
                ));
                continue;
            }
        };
        if actual == expected {
            continue;
        }
        failed += 1;
        let mut text = case.id();
        for missing in minus(&expected, &actual) {
            text.push_str(&format!("\n    missing:    {missing}"));
        }
        for unexpected in minus(&actual, &expected) {
            text.push_str(&format!("\n    unexpected: {unexpected}"));
        }
        report.push(text);
    }
    assert!(
        report.is_empty(),
        "{failed} of {} fixture cases differ from expected.txt:\n\n{}\n",
        cases.len(),
        report.join("\n\n")
    );
}

/// Index rules (every rule but `broken-association`) must say how to fix what they
/// report; every message must name the table it is about; and the same project must
/// always give the same findings.
#[test]
fn findings_have_fixes_name_their_table_and_are_deterministic() {
    let mut report = Vec::new();
    for case in discover() {
        let Ok((_, first)) = run_case(&case) else {
            // Reported by `fixtures_match_expected_findings`.
            continue;
        };
        for f in &first {
            let what = format!("{}: {}", case.id(), render(f));
            if f.rule != "broken-association" && f.fix.is_none() {
                report.push(format!("{what}\n    no fix"));
            }
            if let Some(fix) = &f.fix {
                // No migration only where no index can search the condition
                // (`<>`, `LIKE '%x%'`), and then the fix says so.
                let unindexable = fix.description.starts_with("no index can search");
                // The unused-* rules' fix is an edit of the model, not a migration.
                let removal = fix.description.starts_with("remove `");
                if fix.description.is_empty()
                    || (fix.migration.is_empty() && !unindexable && !removal)
                {
                    report.push(format!("{what}\n    empty fix: {fix:?}"));
                }
            }
            if !f.message.contains(&f.table) {
                report.push(format!(
                    "{what}\n    message does not name table `{}`: {}",
                    f.table, f.message
                ));
            }
        }
        let Ok((_, second)) = run_case(&case) else {
            report.push(format!("{}: the second analysis failed", case.id()));
            continue;
        };
        let a = serde_json::to_string_pretty(&first).expect("findings serialise");
        let b = serde_json::to_string_pretty(&second).expect("findings serialise");
        if a != b {
            report.push(format!(
                "{}: two runs gave different findings\n    first:  {}\n    second: {}",
                case.id(),
                first.iter().map(render).collect::<Vec<_>>().join(" | "),
                second.iter().map(render).collect::<Vec<_>>().join(" | ")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} problems:\n\n{}\n",
        report.len(),
        report.join("\n\n")
    );
}
