//! Evaluation fixtures: each folder under `fixtures/eval/` holds a sheet (`sheet.toml` or
//! `sheet.json`), optionally its own `policy.policy` or a bundled policy named in `expect.toml`
//! (otherwise `rules/national/2020.policy`),
//! and `expect.toml` with the values worked out by hand from the rules. The test asserts those
//! values exactly (as decimals) and snapshots the table with its explanations in Chinese and
//! the findings and explanations in English.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use jixiao::diagnostic::Sources;
use jixiao::policy::Policy;
use jixiao::report::{View, table};
use jixiao::score::ScoreSheet;
use jixiao::sheet::{Format, Sheet};
use jixiao::words::Lang;
use rust_decimal::Decimal;
use serde::Deserialize;

const NATIONAL: &str = "rules/national/2020.policy";

/// What a case must produce. Decimals are written as strings so they stay exact.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The sheet, relative to the crate root, when it is not in the case folder.
    sheet: Option<String>,
    /// A bundled policy, relative to the crate root, when the case has no `policy.policy`.
    policy: Option<String>,
    /// Another case whose score sheet this one must equal (same sheet in another format).
    same_as: Option<String>,
    total: String,
    grade: String,
    #[serde(default = "yes")]
    complete: bool,
    /// Budget plus level-1 subtotals, before rescaling and sheet flags.
    sum: Option<String>,
    budget: Option<String>,
    rate: Option<String>,
    budget_flags: Option<Vec<String>>,
    budget_notes: Option<Vec<String>>,
    inapplicable_points: Option<String>,
    sheet_flags: Option<Vec<String>>,
    /// The lowest and highest total while rows are unscored.
    total_range: Option<[String; 2]>,
    /// The grades of those two totals.
    grade_range: Option<[String; 2]>,
    /// Names of the flags (on groups and the sheet) that cannot be checked yet, in that order.
    undetermined: Option<Vec<String>>,
    /// The built-in audit's findings, by check, in the order reported.
    audit: Option<Vec<String>>,
    /// How many rows were left out as fully empty.
    skipped: Option<usize>,
    #[serde(default)]
    indicator: Vec<ExpectIndicator>,
    #[serde(default)]
    group: Vec<ExpectGroup>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectIndicator {
    name: String,
    weight: Option<String>,
    /// The final score, or `"none"` when it cannot be scored.
    score: Option<String>,
    /// The method's result before capping, adjustment and deductions.
    computed: Option<String>,
    direction: Option<String>,
    method: Option<String>,
    /// Kind of the evaluation error (`unit_mismatch`, `unreadable_actual`…).
    error: Option<String>,
    /// Name of the qualitative tier.
    tier: Option<String>,
    /// How the value in the tier was taken (`claimed`, `top`…).
    taken: Option<String>,
    /// Names of the flags that fired, in policy order.
    flags: Option<Vec<String>>,
    /// Kinds of the notes, in order.
    notes: Option<Vec<String>>,
    deducted: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectGroup {
    level1: String,
    level2: Option<String>,
    weight: Option<String>,
    score: String,
    flags: Option<Vec<String>>,
}

fn dec(text: &str, what: &str) -> Decimal {
    text.parse().unwrap_or_else(|e| panic!("{what}: `{text}` is not a decimal: {e}"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Parse and check a policy file, or fail the test with its diagnostics.
fn policy(path: &Path) -> Policy {
    let name = common::rel(path);
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut sources = Sources::new();
    match jixiao::Library::new().resolve_text(&name, &text, None, &mut sources) {
        Ok(checked) => checked.policy,
        Err(e) => panic!("{name} does not compile:\n{}", common::render_both(&e.diagnostics, &sources)),
    }
}

/// Read a sheet, or fail the test with its diagnostics.
fn sheet(path: &Path) -> Sheet {
    let name = common::rel(path);
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let format = Format::from_path(&name).unwrap_or_else(|| panic!("{name}: not .toml or .json"));
    match jixiao::sheet::load(&text, format) {
        Ok(sheet) => sheet,
        Err(errors) => {
            let mut sources = Sources::new();
            let id = sources.add(name.clone(), text);
            let diags: Vec<_> = errors.iter().map(|e| e.to_diagnostic(id)).collect();
            panic!("{name} does not load:\n{}", common::render_both(&diags, &sources));
        }
    }
}

/// A case: its policy, sheet and sheet path.
struct Case {
    policy: Policy,
    sheet: Sheet,
    sheet_path: PathBuf,
    score: ScoreSheet,
}

fn case(dir: &Path, expect: &Expect) -> Case {
    let policy_path = dir.join("policy.policy");
    let policy = match &expect.policy {
        Some(p) => policy(&root().join(p)),
        None if policy_path.exists() => policy(&policy_path),
        None => policy(&root().join(NATIONAL)),
    };
    let sheet_path = match &expect.sheet {
        Some(p) => root().join(p),
        None if dir.join("sheet.toml").exists() => dir.join("sheet.toml"),
        None => dir.join("sheet.json"),
    };
    let sheet = sheet(&sheet_path);
    let score = jixiao::evaluate(&policy, &sheet);
    Case { policy, sheet, sheet_path, score }
}

fn read_expect(dir: &Path) -> Expect {
    let path = dir.join("expect.toml");
    let text = fs::read_to_string(&path).expect("expect.toml is readable");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", common::rel(&path)))
}

/// The `kind` tag of a serialised enum value.
fn kind<T: serde::Serialize>(value: &T) -> String {
    let v = serde_json::to_value(value).expect("serialisable");
    match v.get("kind") {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()),
    }
}

fn check_expectations(name: &str, c: &Case, e: &Expect) {
    let policy = &c.policy;
    let score = &c.score;
    let flag_names = |list: &[jixiao::score::FiredFlag]| -> Vec<String> {
        list.iter().map(|f| policy.flags[f.flag].name.clone()).collect()
    };
    assert_eq!(score.total, dec(&e.total, "total"), "{name}: total");
    assert_eq!(score.grade.as_deref(), Some(e.grade.as_str()), "{name}: grade");
    assert_eq!(score.complete, e.complete, "{name}: complete");
    if let Some(sum) = &e.sum {
        assert_eq!(score.sum, dec(sum, "sum"), "{name}: sum");
    }
    if let Some(p) = &e.inapplicable_points {
        assert_eq!(score.inapplicable_points, dec(p, "inapplicable_points"), "{name}: inapplicable points");
    }
    if let Some(flags) = &e.sheet_flags {
        assert_eq!(&flag_names(&score.flags), flags, "{name}: sheet flags");
    }
    if let Some([l, h]) = &e.total_range {
        assert_eq!(score.total_range, Some((dec(l, "low"), dec(h, "high"))), "{name}: total range");
    }
    if let Some([l, h]) = &e.grade_range {
        let want = (Some(l.clone()), Some(h.clone()));
        assert_eq!(score.grade_range.as_ref(), Some(&want), "{name}: grade range");
    }
    if e.total_range.is_none() && e.complete {
        assert_eq!(score.total_range, None, "{name}: a complete sheet has no range");
    }
    if let Some(want) = &e.undetermined {
        let got: Vec<String> = score
            .groups
            .iter()
            .flat_map(|g| &g.flags)
            .chain(&score.flags)
            .filter(|f| f.undetermined)
            .map(|f| policy.flags[f.flag].name.clone())
            .collect();
        assert_eq!(&got, want, "{name}: flags that cannot be checked yet");
    }
    if let Some(want) = &e.audit {
        let got: Vec<String> = score.audit.iter().map(|f| f.check.english().to_string()).collect();
        assert_eq!(&got, want, "{name}: audit findings");
    }
    if let Some(n) = e.skipped {
        assert_eq!(c.sheet.skipped.len(), n, "{name}: rows skipped");
    }
    let budget = score.budget.as_ref();
    if let Some(b) = &e.budget {
        assert_eq!(budget.and_then(|b| b.score), Some(dec(b, "budget")), "{name}: budget score");
    }
    if let Some(r) = &e.rate {
        assert_eq!(budget.and_then(|b| b.rate), Some(dec(r, "rate")), "{name}: execution rate");
    }
    if let Some(flags) = &e.budget_flags {
        assert_eq!(&budget.map(|b| flag_names(&b.flags)).unwrap_or_default(), flags, "{name}: budget flags");
    }
    if let Some(notes) = &e.budget_notes {
        let got: Vec<String> = budget.map(|b| b.notes.iter().map(kind).collect()).unwrap_or_default();
        assert_eq!(&got, notes, "{name}: budget notes");
    }
    for want in &e.indicator {
        let who = format!("{name}: indicator `{}`", want.name);
        let s = score
            .indicators
            .iter()
            .find(|s| c.sheet.indicators[s.position].name.trim() == want.name)
            .unwrap_or_else(|| panic!("{who} not found"));
        if let Some(w) = &want.weight {
            assert_eq!(s.weight, dec(w, "weight"), "{who}: weight");
        }
        match want.score.as_deref() {
            Some("none") => assert_eq!(s.score, None, "{who}: should be unscored"),
            Some(v) => assert_eq!(s.score, Some(dec(v, "score")), "{who}: score"),
            None => {}
        }
        if let Some(v) = &want.computed {
            assert_eq!(s.computed, Some(dec(v, "computed")), "{who}: computed");
        }
        if let Some(d) = &want.direction {
            assert_eq!(&kind(&s.direction), d, "{who}: direction");
        }
        if let Some(m) = &want.method {
            assert_eq!(s.method.map(|m| policy.methods[m].name.as_str()), Some(m.as_str()), "{who}: method");
        }
        match (&want.error, &s.error) {
            (Some(k), Some(err)) => assert_eq!(&kind(err), k, "{who}: error"),
            (Some(k), None) => panic!("{who}: expected error `{k}`, got a score {:?}", s.score),
            (None, Some(err)) => panic!("{who}: unexpected error {err:?}"),
            (None, None) => {}
        }
        if let Some(t) = &want.tier {
            let pick = s.tier.unwrap_or_else(|| panic!("{who}: no tier"));
            let tier = &policy.tiers[pick.table].tiers[pick.tier];
            assert_eq!(tier.name.as_deref(), Some(t.as_str()), "{who}: tier");
        }
        if let Some(t) = &want.taken {
            assert_eq!(s.tier.map(|p| kind(&p.taken)).as_deref(), Some(t.as_str()), "{who}: value taken");
        }
        if let Some(flags) = &want.flags {
            assert_eq!(&flag_names(&s.flags), flags, "{who}: flags");
        }
        if let Some(notes) = &want.notes {
            let got: Vec<String> = s.notes.iter().map(kind).collect();
            assert_eq!(&got, notes, "{who}: notes");
        }
        if let Some(d) = &want.deducted {
            let total: Decimal = s.flags.iter().filter_map(|f| f.deducted).sum();
            assert_eq!(total, dec(d, "deducted"), "{who}: points deducted");
        }
    }
    for want in &e.group {
        let who = format!("{name}: group `{}/{}`", want.level1, want.level2.as_deref().unwrap_or(""));
        let g = score
            .groups
            .iter()
            .find(|g| {
                policy.scheme.nodes[g.level1].label == want.level1
                    && g.level2.map(|n| policy.scheme.nodes[n].label.as_str()) == want.level2.as_deref()
            })
            .unwrap_or_else(|| panic!("{who} not found"));
        assert_eq!(g.score, dec(&want.score, "group score"), "{who}: score");
        if let Some(w) = &want.weight {
            assert_eq!(g.weight, dec(w, "group weight"), "{who}: weight");
        }
        if let Some(flags) = &want.flags {
            assert_eq!(&flag_names(&g.flags), flags, "{who}: flags");
        }
    }
}

/// The Chinese table with explanations, then the English findings and explanations.
fn rendered(c: &Case) -> String {
    let name = common::rel(&c.sheet_path);
    let view = |lang| View {
        policy: &c.policy,
        sheet: &c.sheet,
        score: &c.score,
        sheet_name: &name,
        lang,
        text: None,
    };
    let zh = table::render(&view(Lang::Zh), true);
    let en = table::render(&view(Lang::En), true);
    // The table itself is laid out in Chinese in both languages; keep the English part only.
    let en_tail = en.split_once("\n评价等级").map_or(en.as_str(), |(_, rest)| rest);
    let en_tail = en_tail.split_once('\n').map_or("", |(_, rest)| rest);
    format!("{zh}\n===== en =====\n{}", en_tail.trim_start_matches('\n'))
}

#[test]
fn each_case_scores_as_worked_out_by_hand() {
    insta::glob!("fixtures/eval/*/expect.toml", |path| {
        let dir = path.parent().expect("case folder");
        let name = common::rel(dir);
        let expect = read_expect(dir);
        let c = case(dir, &expect);
        check_expectations(&name, &c, &expect);
        if let Some(other) = &expect.same_as {
            let other_dir = dir.with_file_name(other);
            let o = case(&other_dir, &read_expect(&other_dir));
            assert_eq!(
                serde_json::to_value(&c.score).expect("serialisable"),
                serde_json::to_value(&o.score).expect("serialisable"),
                "{name}: the score sheet differs from `{other}`"
            );
            // The cells are printed as written (a structured target reads `≥30个`, not `>=30个`);
            // the findings and explanations below the table must be the same.
            let below = |c: &Case| rendered(c).split_once("\n说明\n").map(|(_, b)| b.to_string());
            assert_eq!(below(&c), below(&o), "{name}: the findings differ from `{other}`");
        }
        insta::assert_snapshot!(rendered(&c));
    });
}

/// A sheet with the national rules, read from TOML text.
fn national_case(name: &str, toml: &str) -> Case {
    let sheet = jixiao::sheet::load(toml, Format::Toml).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let policy = policy(&root().join(NATIONAL));
    let score = jixiao::evaluate(&policy, &sheet);
    Case { policy, sheet, sheet_path: PathBuf::from(name), score }
}

const BUDGET: &str = "[project]\nname = \"示例\"\n\n[budget]\nannual = 100\nexecuted = 100\n\n";

/// DOMAIN.md: for a ≤ target a zero actual (no incidents) counts as met; tables write it `无`.
#[test]
fn a_bare_none_meets_a_ceiling() {
    let c = national_case(
        "none.toml",
        &format!(
            "{BUDGET}[[indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"质量指标\"\nname = \"安全事故\"\n\
             target = \"≤2次\"\nactual = \"无\"\nweight = 10\n"
        ),
    );
    let s = &c.score.indicators[0];
    assert_eq!(s.error, None);
    assert_eq!(s.score, Some(dec("10", "score")));
}

/// Placeholder rows (`指标2：`, `……`) are skipped; the rows after them must still render.
#[test]
fn a_placeholder_row_before_an_indicator_renders() {
    let c = national_case(
        "placeholder.toml",
        &format!(
            "{BUDGET}[[indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"指标1：\"\n\n\
             [[indicators]]\nname = \"培训人数\"\ntarget = \"≥10人\"\nactual = \"10人\"\nweight = 10\n"
        ),
    );
    assert_eq!(c.sheet.skipped.len(), 1);
    let text = rendered(&c);
    assert!(text.contains("培训人数"), "{text}");
    let view = View {
        policy: &c.policy,
        sheet: &c.sheet,
        score: &c.score,
        sheet_name: "placeholder.toml",
        lang: Lang::Zh,
        text: None,
    };
    let doc: serde_json::Value = serde_json::from_str(&jixiao::report::json::sheet(&view)).expect("JSON");
    assert_eq!(doc["indicators"][0]["name"], "培训人数");
}
