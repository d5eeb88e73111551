//! Checker fixtures: one file per diagnostic, each snapshotted in English and Chinese. Every
//! fixture names the code it must produce in its first line: `// expect: code-a, code-b`.

mod common;

use std::fs;

#[test]
fn each_fixture_reports_what_it_expects() {
    insta::glob!("fixtures/check/*.policy", |path| {
        let text = fs::read_to_string(path).expect("fixture is readable");
        let name = common::rel(path);
        let expected: Vec<&str> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect:"))
            .map(|l| l.split(',').map(str::trim).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        assert!(!expected.is_empty(), "{name}: first line must be `// expect: code, …`");
        let (diags, sources) = common::check_text(&name, &text);
        for code in &expected {
            assert!(
                diags.iter().any(|d| d.code == *code),
                "{name}: expected a `{code}` diagnostic, got {:?}",
                diags.iter().map(|d| d.code).collect::<Vec<_>>()
            );
        }
        for d in &diags {
            assert!(expected.contains(&d.code), "{name}: unexpected `{}`: {}", d.code, d.message.en);
        }
        insta::assert_snapshot!(common::render_both(&diags, &sources));
    });
}

#[test]
fn the_bundled_rules_check_clean() {
    insta::glob!("../rules", "**/*.policy", |path| {
        let text = fs::read_to_string(path).expect("rule file is readable");
        let (diags, sources) = common::check_text(&common::rel(path), &text);
        assert!(diags.is_empty(), "{}", common::render_both(&diags, &sources));
    });
}
