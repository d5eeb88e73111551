//! The printed-cell reader (`≥50个`, `80%以上`, `2023年12月`, words) must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = jixiao::internals::read_cell(text);
        let _ = jixiao::internals::leading_quantity(text);
        let _ = jixiao::internals::normalize_label(text);
    }
});
