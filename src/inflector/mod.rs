//! Port of `ActiveSupport::Inflector`: `pluralize`, `singularize`, `camelize`,
//! `underscore`, `classify`, `tableize`, `foreign_key`, `demodulize`, `deconstantize`,
//! with the English rules ActiveSupport ships (unchanged from 6.1 to 8.x) and the
//! rule-definition methods apps call in `config/initializers/inflections.rb`
//! ([`Inflector::apply_initializer`]).
//!
//! Rules are Ruby regexes translated to the `regex` crate ([`Rule`]); a rule that cannot
//! be translated exactly is refused with a [`RuleError`] by the `try_` methods.
//! `tests/inflector.rs` compares every function with outputs of the real ActiveSupport.

mod initializer;
mod ruby_regex;

use std::sync::OnceLock;

use regex::Regex;

use crate::pattern::Pattern;
pub use initializer::InflectionWarning;
use ruby_regex::{parse_replacement, substitute, translate, LazyRegex, Piece};

/// The pattern of an inflection rule, as written in Ruby.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// A Ruby String: matched literally (case-sensitive) anywhere in the word.
    Str(String),
    /// A Ruby Regexp: `source` is the text between the slashes, `case_insensitive` the
    /// `/i` flag. Other flags can be written inline (`(?m)`, `(?x)`).
    Regex {
        source: String,
        case_insensitive: bool,
    },
}

impl Rule {
    /// `/source/i`
    pub fn regex_i(source: &str) -> Rule {
        Rule::Regex {
            source: source.to_owned(),
            case_insensitive: true,
        }
    }
    /// `/source/`
    pub fn regex(source: &str) -> Rule {
        Rule::Regex {
            source: source.to_owned(),
            case_insensitive: false,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::Str(s) => write!(f, "{s:?}"),
            Rule::Regex {
                source,
                case_insensitive,
            } => write!(f, "/{source}/{}", if *case_insensitive { "i" } else { "" }),
        }
    }
}

/// A rule, replacement or acronym that fullscan cannot reproduce exactly.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    pub message: String,
}

impl RuleError {
    fn new(message: impl Into<String>) -> RuleError {
        RuleError {
            message: message.into(),
        }
    }
}

/// What `Inflections#clear` empties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClearScope {
    /// `clear` / `clear(:all)`: plurals, singulars and uncountables (not acronyms).
    All,
    Plurals,
    Singulars,
}

#[derive(Clone, Debug)]
enum Matcher {
    Literal(String),
    Regex(LazyRegex),
}

/// When a rule's regex is compiled: rules the project gives are compiled at once, so
/// that one the `regex` crate refuses is reported where it is read; the built-in
/// rules, known to compile, when first matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compile {
    Now,
    OnUse,
}

/// One `[rule, replacement]` pair of `Inflections#plurals` / `#singulars`.
#[derive(Clone, Debug)]
struct Inflection {
    matcher: Matcher,
    replacement: Vec<Piece>,
}

impl Inflection {
    fn new(rule: &Rule, replacement: &str, when: Compile) -> Result<Inflection, RuleError> {
        match rule {
            Rule::Str(s) => Ok(Inflection {
                matcher: Matcher::Literal(s.clone()),
                replacement: parse_replacement(replacement, None).map_err(RuleError::new)?,
            }),
            Rule::Regex {
                source,
                case_insensitive,
            } => {
                let t = translate(source, *case_insensitive).map_err(RuleError::new)?;
                if when == Compile::Now {
                    t.regex.get().map_err(RuleError::new)?;
                }
                let replacement =
                    parse_replacement(replacement, Some(&t)).map_err(RuleError::new)?;
                Ok(Inflection {
                    matcher: Matcher::Regex(t.regex),
                    replacement,
                })
            }
        }
    }

    /// Ruby's `word.sub!(rule, replacement)`: `None` when the rule does not match.
    fn apply(&self, word: &str) -> Option<String> {
        match &self.matcher {
            Matcher::Literal(pat) => {
                let start = word.find(pat.as_str())?;
                Some(substitute(
                    &self.replacement,
                    word,
                    start..start + pat.len(),
                    None,
                ))
            }
            Matcher::Regex(re) => re.sub(word, &self.replacement),
        }
    }
}

/// The plural or singular rules, oldest first, tried newest first.
#[derive(Clone, Debug, Default)]
struct Rules {
    list: Vec<Inflection>,
}

