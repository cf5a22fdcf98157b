//! See `fullscan::fuzz::config`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fullscan::fuzz::config(data));
