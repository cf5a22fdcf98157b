//! `.fullscan.toml`: the project's settings for fullscan.
//!
//! ```toml
//! include = ["app/**", "engines/**"]       # report findings only in these files
//! exclude = ["app/models/legacy/**"]      # findings in these files are not reported
//! model-paths = ["lib/models"]            # more model directories than app/models
//! schema = { primary = "db/schema.rb", animals = "db/animals_structure.sql" }
//! test_paths = ["spec", "test", "features"] # where uses count as tests only
//! large_tables = ["events", "audits"]      # findings on these tables are raised a level
//!
//! [rules]
//! disable = ["unused-scope"]
//! severity = { unindexed-scope = "error", association-used-only-in-tests = "warning" }
//! ```
//!
//! Unknown keys, rule ids and severities are errors that name the key and the file.

use crate::rules::Severity;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".fullscan.toml";

/// A relative path that does not climb out of the project: fullscan reads only
/// under the project root, whatever its settings file says.
fn inside_project(path: &str) -> bool {
    !(Path::new(path).is_absolute()
        || path.starts_with(['/', '\\'])
        || path.split(['/', '\\']).any(|c| c == ".."))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default, alias = "model_paths")]
    model_paths: Vec<String>,
    #[serde(default)]
    schema: std::collections::BTreeMap<String, String>,
    #[serde(default, alias = "test_paths")]
    test_paths: Option<Vec<String>>,
    #[serde(default, alias = "large_tables")]
    large_tables: Vec<String>,
    #[serde(default)]
    rules: RawRules,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    severity: std::collections::BTreeMap<String, String>,
}

