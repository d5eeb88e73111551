//! The evaluator's trace: what it did to each row and the budget, recorded as it happened, and
//! the declarations each result used.

use jixiao::decl::Decl;
use jixiao::score::Step;
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

    // 118 < 120: the `when actual >= target` clause is passed over, the `else` applies with
    // 20 × 118 / 120 = 19.666…, rounded to 19.67.
    let missed = &score.indicators[0].trace;
    assert_eq!(missed.len(), 3, "{missed:?}");
    assert_eq!(missed[0], Step::Passed { clause: 0 });
    let Step::Applied { clause: 1, value } = missed[1] else { panic!("{missed:?}") };
    assert_eq!(value.round_dp(4), d("19.6667"));
    assert_eq!(missed[2], Step::Rounded { from: value, to: d("19.67") });
    assert_eq!(score.indicators[0].score, Some(d("19.67")));

    // 88% ≥ 85%: the first clause applies with full marks, nothing else happens.
    assert_eq!(score.indicators[1].trace, vec![Step::Applied { clause: 0, value: d("15") }]);

    // An empty actual stops with its error, named by its code.
    assert_eq!(score.indicators[2].trace, vec![Step::Failed { code: Code::EmptyActual }]);

    // The budget: 10 × 95% = 9.5.
    let budget = score.budget.as_ref().expect("budget");
    assert_eq!(budget.trace, vec![Step::Applied { clause: 0, value: d("9.5") }]);
}

#[test]
fn each_result_names_the_declarations_it_used() {
    let policy = Library::embedded().resolve("national/2020", &mut Sources::new()).expect("rules").policy;
    let sheet = jixiao::sheet::load(SHEET, Format::Toml).expect("sheet");
    let score = jixiao::evaluate(&policy, &sheet);
    let row = &score.indicators[0];
    let method = policy.methods[row.method.expect("a method")].name.clone();
    assert!(row.used.contains(&Decl::Method(method)), "{:?}", row.used);
    assert!(row.used.contains(&Decl::Round(Some(RoundTarget::Score))), "{:?}", row.used);
    assert!(!row.used.contains(&Decl::Grades), "{:?}", row.used);
    // An unscored row used no rounding.
    assert!(!score.indicators[2].used.contains(&Decl::Round(Some(RoundTarget::Score))));
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
        let view =
            jixiao::report::View { policy: &policy, sheet: &sheet, score: &score, sheet_name: path, lang };
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