impl Rules {
    fn push(&mut self, inflection: Inflection) {
        self.list.push(inflection);
    }

    fn clear(&mut self) {
        self.list.clear();
    }

    /// Ruby's `rules.each { |(rule, replacement)| break if result.sub!(rule, replacement) }`
    /// over the rules newest first. A regex rule whose suffix literals the word
    /// cannot hold is passed over without being compiled.
    fn apply(&self, word: &str) -> Option<String> {
        self.list.iter().rev().find_map(|r| match &r.matcher {
            Matcher::Regex(re) if !re.may_match(word) => None,
            _ => r.apply(word),
        })
    }
}

/// `Inflections::Uncountables`: lower-cased words; a word is uncountable when it ends
/// with one of them after a word boundary (`/\b#{escaped}\Z/i`).
#[derive(Clone, Debug, Default)]
struct Uncountables {
    words: Vec<String>,
    /// All words in one alternation, built on first use after a change; matching any
    /// of them is matching the alternation.
    regex: OnceLock<Option<Regex>>,
}

impl Uncountables {
    fn add<S: AsRef<str>>(&mut self, words: &[S]) {
        self.words
            .extend(words.iter().map(|w| ruby_downcase(w.as_ref())));
        self.rebuild();
    }

    /// `Array#delete`: removes every entry equal to `entry` (exact comparison).
    fn delete(&mut self, entry: &str) {
        let before = self.words.len();
        self.words.retain(|w| w != entry);
        if self.words.len() != before {
            self.rebuild();
        }
    }

    fn rebuild(&mut self) {
        self.regex = OnceLock::new();
    }

    fn contains(&self, word: &str) -> bool {
        if word.is_ascii() && self.words.iter().all(|w| w.is_ascii()) {
            return self.contains_ascii(word);
        }
        self.contains_by_regex(word)
    }

    /// [`Uncountables::contains`] for an ASCII word and ASCII entries, without the
    /// regex: with no character beyond ASCII on either side, `(?i)` is ASCII case
    /// folding and `\b` the boundary between `[A-Za-z0-9_]` and the rest.
    fn contains_ascii(&self, word: &str) -> bool {
        let word = word.strip_suffix('\n').unwrap_or(word).as_bytes();
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        self.words.iter().any(|w| {
            let w = w.as_bytes();
            let Some(start) = word.len().checked_sub(w.len()) else {
                return false;
            };
            if !word[start..].eq_ignore_ascii_case(w) {
                return false;
            }
            // `\b` before the entry: a word character on exactly one side.
            let before = start.checked_sub(1).is_some_and(|i| is_word(word[i]));
            let first = w.first().is_some_and(|&b| is_word(b));
            before != first
        })
    }

    fn contains_by_regex(&self, word: &str) -> bool {
        let regex = self.regex.get_or_init(|| {
            if self.words.is_empty() {
                return None;
            }
            let alternation: Vec<String> = self.words.iter().map(|w| regex::escape(w)).collect();
            // `\Z` is the end of the text or the position before a final "\n".
            let pattern = format!(r"(?i)\b(?:{})\n?\z", alternation.join("|"));
            Some(Regex::new(&pattern).expect("escaped literals always compile"))
        });
        regex.as_ref().is_some_and(|r| r.is_match(word))
    }
}

/// The inflection rules of one locale (fullscan only uses `:en`, the one Rails' naming
/// reads).
#[derive(Clone, Debug)]
pub struct Inflector {
    /// Oldest first; tried newest first.
    plurals: Rules,
    singulars: Rules,
    uncountables: Uncountables,
    /// `(word.downcase, word)` in definition order (a Ruby Hash keeps the first
    /// insertion's position when a key is redefined).
    acronyms: Vec<(String, String)>,
    /// Words already made plural or singular with these rules: a project names the
    /// same associations in many models. Emptied by every change of the rules.
    memo: Memo,
}

/// Words to their singular (`[0]`) and plural (`[1]`); shared by the threads
/// resolving models.
#[derive(Default)]
struct Memo(std::sync::RwLock<[std::collections::HashMap<String, String>; 2]>);

impl Memo {
    fn clear(&mut self) {
        for map in self.0.get_mut().unwrap_or_else(|e| e.into_inner()) {
            map.clear();
        }
    }
}

