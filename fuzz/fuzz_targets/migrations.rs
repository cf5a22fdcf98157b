//! See `fullscan::fuzz::migrations`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fullscan::fuzz::migrations(data));
