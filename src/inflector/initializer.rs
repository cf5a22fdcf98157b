//! Reads `config/initializers/inflections.rb`: the literal calls inside
//! `ActiveSupport::Inflector.inflections(:en) do |inflect| ... end` (and the
//! `ActiveSupport::Inflector.inflections(:en).irregular(...)` one-liner) are applied in
//! source order; everything else that touches the inflections becomes a warning.

use tree_sitter::Node;

use super::{ClearScope, Inflector, Rule};
use crate::ruby::{call_args, line, literal, parse, preorder, text, Literal};

/// Something in an inflections initializer that fullscan did not (or could not) apply.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InflectionWarning {
    pub line: u32,
    pub message: String,
}

/// A step found in the file, applied after sorting by position.
enum Step<'t> {
    /// `inflect.irregular(...)` & co.
    Call(Node<'t>),
    Warn(u32, String),
}

impl Inflector {
    /// Applies the inflection definitions of an initializer on top of the current rules,
    /// as Rails does at boot. Returns what could not be evaluated; never guesses.
    pub fn apply_initializer(&mut self, source: &str) -> Vec<InflectionWarning> {
        let mut warnings = Vec::new();
        let Some(tree) = parse(source) else {
            warnings.push(InflectionWarning {
                line: 1,
                message: "could not parse the file".into(),
            });
            return warnings;
        };
        let root = tree.root_node();
        if root.has_error() {
            let at = preorder(root)
                .find(|n| n.is_error() || n.is_missing())
                .map_or(1, line);
            warnings.push(InflectionWarning {
                line: at,
                message: "the file has syntax errors; inflections in the broken part may be missed"
                    .into(),
            });
        }

        let mut steps: Vec<(usize, Step<'_>)> = Vec::new();
        for node in preorder(root) {
            if !is_inflections_call(node, source) {
                continue;
            }
            let at = node.start_byte();
            if !locale_is_en(node, source, &mut steps) {
                continue;
            }
            if let Some(kind) = conditional_ancestor(node) {
                steps.push((
                    at,
                    Step::Warn(
                        line(node),
                        format!("inflections defined inside {kind}: applied as if it always runs"),
                    ),
                ));
            }
            if let Some(block) = node.child_by_field_name("block") {
                collect_block(block, source, &mut steps);
            } else if let Some(parent) = node
                .parent()
                .filter(|p| p.kind() == "call")
                .filter(|p| p.child_by_field_name("receiver").map(|r| r.id()) == Some(node.id()))
            {
                steps.push((parent.start_byte(), Step::Call(parent)));
            } else {
                steps.push((
                    at,
                    Step::Warn(
                        line(node),
                        format!(
                            "could not follow `{}`: only a block or a direct method call on it is read",
                            snippet(node, source)
                        ),
                    ),
                ));
            }
        }

        steps.sort_by_key(|(at, _)| *at);
        for (_, step) in steps {
            match step {
                Step::Warn(line, message) => warnings.push(InflectionWarning { line, message }),
                Step::Call(call) => {
                    if let Err(message) = self.apply_call(call, source) {
                        warnings.push(InflectionWarning {
                            line: line(call),
                            message: format!(
                                "could not evaluate `{}`: {message}",
                                snippet(call, source)
                            ),
                        });
                    }
                }
            }
        }
        warnings
    }

    /// Applies one `inflect.method(args)` call.
    fn apply_call(&mut self, call: Node<'_>, src: &str) -> Result<(), String> {
        let method = call
            .child_by_field_name("method")
            .map(|m| text(m, src))
            .unwrap_or("");
        if call.child_by_field_name("block").is_some() {
            return Err("a block is passed".into());
        }
        let args = call_args(call, src);
        if !args.options.is_empty() || args.dynamic_options {
            return Err("keyword arguments are not expected here".into());
        }
        let pos = &args.positional;
        let arity = |n: usize| -> Result<(), String> {
            if pos.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "`{method}` takes {n} argument(s), {} given",
                    pos.len()
                ))
            }
        };
        match method {
            "irregular" => {
                arity(2)?;
                let singular = string_value(pos[0], src)?;
                let plural = string_value(pos[1], src)?;
                self.try_irregular(&singular, &plural)
                    .map_err(|e| e.message)
            }
            "plural" | "singular" => {
                arity(2)?;
                let rule = rule_value(pos[0], src)?;
                let replacement = string_value(pos[1], src)?;
                if method == "plural" {
                    self.try_plural(rule, &replacement)
                } else {
                    self.try_singular(rule, &replacement)
                }
                .map_err(|e| e.message)
            }
            "uncountable" => {
                let mut words = Vec::new();
                for &arg in pos {
                    collect_strings(arg, src, &mut words)?;
                }
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                self.uncountable(&words);
                Ok(())
            }
            "acronym" => {
                arity(1)?;
                let word = string_value(pos[0], src)?;
                self.try_acronym(&word).map_err(|e| e.message)
            }
            "clear" => {
                let scope = match pos.as_slice() {
                    [] => ClearScope::All,
                    [scope] => match literal(*scope, src) {
                        Literal::Symbol(s) if s == "all" => ClearScope::All,
                        Literal::Symbol(s) if s == "plurals" => ClearScope::Plurals,
                        Literal::Symbol(s) if s == "singulars" => ClearScope::Singulars,
                        // Humanize rules do not affect the functions fullscan uses.
                        Literal::Symbol(s) if s == "humans" => return Ok(()),
                        _ => {
                            return Err(
                                "only `clear`, `clear(:all)`, `clear(:plurals)`, `clear(:singulars)` and `clear(:humans)` are understood"
                                    .into(),
                            )
                        }
                    },
                    _ => return Err("`clear` takes at most one argument".into()),
                };
                self.clear(scope);
                Ok(())
            }
            // Humanize rules do not affect the functions fullscan uses.
            "human" => Ok(()),
            other => Err(format!(
                "`{other}` is not an inflections method fullscan knows"
            )),
        }
    }
}

