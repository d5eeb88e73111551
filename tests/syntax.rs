//! Syntax fixtures: every file under `ok/` parses (its tree is snapshotted as S-expressions);
//! every file under `err/` fails with diagnostics in user words (snapshotted in both languages).

mod common;

use std::fs;

#[test]
fn files_that_parse() {
    insta::glob!("fixtures/syntax/ok/*.policy", |path| {
        let text = fs::read_to_string(path).expect("fixture is readable");
        match jixiao::internals::parse_policy(&text) {
            Ok(file) => insta::assert_snapshot!(file.to_string()),
            Err(errors) => panic!("{} should parse: {errors:?}", common::rel(path)),
        }
    });
}

#[test]
fn files_that_do_not_parse() {
    insta::glob!("fixtures/syntax/err/*.policy", |path| {
        let text = fs::read_to_string(path).expect("fixture is readable");
        let name = common::rel(path);
        assert!(jixiao::internals::parse_policy(&text).is_err(), "{name} should not parse");
        let (diags, sources) = common::check_text(&name, &text);
        assert!(diags.iter().all(|d| d.code != jixiao::Code::SyntaxError || !d.message.en.contains("Rule")));
        let rendered = common::render_both(&diags, &sources);
        for word in ["kw_", "EOI", "WHITESPACE", "primary", "Rule::"] {
            assert!(!rendered.contains(word), "{name}: grammar rule name `{word}` leaked:\n{rendered}");
        }
        insta::assert_snapshot!(rendered);
    });
}
