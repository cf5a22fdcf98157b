//! See `fullscan::fuzz::schema_rb`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fullscan::fuzz::schema_rb(data));
