//! See `fullscan::fuzz::structure_sql`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fullscan::fuzz::structure_sql(data));
