//! `evaluate_scores` gives exactly the numbers `evaluate` gives, written the same way, on every
//! sheet among the fixtures and examples under every bundled policy (and each fixture sheet
//! under the policy beside it), and on a generated corpus; and its quick path answers for the
//! usual shapes rather than handing every sheet to `evaluate`.

mod common;

use std::path::{Path, PathBuf};

use jixiao::diagnostic::Sources;
use jixiao::policy::Policy;
use jixiao::sheet::{self, ColumnMap, Format, Sheet, TableFormat};
use jixiao::{Scores, evaluate, evaluate_scores};
use proptest::prelude::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The numbers as `--format scores` writes them (decimals with their places).
fn line(s: &Scores<'_>) -> String {
    let n = |d: Option<rust_decimal::Decimal>| d.map_or_else(|| "null".to_string(), |d| d.to_string());
    let rows: Vec<String> = s.rows.iter().map(|r| n(*r)).collect();
    format!(
        "total {} grade {:?} budget {} rows [{}] range {:?}",
        s.total,
        s.grade,
        n(s.budget),
        rows.join(","),
        s.total_range.map(|(l, h)| format!("{l}–{h}"))
    )
}

/// Score with both; panic with both lines when they differ. Whether the quick path answered.
fn agree(policy: &Policy, sheet: &Sheet, what: &str) -> bool {
    let full = evaluate(policy, sheet);
    let expected = line(&Scores::of(policy, &full));
    let got = line(&evaluate_scores(policy, sheet));
    assert_eq!(got, expected, "{what}: evaluate_scores differs from evaluate");
    match jixiao::internals::evaluate_scores_quick(policy, sheet) {
        Some(quick) => {
            assert_eq!(line(&quick), expected, "{what}: the quick path differs from evaluate");
            true
        }
        None => false,
    }
}

/// Every file under `dir` with one of the extensions, sorted.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, exts, out);
        } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)) {
            out.push(p);
        }
    }
}

/// Every sheet that loads among the fixtures and examples, named `path` or `path:line`.
fn sheets() -> Vec<(String, PathBuf, Sheet)> {
    let mut paths = Vec::new();
    for dir in ["tests/fixtures", "tests/workbook_forms", "examples"] {
        files(&root().join(dir), &["toml", "json", "jsonl", "csv", "xlsx"], &mut paths);
    }
    let mut out = Vec::new();
    for path in paths {
        let name = common::rel(&path);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "toml" | "json" => {
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                let format = if ext == "toml" { Format::Toml } else { Format::Json };
                if let Ok(s) = sheet::load(&text, format) {
                    out.push((name, path, s));
                }
            }
            "jsonl" => {
                // Line by line, as `jixiao eval` reads it: a line that is not UTF-8 is skipped.
                let Ok(bytes) = std::fs::read(&path) else { continue };
                for (i, l) in bytes.split(|&b| b == b'\n').enumerate() {
                    let Ok(l) = std::str::from_utf8(l) else { continue };
                    let l = l.trim_start_matches('\u{feff}').trim_end_matches('\r');
                    if let Ok(s) = sheet::load(l, Format::Json) {
                        out.push((format!("{name}:{}", i + 1), path.clone(), s));
                    }
                }
            }
            _ => {
                let Ok(bytes) = std::fs::read(&path) else { continue };
                let format = if ext == "csv" { TableFormat::Csv } else { TableFormat::Workbook };
                let Ok(tables) = sheet::read_workbook(&bytes, format, &name, &ColumnMap::bundled()) else {
                    continue;
                };
                for (i, t) in tables.iter().enumerate() {
                    if let Ok(s) = t.sheet() {
                        out.push((format!("{name}#{i}"), path.clone(), s));
                    }
                }
            }
        }
    }
    out
}

fn bundled() -> Vec<(String, Policy)> {
    let lib = common::bundled_rules();
    let names: Vec<String> = lib.names().map(str::to_string).collect();
    names
        .into_iter()
        .map(|n| {
            let p = lib.resolve(&n, &mut Sources::new()).expect("bundled rules check").policy;
            (n, p)
        })
        .collect()
}

#[test]
fn every_fixture_and_example_sheet_scores_the_same_under_every_bundled_policy() {
    let sheets = sheets();
    let policies = bundled();
    assert!(sheets.len() >= 60, "only {} sheets found", sheets.len());
    assert_eq!(policies.len(), 5);
    // Workbooks and CSV tables among them, and JSON Lines.
    for kind in [".csv#", ".xlsx#", ".jsonl:"] {
        assert!(sheets.iter().any(|(n, ..)| n.contains(kind)), "no sheet from a {kind} file");
    }
    let mut answered = 0;
    let mut pairs = 0;
    for (name, _, s) in &sheets {
        for (pname, p) in &policies {
            pairs += 1;
            answered += usize::from(agree(p, s, &format!("{name} under {pname}")));
        }
    }
    // Many fixtures are there for their unusual shapes (unscored rows, adjustments, splits), and
    // most sheets' labels suit only some policies, so many are declined; still, a good share of
    // the pairs is answered by the quick path.
    assert!(answered * 4 >= pairs, "the quick path answered {answered} of {pairs}");
}

