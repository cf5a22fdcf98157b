//! Reader for `db/schema.rb`.