/// `ActiveSupport::Inflector.inflections(...)`.
fn is_inflections_call(node: Node<'_>, src: &str) -> bool {
    if node.kind() != "call" {
        return false;
    }
    let method = node.child_by_field_name("method").map(|m| text(m, src));
    let receiver = node.child_by_field_name("receiver").map(|r| text(r, src));
    method == Some("inflections")
        && match receiver {
            Some("ActiveSupport::Inflector") | Some("::ActiveSupport::Inflector") => true,
            // `module ActiveSupport; Inflector.inflections(:en) do ... end; end`
            Some("Inflector") => inside_module_active_support(node, src),
            _ => false,
        }
}

fn inside_module_active_support(node: Node<'_>, src: &str) -> bool {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if n.kind() == "module"
            && n.child_by_field_name("name")
                .is_some_and(|name| matches!(text(name, src), "ActiveSupport" | "::ActiveSupport"))
        {
            return true;
        }
        cur = n.parent();
    }
    false
}

/// Whether the `inflections(...)` call targets `:en`; warns (as a step) otherwise.
fn locale_is_en<'t>(node: Node<'t>, src: &str, steps: &mut Vec<(usize, Step<'t>)>) -> bool {
    let args = call_args(node, src);
    let warn = |steps: &mut Vec<(usize, Step<'t>)>, message: String| {
        steps.push((node.start_byte(), Step::Warn(line(node), message)));
    };
    if !args.options.is_empty() || args.dynamic_options || args.positional.len() > 1 {
        warn(
            steps,
            format!(
                "could not evaluate the arguments of `{}`; skipped",
                snippet(node, src)
            ),
        );
        return false;
    }
    let Some(&arg) = args.positional.first() else {
        return true;
    };
    match literal(arg, src) {
        Literal::Symbol(s) if s == "en" => true,
        Literal::Symbol(s) => {
            warn(
                steps,
                format!(
                    "inflections for the locale :{s} skipped: Rails derives table, class and key names with the :en rules"
                ),
            );
            false
        }
        Literal::Str(s) => {
            warn(
                steps,
                format!(
                    "inflections for the locale {s:?} (a String) skipped: ActiveSupport keeps them apart from the :en rules Rails uses for names"
                ),
            );
            false
        }
        _ => {
            warn(
                steps,
                format!(
                    "could not evaluate the locale `{}`; inflections skipped",
                    text(arg, src)
                ),
            );
            false
        }
    }
}