/// A copy starts empty: it may be given other rules.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Default for Inflector {
    /// ActiveSupport's English inflections (`active_support/inflections.rb`).
    fn default() -> Inflector {
        static DEFAULT: OnceLock<Inflector> = OnceLock::new();
        DEFAULT.get_or_init(english).clone()
    }
}

fn english() -> Inflector {
    let mut i = Inflector::empty();
    let plurals: [(&str, bool, &str); 21] = [
        ("$", false, "s"),
        ("s$", true, "s"),
        ("^(ax|test)is$", true, r"\1es"),
        ("(octop|vir)us$", true, r"\1i"),
        ("(octop|vir)i$", true, r"\1i"),
        ("(alias|status)$", true, r"\1es"),
        ("(bu)s$", true, r"\1ses"),
        ("(buffal|tomat)o$", true, r"\1oes"),
        ("([ti])um$", true, r"\1a"),
        ("([ti])a$", true, r"\1a"),
        ("sis$", true, "ses"),
        ("(?:([^f])fe|([lr])f)$", true, r"\1\2ves"),
        ("(hive)$", true, r"\1s"),
        ("([^aeiouy]|qu)y$", true, r"\1ies"),
        ("(x|ch|ss|sh)$", true, r"\1es"),
        ("(matr|vert|ind)(?:ix|ex)$", true, r"\1ices"),
        ("^(m|l)ouse$", true, r"\1ice"),
        ("^(m|l)ice$", true, r"\1ice"),
        ("^(ox)$", true, r"\1en"),
        ("^(oxen)$", true, r"\1"),
        ("(quiz)$", true, r"\1zes"),
    ];
    let singulars: [(&str, &str); 27] = [
        ("s$", ""),
        ("(ss)$", r"\1"),
        ("(n)ews$", r"\1ews"),
        ("([ti])a$", r"\1um"),
        (
            "((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$",
            r"\1sis",
        ),
        ("(^analy)(sis|ses)$", r"\1sis"),
        ("([^f])ves$", r"\1fe"),
        ("(hive)s$", r"\1"),
        ("(tive)s$", r"\1"),
        ("([lr])ves$", r"\1f"),
        ("([^aeiouy]|qu)ies$", r"\1y"),
        ("(s)eries$", r"\1eries"),
        ("(m)ovies$", r"\1ovie"),
        ("(x|ch|ss|sh)es$", r"\1"),
        ("^(m|l)ice$", r"\1ouse"),
        ("(bus)(es)?$", r"\1"),
        ("(o)es$", r"\1"),
        ("(shoe)s$", r"\1"),
        ("(cris|test)(is|es)$", r"\1is"),
        ("^(a)x[ie]s$", r"\1xis"),
        ("(octop|vir)(us|i)$", r"\1us"),
        ("(alias|status)(es)?$", r"\1"),
        ("^(ox)en", r"\1"),
        ("(vert|ind)ices$", r"\1ex"),
        ("(matr)ices$", r"\1ix"),
        ("(quiz)zes$", r"\1"),
        ("(database)s$", r"\1"),
    ];
    for (source, ci, replacement) in plurals {
        let rule = if ci {
            Rule::regex_i(source)
        } else {
            Rule::regex(source)
        };
        i.add_rule(true, rule, replacement, Compile::OnUse)
            .expect("built-in rules translate");
    }
    for (source, replacement) in singulars {
        i.add_rule(false, Rule::regex_i(source), replacement, Compile::OnUse)
            .expect("built-in rules translate");
    }
    for (s, p) in [
        ("person", "people"),
        ("man", "men"),
        ("child", "children"),
        ("sex", "sexes"),
        ("move", "moves"),
        ("zombie", "zombies"),
    ] {
        i.add_irregular(s, p, Compile::OnUse)
            .expect("built-in rules translate");
    }
    i.uncountable(&[
        "equipment",
        "information",
        "rice",
        "money",
        "species",
        "series",
        "fish",
        "sheep",
        "jeans",
        "police",
    ]);
    i
}

impl Inflector {
    /// An inflector without any rule (what `inflections.clear` plus no acronyms gives).
    pub fn empty() -> Inflector {
        Inflector {
            plurals: Rules::default(),
            singulars: Rules::default(),
            uncountables: Uncountables::default(),
            acronyms: Vec::new(),
            memo: Memo::default(),
        }
    }