#[test]
fn each_fixture_sheet_scores_the_same_under_the_policy_beside_it() {
    let sheets = sheets();
    let mut answered = 0;
    let mut pairs = 0;
    for (name, path, s) in &sheets {
        let Some(dir) = path.parent() else { continue };
        let mut policies = Vec::new();
        files(dir, &["policy"], &mut policies);
        for pp in policies.iter().filter(|p| p.parent() == Some(dir)) {
            let Ok(text) = std::fs::read_to_string(pp) else { continue };
            let Ok(checked) = jixiao::compile(&common::rel(pp), &text, &mut Sources::new()) else { continue };
            pairs += 1;
            answered += usize::from(agree(&checked.policy, s, &format!("{name} under {}", common::rel(pp))));
        }
    }
    assert!(pairs >= 5, "only {pairs} sheets with a policy beside them");
    assert!(answered * 4 >= pairs, "the quick path answered {answered} of {pairs}");
}

/// The usual shapes the quick path must answer for: sheets whose every row is weighted, placed
/// and scorable under the policy they are written for.
#[test]
fn the_quick_path_answers_for_the_usual_shapes() {
    let policies = bundled();
    let policy = |name: &str| &policies.iter().find(|(n, _)| n == name).expect("bundled").1;
    let usual = [
        ("examples/hunan-2023-jianshen.toml", "hunan/2023"),
        ("examples/yunnan-2022-jiaoshi.json", "yunnan/2021"),
        ("tests/fixtures/eval/json-sheet/sheet.json", "national/2020"),
        ("tests/fixtures/eval/deadline/sheet.toml", "national/2020"),
        ("tests/fixtures/eval/qualitative-match/sheet.toml", "national/2020"),
        ("tests/fixtures/eval/units/sheet.toml", "national/2020"),
    ];
    for (file, pname) in usual {
        let text = std::fs::read_to_string(root().join(file)).expect("readable");
        let format = if file.ends_with(".json") { Format::Json } else { Format::Toml };
        let s = sheet::load(&text, format).expect("reads");
        assert!(agree(policy(pname), &s, file), "{file} under {pname}: the quick path declined");
    }
}

#[test]
fn a_generated_corpus_is_scored_by_the_quick_path_with_the_same_numbers() {
    let policies = bundled();
    let national = &policies.iter().find(|(n, _)| n == "national/2020").expect("bundled").1;
    let lines = generate(400, 2020_1130);
    for (i, l) in lines.iter().enumerate() {
        let s = sheet::load(l, Format::Json).expect("reads");
        assert!(agree(national, &s, &format!("sheet {i}: {l}")), "sheet {i} declined: {l}");
        // Under the other policies too, where the labels may not fit.
        for (pname, p) in &policies {
            agree(p, &s, &format!("sheet {i} under {pname}"));
        }
    }
}

/// A hand-worked sheet: 50 × 150 / 200 = 37.5 → 37.50 for the row, 10 × 90% = 9 for the
/// budget, 46.50 in all, 差.
#[test]
fn a_small_sheet_scores_by_hand() {
    let policies = bundled();
    let national = &policies.iter().find(|(n, _)| n == "national/2020").expect("bundled").1;
    let s = sheet::load(
        r#"{"project":{"name":"示例"},"budget":{"annual":100,"executed":90},
           "indicators":[{"level1":"产出指标","level2":"数量指标","name":"培训人数",
                          "target":"≥200人","actual":"150人","weight":50}]}"#,
        Format::Json,
    )
    .expect("reads");
    let quick = jixiao::internals::evaluate_scores_quick(national, &s).expect("the quick path answers");
    assert_eq!(line(&quick), "total 46.50 grade Some(\"差\") budget 9.00 rows [37.50] range None");
    // A label written with a space is left to `evaluate`, which reads it loosely.
    let spaced = sheet::load(
        r#"{"project":{"name":"示例"},"budget":{"annual":100,"executed":90},
           "indicators":[{"level1":"产出 指标","level2":"数量指标","name":"培训人数",
                          "target":"≥200人","actual":"150人","weight":50}]}"#,
        Format::Json,
    )
    .expect("reads");
    assert!(jixiao::internals::evaluate_scores_quick(national, &spaced).is_none());
    assert_eq!(line(&evaluate_scores(national, &spaced)), line(&quick));
}

