//! The evaluator's trace: what it did to each row and the budget, recorded as it happened, and
//! the declarations each result used.

use jixiao::decl::Decl;
use jixiao::score::{EvalError, Step, WeightSource};
use jixiao::words::RoundTarget;
use jixiao::{Code, Format, Library, Sources};

const SHEET: &str = r#"
[project]
name = "示例"
year = 2022
[budget]
annual = 100
executed = 95
[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "养护里程"
target = "≥120公里"
actual = "118公里"
weight = 20
[[indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "优良路率"
target = "≥85%"
actual = "88%"
weight = 15
[[indicators]]
level1 = "产出指标"
level2 = "时效指标"
name = "完成时间"
target = "2022年12月"
actual = ""
weight = 15
"#;

#[test]
fn each_row_records_the_steps_it_took() {
    let policy = Library::embedded().resolve("national/2020", &mut Sources::new()).expect("rules").policy;
    let sheet = jixiao::sheet::load(SHEET, Format::Toml).expect("sheet");
    let score = jixiao::evaluate(&policy, &sheet);
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().expect("decimal");

    let scheme = &policy.scheme;
    let outputs = scheme.find_root("产出指标").expect("产出指标");
    let placed = |level2: &str| Step::Placed {
        level1: Some(outputs),
        level2: Some(scheme.find_child(outputs, level2).expect("a level-2 category")),
    };
    let flag = |name: &str| policy.flags.iter().position(|f| f.name == name).expect("a flag");

    // 118 < 120: placed under 产出指标/数量指标 with its own 分值 20; the `when actual >= target`
    // clause is passed over, the next applies with 20 × 118 / 120 = 19.666…, rounded to 19.67;
    // then 19.67 < 20 with no deviation note fires 未完成未说明, which deducts nothing.
    let missed = &score.indicators[0].trace;
    assert_eq!(missed.len(), 6, "{missed:?}");
    assert_eq!(missed[0], placed("数量指标"));
    assert_eq!(missed[1], Step::Weighted { weight: d("20"), source: WeightSource::Sheet });
    assert_eq!(missed[2], Step::Passed { clause: 0 });
    let Step::Applied { clause: 1, value } = missed[3] else { panic!("{missed:?}") };
    assert_eq!(value.round_dp(4), d("19.6667"));
    assert_eq!(missed[4], Step::Rounded { from: value, to: d("19.67") });
    assert_eq!(
        missed[5],
        Step::Flagged { flag: flag("未完成未说明"), deducted: None, capped_at: None, failed: false }
    );
    assert_eq!(score.indicators[0].score, Some(d("19.67")));

    // 88% ≥ 85%: the first clause applies with full marks; 88% is under 85% × 120%, so no flag.
    assert_eq!(
        score.indicators[1].trace,
        vec![
            placed("质量指标"),
            Step::Weighted { weight: d("15"), source: WeightSource::Sheet },
            Step::Applied { clause: 0, value: d("15") }
        ]
    );

    // An empty actual stops with its error, named by its code.
    assert_eq!(
        score.indicators[2].trace,
        vec![
            placed("时效指标"),
            Step::Weighted { weight: d("15"), source: WeightSource::Sheet },
            Step::Failed { code: Code::EmptyActual }
        ]
    );

    // The budget: the scheme's 10 points, 10 × 95% = 9.5.
    let budget = score.budget.as_ref().expect("budget");
    assert_eq!(
        budget.trace,
        vec![
            Step::Weighted { weight: d("10"), source: WeightSource::Scheme },
            Step::Applied { clause: 0, value: d("9.5") }
        ]
    );
}

/// A policy whose flags divide by the target: one deducts, one only warns.
const DIVIDING: &str = r#"
policy "除以零"
jurisdiction "test"
year 2023

scheme total 100 {
  "产出指标" 100 {
    "数量指标"
  }
}

method 正向 "正向指标" for ≥ {
  when actual >= target => full
  else => weight * actual / target
}

flag 超额扣分 "超额扣分" for ≥ {
  when actual > target
  message "超额"
  deduct weight / target
}

flag 倍数 "倍数" for ≥ {
  when actual / target > 2
  message "实际为指标值的两倍以上"
}

grades {
  合格 [60, 100]
  不合格 [0, 60)
}

round 2 half_up
"#;

const SPLIT_SHEET: &str = r#"
[project]
name = "示例"
year = 2023

[[groups]]
level1 = "产出指标"
level2 = "数量指标"
weight = 100

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训人数"
target = "≥0人"
actual = "5人"

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训场次"
target = "≥10场"
actual = "30场"
"#;

#[test]
fn a_flag_that_cannot_be_computed_is_reported_on_its_row() {
    let policy = Library::new()
        .resolve_text("dividing.policy", DIVIDING, None, &mut Sources::new())
        .map_err(|_| "the policy does not check")
        .expect("checks")
        .policy;
    let sheet = jixiao::sheet::load(SPLIT_SHEET, Format::Toml).expect("sheet");
    let score = jixiao::evaluate(&policy, &sheet);
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().expect("decimal");
    let (deducting, warning) = (0, 1);
    let split = WeightSource::Split { pool: d("100"), among: 2, from_scheme: false };

    // 培训人数: the group's 100 points split between two rows, 50 each. 5 ≥ 0 gives 50; then
    // 超额扣分 (5 > 0) deducts 50 ÷ 0 and 倍数 tests 5 ÷ 0 > 2: both divide by zero. The
    // deduction leaves the score unknown, so the row fails with flag-failed; the warning could
    // not be checked, and says so on the row.
    let row = &score.indicators[0];
    assert_eq!(row.score, None);
    assert!(
        matches!(row.error, Some(EvalError::FlagFailed { division_by_zero: true, .. })),
        "{:?}",
        row.error
    );
    assert!(row.flags.iter().all(|f| f.failed) && row.flags.len() == 2, "{:?}", row.flags);
    let tail = &row.trace[row.trace.len() - 3..];
    assert_eq!(
        tail,
        [
            Step::Flagged { flag: deducting, deducted: None, capped_at: None, failed: true },
            Step::Flagged { flag: warning, deducted: None, capped_at: None, failed: true },
            Step::Failed { code: Code::FlagFailed },
        ]
    );
    assert_eq!(row.trace[1], Step::Weighted { weight: d("50"), source: split });

    // 培训场次: 30 ≥ 10 gives 50; 超额扣分 deducts 50 ÷ 10 = 5 → 45.00; 30 ÷ 10 = 3 > 2 fires
    // the warning, which sees the score after the deduction.
    let row = &score.indicators[1];
    assert_eq!(row.score, Some(d("45.00")));
    assert_eq!(
        row.trace,
        vec![
            Step::Placed { level1: row.level1, level2: row.level2 },
            Step::Weighted { weight: d("50"), source: split },
            Step::Applied { clause: 0, value: d("50") },
            Step::Flagged { flag: deducting, deducted: Some(d("5")), capped_at: None, failed: false },
            Step::Flagged { flag: warning, deducted: None, capped_at: None, failed: false },
        ]
    );
    assert_eq!(row.flags[1].score, Some(d("45")));

    // The table says which flag could not be computed and what that means for the score.
    let view = jixiao::report::View {
        policy: &policy,
        sheet: &sheet,
        score: &score,
        sheet_name: "dividing",
        lang: jixiao::Lang::En,
        text: None,
    };
    let table = jixiao::report::table::render(&view, false);
    assert!(
        table.contains("⚑ 超额扣分: 超额 (✗ its condition, deduction or cap cannot be computed, so the score is uncertain)"),
        "{table}"
    );
    assert!(
        table.contains(
            "⚑ 倍数: 实际为指标值的两倍以上 (✗ its condition cannot be computed, so it could not be checked)"
        ),
        "{table}"
    );
}

#[test]
fn each_result_names_the_declarations_it_used() {
    let policy = Library::embedded().resolve("national/2020", &mut Sources::new()).expect("rules").policy;
    let sheet = jixiao::sheet::load(SHEET, Format::Toml).expect("sheet");
    let score = jixiao::evaluate(&policy, &sheet);
    let row = &score.indicators[0];
    let method = policy.methods[row.method.expect("a method")].name.clone();
    assert!(row.used(&policy).contains(&Decl::Method(method)), "{:?}", row.used(&policy));
    assert!(row.used(&policy).contains(&Decl::Round(Some(RoundTarget::Score))), "{:?}", row.used(&policy));
    assert!(!row.used(&policy).contains(&Decl::Grades), "{:?}", row.used(&policy));
    // An unscored row used no rounding.
    assert!(!score.indicators[2].used(&policy).contains(&Decl::Round(Some(RoundTarget::Score))));
}

#[test]
fn an_unscored_row_is_a_diagnostic_drawn_in_its_sheet() {
    let policy = Library::embedded().resolve("national/2020", &mut Sources::new()).expect("rules").policy;
    let path = "examples/zhuzhou-2022-qixie.toml";
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("the seed");
    let sheet = jixiao::sheet::load(&text, Format::Toml).expect("sheet");
    let score = jixiao::evaluate(&policy, &sheet);
    let mut sources = Sources::new();
    let file = sources.add(path, text.clone());
    let mut drawn = String::new();
    for lang in [jixiao::Lang::En, jixiao::Lang::Zh] {
        let view = jixiao::report::View {
            policy: &policy,
            sheet: &sheet,
            score: &score,
            sheet_name: path,
            lang,
            text: None,
        };
        let diags = view.row_diagnostics(file, &text);
        // The seed's quality row repeats its name as its actual: the one row that cannot be scored.
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::UnreadableActual);
        let at = &text[diags[0].span.start..diags[0].span.end];
        assert!(at.starts_with("actual"), "{at}");
        drawn.push_str(&jixiao::report::diagnostics::render(&diags, &sources, lang, false));
    }
    insta::assert_snapshot!(drawn);
}
