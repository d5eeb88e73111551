//! Policy text: parse, compose and check must never panic, whatever the bytes.
#![no_main]

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut sources = Sources::new();
        let _ = Library::new().resolve_text("fuzz.policy", text, None, &mut sources);
    }
});
