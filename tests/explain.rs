//! The registry of diagnostic codes and `jixiao explain`.

mod common;

use jixiao::codes::Code;
use jixiao::words::Lang;

fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = common::jixiao(&["explain"]);
    cmd.args(args);
    let r = common::run_with(cmd);
    (r.code, r.stdout, r.stderr)
}

#[test]
fn every_code_a_check_fixture_expects_is_registered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let Some(list) = text.lines().next().and_then(|l| l.strip_prefix("// expect:")) else { continue };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            assert!(Code::from_name(name).is_some(), "{}: `{name}` is not registered", path.display());
            seen += 1;
        }
    }
    assert!(seen > 50, "only {seen} expected codes found");
}

#[test]
fn explain_prints_the_entry_in_both_languages() {
    let (code, stdout, stderr) = explain(&["band-gap"]);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!("band-gap-en", stdout);
    let (code, stdout, _) = explain(&["band-gap", "--lang", "zh"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("band-gap-zh", stdout);
    assert_eq!(stdout, Code::BandGap.info().render(Lang::Zh));
}

#[test]
fn explain_without_a_code_lists_every_code() {
    let (code, stdout, _) = explain(&[]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout.lines().count(), Code::ALL.len());
    for c in Code::ALL {
        assert!(stdout.lines().any(|l| l.starts_with(c.name())), "{c} missing");
    }
}

#[test]
fn an_unknown_code_is_a_usage_error_with_a_suggestion() {
    let (code, stdout, stderr) = explain(&["band-gaps"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    assert_eq!(stderr, "error: `band-gaps` is not a diagnostic code; did you mean `band-gap`?\n");
}