    // ----- rule definition (`ActiveSupport::Inflector::Inflections`) -----

    /// `inflect.plural(rule, replacement)`.
    ///
    /// # Panics
    /// If the rule cannot be translated; use [`Inflector::try_plural`] for rules read
    /// from an app.
    pub fn plural(&mut self, rule: Rule, replacement: &str) {
        if let Err(e) = self.try_plural(rule, replacement) {
            panic!("invalid plural rule: {e}");
        }
    }

    /// `inflect.singular(rule, replacement)`.
    ///
    /// # Panics
    /// If the rule cannot be translated; see [`Inflector::try_singular`].
    pub fn singular(&mut self, rule: Rule, replacement: &str) {
        if let Err(e) = self.try_singular(rule, replacement) {
            panic!("invalid singular rule: {e}");
        }
    }

    /// `inflect.plural(rule, replacement)`: the rule is tried before every earlier one.
    /// A String rule and the replacement are removed from the uncountables. On error
    /// nothing changes.
    pub fn try_plural(&mut self, rule: Rule, replacement: &str) -> Result<(), RuleError> {
        self.add_rule(true, rule, replacement, Compile::Now)
    }

    /// `inflect.singular(rule, replacement)`; see [`Inflector::try_plural`].
    pub fn try_singular(&mut self, rule: Rule, replacement: &str) -> Result<(), RuleError> {
        self.add_rule(false, rule, replacement, Compile::Now)
    }

    /// A plural (`plural`) or singular rule, compiled `when` said; on error nothing
    /// changes.
    fn add_rule(
        &mut self,
        plural: bool,
        rule: Rule,
        replacement: &str,
        when: Compile,
    ) -> Result<(), RuleError> {
        let inflection = Inflection::new(&rule, replacement, when)?;
        self.push_rule(plural, &rule, replacement, inflection);
        Ok(())
    }

    /// Adds a built rule: the rule (a String one) and its replacement stop being
    /// uncountable, and the rule is tried before every earlier one of its kind.
    fn push_rule(&mut self, plural: bool, rule: &Rule, replacement: &str, inflection: Inflection) {
        self.memo.clear();
        self.forget_uncountable(rule, replacement);
        if plural {
            self.plurals.push(inflection);
        } else {
            self.singulars.push(inflection);
        }
    }

    fn forget_uncountable(&mut self, rule: &Rule, replacement: &str) {
        self.memo.clear();
        if let Rule::Str(s) = rule {
            self.uncountables.delete(s);
        }
        self.uncountables.delete(replacement);
    }

    /// `inflect.irregular(singular, plural)`.
    ///
    /// # Panics
    /// If the words make an untranslatable regex (they are interpolated into one
    /// unescaped, as in Ruby); see [`Inflector::try_irregular`].
    pub fn irregular(&mut self, singular: &str, plural: &str) {
        if let Err(e) = self.try_irregular(singular, plural) {
            panic!("invalid irregular inflection: {e}");
        }
    }

    /// `inflect.irregular(singular, plural)`: four rules (eight when the first letters
    /// differ beyond case), built exactly as ActiveSupport builds them. On error nothing
    /// changes.
    pub fn try_irregular(&mut self, singular: &str, plural: &str) -> Result<(), RuleError> {
        self.add_irregular(singular, plural, Compile::Now)
    }