/// The statements of `do |inflect| ... end`: calls on the block parameter are steps,
/// other statements that use the parameter are warnings.
fn collect_block<'t>(block: Node<'t>, src: &str, steps: &mut Vec<(usize, Step<'t>)>) {
    let params: Vec<String> = match block.child_by_field_name("parameters") {
        Some(p) => {
            let mut cursor = p.walk();
            let first = p.named_children(&mut cursor).next();
            match first.filter(|n| n.kind() == "identifier") {
                Some(id) => vec![text(id, src).to_owned()],
                None => {
                    steps.push((
                        block.start_byte(),
                        Step::Warn(
                            line(block),
                            format!(
                                "could not read the block parameters `{}`; block skipped",
                                text(p, src)
                            ),
                        ),
                    ));
                    return;
                }
            }
        }
        // Numbered / implicit block parameter.
        None => vec!["_1".to_owned(), "it".to_owned()],
    };
    let Some(body) = block.child_by_field_name("body") else {
        return;
    };
    let mut cursor = body.walk();
    for stmt in body.named_children(&mut cursor) {
        if matches!(stmt.kind(), "comment" | "empty_statement") {
            continue;
        }
        let on_param = stmt.kind() == "call"
            && stmt.child_by_field_name("receiver").is_some_and(|r| {
                r.kind() == "identifier" && params.iter().any(|p| p == text(r, src))
            });
        if on_param {
            steps.push((stmt.start_byte(), Step::Call(stmt)));
        } else if preorder(stmt)
            .any(|n| n.kind() == "identifier" && params.iter().any(|p| p == text(n, src)))
        {
            steps.push((
                stmt.start_byte(),
                Step::Warn(
                    line(stmt),
                    format!("could not evaluate `{}`", snippet(stmt, src)),
                ),
            ));
        }
    }
}

/// The kind of code an `inflections` call is nested in, when it may not run.
fn conditional_ancestor(node: Node<'_>) -> Option<&'static str> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        let kind = match n.kind() {
            "if" | "unless" | "if_modifier" | "unless_modifier" | "conditional" | "case"
            | "case_match" => "a conditional",
            "while" | "until" | "while_modifier" | "until_modifier" | "for" => "a loop",
            "method" | "singleton_method" => "a method definition",
            "rescue" | "rescue_modifier" | "ensure" => "a rescue clause",
            _ => "",
        };
        if !kind.is_empty() {
            return Some(kind);
        }
        cur = n.parent();
    }
    None
}

/// The first line of a node's text, shortened.
fn snippet(node: Node<'_>, src: &str) -> String {
    let t = text(node, src);
    let first = t.lines().next().unwrap_or("");
    let mut s: String = first.chars().take(80).collect();
    if s.len() < first.len() || t.contains('\n') {
        s.push('…');
    }
    s
}

/// Strings (and arrays of them, flattened) for `uncountable`.
fn collect_strings(node: Node<'_>, src: &str, out: &mut Vec<String>) -> Result<(), String> {
    match node.kind() {
        "array" | "string_array" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() != "comment" {
                    collect_strings(child, src, out)?;
                }
            }
            Ok(())
        }
        _ => {
            out.push(string_value(node, src)?);
            Ok(())
        }
    }
}

/// The exact value of a String literal.
fn string_value(node: Node<'_>, src: &str) -> Result<String, String> {
    let raw = text(node, src);
    match node.kind() {
        "string" => {
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "interpolation")
            {
                return Err(format!("`{raw}` is interpolated"));
            }
            if let Some(body) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
                Ok(single_quoted(body, '\'', '\''))
            } else if let Some(rest) = raw.strip_prefix("%q") {
                let mut chars = rest.chars();
                let open = chars.next().ok_or("empty %q literal")?;
                let close = closing_delimiter(open);
                let body = chars
                    .as_str()
                    .strip_suffix(close)
                    .ok_or("unterminated %q literal")?;
                Ok(single_quoted(body, open, close))
            } else {
                double_quoted(node, src)
            }
        }
        "bare_string" => {
            if raw.contains('\\') || node.named_child_count() > 1 {
                return Err(format!("could not evaluate the word `{raw}`"));
            }
            Ok(raw.to_owned())
        }
        "chained_string" => {
            let mut cursor = node.walk();
            let parts = node
                .named_children(&mut cursor)
                .map(|c| string_value(c, src))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(parts.concat())
        }
        "simple_symbol" | "delimited_symbol" => Err(format!(
            "`{raw}` is a Symbol; only String literals are evaluated here"
        )),
        _ => Err(format!("`{raw}` is not a string literal")),
    }
}

fn closing_delimiter(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        c => c,
    }
}

