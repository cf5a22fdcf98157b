//! Ruby (Onigmo) regular expressions and `String#sub` replacement strings, translated
//! for the `regex` crate.
//!
//! The translation is exact for the syntax it accepts and refuses the rest (lookaround,
//! back-references, possessive quantifiers, POSIX brackets, ...) with a message, so a
//! caller can say it could not evaluate a rule instead of guessing.
//!
//! Differences that remain, all on inputs no Rails name contains:
//! - `\Z` is translated as `\z` (Ruby also matches before a final `"\n"`);
//! - `^` also matches after a trailing `"\n"` at the very end of the text;
//! - case-insensitive matching uses simple Unicode case folding (Onigmo also folds
//!   multi-character sequences such as `ß` / `ss`).

use std::sync::OnceLock;

use regex::Regex;

/// A Ruby pattern translated to `regex` syntax, compiled on first use.
#[derive(Debug, Clone)]
pub(crate) struct Translated {
    pub regex: LazyRegex,
    /// Whether the pattern defines named groups. Onigmo then leaves plain `(...)`
    /// groups uncaptured and ignores numbered references in replacements.
    pub has_named_groups: bool,
}

/// A translated pattern whose syntax is known to be valid, compiled when first
/// matched: most rules of an inflector are never the one that matches a word, and
/// compiling them all would cost more than the rest of a small project's analysis.
#[derive(Debug, Clone)]
pub(crate) struct LazyRegex {
    source: String,
    pattern: String,
    required: Option<Required>,
    compiled: OnceLock<Result<Regex, String>>,
    /// The same pattern compiled by `regex-lite`, for ASCII words, when the pattern is
    /// ASCII too: on such text nothing it leaves out of `regex` (Unicode classes and
    /// case folding) can make a difference, and it compiles in microseconds. `None`
    /// when the pattern is not ASCII or `regex-lite` refuses it.
    lite: OnceLock<Option<regex_lite::Regex>>,
}

/// The groups of one match, from either engine.
pub(crate) trait Groups {
    fn group(&self, n: usize) -> Option<&str>;
    fn named(&self, name: &str) -> Option<&str>;
}

impl Groups for regex::Captures<'_> {
    fn group(&self, n: usize) -> Option<&str> {
        self.get(n).map(|m| m.as_str())
    }
    fn named(&self, name: &str) -> Option<&str> {
        self.name(name).map(|m| m.as_str())
    }
}

impl Groups for regex_lite::Captures<'_> {
    fn group(&self, n: usize) -> Option<&str> {
        self.get(n).map(|m| m.as_str())
    }
    fn named(&self, name: &str) -> Option<&str> {
        self.name(name).map(|m| m.as_str())
    }
}

/// What the text of every match holds, from the pattern's suffix literals: one of
/// `literals` at the end of the match, which is the end of a word when `at_end`
/// (the pattern ends with `\z` or `$`) and the word has no line break. The literals
/// are kept ASCII-lower-cased and compared ignoring ASCII case: a weaker test than
/// the exact one (a word passing it may still not match), but one literal instead of
/// every case variant `(?i)` gives.
#[derive(Debug, Clone)]
struct Required {
    at_end: bool,
    literals: Vec<Vec<u8>>,
}

impl Required {
    fn of(hir: &regex_syntax::hir::Hir) -> Option<Required> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        use regex_syntax::hir::Look;
        let seq = Extractor::new().kind(ExtractKind::Suffix).extract(hir);
        let mut literals: Vec<Vec<u8>> = seq
            .literals()?
            .iter()
            .map(|l| l.as_bytes().to_ascii_lowercase())
            .collect();
        literals.sort_unstable();
        literals.dedup();
        if literals.iter().any(Vec::is_empty) {
            return None;
        }
        let ends = hir.properties().look_set_suffix();
        let at_end = ends.contains(Look::End) || ends.contains(Look::EndLF);
        Some(Required { at_end, literals })
    }

    fn allows(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        if self.at_end && !bytes.contains(&b'\n') {
            self.literals.iter().any(|l| {
                bytes.len() >= l.len() && bytes[bytes.len() - l.len()..].eq_ignore_ascii_case(l)
            })
        } else {
            self.literals
                .iter()
                .any(|l| bytes.windows(l.len()).any(|w| w.eq_ignore_ascii_case(l)))
        }
    }
}

impl LazyRegex {
    /// Whether the pattern may match `word`: `false` only when no match is possible,
    /// found without compiling the pattern.
    pub fn may_match(&self, word: &str) -> bool {
        self.required.as_ref().is_none_or(|r| r.allows(word))
    }

