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
                diags.iter().any(|d| d.code.name() == *code),
                "{name}: expected a `{code}` diagnostic, got {:?}",
                diags.iter().map(|d| d.code.name()).collect::<Vec<_>>()
            );
        }
        for d in &diags {
            assert!(expected.contains(&d.code.name()), "{name}: unexpected `{}`: {}", d.code, d.message.en);
        }
        insta::assert_snapshot!(common::render_both(&diags, &sources));
    });
}

#[test]
fn the_bundled_rules_check_clean() {
    let lib = common::bundled_rules();
    let names: Vec<String> = lib.names().map(str::to_string).collect();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        let mut sources = jixiao::diagnostic::Sources::new();
        match lib.resolve(&name, &mut sources) {
            Ok(checked) => {
                assert!(checked.warnings.is_empty(), "{}", common::render_both(&checked.warnings, &sources))
            }
            Err(e) => panic!("{name}:\n{}", common::render_both(&e.diagnostics, &sources)),
        }
    }
    // The rules built into the binary are the same files.
    let builtin = jixiao::library::Library::embedded();
    assert_eq!(builtin.names().collect::<Vec<_>>(), lib.names().collect::<Vec<_>>());
}
