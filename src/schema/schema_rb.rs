//! Reader for `db/schema.rb` (placeholder).
use super::*;
use std::path::Path;
pub fn parse_schema_rb(path: &Path, source: &str) -> Result<Database, SchemaError> {
    let _ = source;
    Err(SchemaError {
        message: format!("{}: not implemented", path.display()),
        src: miette::NamedSource::new(path.display().to_string(), String::new()),
        span: None,
        line: 1,
    })
}
