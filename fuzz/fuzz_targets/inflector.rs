//! See `fullscan::fuzz::inflector`.
#![no_main]
use fullscan::inflector::Inflector;
use std::sync::LazyLock;

/// Rails' rules, built once.
static RAILS: LazyLock<Inflector> = LazyLock::new(Inflector::default);

libfuzzer_sys::fuzz_target!(|data: &[u8]| fullscan::fuzz::inflector(data, &RAILS));