/// `jixiao eval --format scores` writes the same lines and exits with the same code whether it
/// scores for the numbers alone (once a sheet with findings has been met, from its second chunk
/// of 512 sheets on) or in full (with `--summary`, which needs every finding). Among the
/// generated sheets are a few of unusual shapes, which the quick path declines.
#[test]
fn the_scores_format_writes_the_same_lines_scored_either_way() {
    let mut lines = generate(1100, 7);
    // An unscorable row (an actual that is not a number) and an unweighted row, late on.
    let at = lines[800].find(r#""actual":""#).expect("a row") + r#""actual":""#.len();
    let end = at + lines[800][at..].find('"').expect("closed");
    lines[800].replace_range(at..end, "待定");
    lines[900] = lines[900].replacen(r#","weight":15"#, "", 1);
    let path = common::scratch("scores", "corpus.jsonl");
    std::fs::write(&path, lines.join("\n")).expect("written");
    let file = path.to_string_lossy().into_owned();
    let rules = "rules/national/2020.policy";
    let quick = common::run(&["eval", "--rules", rules, &file, "--format", "scores"]);
    let full = common::run(&["eval", "--rules", rules, &file, "--format", "scores", "--summary"]);
    assert_eq!(quick.code, Some(1), "{}", quick.stderr);
    assert_eq!(full.code, quick.code);
    assert_eq!(quick.stdout.lines().count(), 1100);
    assert!(quick.stdout == full.stdout, "the lines differ");
    // The unscorable row is written as null in both.
    assert!(quick.stdout.lines().nth(800).is_some_and(|l| l.contains("null")));
}

/// One random row, as JSON: targets and actuals of every kind, a claim, a note; when not
/// `usual`, also labels the schemes do not know as written, no weight, a not-applicable mark.
fn random_row(usual: bool) -> impl Strategy<Value = String> {
    let mut places = vec![
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "经济效益"),
        ("满意度指标", "服务对象满意度指标"),
        ("满意度", "满意度指标"),
    ];
    if !usual {
        places.extend([("产出", "数量"), ("产出 指标", "数量指标"), ("其他", "未知"), ("产出指标", "未知")]);
    }
    let cells = prop::sample::select(vec![
        "≥200人",
        "150人",
        "230人",
        "≥90%",
        "95%",
        "85%",
        "0.9",
        "≤30天",
        "35天",
        "≤90万元",
        "95万元",
        "80",
        "=0次",
        "0次",
        "无",
        ">30个",
        "30个",
        "≥8场",
        "7场次",
        "明显提升",
        "基本完成",
        "未完成",
        "2023年6月30日",
        "2023年6月",
        "2023年12月",
        "",
        "/",
        "≥-2%",
        "-4%",
        "≤0起",
        "1起",
        "≥1万人次",
        "12000",
    ]);
    // Pairs that score, for the usual rows: ≥ and ≤ met and missed, units converted and
    // adopted, percentages and ratios, zero targets, none for zero, dates, tiers.
    let pairs = prop::sample::select(vec![
        ("≥200人", "150人"),
        ("≥200人", "230人"),
        ("≥200名", "150人"),
        ("≥90%", "85%"),
        ("≥90%", "0.95"),
        ("≥95%", "96"),
        ("≤30天", "35天"),
        ("≤30天", "20天"),
        ("≤90万元", "95万元"),
        ("≤90", "95万元"),
        ("=0次", "0次"),
        ("=0次", "1次"),
        ("≤0起", "无"),
        (">30个", "30个"),
        ("≥8场", "7场次"),
        ("≥-2%", "-4%"),
        ("≥1万人次", "12000"),
        ("明显提升", "明显提升"),
        ("明显提升", "基本完成"),
        ("达成", "未完成"),
        ("2023年6月30日", "2023年6月"),
        ("2023年6月30日", "2023年12月1日"),
        ("", "3场"),
    ]);
    let cells = if usual { pairs.boxed() } else { (cells.clone(), cells).boxed() };
    let weights = vec!["5", "7", "10", "12.5", "0", "15"];
    let weight = if usual {
        prop::sample::select(weights).prop_map(Some).boxed()
    } else {
        prop::option::of(prop::sample::select(weights)).boxed()
    };
    let claimed = prop::option::of(prop::sample::select(vec!["4", "4.38", "10", "12", "15"]));
    (prop::sample::select(places), cells, weight, claimed, any::<u8>()).prop_map(
        move |((l1, l2), (target, actual), weight, claimed, bits)| {
            let mut row = format!(
                r#"{{"level1":"{l1}","level2":"{l2}","name":"指标","target":"{target}","actual":"{actual}""#
            );
            if let Some(w) = weight {
                row.push_str(&format!(r#","weight":{w}"#));
            }
            if let Some(c) = claimed {
                row.push_str(&format!(r#","claimed":{c}"#));
            }
            if bits % 5 == 0 {
                row.push_str(r#","note":"原因已说明""#);
            }
            if !usual && bits % 23 == 0 {
                row.push_str(r#","not_applicable":true"#);
            }
            row.push('}');
            row
        },
    )
}

proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 256, ..Default::default() })]

    /// Random sheets of usual and unusual shapes: `evaluate_scores` and its quick path give the
    /// numbers `evaluate` gives under every bundled policy.
    #[test]
    fn random_sheets_score_the_same(
        rows in any::<bool>().prop_flat_map(|usual| prop::collection::vec(random_row(usual), 0..10)),
        annual in prop::option::of(0u32..1000),
        executed in 0u32..1200,
        claimed in prop::option::of(60u32..100),
    ) {
        let budget = match annual {
            Some(a) => format!(r#","budget":{{"annual":{a},"executed":{executed}}}"#),
            None => String::new(),
        };
        let total = claimed.map(|c| format!(r#","total":{{"claimed":{c}}}"#)).unwrap_or_default();
        let text = format!(r#"{{"project":{{"name":"随机"}}{budget},"indicators":[{}]{total}}}"#, rows.join(","));
        if let Ok(s) = sheet::load(&text, Format::Json) {
            for (pname, p) in POLICIES.iter() {
                agree(p, &s, &format!("{text} under {pname}"));
            }
        }
    }
}

static POLICIES: std::sync::LazyLock<Vec<(String, Policy)>> = std::sync::LazyLock::new(bundled);

/// The benchmark's corpus: 8–16 indicators, ≥ counts and percentages, ≤ costs and durations,
/// qualitative benefits, a claimed score now and then (splitmix64, as in benches/score.rs).
fn generate(n: usize, seed: u64) -> Vec<String> {
    let mut state = seed;
    let mut next = move |lo: u64, hi: u64| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        lo + (z ^ (z >> 31)) % (hi - lo + 1)
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let count = next(8, 16) as usize;
        let outputs = count - 3;
        let base = 50 / outputs as u64;
        let mut left = 50;
        let mut rows = Vec::new();
        for k in 0..outputs {
            let weight = if k + 1 == outputs { left } else { base };
            left -= weight;
            let kind = next(0, 9);
            let (level2, target, actual) = match kind {
                0..=4 => {
                    let t = next(50, 500);
                    let a = t * next(50, 130) / 100;
                    ("数量指标", format!("≥{t}人"), format!("{a}人"))
                }
                5 => ("数量指标", "≥8场".to_string(), "7场".to_string()),
                6 => ("质量指标", format!("≥{}%", next(90, 99)), format!("{}%", next(80, 100))),
                7 => {
                    let t = next(10, 60);
                    let a = t * next(80, 125) / 100;
                    ("时效指标", format!("≤{t}天"), format!("{a}天"))
                }
                _ => {
                    let t = next(100, 900);
                    let a = t * next(85, 120) / 100;
                    ("成本指标", format!("≤{t}万元"), format!("{a}万元"))
                }
            };
            let weight = if kind == 5 && weight >= 5 { 5 } else { weight };
            rows.push(format!(
                r#"{{"level1":"产出指标","level2":"{level2}","name":"任务{k}完成量","target":"{target}","actual":"{actual}","weight":{weight}}}"#
            ));
        }
        for k in 0..2 {
            let claimed = if next(0, 3) == 0 { format!(r#","claimed":{}"#, 12 + k) } else { String::new() };
            rows.push(format!(
                r#"{{"level1":"效益指标","level2":"社会效益指标","name":"带动效果{k}","target":"明显提升","actual":"明显提升","weight":15{claimed}}}"#
            ));
        }
        let sat = next(80, 99);
        rows.push(format!(
            r#"{{"level1":"满意度指标","level2":"服务对象满意度指标","name":"受益群众满意度","target":"≥90%","actual":"{sat}%","weight":10}}"#
        ));
        let annual = next(100, 1000);
        let executed = annual * 100 * next(70, 100) / 100;
        out.push(format!(
            r#"{{"project":{{"name":"项目{i}","department":"部门{}","year":2023}},"budget":{{"annual":{annual},"executed":{}.{:02}}},"indicators":[{}],"total":{{"claimed":{}}}}}"#,
            i % 17,
            executed / 100,
            executed % 100,
            rows.join(","),
            next(80, 100)
        ));
    }
    out
}