/// `'...'` / `%q(...)`: only `\\` and an escaped delimiter are escapes.
fn single_quoted(body: &str, open: char, close: char) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n == '\\' || n == open || n == close {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// `"..."` / `%Q(...)` / `%(...)` without interpolation.
fn double_quoted(node: Node<'_>, src: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "string_content" => out.push_str(text(child, src)),
            "escape_sequence" => out.push_str(&escape_value(text(child, src))?),
            _ => return Err(format!("could not evaluate `{}`", text(node, src))),
        }
    }
    Ok(out)
}

/// The value of one escape sequence of a double-quoted string.
fn escape_value(seq: &str) -> Result<String, String> {
    let body = seq.strip_prefix('\\').ok_or("not an escape")?;
    let mut chars = body.chars();
    let first = chars.next().ok_or("empty escape")?;
    let rest = chars.as_str();
    let code = |v: u32| {
        char::from_u32(v)
            .map(String::from)
            .ok_or_else(|| format!("invalid escape `{seq}`"))
    };
    match first {
        'n' => Ok("\n".into()),
        't' => Ok("\t".into()),
        'r' => Ok("\r".into()),
        'f' => Ok("\x0C".into()),
        'v' => Ok("\x0B".into()),
        'a' => Ok("\x07".into()),
        'b' => Ok("\x08".into()),
        'e' => Ok("\x1B".into()),
        's' => Ok(" ".into()),
        '\n' => Ok(String::new()),
        '0'..='7' => {
            code(u32::from_str_radix(body, 8).map_err(|_| format!("invalid escape `{seq}`"))?)
        }
        'x' => {
            let v = u32::from_str_radix(rest, 16).map_err(|_| format!("invalid escape `{seq}`"))?;
            if v > 0x7F {
                return Err(format!("the byte escape `{seq}` is not supported"));
            }
            code(v)
        }
        'u' => {
            let hex = rest.trim_start_matches('{').trim_end_matches('}');
            let mut out = String::new();
            for part in hex.split_whitespace() {
                let v =
                    u32::from_str_radix(part, 16).map_err(|_| format!("invalid escape `{seq}`"))?;
                out.push_str(&code(v)?);
            }
            Ok(out)
        }
        'c' | 'C' | 'M' => Err(format!("the control escape `{seq}` is not supported")),
        other if rest.is_empty() => Ok(other.to_string()),
        _ => Err(format!("could not evaluate the escape `{seq}`")),
    }
}

