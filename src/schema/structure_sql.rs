//! Reader for `db/structure.sql`.
