//! The properties the fuzz targets (`fuzz/fuzz_targets`, run by `scripts/fuzz`)
//! check on any bytes, here so that the tests check them too on the seeds and on
//! every input a fuzzer ever broke them with (`tests/fuzz.rs`). Each panics when
//! its property does not hold.

use std::path::{Component, Path};

/// The schema.rb reader: a database or an error, and every table's line is a line
/// of the file.
pub fn schema_rb(data: &[u8]) {
    let src = crate::project::text_of(data.to_vec());
    let path = Path::new("db/schema.rb");
    if let Ok(db) = crate::schema::schema_rb::parse_schema_rb(path, &src) {
        check_lines(&src, db.tables.values().map(|t| t.line));
    }
}

/// The structure.sql reader: a database or an error, and every table's line is a
/// line of the file.
pub fn structure_sql(data: &[u8]) {
    let src = crate::project::text_of(data.to_vec());
    let path = Path::new("db/structure.sql");
    if let Ok(db) = crate::schema::structure_sql::parse_structure_sql(path, &src) {
        check_lines(&src, db.tables.values().map(|t| t.line));
    }
}

fn check_lines(src: &str, lines: impl Iterator<Item = u32>) {
    let last = src.matches('\n').count() as u32 + 1;
    for line in lines {
        assert!((1..=last).contains(&line), "line {line} of {last}");
    }
}

/// Model extraction: for a file that parses, the facts read with method bodies
/// left out of the parse are those of the whole file's parse; for one that does
/// not, the skimmed parse found an error too and the whole file was read, or every
/// error is inside bodies left out (such a body holds no declaration, see
/// [`crate::skim`]), and the file is read as if they were not there: the parser's
/// recovery from an error in a body can spoil the reading of the class around it.
pub fn extract(data: &[u8]) {
    let src = crate::project::text_of(data.to_vec());
    let path = Path::new("app/models/fuzzed.rb");
    let skimmed = crate::extract::extract_file(path, &src);
    let whole = crate::extract::extract_file_whole(path, &src);
    if whole.syntax_errors.is_empty() || !skimmed.syntax_errors.is_empty() {
        assert_eq!(format!("{skimmed:?}"), format!("{whole:?}"));
    }
}

/// The inflector: the bytes read as `config/initializers/inflections.rb` on top of
/// Rails' rules, then each word of them through every inflection, with those rules
/// and with Rails' own.
pub fn inflector(data: &[u8], rails: &crate::inflector::Inflector) {
    let src = crate::project::text_of(data.to_vec());
    let mut custom = rails.clone();
    let _ = custom.apply_initializer(&src);
    let words = src
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
        .filter(|w| !w.is_empty())
        .take(64);
    for word in words {
        for i in [&custom, rails] {
            let plural = i.pluralize(word);
            let _ = i.singularize(&plural);
            let _ = i.singularize(word);
            let camel = i.camelize(word);
            let _ = i.underscore(&camel);
            let _ = i.underscore(word);
            let _ = i.tableize(word);
            let _ = i.classify(word);
            let _ = i.foreign_key(word);
            let _ = crate::inflector::demodulize(word);
            let _ = crate::inflector::deconstantize(word);
        }
    }
}

/// The settings file: settings or an error, and whatever it accepts names only
/// paths inside the project.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = crate::config::Config::parse(text, Path::new(".fullscan.toml")) else {
        return;
    };
    let inside = |p: &Path| {
        p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    };
    for (_, file) in &config.schema {
        assert!(inside(file), "{file:?}");
    }
    for dir in &config.model_paths {
        assert!(inside(dir), "{dir:?}");
    }
    let _ = config.excluded(Path::new("app/models/user.rb"));
}

/// The search for uses: the byte lexer (its first phase) and the parse of skimmed
/// and whole files (its second), as application code and as a test. Differences
/// between the readings of a file are the differential tests' business (a file
/// that does not parse may be read differently); only a panic fails here.
pub fn references(data: &[u8]) {
    let src = crate::project::text_of(data.to_vec());
    let _ =
        crate::references::lexer_differences(&src, Path::new("app/controllers/x_controller.rb"));
    let _ = crate::references::lexer_differences(&src, Path::new("spec/models/x_spec.rb"));
    let _ = crate::references::skimmed_scan_differences(&src);
}

/// The migrations replay: the bytes split into migrations at each line
/// `#--- next migration`, replayed in order. Every table and column line is a line
/// of the migration it names.
pub fn migrations(data: &[u8]) {
    let src = crate::project::text_of(data.to_vec());
    let files: Vec<crate::schema::migrations::MigrationFile> = src
        .split("\n#--- next migration\n")
        .take(16)
        .enumerate()
        .map(|(i, source)| crate::schema::migrations::MigrationFile {
            path: format!("db/migrate/2024010100{i:04}_m{i}.rb").into(),
            version: 20240101000000 + i as u64,
            source: source.to_owned(),
        })
        .collect();
    let lines_of: std::collections::HashMap<std::path::PathBuf, u32> = files
        .iter()
        .map(|f| (f.path.clone(), f.source.matches('\n').count() as u32 + 1))
        .collect();
    let (db, _) = crate::schema::migrations::replay("primary", Path::new("db/migrate"), files);
    let inside = |file: &Option<std::path::PathBuf>, line: u32| {
        let Some(file) = file else {
            return;
        };
        let last = lines_of.get(file).copied();
        assert!(
            last.is_some_and(|last| (1..=last).contains(&line)),
            "{file:?}:{line} of {last:?}"
        );
    };
    for table in db.tables.values() {
        inside(&table.file, table.line);
        for column in &table.columns {
            inside(&column.file, column.line);
        }
    }
}