/// The rule argument of `plural` / `singular`: a regex or string literal.
fn rule_value(node: Node<'_>, src: &str) -> Result<Rule, String> {
    if node.kind() != "regex" {
        return match string_value(node, src) {
            Ok(s) => Ok(Rule::Str(s)),
            Err(_) => Err(format!(
                "the rule `{}` is not a regex or string literal",
                text(node, src)
            )),
        };
    }
    let raw = text(node, src);
    let mut cursor = node.walk();
    if node
        .named_children(&mut cursor)
        .any(|c| c.kind() == "interpolation")
    {
        return Err(format!("the regex `{raw}` is interpolated"));
    }
    let (body_start, close) = if let Some(rest) = raw.strip_prefix("%r") {
        let open = rest.chars().next().ok_or("empty %r literal")?;
        (2 + open.len_utf8(), closing_delimiter(open))
    } else if raw.starts_with('/') {
        (1, '/')
    } else {
        return Err(format!("could not read the regex `{raw}`"));
    };
    let end = raw
        .rfind(close)
        .filter(|&e| e >= body_start)
        .ok_or_else(|| format!("could not read the regex `{raw}`"))?;
    let body = &raw[body_start..end];
    let mut case_insensitive = false;
    let mut inline = String::new();
    for flag in raw[end + close.len_utf8()..].chars() {
        match flag {
            'i' => case_insensitive = true,
            'm' | 'x' => inline.push(flag),
            'o' | 'u' => {}
            other => return Err(format!("the regex flag `{other}` is not supported")),
        }
    }
    let source = if inline.is_empty() {
        body.to_owned()
    } else {
        format!("(?{inline}){body}")
    };
    Ok(Rule::Regex {
        source,
        case_insensitive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(src: &str) -> (Inflector, Vec<InflectionWarning>) {
        let mut i = Inflector::default();
        let w = i.apply_initializer(src);
        (i, w)
    }

    #[test]
    fn applies_literal_definitions() {
        let (i, w) = apply(
            r#"
ActiveSupport::Inflector.inflections(:en) do |inflect|
  inflect.irregular 'cactus', 'cacti'
  inflect.plural(/(quiz)$/i, '\1zes')
  inflect.singular %r{^(bonu)s$}i, "\\1s"
  inflect.uncountable %w(staff kudos), 'Swine'
  inflect.acronym 'API'
end
ActiveSupport::Inflector.inflections.acronym("HTML")
"#,
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(i.pluralize("cactus"), "cacti");
        assert_eq!(i.singularize("bonus"), "bonus");
        assert_eq!(i.pluralize("staff"), "staff");
        assert_eq!(i.pluralize("swine"), "swine");
        assert_eq!(i.camelize("api_html"), "APIHTML");
        assert_eq!(i.underscore("APIHTMLParser"), "api_html_parser");
    }

    #[test]
    fn dynamic_content_is_a_warning_not_a_guess() {
        let (i, w) = apply(
            r##"
WORDS = %w(foo)
ActiveSupport::Inflector.inflections(:en) do |inflect|
  inflect.uncountable WORDS
  inflect.irregular "#{x}y", 'z'
  inflect.plural /#{stem}s$/i, '\1'
  inflect.plural(/(?<=a)b$/i, 'c')
  %w(bar baz).each { |w| inflect.uncountable w }
  inflect.irregular 'goose', 'geese' if defined?(Geese)
  inflect.plural :foo, 'x'
  inflect.uncountable(*list)
  inflect.singular 'x'
  inflect.fancy 'x'
  inflect.irregular 'ox', 'oxes'
end
"##,
        );
        let lines: Vec<u32> = w.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 7, 8, 9, 10, 11, 12, 13], "{w:#?}");
        assert!(w[0].message.contains("WORDS"), "{}", w[0].message);
        assert!(w[3].message.contains("lookaround"), "{}", w[3].message);
        // The last, evaluable line was still applied.
        assert_eq!(i.pluralize("ox"), "oxes");
        assert_eq!(i.pluralize("foo"), "foos");
        assert_eq!(i.pluralize("goose"), "gooses");
    }

    #[test]
    fn other_locales_are_skipped_with_a_warning() {
        let (i, w) = apply(
            r#"
ActiveSupport::Inflector.inflections(:fr) do |inflect|
  inflect.irregular 'cheval', 'chevaux'
end
ActiveSupport::Inflector.inflections("en") { |i| i.irregular 'cheval', 'chevaux' }
ActiveSupport::Inflector.inflections(I18n.default_locale) do |inflect|
  inflect.irregular 'cheval', 'chevaux'
end
"#,
        );
        assert_eq!(w.len(), 3, "{w:#?}");
        assert_eq!((w[0].line, w[1].line, w[2].line), (2, 5, 6));
        assert!(w[0].message.contains(":fr"));
        assert_eq!(i.pluralize("cheval"), "chevals");
    }

    #[test]
    fn inflector_constant_inside_module_active_support() {
        let (i, w) = apply(
            "module ActiveSupport\n  Inflector.inflections(:en) do |inflect|\n    inflect.irregular 'cactus', 'cacti'\n  end\nend\nInflector.inflections { |i| i.irregular 'goose', 'geese' }\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(i.pluralize("cactus"), "cacti");
        assert_eq!(i.pluralize("goose"), "gooses");
    }

    #[test]
    fn conditional_definitions_are_flagged() {
        let (i, w) = apply(
            "if ENV['X']\n  ActiveSupport::Inflector.inflections(:en) { |i| i.uncountable 'data' }\nend\n",
        );
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 2);
        assert_eq!(i.pluralize("data"), "data");
    }

    #[test]
    fn double_quoted_escapes_are_ruby_values() {
        // "\1zes" in double quotes is "\x01zes" in Ruby, not a group reference.
        let (i, w) = apply(
            "ActiveSupport::Inflector.inflections do |inflect|\n  inflect.plural(/(quux)$/i, \"\\1es\")\nend\n",
        );
        assert!(w.is_empty());
        assert_eq!(i.pluralize("quux"), "\u{1}es");
    }

    #[test]
    fn numbered_block_parameter_and_clear() {
        let (i, w) = apply(
            "ActiveSupport::Inflector.inflections(:en) do\n  _1.clear :plurals\n  _1.plural(/$/, 's')\nend\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(i.pluralize("octopus"), "octopuss");
        assert_eq!(i.singularize("octopi"), "octopus");
    }
}