    fn add_irregular(
        &mut self,
        singular: &str,
        plural: &str,
        when: Compile,
    ) -> Result<(), RuleError> {
        let split = |w: &str| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| (c.to_string(), chars.as_str().to_owned()))
        };
        let (Some((s0, srest)), Some((p0, prest))) = (split(singular), split(plural)) else {
            return Err(RuleError::new("irregular needs two non-empty words"));
        };
        let rules: Vec<(bool, Rule, String)> = if s0.to_uppercase() == p0.to_uppercase() {
            vec![
                (
                    true,
                    Rule::regex_i(&format!("({s0}){srest}$")),
                    format!(r"\1{prest}"),
                ),
                (
                    true,
                    Rule::regex_i(&format!("({p0}){prest}$")),
                    format!(r"\1{prest}"),
                ),
                (
                    false,
                    Rule::regex_i(&format!("({s0}){srest}$")),
                    format!(r"\1{srest}"),
                ),
                (
                    false,
                    Rule::regex_i(&format!("({p0}){prest}$")),
                    format!(r"\1{srest}"),
                ),
            ]
        } else {
            let (su, sd) = (s0.to_uppercase(), ruby_downcase(&s0));
            let (pu, pd) = (p0.to_uppercase(), ruby_downcase(&p0));
            vec![
                (
                    true,
                    Rule::regex(&format!("{su}(?i){srest}$")),
                    format!("{pu}{prest}"),
                ),
                (
                    true,
                    Rule::regex(&format!("{sd}(?i){srest}$")),
                    format!("{pd}{prest}"),
                ),
                (
                    true,
                    Rule::regex(&format!("{pu}(?i){prest}$")),
                    format!("{pu}{prest}"),
                ),
                (
                    true,
                    Rule::regex(&format!("{pd}(?i){prest}$")),
                    format!("{pd}{prest}"),
                ),
                (
                    false,
                    Rule::regex(&format!("{su}(?i){srest}$")),
                    format!("{su}{srest}"),
                ),
                (
                    false,
                    Rule::regex(&format!("{sd}(?i){srest}$")),
                    format!("{sd}{srest}"),
                ),
                (
                    false,
                    Rule::regex(&format!("{pu}(?i){prest}$")),
                    format!("{su}{srest}"),
                ),
                (
                    false,
                    Rule::regex(&format!("{pd}(?i){prest}$")),
                    format!("{sd}{srest}"),
                ),
            ]
        };
        // Compile everything before changing anything.
        let compiled = rules
            .iter()
            .map(|(_, rule, replacement)| Inflection::new(rule, replacement, when))
            .collect::<Result<Vec<_>, _>>()?;
        self.uncountables.delete(singular);
        self.uncountables.delete(plural);
        for ((is_plural, rule, replacement), inflection) in rules.iter().zip(compiled) {
            self.push_rule(*is_plural, rule, replacement, inflection);
        }
        Ok(())
    }

    /// `inflect.uncountable(*words)`: stored lower-cased.
    pub fn uncountable(&mut self, words: &[&str]) {
        self.memo.clear();
        self.uncountables.add(words);
    }

    /// `inflect.acronym(word)`.
    ///
    /// # Panics
    /// If the word holds a regex metacharacter; see [`Inflector::try_acronym`].
    pub fn acronym(&mut self, word: &str) {
        if let Err(e) = self.try_acronym(word) {
            panic!("invalid acronym: {e}");
        }
    }

    /// `inflect.acronym(word)`. ActiveSupport joins the acronyms unescaped into a regex;
    /// fullscan matches them literally, so words with regex metacharacters (or empty)
    /// are refused.
    pub fn try_acronym(&mut self, word: &str) -> Result<(), RuleError> {
        if word.is_empty() {
            return Err(RuleError::new("an empty acronym is not supported"));
        }
        if let Some(c) = word.chars().find(|c| "\\^$.|?*+()[]{}".contains(*c)) {
            return Err(RuleError::new(format!(
                "the acronym {word:?} contains the regex metacharacter `{c}`, which ActiveSupport interprets as regex syntax"
            )));
        }
        let key = ruby_downcase(word);
        match self.acronyms.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = word.to_owned(),
            None => self.acronyms.push((key, word.to_owned())),
        }
        Ok(())
    }

    /// `inflect.clear(scope)`.
    pub fn clear(&mut self, scope: ClearScope) {
        self.memo.clear();
        match scope {
            ClearScope::All => {
                self.plurals.clear();
                self.singulars.clear();
                self.uncountables = Uncountables::default();
            }
            ClearScope::Plurals => self.plurals.clear(),
            ClearScope::Singulars => self.singulars.clear(),
        }
    }

    /// The uncountable words, lower-cased, in definition order.
    pub fn uncountables(&self) -> &[String] {
        &self.uncountables.words
    }

    /// The acronyms as defined, in definition order.
    pub fn acronyms(&self) -> impl Iterator<Item = &str> {
        self.acronyms.iter().map(|(_, v)| v.as_str())
    }

    fn acronym_for(&self, key: &str) -> Option<&str> {
        self.acronyms
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    // ----- inflection (`ActiveSupport::Inflector` methods) -----

    /// `"post".pluralize` → `"posts"`.
    pub fn pluralize(&self, word: &str) -> String {
        self.memoized(true, word)
    }

    /// `"posts".singularize` → `"post"`.
    pub fn singularize(&self, word: &str) -> String {
        self.memoized(false, word)
    }

    fn memoized(&self, plural: bool, word: &str) -> String {
        let kind = usize::from(plural);
        let known = self
            .memo
            .0
            .read()
            .ok()
            .and_then(|m| m[kind].get(word).cloned());
        if let Some(known) = known {
            return known;
        }
        let rules = if plural {
            &self.plurals
        } else {
            &self.singulars
        };
        let out = self.apply_inflections(word, rules);
        if let Ok(mut memo) = self.memo.0.write() {
            memo[kind].insert(word.to_owned(), out.clone());
        }
        out
    }

    fn apply_inflections(&self, word: &str, rules: &Rules) -> String {
        if word.is_empty() || self.uncountables.contains(word) {
            return word.to_owned();
        }
        rules.apply(word).unwrap_or_else(|| word.to_owned())
    }

    /// `camelize(term)` (upper camel case): `"admin/user_role"` → `"Admin::UserRole"`.
    pub fn camelize(&self, term: &str) -> String {
        let run_end = term
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .unwrap_or(term.len());
        let run = &term[..run_end];
        let mut head = match self.acronym_for(run) {
            Some(a) => a.to_owned(),
            None => ruby_capitalize(run),
        };
        head.push_str(&term[run_end..]);

        static SEGMENT: Pattern = Pattern::new(r"(?i)(?:_|(/))([a-z0-9]*)");
        let camel = SEGMENT.replace_all(&head, |caps| {
            let slash = caps.get(1).unwrap_or("");
            let word = caps.get(2).expect("the word group");
            match self.acronym_for(word) {
                Some(a) => format!("{slash}{a}"),
                None => format!("{slash}{}", ruby_capitalize(word)),
            }
        });
        camel.replace('/', "::")
    }

    /// `underscore(camel_cased_word)`: `"Admin::HTMLParser"` → `"admin/html_parser"`.
    pub fn underscore(&self, word: &str) -> String {
        if !word.contains(|c: char| c.is_ascii_uppercase() || c == '-') && !word.contains("::") {
            return word.to_owned();
        }
        let word = word.replace("::", "/");
        let word = self.underscore_acronyms(&word);

        // gsub(/([A-Z])(?=[A-Z][a-z])|([a-z\d])(?=[A-Z])/) { ($1 || $2) << "_" }
        let chars: Vec<char> = word.chars().collect();
        let mut out = String::with_capacity(word.len() + 4);
        for (i, &c) in chars.iter().enumerate() {
            out.push(c);
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            let upper_before_word = c.is_ascii_uppercase()
                && next.is_some_and(|n| n.is_ascii_uppercase())
                && after.is_some_and(|a| a.is_ascii_lowercase());
            let lower_before_upper = (c.is_ascii_lowercase() || c.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_uppercase());
            if upper_before_word || lower_before_upper {
                out.push('_');
            }
        }
        ruby_downcase(&out.replace('-', "_"))
    }

    /// `gsub(acronyms_underscore_regex) { "#{$1 && '_'}#{$2.downcase}" }` with
    /// `/(?:(?<=([A-Za-z\d]))|\b)(#{acronyms joined by |})(?=\b|[^a-z])/`.
    fn underscore_acronyms(&self, word: &str) -> String {
        if self.acronyms.is_empty() {
            return word.to_owned();
        }
        let mut out = String::with_capacity(word.len() + 4);
        let mut pos = 0;
        let mut prev: Option<char> = None;
        while pos < word.len() {
            let cur = word[pos..].chars().next().expect("pos is a char boundary");
            let after_alnum = prev.is_some_and(|p| p.is_ascii_alphanumeric());
            if after_alnum || is_boundary(prev, Some(cur)) {
                let hit = self.acronyms.iter().map(|(_, a)| a.as_str()).find(|a| {
                    word[pos..].starts_with(a) && {
                        let end = pos + a.len();
                        let next = word[end..].chars().next();
                        is_boundary(a.chars().next_back(), next)
                            || next.is_some_and(|n| !n.is_ascii_lowercase())
                    }
                });
                if let Some(a) = hit {
                    if after_alnum {
                        out.push('_');
                    }
                    out.push_str(&ruby_downcase(a));
                    pos += a.len();
                    prev = a.chars().next_back();
                    continue;
                }
            }
            out.push(cur);
            pos += cur.len_utf8();
            prev = Some(cur);
        }
        out
    }

    /// `classify(table_name)`: `"public.user_roles"` → `"UserRole"`.
    pub fn classify(&self, table: &str) -> String {
        // `sub(/.*\./, "")`: everything up to the last dot on the first line that has
        // one (`.` stops at a line break).
        let name = match table
            .split_inclusive('\n')
            .scan(0, |start, line| {
                let at = *start;
                *start += line.len();
                Some((at, line))
            })
            .find_map(|(at, line)| line.rfind('.').map(|dot| (at, dot)))
        {
            Some((at, dot)) => format!("{}{}", &table[..at], &table[at + dot + 1..]),
            None => table.to_owned(),
        };
        self.camelize(&self.singularize(&name))
    }

    /// `tableize(class_name)` = `pluralize(underscore(class_name))`:
    /// `"Admin::User"` → `"admin/users"` (not ActiveRecord's table name).
    pub fn tableize(&self, class_name: &str) -> String {
        self.pluralize(&self.underscore(class_name))
    }

    /// `foreign_key(class_name)`: `"Admin::UserRole"` → `"user_role_id"`.
    pub fn foreign_key(&self, class_name: &str) -> String {
        let mut key = self.underscore(demodulize(class_name));
        key.push_str("_id");
        key
    }
}