/// The settings, checked.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    /// Findings are reported only in files these match (all files when unset).
    pub include: Option<globset::GlobSet>,
    pub exclude: Option<globset::GlobSet>,
    pub exclude_patterns: Vec<String>,
    /// More directories of models, beyond every `app/models`.
    pub model_paths: Vec<PathBuf>,
    /// Schema files by database name (`primary`, ...), replacing discovery.
    pub schema: Vec<(String, PathBuf)>,
    /// Rebuild the schema from `db/migrate` even when a schema file exists
    /// (`--schema-from-migrations`).
    pub schema_from_migrations: bool,
    /// Directory names whose files are tests (default: `spec`, `test`).
    pub test_paths: Vec<String>,
    pub large_tables: Vec<String>,
    pub disabled_rules: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    /// Do not search the project for the uses of associations and scopes (what
    /// `fullscan schema` needs does not depend on them). Not a file setting.
    pub skip_references: bool,
    /// Where to keep the facts of model files between runs (`None`: parse them all).
    /// Not a file setting: the command line decides.
    pub cache_dir: Option<PathBuf>,
    /// Only findings in these files or directories will be reported (a
    /// pre-commit run): the uses of associations and scopes declared elsewhere
    /// are not searched for. Not a file setting.
    pub report_only: Option<Vec<PathBuf>>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(fullscan::config), help("see the README's configuration section"))]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl Config {
    /// Reads `explicit`, or `.fullscan.toml` at the project root when it exists.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = root.join(FILE_NAME);
                if !p.is_file() {
                    return Ok(Config::defaults());
                }
                p
            }
        };
        let text = crate::project::read_utf8(&path).map_err(|e| ConfigError {
            path: path.clone(),
            message: format!("cannot read it: {e}"),
        })?;
        Config::parse(&text, &path)
    }

    pub fn defaults() -> Config {
        Config {
            test_paths: vec!["spec".into(), "test".into()],
            ..Config::default()
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| err(e.message().to_owned()))?;
        let known: Vec<&str> = crate::rules::all().iter().map(|r| r.meta.id).collect();
        let check_rule = |id: &str, key: &str| {
            if known.contains(&id) {
                Ok(())
            } else {
                Err(err(format!(
                    "unknown rule `{id}` in `{key}` (`fullscan rules` lists them)"
                )))
            }
        };
        for id in &raw.rules.disable {
            check_rule(id, "rules.disable")?;
        }
        let mut severity = Vec::new();
        for (id, level) in &raw.rules.severity {
            check_rule(id, "rules.severity")?;
            let s = Severity::parse(level).ok_or_else(|| {
                err(format!(
                    "`rules.severity.{id}` is `{level}`: use error, warning or note"
                ))
            })?;
            severity.push((id.clone(), s));
        }
        let globs =
            |key: &str, patterns: &[String]| -> Result<Option<globset::GlobSet>, ConfigError> {
                if patterns.is_empty() {
                    return Ok(None);
                }
                let mut b = globset::GlobSetBuilder::new();
                for pattern in patterns {
                    let glob = globset::GlobBuilder::new(pattern)
                        .literal_separator(true)
                        .build()
                        .map_err(|e| err(format!("`{key}` pattern `{pattern}`: {e}")))?;
                    b.add(glob);
                }
                Ok(Some(b.build().map_err(|e| err(format!("`{key}`: {e}")))?))
            };
        let include = globs("include", &raw.include)?;
        let exclude = globs("exclude", &raw.exclude)?;
        let mut schema = Vec::new();
        for (db, file) in &raw.schema {
            if !(file.ends_with(".rb") || file.ends_with(".sql")) {
                return Err(err(format!(
                    "`schema.{db}` is `{file}`: a schema file is a .rb (schema.rb) or a .sql (structure.sql)"
                )));
            }
            if !inside_project(file) {
                return Err(err(format!(
                    "`schema.{db}` is `{file}`: give a file inside the project"
                )));
            }
            schema.push((db.clone(), PathBuf::from(file)));
        }
        for dir in &raw.model_paths {
            if !inside_project(dir) {
                return Err(err(format!(
                    "`model-paths` entry `{dir}`: give a directory inside the project"
                )));
            }
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            include,
            schema_from_migrations: false,
            model_paths: raw.model_paths.iter().map(PathBuf::from).collect(),
            schema,
            exclude,
            exclude_patterns: raw.exclude,
            test_paths: raw
                .test_paths
                .unwrap_or_else(|| vec!["spec".into(), "test".into()]),
            large_tables: raw.large_tables,
            disabled_rules: raw.rules.disable,
            severity,
            skip_references: false,
            cache_dir: None,
            report_only: None,
        })
    }

    /// Whether findings in `rel` are left out: excluded, or not included.
    pub fn excluded(&self, rel: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
            || self.include.as_ref().is_some_and(|g| !g.is_match(rel))
    }

    /// Whether a path lies in a test directory.
    pub fn is_test_path(&self, rel: &Path) -> bool {
        crate::project::in_any_dir(rel, &self.test_paths)
    }

    /// The severity a finding of `rule` on `table` is reported at.
    pub fn severity(&self, rule: &str, table: &str, default: Severity) -> Severity {
        let base = self
            .severity
            .iter()
            .find(|(id, _)| id == rule)
            .map_or(default, |(_, s)| *s);
        if self.large_tables.iter().any(|t| t == table) {
            match base {
                Severity::Note => Severity::Warning,
                _ => Severity::Error,
            }
        } else {
            base
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new(".fullscan.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_every_setting() {
        let c = parse(
            r#"
exclude = ["app/models/legacy/**"]
test-paths = ["spec", "features"]
large_tables = ["events"]
[rules]
disable = ["unused-scope"]
severity = { unindexed-scope = "error" }
"#,
        )
        .unwrap();
        assert!(c.excluded(Path::new("app/models/legacy/old.rb")));
        assert!(!c.excluded(Path::new("app/models/post.rb")));
        assert!(c.is_test_path(Path::new("features/steps.rb")));
        assert!(!c.is_test_path(Path::new("test/x.rb")));
        assert_eq!(c.disabled_rules, ["unused-scope"]);
        assert_eq!(
            c.severity("unindexed-scope", "posts", Severity::Warning),
            Severity::Error
        );
        assert_eq!(
            c.severity("unindexed-foreign-key", "events", Severity::Warning),
            Severity::Error
        );
        assert_eq!(
            c.severity("association-used-only-in-tests", "events", Severity::Note),
            Severity::Warning
        );
    }

    #[test]
    fn include_model_paths_and_schema() {
        let c = parse(
            "include = [\"app/**\"]\nmodel-paths = [\"lib/models\"]\nschema = { primary = \"db/main.sql\" }\n",
        )
        .unwrap();
        assert!(c.excluded(Path::new("lib/x.rb")));
        assert!(!c.excluded(Path::new("app/models/x.rb")));
        assert_eq!(c.model_paths, [PathBuf::from("lib/models")]);
        assert_eq!(
            c.schema,
            [("primary".to_owned(), PathBuf::from("db/main.sql"))]
        );
        assert!(parse("schema = { primary = \"db/schema.yml\" }").is_err());
        assert!(parse("model-paths = [\"../elsewhere\"]").is_err());
        assert!(parse("[schema]\nprimary = \"/etc/schema.rb\"").is_err());
        assert!(parse("[schema]\nprimary = \"db/../../schema.rb\"").is_err());
        assert!(parse("[schema]\nprimary = \"db/main.sql\"").is_ok());
    }

    #[test]
    fn unknown_keys_rules_and_levels_are_errors_naming_them() {
        let e = parse("excludes = []").unwrap_err();
        assert!(
            e.contains(".fullscan.toml") && e.contains("excludes"),
            "{e}"
        );
        let e = parse("[rules]\ndisable = [\"nope\"]").unwrap_err();
        assert!(e.contains("unknown rule `nope`"), "{e}");
        let e = parse("[rules]\nseverity = { unindexed-scope = \"fatal\" }").unwrap_err();
        assert!(e.contains("fatal"), "{e}");
        let e = parse("[rules]\nignore = []").unwrap_err();
        assert!(e.contains("ignore"), "{e}");
        let e = parse("exclude = [\"a[\"]").unwrap_err();
        assert!(e.contains("exclude"), "{e}");
    }
}