    /// Ruby's `word.sub(rule, replacement)` with this pattern: `None` when it does not
    /// match (or cannot be compiled: a rule the project gives was compiled when it was
    /// added, and refused then; the built-in ones compile).
    pub fn sub(&self, word: &str, replacement: &[Piece]) -> Option<String> {
        if word.is_ascii() {
            if let Some(lite) = self.lite() {
                let caps = lite.captures(word)?;
                let whole = caps.get(0).expect("group 0 always matches").range();
                return Some(substitute(replacement, word, whole, Some(&caps)));
            }
        }
        let caps = self.get().ok()?.captures(word)?;
        let whole = caps.get(0).expect("group 0 always matches").range();
        Some(substitute(replacement, word, whole, Some(&caps)))
    }

    fn lite(&self) -> Option<&regex_lite::Regex> {
        self.lite
            .get_or_init(|| {
                self.pattern
                    .is_ascii()
                    .then(|| regex_lite::Regex::new(&self.pattern).ok())
                    .flatten()
            })
            .as_ref()
    }

    /// Whether both engines find the same groups in `word` (or `regex-lite` is not
    /// used for this pattern).
    #[cfg(test)]
    pub fn engines_agree(&self, word: &str) -> bool {
        let Some(lite) = self.lite() else {
            return true;
        };
        let full = self.get().expect("a pattern that compiles");
        let lite: Option<Vec<_>> = lite
            .captures(word)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect());
        let full: Option<Vec<_>> = full
            .captures(word)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect());
        lite == full
    }

    /// The pattern in `regex` syntax.
    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The compiled regex, or why it cannot be compiled (its syntax was checked when it
    /// was translated, so only a compiled size beyond the `regex` crate's limit is left).
    pub fn get(&self) -> Result<&Regex, &str> {
        self.compiled
            .get_or_init(|| {
                Regex::new(&self.pattern).map_err(|e| {
                    format!(
                        "the Ruby regex /{}/ has no equivalent in fullscan's regex engine ({})",
                        self.source,
                        last_line(&e.to_string())
                    )
                })
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Translates a Ruby regex source (the text between the slashes) and checks the
/// result's syntax; it is compiled on first use ([`LazyRegex::get`]).
pub(crate) fn translate(source: &str, case_insensitive: bool) -> Result<Translated, String> {
    let has_named_groups = scan_named_groups(source);
    let mut t = Translator {
        cs: source.chars().collect(),
        i: 0,
        out: String::with_capacity(source.len() + 16),
        named: has_named_groups,
        groups: vec![Group {
            extended: false,
            isolated_closes: 0,
        }],
    };
    t.run()?;
    let pattern = if case_insensitive {
        format!("(?i){}", t.out)
    } else {
        t.out
    };
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&pattern)
        .map_err(|e| {
            format!(
                "the Ruby regex /{source}/ has no equivalent in fullscan's regex engine ({})",
                last_line(&e.to_string())
            )
        })?;
    Ok(Translated {
        regex: LazyRegex {
            source: source.to_owned(),
            pattern,
            required: Required::of(&hir),
            compiled: OnceLock::new(),
            lite: OnceLock::new(),
        },
        has_named_groups,
    })
}

/// The last non-empty line of a `regex` error (the one that says what is wrong).
fn last_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

/// Whether the source defines a named group `(?<name>...)` / `(?'name'...)`.
fn scan_named_groups(source: &str) -> bool {
    let cs: Vec<char> = source.chars().collect();
    let mut i = 0;
    let mut class_depth = 0usize;
    while i < cs.len() {
        match cs[i] {
            '\\' => i += 1,
            '[' => class_depth += 1,
            ']' if class_depth > 0 => class_depth -= 1,
            '(' if class_depth == 0 && cs.get(i + 1) == Some(&'?') => match cs.get(i + 2) {
                Some('\'') => return true,
                Some('<') if !matches!(cs.get(i + 3), Some('=') | Some('!')) => return true,
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    false
}

struct Group {
    /// `x` flag: whitespace and `#` comments are ignored outside classes.
    extended: bool,
    /// Extra `)` to emit when this group closes: Onigmo scopes an isolated `(?i)` to
    /// the rest of the enclosing group *including later alternatives*, so `a(?i)b|c`
    /// means `a(?i:b|c)`.
    isolated_closes: usize,
}

struct Translator {
    cs: Vec<char>,
    i: usize,
    out: String,
    named: bool,
    groups: Vec<Group>,
}

const WORD: &str = "0-9A-Za-z_";
const SPACE: &str = "\\t\\n\\x0B\\x0C\\r ";
const HEX: &str = "0-9A-Fa-f";

impl Translator {
    fn peek(&self, k: usize) -> Option<char> {
        self.cs.get(self.i + k).copied()
    }

    fn extended(&self) -> bool {
        self.groups.last().is_some_and(|g| g.extended)
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek(0) {
            self.i += 1;
            match c {
                '\\' => self.escape_outside()?,
                '(' => self.open_group()?,
                ')' => self.close_group()?,
                '[' => self.class()?,
                '^' => self.out.push_str("(?m:^)"),
                '$' => self.out.push_str("(?m:$)"),
                '.' => self.out.push('.'),
                '|' => self.out.push('|'),
                '*' | '+' | '?' => {
                    self.out.push(c);
                    self.quantifier_suffix()?;
                }
                '{' => match self.interval() {
                    Some(q) => {
                        self.out.push_str(&q);
                        self.quantifier_suffix()?;
                    }
                    None => self.out.push_str("\\{"),
                },
                c if self.extended() && c.is_whitespace() => {}
                '#' if self.extended() => {
                    while let Some(c) = self.peek(0) {
                        self.i += 1;
                        if c == '\n' {
                            break;
                        }
                    }
                }
                c => self.literal(c),
            }
        }
        if self.groups.len() != 1 {
            return Err("unbalanced parentheses".into());
        }
        let closes = self.groups[0].isolated_closes;
        self.out.push_str(&")".repeat(closes));
        Ok(())
    }

    fn literal(&mut self, c: char) {
        self.out
            .push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
    }

    /// After `*`, `+`, `?` or `{n,m}`: a lazy `?` is kept, a possessive `+` refused.
    fn quantifier_suffix(&mut self) -> Result<(), String> {
        match self.peek(0) {
            Some('?') => {
                self.i += 1;
                self.out.push('?');
            }
            Some('+') => return Err("possessive quantifiers are not supported".into()),
            _ => {}
        }
        Ok(())
    }

    /// `{n}`, `{n,}`, `{,m}`, `{n,m}` after the `{`; `None` when Onigmo reads the `{` as
    /// a literal.
    fn interval(&mut self) -> Option<String> {
        let mut j = self.i;
        let mut low = String::new();
        while let Some(c) = self.cs.get(j).filter(|c| c.is_ascii_digit()) {
            low.push(*c);
            j += 1;
        }
        let mut high = None;
        if self.cs.get(j) == Some(&',') {
            j += 1;
            let mut h = String::new();
            while let Some(c) = self.cs.get(j).filter(|c| c.is_ascii_digit()) {
                h.push(*c);
                j += 1;
            }
            high = Some(h);
        }
        if self.cs.get(j) != Some(&'}') {
            return None;
        }
        let q = match (low.is_empty(), high) {
            (true, None) => return None,
            (true, Some(h)) if h.is_empty() => return None,
            (true, Some(h)) => format!("{{0,{h}}}"),
            (false, None) => format!("{{{low}}}"),
            (false, Some(h)) => format!("{{{low},{h}}}"),
        };
        self.i = j + 1;
        Some(q)
    }

    fn open_group(&mut self) -> Result<(), String> {
        let extended = self.extended();
        if self.peek(0) != Some('?') {
            self.out.push_str(if self.named { "(?:" } else { "(" });
            self.groups.push(Group {
                extended,
                isolated_closes: 0,
            });
            return Ok(());
        }
        self.i += 1;
        match self.peek(0) {
            Some(':') => {
                self.i += 1;
                self.out.push_str("(?:");
                self.groups.push(Group {
                    extended,
                    isolated_closes: 0,
                });
                Ok(())
            }
            Some('#') => {
                while let Some(c) = self.peek(0) {
                    self.i += 1;
                    if c == ')' {
                        return Ok(());
                    }
                }
                Err("unterminated (?# comment".into())
            }
            Some('<') if !matches!(self.peek(1), Some('=') | Some('!')) => {
                self.i += 1;
                self.named_group('>', extended)
            }
            Some('\'') => {
                self.i += 1;
                self.named_group('\'', extended)
            }
            Some('=') | Some('!') | Some('<') => {
                Err("lookaround assertions are not supported".into())
            }
            Some('>') => Err("atomic groups are not supported".into()),
            Some('~') => Err("the absent operator is not supported".into()),
            Some('(') => Err("conditional groups are not supported".into()),
            _ => self.option_group(extended),
        }
    }

    fn named_group(&mut self, close: char, extended: bool) -> Result<(), String> {
        let mut name = String::new();
        loop {
            match self.peek(0) {
                Some(c) if c == close => {
                    self.i += 1;
                    break;
                }
                Some(c) if c.is_alphanumeric() || c == '_' => {
                    name.push(c);
                    self.i += 1;
                }
                _ => return Err("invalid group name".into()),
            }
        }
        self.out.push_str(&format!("(?<{name}>"));
        self.groups.push(Group {
            extended,
            isolated_closes: 0,
        });
        Ok(())
    }

    /// `(?imx-imx)` or `(?imx-imx:...)`.
    fn option_group(&mut self, extended: bool) -> Result<(), String> {
        let mut on = String::new();
        let mut off = String::new();
        let mut negate = false;
        let mut new_extended = extended;
        loop {
            let Some(c) = self.peek(0) else {
                return Err("unterminated group".into());
            };
            self.i += 1;
            match c {
                '-' if !negate => negate = true,
                'i' | 'm' => {
                    // Ruby's `m` is "dot matches newline", `s` in the `regex` crate.
                    let f = if c == 'm' { 's' } else { 'i' };
                    if negate {
                        off.push(f);
                    } else {
                        on.push(f);
                    }
                }
                'x' => new_extended = !negate,
                ':' | ')' => {
                    let flags = if off.is_empty() {
                        on
                    } else {
                        format!("{on}-{off}")
                    };
                    let isolated = c == ')';
                    self.out.push_str("(?");
                    self.out.push_str(&flags);
                    self.out.push(':');
                    if isolated {
                        // Scope to the rest of the enclosing group (see `Group`).
                        let g = self.groups.last_mut().expect("group stack never empty");
                        g.isolated_closes += 1;
                        g.extended = new_extended;
                    } else {
                        self.groups.push(Group {
                            extended: new_extended,
                            isolated_closes: 0,
                        });
                    }
                    return Ok(());
                }
                other => return Err(format!("the group option `{other}` is not supported")),
            }
        }
    }

    fn close_group(&mut self) -> Result<(), String> {
        if self.groups.len() == 1 {
            return Err("unbalanced parentheses".into());
        }
        let g = self.groups.pop().expect("checked above");
        self.out.push_str(&")".repeat(g.isolated_closes + 1));
        Ok(())
    }

    fn escape_outside(&mut self) -> Result<(), String> {
        let Some(c) = self.peek(0) else {
            return Err("trailing backslash".into());
        };
        self.i += 1;
        let s: String = match c {
            'A' => "\\A".into(),
            'z' => "\\z".into(),
            'Z' => "\\z".into(),
            'b' => "\\b".into(),
            'B' => "\\B".into(),
            // Onigmo's \d \w \s \h are ASCII-only and not case-folded under /i.
            'd' => "[0-9]".into(),
            'D' => "[^0-9]".into(),
            'w' => format!("(?-i:[{WORD}])"),
            'W' => format!("(?-i:[^{WORD}])"),
            's' => format!("[{SPACE}]"),
            'S' => format!("[^{SPACE}]"),
            'h' => format!("(?-i:[{HEX}])"),
            'H' => format!("(?-i:[^{HEX}])"),
            'p' | 'P' => self.property(c)?,
            '1'..='9' => return Err("back-references are not supported".into()),
            'k' | 'g' => {
                return Err(
                    "named back-references and subexpression calls are not supported".into(),
                )
            }
            'G' | 'K' | 'R' | 'X' | 'y' | 'Y' => return Err(format!("`\\{c}` is not supported")),
            _ => self.char_escape(c)?,
        };
        self.out.push_str(&s);
        Ok(())
    }

    /// `\p{Name}`, `\p{^Name}`, `\P{Name}`: passed through (the regex compiler rejects
    /// names it does not know).
    fn property(&mut self, c: char) -> Result<String, String> {
        if self.peek(0) != Some('{') {
            return Err(format!("`\\{c}` without braces is not supported"));
        }
        self.i += 1;
        let mut negated = c == 'P';
        if self.peek(0) == Some('^') {
            negated = !negated;
            self.i += 1;
        }
        let mut name = String::new();
        loop {
            match self.peek(0) {
                Some('}') => {
                    self.i += 1;
                    break;
                }
                Some(ch) if ch.is_alphanumeric() || ch == '_' || ch == ' ' || ch == '-' => {
                    name.push(ch);
                    self.i += 1;
                }
                _ => return Err("invalid character property".into()),
            }
        }
        Ok(format!("\\{}{{{name}}}", if negated { 'P' } else { 'p' }))
    }

    /// Escapes that stand for one character, outside and inside classes.
    fn char_escape(&mut self, c: char) -> Result<String, String> {
        let code = match c {
            'n' => 0x0A,
            't' => 0x09,
            'r' => 0x0D,
            'f' => 0x0C,
            'v' => 0x0B,
            'a' => 0x07,
            'e' => 0x1B,
            '0' => {
                let mut v = 0u32;
                for _ in 0..2 {
                    match self.peek(0).and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            self.i += 1;
                        }
                        None => break,
                    }
                }
                v
            }
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match self.peek(0).and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            self.i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    return Err("invalid \\x escape".into());
                }
                if v > 0x7F {
                    return Err("byte escapes above \\x7F are not supported".into());
                }
                v
            }
            'u' => {
                let mut v = 0u32;
                if self.peek(0) == Some('{') {
                    self.i += 1;
                    let mut n = 0;
                    while let Some(d) = self.peek(0).and_then(|d| d.to_digit(16)) {
                        v = v.saturating_mul(16).saturating_add(d);
                        self.i += 1;
                        n += 1;
                    }
                    if n == 0 || self.peek(0) != Some('}') {
                        return Err("unsupported \\u{...} escape".into());
                    }
                    self.i += 1;
                } else {
                    for _ in 0..4 {
                        let Some(d) = self.peek(0).and_then(|d| d.to_digit(16)) else {
                            return Err("invalid \\u escape".into());
                        };
                        v = v * 16 + d;
                        self.i += 1;
                    }
                }
                v
            }
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("the escape `\\{c}` is not supported"));
            }
            // `\/`, `\.`, `\-`, a non-ASCII character...: the character itself.
            c => c as u32,
        };
        let ch = char::from_u32(code).ok_or("invalid code point in escape")?;
        Ok(regex::escape(ch.encode_utf8(&mut [0; 4])))
    }

    /// A bracket expression, after its `[`.
    fn class(&mut self) -> Result<(), String> {
        self.out.push('[');
        if self.peek(0) == Some('^') {
            self.i += 1;
            self.out.push('^');
        }
        if self.peek(0) == Some(']') {
            self.i += 1;
            self.out.push_str("\\]");
        }
        loop {
            let Some(c) = self.peek(0) else {
                return Err("unterminated character class".into());
            };
            self.i += 1;
            match c {
                ']' => {
                    self.out.push(']');
                    return Ok(());
                }
                '[' => {
                    if self.peek(0) == Some(':') {
                        return Err("POSIX bracket expressions are not supported".into());
                    }
                    self.class()?;
                }
                '\\' => {
                    let Some(e) = self.peek(0) else {
                        return Err("trailing backslash".into());
                    };
                    self.i += 1;
                    let s = match e {
                        'd' => "0-9".to_owned(),
                        'D' => "[^0-9]".to_owned(),
                        'w' => WORD.to_owned(),
                        'W' => format!("[^{WORD}]"),
                        's' => SPACE.to_owned(),
                        'S' => format!("[^{SPACE}]"),
                        'h' => HEX.to_owned(),
                        'H' => format!("[^{HEX}]"),
                        'b' => "\\x08".to_owned(),
                        'p' | 'P' => self.property(e)?,
                        _ => self.char_escape(e)?,
                    };
                    self.out.push_str(&s);
                }
                '&' if self.peek(0) == Some('&') => {
                    self.i += 1;
                    self.out.push_str("&&");
                }
                '-' if self.peek(0) == Some('-') => {
                    return Err("`--` inside a character class is ambiguous".into());
                }
                '-' => self.out.push('-'),
                c => self.literal(c),
            }
        }
    }
}

