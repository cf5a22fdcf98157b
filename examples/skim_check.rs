//! Checks the skimmed parse of model files against the whole parse on a codebase:
//! every `.rb` file under the given directories is extracted both ways and the
//! facts compared, and searched for uses both ways (the search's own skimming, for
//! several sets of names). Prints how much was skipped and every file that differs.
//!
//! `cargo run --release --example skim_check -- DIR...`

use fullscan::extract::{extract_file, extract_file_whole};
use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: skim_check DIR...");
        std::process::exit(2);
    }
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(d).follow_links(false))
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rb"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let results: Vec<(usize, usize, Option<String>)> = files
        .par_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            let src = String::from_utf8_lossy(&bytes);
            let skipped: usize = fullscan::skim::skippable_bodies(&src)
                .iter()
                .map(|r| r.len())
                .sum();
            let a = serde_json::to_string(&extract_file(path, &src)).ok()?;
            let b = serde_json::to_string(&extract_file_whole(path, &src)).ok()?;
            let diff = if a != b {
                Some(format!(
                    "{}\n  skimmed: {a}\n  whole:   {b}",
                    path.display()
                ))
            } else {
                fullscan::references::skimmed_scan_differences(&src)
                    .err()
                    .map(|e| format!("{}\n  uses: {e}", path.display()))
                    .or_else(|| {
                        fullscan::references::lexer_differences(&src, path)
                            .err()
                            .map(|e| format!("{}\n  lexer: {e}", path.display()))
                    })
            };
            Some((src.len(), skipped, diff))
        })
        .collect();
    let total: usize = results.iter().map(|r| r.0).sum();
    let skipped: usize = results.iter().map(|r| r.1).sum();
    let diffs: Vec<&String> = results.iter().filter_map(|r| r.2.as_ref()).collect();
    for d in &diffs {
        println!("{d}");
    }
    println!(
        "{} files, {} bytes, {} skipped ({:.1}%), {} with different facts",
        results.len(),
        total,
        skipped,
        100.0 * skipped as f64 / total.max(1) as f64,
        diffs.len()
    );
    if !diffs.is_empty() {
        std::process::exit(1);
    }
}
