//! The one-pass JSON sheet reader against the general one: whenever the direct reader answers,
//! its sheet must be the one the general reader gives.
#![no_main]

use jixiao::sheet::{self, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The whole text, and each line as a JSON Lines batch reads it.
    for t in std::iter::once(text).chain(text.lines()) {
        if let Some(direct) = sheet::read_json_direct(t) {
            match sheet::load_general(t, Format::Json) {
                Ok(general) => assert_eq!(format!("{direct:?}"), format!("{general:?}"), "{t}"),
                Err(errors) => panic!("read directly but rejected by the general reader: {errors:?}\n{t}"),
            }
        }
    }
});
