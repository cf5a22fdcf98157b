//! See `fullscan::fuzz::references`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fullscan::fuzz::references(data));
