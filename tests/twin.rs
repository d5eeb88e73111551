//! The English/Chinese twin: one complete policy written once with English keywords
//! (`fixtures/twin/en.policy`) and once wholly with Chinese keywords (`fixtures/twin/zh.policy`).
//! Both must parse to the same tree (spans are ignored by equality), check without problems, and
//! resolve to policies with the same content hash.

mod common;

use std::fs;
use std::path::Path;

use jixiao::internals::PolicyFile;
use jixiao::{Checked, Sources};

const EN: &str = "tests/fixtures/twin/en.policy";
const ZH: &str = "tests/fixtures/twin/zh.policy";

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name} is readable: {e}"))
}

fn parse(name: &str) -> PolicyFile {
    let text = read(name);
    jixiao::internals::parse_policy(&text).unwrap_or_else(|errors| {
        let (diags, sources) = common::check_text(name, &text);
        panic!("{name} should parse ({} errors):\n{}", errors.len(), common::render_both(&diags, &sources))
    })
}

/// The checked policy; panics on errors and on warnings, drawing them.
fn check(name: &str) -> Checked {
    let text = read(name);
    let mut sources = Sources::new();
    match jixiao::Library::new().resolve_text(name, &text, None, &mut sources) {
        Ok(checked) => {
            assert!(
                checked.warnings.is_empty(),
                "{name} should check without warnings:\n{}",
                common::render_both(&checked.warnings, &sources)
            );
            checked
        }
        Err(e) => panic!("{name} should check:\n{}", common::render_both(&e.diagnostics, &sources)),
    }
}

/// The text with `//` comments and quoted strings (straight or Chinese quotes) removed.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '/' if chars.peek() == Some(&'/') => break,
                '"' => {
                    let mut escaped = false;
                    for d in chars.by_ref() {
                        match d {
                            '\\' if !escaped => escaped = true,
                            '"' if !escaped => break,
                            _ => escaped = false,
                        }
                    }
                }
                '“' => {
                    for d in chars.by_ref() {
                        if d == '”' {
                            break;
                        }
                    }
                }
                _ => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn both_languages_parse_to_the_same_tree() {
    let en = parse(EN);
    let zh = parse(ZH);
    assert!(!en.items.is_empty());
    // Spans differ (the Chinese keywords are other bytes); the trees' canonical text ignores them.
    assert_eq!(en.to_string(), zh.to_string());
    assert_ne!(en, zh, "spans compare by value");
}

#[test]
fn the_chinese_twin_uses_no_english_words() {
    let code = code_only(&read(ZH));
    let english: Vec<&str> =
        code.split(|c: char| !c.is_ascii_alphabetic() && c != '_').filter(|w| !w.is_empty()).collect();
    assert!(english.is_empty(), "{ZH} should be written wholly in Chinese, found {english:?}");
}

#[test]
fn both_languages_check_clean_to_the_same_policy() {
    let en = check(EN);
    let zh = check(ZH);
    assert!(en.policy.hash().starts_with("sha256:"), "{}", en.policy.hash());
    assert_eq!(en.policy.hash(), zh.policy.hash());
}

#[test]
fn the_tree_reads_as_expected() {
    insta::assert_snapshot!(parse(EN).to_string());
}
