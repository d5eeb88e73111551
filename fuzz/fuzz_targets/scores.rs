//! Scoring for the numbers alone must give exactly the numbers of the full score sheet, written
//! the same way: any sheet text (TOML, JSON, and each line of JSON Lines), under every bundled
//! policy.
#![no_main]

use std::sync::LazyLock;

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::report::{View, json};
use jixiao::sheet::{self, Format, Sheet};
use libfuzzer_sys::fuzz_target;

static POLICIES: LazyLock<Vec<Policy>> = LazyLock::new(|| {
    let lib = Library::embedded();
    let names: Vec<String> = lib.names().map(str::to_string).collect();
    names.iter().filter_map(|n| lib.resolve(n, &mut Sources::new()).ok().map(|c| c.policy)).collect()
});

fn compare(p: &Policy, s: &Sheet) {
    let full = jixiao::evaluate(p, s);
    let view = View { policy: p, sheet: s, score: &full, sheet_name: "fuzz", lang: jixiao::words::Lang::En, text: None };
    let mut expected = String::new();
    json::write_scores(&mut expected, &view);
    let mut got = String::new();
    json::write_score_line(&mut got, "fuzz", s, &jixiao::evaluate_scores(p, s));
    assert_eq!(got, expected, "evaluate_scores differs from evaluate");
    assert_eq!(jixiao::evaluate_scores(p, s).total_range, full.total_range);
    if let Some(quick) = jixiao::internals::evaluate_scores_quick(p, s) {
        let mut line = String::new();
        json::write_score_line(&mut line, "fuzz", s, &quick);
        assert_eq!(line, expected, "the quick path differs from evaluate");
    }
}

fn each(text: &str, format: Format) {
    if let Ok(s) = sheet::load(text, format) {
        for p in POLICIES.iter() {
            compare(p, &s);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        each(text, Format::Toml);
        each(text, Format::Json);
        if text.contains('\n') {
            text.lines().for_each(|line| each(line, Format::Json));
        }
    }
});
