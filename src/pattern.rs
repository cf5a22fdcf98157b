//! Fixed patterns matched by `regex-lite` on ASCII text and by `regex` on the rest.
//!
//! Compiling a pattern with Unicode classes or `(?i)` costs `regex` a hundred
//! microseconds or more, once per run, on the thread that first needs it; `regex-lite`
//! compiles the same pattern in a few. On ASCII text the two agree: what `regex-lite`
//! leaves out (Unicode classes, Unicode case folding) only concerns characters beyond
//! ASCII, so names and SQL fragments, nearly always ASCII, never pay for `regex`.

use std::ops::Range;
use std::sync::OnceLock;

/// One pattern, compiled by each engine when first needed.
pub struct Pattern {
    source: &'static str,
    lite: OnceLock<regex_lite::Regex>,
    full: OnceLock<regex::Regex>,
}

/// The groups of one match: each group's text, `None` where it did not take part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captures<'t> {
    text: &'t str,
    groups: Vec<Option<Range<usize>>>,
}

impl<'t> Captures<'t> {
    /// Group `i`'s text (0: the whole match).
    pub fn get(&self, i: usize) -> Option<&'t str> {
        let range = self.groups.get(i)?.clone()?;
        Some(&self.text[range])
    }

    /// The whole match's place in the text.
    pub fn range(&self) -> Range<usize> {
        self.groups[0].clone().expect("group 0 always matches")
    }
}

impl Pattern {
    /// A pattern known to compile in both engines (the tests of its users check it).
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            lite: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    fn lite(&self) -> &regex_lite::Regex {
        self.lite
            .get_or_init(|| regex_lite::Regex::new(self.source).expect("a valid pattern"))
    }

    fn full(&self) -> &regex::Regex {
        self.full
            .get_or_init(|| regex::Regex::new(self.source).expect("a valid pattern"))
    }

    pub fn is_match(&self, text: &str) -> bool {
        if text.is_ascii() {
            self.lite().is_match(text)
        } else {
            self.full().is_match(text)
        }
    }

    pub fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        if text.is_ascii() {
            self.lite().captures(text).map(|c| Captures {
                text,
                groups: c.iter().map(|m| m.map(|m| m.range())).collect(),
            })
        } else {
            self.full().captures(text).map(|c| Captures {
                text,
                groups: c.iter().map(|m| m.map(|m| m.range())).collect(),
            })
        }
    }

    /// Every successive non-overlapping match.
    pub fn captures_iter<'t>(&self, text: &'t str) -> Vec<Captures<'t>> {
        if text.is_ascii() {
            self.lite()
                .captures_iter(text)
                .map(|c| Captures {
                    text,
                    groups: c.iter().map(|m| m.map(|m| m.range())).collect(),
                })
                .collect()
        } else {
            self.full()
                .captures_iter(text)
                .map(|c| Captures {
                    text,
                    groups: c.iter().map(|m| m.map(|m| m.range())).collect(),
                })
                .collect()
        }
    }

    /// The text between matches.
    pub fn split<'t>(&self, text: &'t str) -> Vec<&'t str> {
        if text.is_ascii() {
            self.lite().split(text).collect()
        } else {
            self.full().split(text).collect()
        }
    }

    /// `text` with every match replaced by what `replace` makes of its groups.
    pub fn replace_all(
        &self,
        text: &str,
        mut replace: impl FnMut(&Captures<'_>) -> String,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for caps in self.captures_iter(text) {
            let range = caps.range();
            out.push_str(&text[last..range.start]);
            out.push_str(&replace(&caps));
            last = range.end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Whether both engines give the same groups on `text` (for tests: it must hold on
    /// every ASCII text).
    #[doc(hidden)]
    pub fn engines_agree(&self, text: &str) -> bool {
        let lite: Vec<Vec<_>> = self
            .lite()
            .captures_iter(text)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
            .collect();
        let full: Vec<Vec<_>> = self
            .full()
            .captures_iter(text)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
            .collect();
        lite == full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_text_uses_the_lite_engine_and_the_rest_the_full_one() {
        // `(?i)k` matches the Kelvin sign under Unicode case folding only.
        let p = Pattern::new(r"(?i)\bk\w*");
        assert_eq!(p.captures("a Kilo").unwrap().get(0), Some("Kilo"));
        assert_eq!(
            p.captures("a \u{212a}ilo").unwrap().get(0),
            Some("\u{212a}ilo")
        );
        assert!(p.lite.get().is_some() && p.full.get().is_some());
        assert!(p.engines_agree("a Kilo kk _k k_"));
    }

    #[test]
    fn split_and_replace_follow_the_matches() {
        let p = Pattern::new(r"(?i)\s+AND\s+");
        assert_eq!(p.split("a = 1 and b = 2 AND c"), ["a = 1", "b = 2", "c"]);
        let q = Pattern::new(r"_(\w)");
        let out = q.replace_all("user_role_x", |c| c.get(1).unwrap().to_uppercase());
        assert_eq!(out, "userRoleX");
        assert_eq!(q.replace_all("plain", |_| unreachable!()), "plain");
    }
}
