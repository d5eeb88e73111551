//! Every example sheet scored under every rule file that applies to it, snapshotted: any edit
//! to a rule file shows up here as a changed score sheet naming the projects, indicators and
//! rules that moved.
//!
//! A rule file applies to a sheet when it is in effect for the sheet's year in the sheet's
//! jurisdiction (or, failing any, the national ones) and its scheme knows every level-1
//! category the sheet uses.

mod common;

use std::fs;

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::report::{View, snapshot};
use jixiao::sheet::{Format, Sheet};
use jixiao::words::Lang;

fn applicable(lib: &Library, sheet: &Sheet) -> Vec<String> {
    let year = sheet.project.year.expect("example sheets give their year");
    let jurisdiction = sheet.project.jurisdiction.clone().unwrap_or_else(|| "national".into());
    let in_effect = |j: &str| -> Vec<String> {
        lib.names()
            .filter(|n| {
                n.rsplit_once('/').is_some_and(|(nj, y)| nj == j && y.parse::<u32>().is_ok_and(|y| y <= year))
            })
            .map(str::to_string)
            .collect()
    };
    let mut names = in_effect(&jurisdiction);
    if names.is_empty() {
        names = in_effect("national");
    }
    names
        .into_iter()
        .filter(|n| {
            let policy = lib.resolve(n, &mut Sources::new()).expect("bundled rules resolve").policy;
            sheet.indicators.iter().all(|i| policy.scheme.find_root(&i.level1).is_some())
        })
        .collect()
}

#[test]
fn every_example_under_every_applicable_policy() {
    let lib = common::bundled_rules();
    let mut scored = 0;
    insta::glob!("../examples", "*.{toml,json}", |path| {
        let text = fs::read_to_string(path).expect("example sheet");
        let format = Format::from_path(&path.to_string_lossy()).expect("a sheet format");
        let sheet = jixiao::sheet::load(&text, format).expect("example sheets read cleanly");
        let names = applicable(&lib, &sheet);
        assert!(!names.is_empty(), "{}: no rule file applies", common::rel(path));
        let mut out = String::new();
        for name in names {
            let policy = lib.resolve(&name, &mut Sources::new()).expect("resolves").policy;
            let score = jixiao::evaluate(&policy, &sheet);
            let sheet_name = common::rel(path);
            let view = View {
                policy: &policy,
                sheet: &sheet,
                score: &score,
                sheet_name: &sheet_name,
                lang: Lang::Zh,
                text: None,
            };
            out.push_str(&format!("==== {name}\n"));
            out.push_str(&snapshot::render(&view));
            out.push('\n');
            scored += 1;
        }
        insta::assert_snapshot!(out);
    });
    assert!(scored >= 6, "only {scored} sheet × policy pairs scored");
}
