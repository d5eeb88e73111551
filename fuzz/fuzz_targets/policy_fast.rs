//! Policy text: whatever the direct reader reads, pest must read to the same tree. A file the
//! direct reader accepts and pest rejects, or reads differently, is a failure.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some((direct, pest)) = jixiao::internals::parse_policy_both(text)
    {
        match pest {
            Ok(tree) => assert!(tree == direct, "the readers disagree on {text:?}"),
            Err(errors) => panic!("the direct reader read {text:?}, which pest rejects: {errors:?}"),
        }
    }
});
