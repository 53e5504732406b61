//! cargo-fuzz target: `teikibin_core::fuzzing::run(Target::ZenginDebit, …)` — no panic, and a refusal is
//! a Japanese `CoreError`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use teikibin_core::fuzzing::{run, Target};

fuzz_target!(|data: &[u8]| run(Target::ZenginDebit, data));
