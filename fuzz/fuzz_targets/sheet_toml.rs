//! A TOML sheet: reading it, and scoring what reads under the national rules, must never panic.
#![no_main]

#[path = "sheet_common.rs"]
mod sheet_common;

use jixiao::sheet::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sheet_common::run(data, Format::Toml));
