//! Compares the inflector with outputs of the real ActiveSupport, recorded by
//! `tests/inflector/generate_golden.rb` in `tests/inflector/golden*.json`.

use fullscan::inflector::{deconstantize, demodulize, Inflector};
use serde_json::Value;

const FUNCTIONS: [&str; 9] = [
    "pluralize",
    "singularize",
    "camelize",
    "underscore",
    "classify",
    "tableize",
    "foreign_key",
    "demodulize",
    "deconstantize",
];

fn call(inflector: &Inflector, function: &str, word: &str) -> String {
    match function {
        "pluralize" => inflector.pluralize(word),
        "singularize" => inflector.singularize(word),
        "camelize" => inflector.camelize(word),
        "underscore" => inflector.underscore(word),
        "classify" => inflector.classify(word),
        "tableize" => inflector.tableize(word),
        "foreign_key" => inflector.foreign_key(word),
        "demodulize" => demodulize(word).to_owned(),
        "deconstantize" => deconstantize(word).to_owned(),
        other => panic!("unknown function {other}"),
    }
}

/// Checks every word and function; panics listing all mismatches. Returns the number of
/// words compared.
fn compare(golden_file: &str, inflector: &Inflector) -> usize {
    let path = format!(
        "{}/tests/inflector/{golden_file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let words = golden["words"].as_array().expect("a words array");
    assert!(
        words.len() > 400,
        "{golden_file}: only {} words",
        words.len()
    );
    let mut mismatches = Vec::new();
    for row in words {
        let word = row["word"].as_str().unwrap();
        for function in FUNCTIONS {
            let expected = row[function].as_str().unwrap_or_else(|| {
                panic!("{golden_file}: no {function} for {word:?}");
            });
            let got = call(inflector, function, word);
            if got != expected {
                mismatches.push(format!(
                    "{function}({word:?}): ActiveSupport {expected:?}, fullscan {got:?}"
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{golden_file}: {} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    words.len()
}

#[test]
fn english_defaults_match_activesupport() {
    let n = compare("golden.json", &Inflector::default());
    eprintln!(
        "golden.json: {n} words x {} functions agree",
        FUNCTIONS.len()
    );
}

#[test]
fn custom_initializer_matches_activesupport() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/inflector/custom_inflections.rb"
    ))
    .unwrap();
    let mut inflector = Inflector::default();
    let warnings = inflector.apply_initializer(&source);
    // Only the :fr block is reported (and skipped, as it does not affect :en).
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].line, 58);
    assert!(
        warnings[0].message.contains(":fr"),
        "{}",
        warnings[0].message
    );

    let n = compare("golden_custom.json", &inflector);
    eprintln!(
        "golden_custom.json: {n} words x {} functions agree",
        FUNCTIONS.len()
    );
}
