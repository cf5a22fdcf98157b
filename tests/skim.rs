//! The skimmed parse of Ruby files (method bodies without macros left out) must give
//! the same facts as parsing every body, on every Ruby file of the corpus and the
//! fixtures.

use fullscan::extract::{extract_file, extract_file_whole};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rb` file under these directories of the repository, in name order, with
/// its text (lossy, as fullscan reads it).
fn ruby_files(dirs: &[&str]) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(root().join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rb") {
                continue;
            }
            let bytes = std::fs::read(path).unwrap();
            out.push((
                path.to_path_buf(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    out
}

#[test]
fn skimmed_and_whole_parses_agree_on_every_fixture() {
    let files = ruby_files(&["corpus", "tests/fixtures", "examples"]);
    let mut skimmed = 0;
    for (path, src) in &files {
        if !fullscan::skim::skippable_bodies(src).is_empty() {
            skimmed += 1;
        }
        let a = serde_json::to_string(&extract_file(path, src)).unwrap();
        let b = serde_json::to_string(&extract_file_whole(path, src)).unwrap();
        assert_eq!(a, b, "{}", path.display());
    }
    // The check means something only if bodies were left out of many files.
    let files = files.len();
    eprintln!("{skimmed} of {files} files skimmed");
    assert!(files > 300, "{files} Ruby files");
    assert!(skimmed > 30, "bodies skipped in {skimmed} of {files} files");
}

/// The search for uses parses only the method bodies that hold a name still looked
/// for (and those that may assign a receiver's variable): for several sets of names,
/// the uses it finds must be those the whole parse finds.
#[test]
fn skimmed_and_whole_searches_for_uses_agree_on_every_fixture() {
    let files = ruby_files(&["corpus", "tests/fixtures", "examples", "src"]);
    let (mut skimmed, mut skipped, mut total) = (0, 0, 0);
    for (path, src) in &files {
        total += src.len();
        match fullscan::references::skimmed_scan_differences(src) {
            Ok(n) => {
                skipped += n;
                skimmed += usize::from(n > 0);
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    let files = files.len();
    eprintln!("{files} files, {skimmed} skimmed, {skipped} of 4 x {total} bytes in bodies skipped");
    assert!(files > 300, "{files} Ruby files");
    assert!(skimmed > 30, "bodies skipped in {skimmed} of {files} files");
}

/// The lexer (the search's first phase) must find or defer every use the parser finds,
/// in every Ruby file of the corpus and the fixtures, every word being a name.
#[test]
fn the_lexer_finds_or_defers_every_use_the_parser_finds() {
    let files = ruby_files(&["corpus", "tests/fixtures", "examples"]);
    for (path, src) in &files {
        let rel = path.strip_prefix(root()).unwrap();
        if let Err(e) = fullscan::references::lexer_differences(src, rel) {
            panic!("{}: {e}", path.display());
        }
    }
    assert!(files.len() > 300, "{} Ruby files", files.len());
}

/// A lambda's query, read in place in its file's tree, is the one read from the
/// lambda's source alone (as it was before extraction kept the file's tree for it).
#[test]
fn lambdas_read_in_place_as_on_their_own() {
    let files = ruby_files(&["corpus", "tests/fixtures"]);
    let mut lambdas = 0;
    for (path, src) in &files {
        let Some(tree) = fullscan::ruby::parse(src) else {
            continue;
        };
        for node in fullscan::ruby::preorder(tree.root_node()) {
            if node.kind() != "lambda" {
                continue;
            }
            lambdas += 1;
            let text = fullscan::ruby::text(node, src);
            assert_eq!(
                fullscan::query::lambda_shape(node, src),
                fullscan::query::scope_shape(text),
                "{}: {text}",
                path.display()
            );
        }
    }
    assert!(lambdas > 100, "only {lambdas} lambdas in the corpus");
}

/// Strings that span lines, each holding a line that reads `end` at the `def`'s
/// indentation: cutting the bodies there leaves a file that parses, with
/// `has_many :foo` out of the string. No body with a literal open at a line's end
/// is left out. (Found by the `extract` fuzz target, on a file that did not parse.)
#[test]
fn a_body_is_never_cut_inside_a_string_that_spans_lines() {
    let src = "class Post < ApplicationRecord\n  def x\n    s = \"padding padding padding padding padding\n  end\n  has_many :foo\n  def y\n    t = \"padding padding padding padding padding padding\n  end\nend\n";
    let path = Path::new("app/models/post.rb");
    assert!(extract_file_whole(path, src).defs[0]
        .associations
        .is_empty());
    let a = serde_json::to_string(&extract_file(path, src)).unwrap();
    let b = serde_json::to_string(&extract_file_whole(path, src)).unwrap();
    assert_eq!(a, b);
}
