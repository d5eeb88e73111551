//! A JSON sheet (each line of the input, too, as JSON Lines are read): reading, and scoring
//! what reads under the national rules, must never panic.
#![no_main]

use std::sync::LazyLock;

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::sheet::{self, Format};
use libfuzzer_sys::fuzz_target;

static POLICY: LazyLock<Option<Policy>> = LazyLock::new(|| {
    Library::embedded().resolve("national/2020", &mut Sources::new()).ok().map(|c| c.policy)
});

fn score(text: &str) {
    if let Ok(s) = sheet::load(text, Format::Json)
        && let Some(p) = POLICY.as_ref()
    {
        let score = jixiao::eval::evaluate(p, &s);
        let view = jixiao::report::View {
            policy: p,
            sheet: &s,
            score: &score,
            sheet_name: "fuzz",
            lang: jixiao::words::Lang::En,
        };
        let _ = jixiao::report::json::sheet(&view);
        let _ = jixiao::report::table::render(&view, true);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        score(text);
        if Format::Json == Format::Json && text.contains('\n') {
            text.lines().for_each(score);
        }
    }
});
