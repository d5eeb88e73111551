//! The README's language tour is a real policy: it must parse and check without errors.

mod common;

#[test]
fn the_language_tour_checks() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let tour = readme.split("## A short tour of the language").nth(1).expect("a tour section");
    let code = tour.split("```").nth(1).expect("a code block in the tour");
    let (diags, sources) = common::check_text("README.md", code);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    assert!(errors.is_empty(), "{}", common::render_both(&errors, &sources));
    let policy =
        jixiao::compile("README.md", code, &mut jixiao::Sources::new()).expect("the tour compiles").policy;
    assert_eq!(policy.scheme.total, rust_decimal::Decimal::from(100));
    assert_eq!(policy.grades.len(), 4);
}

/// A policy written from the tour alone audits a table's own arithmetic: every built-in check
/// reports on a sheet that breaks each of them (worked out in the fixture's comments).
#[test]
fn the_tour_policy_audits_the_tables_arithmetic() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let tour = readme.split("## A short tour of the language").nth(1).expect("a tour section");
    let code = tour.split("```").nth(1).expect("a code block in the tour");
    let policy =
        jixiao::compile("README.md", code, &mut jixiao::Sources::new()).expect("the tour compiles").policy;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/eval/audit-arithmetic/sheet.toml"
    ))
    .expect("the fixture");
    let sheet = jixiao::sheet::load(&text, jixiao::sheet::Format::Toml).expect("the fixture loads");
    let score = jixiao::evaluate(&policy, &sheet);
    let checks: Vec<&str> = score.audit.iter().map(|f| f.check.english()).collect();
    assert_eq!(
        checks,
        [
            "group_points",
            "weights_total",
            "printed_sum",
            "claim_over_weight",
            "claim_over_weight",
            "unscored_claim",
            "printed_grade",
            "grade_differs"
        ]
    );
    // The tour retitles one check.
    let view = jixiao::report::View {
        policy: &policy,
        sheet: &sheet,
        score: &score,
        sheet_name: "sheet.toml",
        lang: jixiao::words::Lang::En,
        text: None,
    };
    let over =
        score.audit.iter().find(|f| f.check.english() == "claim_over_weight").expect("a claim over weight");
    assert!(view.audit_line(over).starts_with("⚖ 自评得分超过分值: "), "{}", view.audit_line(over));
}