/// One piece of a Ruby replacement string (`String#sub(pattern, replacement)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    /// `\1`..`\9`
    Group(usize),
    /// `\k<name>`
    Named(String),
    /// `\0`, `\&`
    Whole,
    /// `` \` ``
    Pre,
    /// `\'`
    Post,
}

/// Parses a replacement string the way Ruby's `rb_reg_regsub` reads it.
///
/// `regex` is `None` for a String pattern. Numbered references expand to nothing for a
/// String pattern or a regex with named groups; an unmatched or missing group expands
/// to nothing. `\k<name>` for a name the pattern lacks raises in Ruby, so it is refused.
pub(crate) fn parse_replacement(
    replacement: &str,
    regex: Option<&Translated>,
) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut it = replacement.chars().peekable();
    let flush = |text: &mut String, pieces: &mut Vec<Piece>| {
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(text)));
        }
    };
    while let Some(c) = it.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        let Some(&n) = it.peek() else {
            text.push('\\');
            break;
        };
        it.next();
        match n {
            '1'..='9' => {
                if regex.is_some_and(|t| !t.has_named_groups) {
                    flush(&mut text, &mut pieces);
                    pieces.push(Piece::Group(n as usize - '0' as usize));
                }
            }
            '0' | '&' => {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Whole);
            }
            '`' => {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Pre);
            }
            '\'' => {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Post);
            }
            '\\' => text.push('\\'),
            'k' if it.peek() == Some(&'<') => {
                it.next();
                let mut name = String::new();
                loop {
                    match it.next() {
                        Some('>') => break,
                        Some(ch) => name.push(ch),
                        None => return Err("invalid group name reference in replacement".into()),
                    }
                }
                let known = match regex {
                    Some(t) => t.regex.get()?.capture_names().flatten().any(|g| g == name),
                    None => false,
                };
                if !known {
                    return Err(format!(
                        "the replacement refers to the group `{name}`, which the pattern does not define"
                    ));
                }
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Named(name));
            }
            other => {
                text.push('\\');
                text.push(other);
            }
        }
    }
    flush(&mut text, &mut pieces);
    Ok(pieces)
}