/// `demodulize`: the text after the last `::`.
pub fn demodulize(s: &str) -> &str {
    match s.rfind("::") {
        Some(i) => &s[i + 2..],
        None => s,
    }
}

/// `deconstantize`: the text before the last `::` (empty without one).
pub fn deconstantize(s: &str) -> &str {
    match s.rfind("::") {
        Some(i) => &s[..i],
        None => "",
    }
}

/// Onigmo's `\b` between two characters (`None` = outside the text).
fn is_boundary(before: Option<char>, after: Option<char>) -> bool {
    let word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    word(before) != word(after)
}

/// Ruby's `String#downcase`: full Unicode mapping, character by character (no
/// final-sigma rule, unlike `str::to_lowercase`).
fn ruby_downcase(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Ruby's `String#capitalize` on the ASCII-ish runs camelize feeds it.
fn ruby_capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_rule_compiles() {
        let i = Inflector::default();
        let rules = i.plurals.list.iter().chain(&i.singulars.list);
        let mut n = 0;
        for rule in rules {
            if let Matcher::Regex(re) = &rule.matcher {
                assert!(re.get().is_ok(), "{}", re.as_str());
                n += 1;
            }
        }
        assert_eq!(n, 21 + 27 + 6 * 4);
    }

    #[test]
    fn built_in_rules_match_ascii_words_alike_in_both_engines() {
        let i = Inflector::default();
        let listed = include_str!("../../tests/inflector/words.txt");
        let words: Vec<&str> = listed
            .lines()
            .filter(|l| !l.starts_with('#') && l.is_ascii())
            .chain(["", "S", "OXEN", "Quizzes", "matrices_x", "x-ox", "sheep\n"])
            .collect();
        let mut rules = 0;
        for rule in i.plurals.list.iter().chain(&i.singulars.list) {
            let Matcher::Regex(re) = &rule.matcher else {
                continue;
            };
            rules += 1;
            for w in &words {
                assert!(re.engines_agree(w), "{} on {w:?}", re.as_str());
            }
        }
        assert_eq!(rules, 21 + 27 + 6 * 4);
    }

    #[test]
    fn uncountables_without_the_regex_agree_with_it() {
        let mut u = Uncountables::default();
        u.add(&["equipment", "sheep", "-x", "my_fish", "data set"]);
        for w in [
            "equipment",
            "Equipment",
            "office_equipment",
            "officeequipment",
            "sheep\n",
            "sheep\n\n",
            "a-x",
            "a--x",
            "ax-x",
            "-x",
            "x",
            "my_fish",
            "MY_FISH",
            "the data set",
            "bigdata set",
            "",
            "sheeps",
            "black sheep",
            "sheep ",
        ] {
            assert_eq!(u.contains_ascii(w), u.contains_by_regex(w), "{w:?}");
        }
    }

    #[test]
    fn rules_passed_over_without_compiling_cannot_match() {
        let i = Inflector::default();
        let listed = include_str!("../../tests/inflector/words.txt");
        let extra = [
            "",
            "s",
            "S",
            "ſ",
            "ox\nen",
            "octopus\n",
            "Kelvin\u{212a}",
            "ÉCOLE",
            "bus",
            "quizzes",
        ];
        let words: Vec<&str> = listed
            .lines()
            .filter(|l| !l.starts_with('#'))
            .chain(extra)
            .collect();
        let (mut passed_over, mut tried) = (0, 0);
        for rule in i.plurals.list.iter().chain(&i.singulars.list) {
            let Matcher::Regex(re) = &rule.matcher else {
                continue;
            };
            for w in &words {
                if re.may_match(w) {
                    tried += 1;
                } else {
                    passed_over += 1;
                    assert!(
                        !re.get().unwrap().is_match(w),
                        "{} matches {w:?}",
                        re.as_str()
                    );
                }
            }
        }
        // The filter is worth having only if it passes over most pairs.
        assert!(
            passed_over > 4 * tried,
            "{passed_over} passed over, {tried} tried"
        );
    }

    #[test]
    fn a_project_rule_the_regex_engine_refuses_is_refused_when_added() {
        let mut i = Inflector::default();
        // Valid syntax, but compiled far beyond the regex crate's size limit.
        let err = i
            .try_plural(Rule::regex("(?:\\w{100}){100}{100}$"), "x")
            .unwrap_err();
        assert!(err.message.contains("exceeds size limit"), "{err}");
        assert_eq!(i.pluralize("post"), "posts");
    }

    #[test]
    fn verified_outputs() {
        let i = Inflector::default();
        for (s, p) in [
            ("salesperson", "salespeople"),
            ("human", "humen"),
            ("leaf", "leafs"),
            ("bonus", "bonus"),
            ("my_fish", "my_fishes"),
            ("selffish", "selffishes"),
            ("octopus", "octopi"),
            ("user_address", "user_addresses"),
        ] {
            assert_eq!(i.pluralize(s), p, "{s}");
        }
        assert_eq!(i.singularize("bonus"), "bonu");
        assert_eq!(i.classify("data"), "Datum");
        assert_eq!(i.pluralize(""), "");
        assert_eq!(i.singularize(""), "");
        assert_eq!(i.camelize(""), "");
        assert_eq!(i.underscore(""), "");
    }

    #[test]
    fn trailing_newline_like_ruby() {
        let i = Inflector::default();
        assert_eq!(i.pluralize("fish\n"), "fish\n");
        assert_eq!(i.pluralize("ox\n"), "oxen\n");
    }

    #[test]
    fn string_rules_match_literally_and_drop_uncountables() {
        let mut i = Inflector::default();
        i.plural(Rule::Str("fish".into()), "fishies");
        // Ruby: "my_fish_tank".sub("fish", "fishies")
        assert_eq!(i.pluralize("fish"), "fishies");
        assert_eq!(i.pluralize("my_fish_tank"), "my_fishies_tank");
        assert!(!i.uncountables().contains(&"fish".to_owned()));
    }

    #[test]
    fn untranslatable_rules_are_errors_and_change_nothing() {
        let mut i = Inflector::default();
        assert!(i.try_plural(Rule::regex_i("(?<=a)b$"), "c").is_err());
        assert!(i.try_singular(Rule::regex_i(r"(a)\1$"), "c").is_err());
        assert!(i.try_plural(Rule::regex_i("(a)$"), r"\k<x>").is_err());
        assert!(i.try_acronym("C++").is_err());
        assert!(i.try_irregular("", "x").is_err());
        assert!(i.try_irregular("a(?=", "b").is_err());
        assert_eq!(i.pluralize("cab"), "cabs");
    }

    #[test]
    fn clear_all_keeps_acronyms() {
        let mut i = Inflector::default();
        i.acronym("API");
        i.clear(ClearScope::All);
        assert_eq!(i.pluralize("post"), "post");
        assert_eq!(i.pluralize("fish"), "fish");
        assert_eq!(i.camelize("api"), "API");
    }

    #[test]
    fn demodulize_and_deconstantize() {
        assert_eq!(demodulize("Admin::User"), "User");
        assert_eq!(demodulize("User"), "User");
        assert_eq!(deconstantize("A::B::C"), "A::B");
        assert_eq!(deconstantize("C"), "");
    }
}
