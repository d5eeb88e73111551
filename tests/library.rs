//! Composition fixtures: each folder under `tests/fixtures/library/` is a rules tree; the file
//! whose first line is `// expect: …` is resolved and must give exactly those diagnostic codes
//! (`ok` for none). Diagnostics are snapshotted in both languages, and for a good composition
//! the rule changes against its parent.

mod common;

use std::fs;
use std::path::Path;

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::words::Lang;
use rust_decimal::Decimal;

/// The library of one fixture folder and the entry to resolve with its expected codes.
fn load(dir: &Path) -> (Library, String, Vec<String>) {
    let mut lib = Library::new();
    let mut entry = None;
    for j in fs::read_dir(dir).expect("fixture folder").flatten() {
        for f in fs::read_dir(j.path()).expect("jurisdiction folder").flatten() {
            let path = f.path();
            let name = format!(
                "{}/{}",
                j.file_name().to_string_lossy(),
                path.file_stem().expect("file stem").to_string_lossy()
            );
            let text = fs::read_to_string(&path).expect("policy text");
            if let Some(expect) = text.lines().next().and_then(|l| l.strip_prefix("// expect:")) {
                let codes = expect
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| c != "ok" && !c.is_empty())
                    .collect();
                entry = Some((name.clone(), codes));
            }
            lib.insert(name.clone(), common::rel(&path), text);
        }
    }
    let (name, codes) = entry.expect("one file says `// expect:`");
    (lib, name, codes)
}

#[test]
fn compositions() {
    insta::glob!("fixtures/library/*", |dir| {
        let (lib, entry, expected) = load(dir);
        let mut sources = Sources::new();
        match lib.resolve(&entry, &mut sources) {
            Ok(checked) => {
                assert!(expected.is_empty(), "{entry}: expected {expected:?}, resolved cleanly");
                assert!(checked.warnings.is_empty(), "{}", common::render_both(&checked.warnings, &sources));
                let parent = lib.names().find(|n| *n != entry).expect("a parent policy");
                let mut parent_sources = Sources::new();
                let base = lib.resolve(parent, &mut parent_sources).expect("the parent resolves").policy;
                let mut text = String::new();
                for lang in [Lang::En, Lang::Zh] {
                    for c in jixiao::diff::rule_changes(&base, &checked.policy, lang) {
                        text.push_str(&format!("{:?} {}\n", c.change, c.title));
                        for l in &c.removed {
                            text.push_str(&format!("  - {l}\n"));
                        }
                        for l in &c.added {
                            text.push_str(&format!("  + {l}\n"));
                        }
                    }
                    text.push('\n');
                }
                insta::assert_snapshot!(text);
            }
            Err(e) => {
                let codes: Vec<&str> = e.diagnostics.iter().map(|d| d.code.name()).collect();
                assert_eq!(codes, expected, "{entry}");
                insta::assert_snapshot!(common::render_both(&e.diagnostics, &sources));
            }
        }
    });
}

#[test]
fn an_extending_policy_scores_with_its_changes() {
    let (lib, entry, _) = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/library/good"));
    let mut sources = Sources::new();
    let child = lib.resolve(&entry, &mut sources).expect("resolves").policy;
    let parent = lib.resolve("national/2020", &mut Sources::new()).expect("resolves").policy;
    assert_eq!(child.jurisdiction, "hunan");
    assert_eq!(child.year, 2021);
    assert_eq!(child.basis.as_deref(), Some("测试用基础规则"), "the basis is inherited");
    assert_eq!(
        child.files,
        vec![
            "tests/fixtures/library/good/hunan/2021.policy",
            "tests/fixtures/library/good/national/2020.policy"
        ]
    );
    assert_ne!(child.hash(), parent.hash());
    assert!(child.flags.iter().all(|f| f.name != "低执行率"), "removed");
    assert_eq!(child.rounding.total.map(|r| r.places), Some(0), "overridden");
    assert_eq!(
        child.rounding.score.map(|r| r.places),
        Some(2),
        "the inherited `round 2` still rounds scores"
    );

    let sheet = jixiao::sheet::load(
        r#"
[project]
name = "反向指标测试"
year = 2021
[budget]
annual = 100
executed = 75
[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "投诉次数"
target = "≤100次"
actual = "150次"
weight = 10
[[indicators]]
level2 = "质量指标"
name = "验收合格率"
target = "≥50%"
actual = "70%"
weight = 50
[[indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "群众评价"
target = "达成"
actual = "达成"
weight = 30
"#,
        jixiao::sheet::Format::Toml,
    )
    .expect("the sheet reads");
    let old = jixiao::evaluate(&parent, &sheet);
    let new = jixiao::evaluate(&child, &sheet);
    let d = |s: &str| s.parse::<Decimal>().expect("decimal");
    // National: 10 × 100/150 = 6.67. Hunan: 10 × (1 − 50/100) = 5.
    assert_eq!(old.indicators[0].score, Some(d("6.67")));
    assert_eq!(new.indicators[0].score, Some(d("5.00")));
    // Over-achievement 70% ≥ 130% × 50%: 50 − 2 = 48 under Hunan only.
    assert_eq!(old.indicators[1].score, Some(d("50.00")));
    assert_eq!(new.indicators[1].score, Some(d("48.00")));
    // Budget 10 × 75% = 7.5. Totals: 6.67 + 50 + 30 + 7.5 = 94.17 (优); 5 + 48 + 30 + 7.5 = 90.5,
    // rounded to 91 and capped at 89 for execution below 80% (良).
    assert_eq!(old.total, d("94.17"));
    assert_eq!(old.grade.as_deref(), Some("优"));
    assert_eq!(new.total, d("89"));
    assert_eq!(new.grade.as_deref(), Some("良"));
}
