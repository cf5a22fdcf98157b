//! Inline suppressions, as ruff's `noqa` and RuboCop's `rubocop:disable`:
//!
//! ```ruby
//! has_many :events, dependent: :destroy # fullscan:disable dependent-full-scan -- purged nightly
//! # fullscan:disable unused-association, unindexed-foreign-key -- kept for the API
//! has_many :legacy_events
//! # fullscan:disable-file unused-scope
//! ```
//!
//! A comment on the declaration's line or alone on the line above it suppresses the
//! named rules there (`all` names every rule); `disable-file` suppresses them in the
//! whole file. A suppression that suppresses nothing is reported.

use crate::rules::Finding;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Why a finding is not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `inSource` (a comment) or `external` (the baseline), as SARIF names them.
    pub kind: &'static str,
    pub justification: String,
}

/// One `fullscan:disable` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
    pub file_wide: bool,
    /// Alone on its line (it applies to the next line too).
    pub own_line: bool,
    pub rules: Vec<String>,
    pub reason: String,
}

/// Reads the directives of one file.
pub fn directives(rel: &Path, src: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    if !src.contains("fullscan:disable") {
        return out;
    }
    for (i, line) in src.lines().enumerate() {
        let Some(at) = line.find("fullscan:disable") else {
            continue;
        };
        // The marker must be in a comment: a `#` before it, outside a string as
        // far as a single line shows.
        let before = &line[..at];
        let Some(hash) = before.rfind('#') else {
            continue;
        };
        if before[..hash].matches('"').count() % 2 == 1 {
            continue;
        }
        let rest = &line[at + "fullscan:disable".len()..];
        let (file_wide, rest) = match rest.strip_prefix("-file") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let (list, reason) = match rest.split_once("--") {
            Some((l, r)) => (l, r.trim().to_owned()),
            None => (rest, String::new()),
        };
        let rules: Vec<String> = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let column = line[..hash].chars().count() as u32 + 1;
        out.push(Directive {
            path: rel.to_path_buf(),
            line: i as u32 + 1,
            column,
            end_column: line.chars().count() as u32 + 1,
            file_wide,
            own_line: line[..hash].trim().is_empty(),
            rules,
            reason,
        });
    }
    out
}

fn names(d: &Directive, rule: &str) -> bool {
    d.rules.iter().any(|r| r == rule || r == "all")
}

/// Marks the findings the directives suppress; returns, for each directive, how
/// many findings it suppressed.
pub fn apply(findings: &mut [Finding], directives: &[Directive]) -> Vec<usize> {
    let mut used = vec![0usize; directives.len()];
    for f in findings.iter_mut() {
        if f.suppression.is_some() {
            continue;
        }
        let hit = directives.iter().position(|d| {
            d.path == f.path
                && names(d, f.rule)
                && (d.file_wide || d.line == f.line || (d.own_line && d.line + 1 == f.line))
        });
        if let Some(i) = hit {
            used[i] += 1;
            let d = &directives[i];
            f.suppression = Some(Suppression {
                kind: "inSource",
                justification: if d.reason.is_empty() {
                    format!("fullscan:disable at {}:{}", d.path.display(), d.line)
                } else {
                    d.reason.clone()
                },
            });
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_trailing_own_line_and_file_directives() {
        let src = "class A\n  has_many :b # fullscan:disable dependent-full-scan -- purged nightly\n  # fullscan:disable unused-association, unindexed-foreign-key\n  has_many :c\n  # fullscan:disable-file all\n  x = \"# fullscan:disable all\"\nend\n";
        let d = directives(Path::new("a.rb"), src);
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(
            (d[0].line, d[0].own_line, d[0].reason.as_str()),
            (2, false, "purged nightly")
        );
        assert_eq!(d[0].rules, ["dependent-full-scan"]);
        assert_eq!((d[1].line, d[1].own_line), (3, true));
        assert_eq!(d[1].rules, ["unused-association", "unindexed-foreign-key"]);
        assert!(d[2].file_wide);
        assert_eq!(d[2].rules, ["all"]);
    }
}
