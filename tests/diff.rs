//! Structural comparison of policies and the attribution of moved scores to the declarations
//! that changed, independent of the report language.

use jixiao::decl::Decl;
use jixiao::diff::{self, Change};
use jixiao::words::{Lang, RoundTarget};
use jixiao::{Format, Library, Policy, Sheet, Sources};

fn bundled(name: &str) -> Policy {
    Library::embedded().resolve(name, &mut Sources::new()).expect("bundled rules check").policy
}

fn compiled(path: &str) -> Policy {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(full).expect("fixture");
    jixiao::compile(path, &text, &mut Sources::new()).expect("fixture checks").policy
}

fn examples() -> Vec<(String, Sheet)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") || n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).expect("example");
            let format = if n.ends_with(".json") { Format::Json } else { Format::Toml };
            let sheet = jixiao::sheet::load(&text, format).expect("example reads");
            (n, sheet)
        })
        .collect()
}

/// The diff as JSON with the texts meant for a reader taken out.
fn structure(old: &Policy, new: &Policy, sheets: &[(String, Sheet)], lang: Lang) -> String {
    let changes = diff::rule_changes(old, new, lang);
    let impact = diff::impact(old, new, &changes, sheets, lang);
    let mut doc = serde_json::json!({ "rule_changes": changes, "impact": impact });
    if let Some(list) = doc["rule_changes"].as_array_mut() {
        for c in list {
            if let Some(c) = c.as_object_mut() {
                for text in ["title", "removed", "added"] {
                    c.remove(text);
                }
            }
        }
    }
    serde_json::to_string_pretty(&doc).expect("json")
}

#[test]
fn the_same_policy_in_the_other_keyword_language_is_no_change() {
    let en = compiled("tests/fixtures/twin/en.policy");
    let zh = compiled("tests/fixtures/twin/zh.policy");
    for lang in [Lang::En, Lang::Zh] {
        let changes = diff::rule_changes(&en, &zh, lang);
        assert!(changes.is_empty(), "{:?}", changes.iter().map(|c| c.decl.key()).collect::<Vec<_>>());
    }
}

#[test]
fn changes_and_their_impact_do_not_depend_on_the_language() {
    let (old, new) = (bundled("hunan/2021"), bundled("hunan/2023"));
    let sheets = examples();
    let en = structure(&old, &new, &sheets, Lang::En);
    let zh = structure(&old, &new, &sheets, Lang::Zh);
    assert_eq!(en, zh);

    let changes = diff::rule_changes(&old, &new, Lang::Zh);
    let keys: Vec<(String, Change)> = changes.iter().map(|c| (c.decl.key(), c.change)).collect();
    assert!(keys.contains(&("header".into(), Change::Changed)), "{keys:?}");
    assert!(keys.contains(&("tiers 执行率档次".into(), Change::Changed)), "{keys:?}");
    // Every title is the declaration's heading in the reader's language.
    for c in &changes {
        assert_eq!(c.title, c.decl.title(Lang::Zh));
    }
}

#[test]
fn a_moved_score_names_only_changed_declarations_it_used() {
    let (old, new) = (bundled("hunan/2021"), bundled("hunan/2023"));
    let sheets = examples();
    let changes = diff::rule_changes(&old, &new, Lang::En);
    let changed: Vec<&Decl> = changes.iter().map(|c| &c.decl).collect();
    let impact = diff::impact(&old, &new, &changes, &sheets, Lang::En);
    let mut moves = 0;
    for sheet in &impact {
        for m in &sheet.moves {
            moves += 1;
            for d in &m.because {
                assert!(changed.contains(&d), "{}: {d} did not change", sheet.sheet);
                assert_ne!(*d, Decl::Header, "the header scores nothing");
            }
        }
    }
    assert!(moves > 0, "the two Hunan years move some score");
    // The budget row of the 2021 example moves because of the execution-rate table.
    let sheet = impact.iter().find(|i| i.sheet == "hunan-2021-yinshui.toml").expect("example");
    let budget = sheet.moves.iter().find(|m| m.what == "预算执行率").expect("the budget moves");
    assert_eq!(budget.because, vec![Decl::Tiers("执行率档次".into())]);
    assert!(!budget.because.contains(&Decl::Round(Some(RoundTarget::Score))));
}
