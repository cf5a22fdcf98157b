//! Port of ActiveSupport::Inflector (placeholder until the port lands).
