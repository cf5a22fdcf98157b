//! The baseline of a legacy codebase: `fullscan baseline` records the findings of
//! today (by fingerprint) in `.fullscan-baseline.json`; later runs report only the
//! new ones, keep the recorded ones as suppressed (SARIF `external`), and list the
//! entries no longer found (fixed).

use crate::rules::Finding;
use crate::suppress::Suppression;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".fullscan-baseline.json";
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    pub model: String,
    /// The association, scope or attribute.
    pub subject: String,
    /// Why it is accepted for now: for people to fill in.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(
    code(fullscan::baseline),
    help("write it again with `fullscan baseline`")
)]
pub struct BaselineError {
    pub path: PathBuf,
    pub message: String,
}

/// What applying a baseline did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub path: PathBuf,
    /// Findings the baseline accepted.
    pub matched: usize,
    /// Entries no finding matches any more: fixed, or moved to another file.
    pub gone: Vec<Entry>,
}

impl Baseline {
    /// The findings not already suppressed, as entries sorted by fingerprint.
    /// Notes written in `previous` are kept.
    pub fn of(findings: &[Finding], previous: Option<&Baseline>) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.to_owned(),
                path: f.path.to_string_lossy().replace('\\', "/"),
                model: f.model.clone(),
                subject: f
                    .association
                    .clone()
                    .or(f.scope.clone())
                    .or(f.attribute.clone())
                    .unwrap_or_default(),
                note: previous
                    .and_then(|p| p.findings.iter().find(|e| e.fingerprint == f.fingerprint))
                    .map(|e| e.note.clone())
                    .unwrap_or_default(),
            })
            .collect();
        entries.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: VERSION,
            findings: entries,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: path.to_path_buf(),
            message,
        };
        let text =
            crate::project::read_utf8(path).map_err(|e| err(format!("cannot read it: {e}")))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| err(format!("not a fullscan baseline: {e}")))?;
        if b.version != VERSION {
            return Err(err(format!(
                "baseline version {} (this fullscan reads version {VERSION})",
                b.version
            )));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a baseline serialises");
        s.push('\n');
        s
    }

    /// Marks the findings the baseline holds as suppressed.
    pub fn apply(&self, findings: &mut [Finding], path: &Path) -> Outcome {
        let mut seen = vec![false; self.findings.len()];
        let mut matched = 0;
        for f in findings.iter_mut() {
            if f.suppression.is_some() {
                continue;
            }
            if let Ok(i) = self
                .findings
                .binary_search_by(|e| e.fingerprint.as_str().cmp(&f.fingerprint))
            {
                seen[i] = true;
                matched += 1;
                let note = &self.findings[i].note;
                f.suppression = Some(Suppression {
                    kind: "external",
                    justification: if note.is_empty() {
                        format!("in the baseline ({})", path.display())
                    } else {
                        note.clone()
                    },
                });
            }
        }
        Outcome {
            path: path.to_path_buf(),
            matched,
            gone: self
                .findings
                .iter()
                .zip(seen)
                .filter(|(_, s)| !s)
                .map(|(e, _)| e.clone())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_versions_and_shapes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        std::fs::write(&p, r#"{"version": 2, "findings": []}"#).unwrap();
        assert!(Baseline::load(&p)
            .unwrap_err()
            .to_string()
            .contains("version 2"));
        std::fs::write(&p, r#"{"findings": 1}"#).unwrap();
        assert!(Baseline::load(&p).is_err());
        std::fs::write(&p, r#"{"version": 1, "findings": []}"#).unwrap();
        assert!(Baseline::load(&p).unwrap().findings.is_empty());
    }
}
