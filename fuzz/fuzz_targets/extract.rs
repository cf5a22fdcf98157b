//! See `fullscan::fuzz::extract`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fullscan::fuzz::extract(data));
