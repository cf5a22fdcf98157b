//! fullscan: finds the ActiveRecord associations, scopes and validations of a Rails
//! codebase whose queries make the database scan a whole table.
//!
//! The pipeline, each stage testable alone:
//! 1. [`project`] walks the repository and finds models, schema files and settings;
//! 2. [`extract`] reads Ruby files with tree-sitter into plain facts ([`model`]);
//! 3. [`schema`] reads `db/schema.rb` / `db/structure.sql` into plain data;
//! 4. [`resolve`] applies Rails' naming rules ([`inflector`]) to join the two;
//! 5. reporters render the result.

pub mod analyze;
pub mod baseline;
pub mod cache;
pub mod config;
pub mod extract;
#[doc(hidden)]
pub mod fuzz;
pub mod inflector;
pub mod migration;
pub mod model;
pub mod output;
pub mod pattern;
pub mod project;
pub mod query;
pub mod references;
pub mod report;
pub mod resolve;
pub mod ruby;
pub mod rules;
pub mod schema;
pub mod skim;
pub mod suppress;
pub mod words;
