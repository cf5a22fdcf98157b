//! Reader for `db/structure.sql` (placeholder).
use super::*;
use std::path::Path;
pub fn parse_structure_sql(path: &Path, source: &str) -> Result<Database, SchemaError> {
    super::schema_rb::parse_schema_rb(path, source)
}