/// Expands parsed replacement pieces for a match `whole` (byte range) in `haystack`.
/// `haystack` with its `whole` range replaced by `pieces`.
pub(crate) fn substitute(
    pieces: &[Piece],
    haystack: &str,
    whole: std::ops::Range<usize>,
    caps: Option<&dyn Groups>,
) -> String {
    let mut out = String::with_capacity(haystack.len() + 4);
    out.push_str(&haystack[..whole.start]);
    expand(pieces, haystack, whole.clone(), caps, &mut out);
    out.push_str(&haystack[whole.end..]);
    out
}

fn expand(
    pieces: &[Piece],
    haystack: &str,
    whole: std::ops::Range<usize>,
    caps: Option<&dyn Groups>,
    out: &mut String,
) {
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Whole => out.push_str(&haystack[whole.clone()]),
            Piece::Pre => out.push_str(&haystack[..whole.start]),
            Piece::Post => out.push_str(&haystack[whole.end..]),
            Piece::Group(n) => {
                if let Some(m) = caps.and_then(|c| c.group(*n)) {
                    out.push_str(m);
                }
            }
            Piece::Named(name) => {
                if let Some(m) = caps.and_then(|c| c.named(name)) {
                    out.push_str(m);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(src: &str) -> String {
        let mut t = Translator {
            cs: src.chars().collect(),
            i: 0,
            out: String::new(),
            named: scan_named_groups(src),
            groups: vec![Group {
                extended: false,
                isolated_closes: 0,
            }],
        };
        t.run().unwrap();
        t.out
    }

    #[test]
    fn anchors_and_shorthands() {
        assert_eq!(tr("^(ox)$"), "(?m:^)(ox)(?m:$)");
        assert_eq!(tr(r"\Aa\d\z"), r"\Aa[0-9]\z");
        assert_eq!(tr(r"a\/b"), "a/b");
        assert_eq!(tr("a{,2}b{x}"), r"a{0,2}b\{x\}");
    }

    #[test]
    fn isolated_options_scope_to_the_rest_of_the_group() {
        assert_eq!(tr("a(?i)b|c"), "a(?i:b|c)");
        assert_eq!(tr("(a(?i)b|c)d"), "(a(?i:b|c))d");
        assert_eq!(tr("(?m-i:a.)"), "(?s-i:a.)");
    }

    #[test]
    fn extended_mode_is_applied_here() {
        assert_eq!(tr("(?x) a b # c\n [ ]"), "(?:ab[ ])");
    }

    #[test]
    fn named_groups_make_plain_groups_uncaptured() {
        assert_eq!(tr("(?<x>a)(b)"), "(?<x>a)(?:b)");
    }

    #[test]
    fn refuses_what_it_cannot_translate() {
        for src in [
            "(?=a)",
            "(?<!a)b",
            r"(a)\1",
            "a++",
            "(?>a)",
            "[[:alpha:]]",
            r"\k<x>",
            "(a",
        ] {
            assert!(translate(src, false).is_err(), "{src}");
        }
    }
}
