//! Problems found in review, each pinned by the smallest input that showed it.

mod common;

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::report::{View, table};
use jixiao::score::{EvalError, Note, ScoreSheet};
use jixiao::sheet::{Format, Sheet};
use jixiao::words::Lang;
use rust_decimal::Decimal;

/// A small policy with every direction scored; `extra` is appended.
fn policy(extra: &str) -> Result<Policy, Vec<String>> {
    let text = format!(
        r#"policy "p"
jurisdiction "x"
year 2020
scheme total 100 {{ budget "预算执行率" 10  "产出指标" 90 {{ "数量指标" }} }}
method h for ≥, = {{ when actual >= target => full  else => weight * actual / target }}
method l for ≤ {{ when actual <= target => full  else => weight * target / actual }}
method d for deadline {{ when actual <= target => full  else => 0 }}
method q for qualitative {{ else => tiers T }}
method u for untargeted {{ else => full }}
method b for budget {{ else => weight * rate }}
tiers T {{ 达成 [80%, 100%] words target, "达成", "及时", "完成"  部分 [60%, 80%) words "部分"  未达成 [0, 60%) words "未达成"  take claimed else top }}
grades {{ 优 >= 90  良 >= 80  中 >= 60  差 }}
{extra}"#
    );
    let (diags, sources) = common::check_text("p.policy", &text);
    let errors: Vec<String> = diags.iter().filter(|d| d.is_error()).map(|d| d.code.to_string()).collect();
    if !errors.is_empty() {
        let _ = sources;
        return Err(errors);
    }
    Ok(jixiao::Library::new()
        .resolve_text("p.policy", &text, None, &mut Sources::new())
        .expect("compiles")
        .policy)
}

fn sheet(rows: &str) -> Sheet {
    let text = format!("[project]\nname = \"t\"\n[budget]\nannual = 10\nexecuted = 10\n{rows}");
    jixiao::sheet::load(&text, Format::Toml).expect("the sheet reads")
}

fn row(target: &str, actual: &str, extra: &str) -> String {
    format!(
        "[[indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"n\"\ntarget = {target:?}\nactual = {actual:?}\nweight = 90\n{extra}\n"
    )
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn render_all(p: &Policy, s: &Sheet, score: &ScoreSheet) {
    for lang in [Lang::En, Lang::Zh] {
        let view = View { policy: p, sheet: s, score, sheet_name: "t.toml", lang, text: None };
        let _ = table::render(&view, true);
        let _ = jixiao::report::json::sheet(&view);
    }
}

#[test]
fn extreme_numbers_never_panic() {
    let p = policy("").expect("checks");
    let s = sheet(
        &row("达成", "达成", "claimed = 999999999999999")
            .replace("weight = 90", "weight = 0.00000000000000000001"),
    );
    let score = jixiao::evaluate(&p, &s);
    render_all(&p, &s, &score);

    let p = policy("method big for \"数量指标\" ≤ uncapped { else => actual * 100000000000000 }")
        .expect("checks");
    let s = sheet(&format!(
        "{}{}",
        row("≤1", "600000000000000", ""),
        row("≤1", "600000000000000", "claimed = -999999999999999")
    ));
    let score = jixiao::evaluate(&p, &s);
    assert_eq!(score.indicators[0].error, Some(EvalError::Overflow));
    render_all(&p, &s, &score);
}

#[test]
fn unit_chains_and_lookup_cycles_are_diagnosed() {
    assert_eq!(
        policy("unit \"a\" = 100000000000000 \"b\"\nunit \"b\" = 100000000000000 \"a\"")
            .err()
            .map(|e| e[0].clone()),
        Some("unit-cycle".into())
    );
    assert_eq!(
        policy("unit \"a\" = 100000000000000 \"b\"\nunit \"b\" = 100000000000000 \"c\"")
            .err()
            .map(|e| e[0].clone()),
        Some("invalid-unit".into())
    );
    let cyc = "tiers A { >= 0 => lookup(B, 1)  < 0 => 0 }\ntiers B { >= 0 => lookup(A, 1)  < 0 => 0 }\nflag f for sheet { when lookup(A, rate) > 0  message \"x\" }";
    assert!(policy(cyc).err().is_some_and(|e| e.iter().all(|c| c == "lookup-cycle")));
}

#[test]
fn deep_scheme_nesting_is_refused() {
    let deep = format!("policy \"p\"\nscheme {{ {}{} }}", "\"a\" { ".repeat(10_000), "}".repeat(10_000));
    let (diags, _) = common::check_text("deep.policy", &deep);
    assert_eq!(diags.iter().map(|d| d.code.name()).collect::<Vec<_>>(), vec!["too-complex"]);
}

/// A hundred thousand open parentheses are refused before the parser descends into them: one
/// diagnostic, at the first bracket past the limit of 128, with its line and column.
#[test]
fn a_hundred_thousand_parentheses_are_refused_where_they_get_too_deep() {
    let deep = format!("policy \"p\"\nmethod m {{\n  when {}actual => full\n}}\n", "(".repeat(100_000));
    let (diags, sources) = common::check_text("deep.policy", &deep);
    assert_eq!(diags.iter().map(|d| d.code.name()).collect::<Vec<_>>(), vec!["too-complex"]);
    let text = common::render_both(&diags, &sources);
    // Line 3 is `  when ((((…`: the 129th `(` is column 7 + 128 = 135.
    assert!(text.contains("deep.policy:3:135"), "{text}");
    assert!(text.contains("this is nested too deeply or is too long to be a rule"), "{text}");
    assert!(text.contains("此处嵌套过深或过长，不能作为规则"), "{text}");
    // The same in full-width parentheses and in braces.
    let wide = format!("policy \"p\"\nmethod m {{ when {}actual => full }}\n", "（".repeat(100_000));
    assert_eq!(
        common::check_text("wide.policy", &wide).0.iter().map(|d| d.code.name()).collect::<Vec<_>>(),
        vec!["too-complex"]
    );
    let braces = format!("policy \"p\"\n{}", "scheme { \"a\" ".repeat(100_000));
    assert_eq!(
        common::check_text("braces.policy", &braces).0.iter().map(|d| d.code.name()).collect::<Vec<_>>(),
        vec!["too-complex"]
    );
}

/// Nesting right up to the limit reaches the parser, on a test thread's stack, and the tree
/// builder refuses the expression as too deep: the parser's recursion fits.
#[test]
fn nesting_up_to_the_limit_is_parsed_within_the_stack() {
    let parens =
        format!("policy \"p\"\nmethod m {{ when {}actual{} => full }}\n", "(".repeat(127), ")".repeat(127));
    let (diags, _) = common::check_text("parens.policy", &parens);
    assert_eq!(diags.iter().map(|d| d.code.name()).collect::<Vec<_>>(), vec!["too-complex"]);
    let calls =
        format!("policy \"p\"\nmethod m {{ when {}1{} => full }}\n", "min(".repeat(127), ")".repeat(127));
    let (diags, _) = common::check_text("calls.policy", &calls);
    assert_eq!(diags.iter().map(|d| d.code.name()).collect::<Vec<_>>(), vec!["too-complex"]);
    let scheme = format!("policy \"p\"\nscheme {{ {}{} }}", "\"a\" { ".repeat(127), "}".repeat(127));
    let (diags, _) = common::check_text("scheme.policy", &scheme);
    assert_eq!(diags.iter().map(|d| d.code.name()).collect::<Vec<_>>(), vec!["too-complex"]);
}

#[test]
fn a_long_sheet_reads_in_linear_time() {
    let rows: String = (0..20_000).map(|i| format!("[[indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"n{i}\"\ntarget = \"≥1个\"\nactual = \"1个\"\nweight = 1\n")).collect();
    let start = std::time::Instant::now();
    let s = sheet(&rows);
    assert_eq!(s.indicators.len(), 20_000);
    // Quadratic line lookups took over a minute here; linear reading takes well under one.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn printed_forms() {
    let p = policy("").expect("checks");
    let one = |target: &str, actual: &str| {
        let s = sheet(&row(target, actual, ""));
        jixiao::evaluate(&p, &s).indicators.remove(0)
    };
    assert_eq!(one("2023年12月以前", "2023年11月").score, Some(d("90")));
    assert_eq!(one("1800", "2000.5").score, Some(d("90")), "2000.5 is a number, not a date");
    // A negative ceiling keeps its sign and its direction: -3% breaches ≤ -5%. Method `l`
    // divides by `actual` with no clause for a negative one, so the row is left unscored with
    // that reason, never 90 × -5% / -3% = 150 capped to full marks.
    let negative = one("≤-5%", "-3%");
    assert_eq!(negative.direction, jixiao::words::Direction::Lower);
    assert_eq!(negative.computed, None);
    assert_eq!(negative.score, None);
    assert_eq!(negative.error, Some(EvalError::UnsettledDivisor { clause: 1, value: d("-0.03") }));
    let strict = one(">30个", "30个");
    assert_eq!(strict.score, Some(d("90")));
    assert!(strict.notes.contains(&Note::StrictTargetEdge));
    assert_eq!(one("及时", "不及时").error, Some(EvalError::TierUndetermined));
    assert_eq!(one("全部完成", "未全部完成").error, Some(EvalError::TierUndetermined));
}

#[test]
fn the_top_of_a_band_is_on_the_rounding_step() {
    let p = policy("round 0").expect("checks");
    let s = sheet(&row("明显提升", "部分提升", "tier = \"部分\"").replace("weight = 90", "weight = 4"));
    let score = jixiao::evaluate(&p, &s);
    // [60%, 80%) of 4 is [2.4, 3.2): the largest whole number in it is 3.
    assert_eq!(score.indicators[0].score, Some(d("3")));
}

#[test]
fn a_budget_method_cannot_use_qualitative_tiers() {
    let text = "policy \"p\"\njurisdiction \"x\"\nyear 2020\nscheme total 10 { budget \"预算执行率\" 10 }\n\
                method b for budget { else => tiers T }\ntiers T { 达成 [0, 100%] }\ngrades { 优 >= 9  差 }\n";
    let (diags, _) = common::check_text("b.policy", text);
    let errors: Vec<&str> = diags.iter().filter(|d| d.is_error()).map(|d| d.code.name()).collect();
    assert_eq!(errors, vec!["invalid-outcome"]);
}

#[test]
fn a_child_that_declares_something_twice_is_told_so() {
    let mut lib = Library::new();
    lib.insert(
        "x/2020",
        "x/2020.policy",
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/library/good/national/2020.policy"
        ))
        .expect("base")
        .replace("jurisdiction \"national\"", "jurisdiction \"x\""),
    );
    lib.insert("x/2021", "x/2021.policy", "policy \"c\"\nyear 2021\nextends \"x/2020\"\nflag n1 { message \"a\" }\nflag n1 { message \"b\" }\noverride method 正向 for ≥ { else => full }\noverride method 正向 for ≥ { else => 0 }\n");
    let e = lib.resolve("x/2021", &mut Sources::new()).expect_err("refused");
    let codes: Vec<&str> = e.diagnostics.iter().map(|d| d.code.name()).collect();
    assert_eq!(codes, vec!["duplicate-definition", "duplicate-definition"]);

    // The top of a chain has nothing to override.
    let root = lib.get("x/2020").map(|e| e.text.clone()).unwrap_or_default();
    lib.insert(
        "y/2020",
        "y/2020.policy",
        format!("{root}\noverride round 1").replace("jurisdiction \"x\"", "jurisdiction \"y\""),
    );
    lib.insert("y/2021", "y/2021.policy", "policy \"c\"\nyear 2021\nextends \"y/2020\"\n");
    let e = lib.resolve("y/2021", &mut Sources::new()).expect_err("refused");
    assert_eq!(e.diagnostics.iter().map(|d| d.code.name()).collect::<Vec<_>>(), vec!["override-missing"]);

    lib.insert(
        "x/2022",
        "x/2022.policy",
        "policy \"c\"\njurisdiction \"x\"\nyear 2025\nextends \"x/2020\"\n",
    );
    let e = lib.resolve("x/2022", &mut Sources::new()).expect_err("refused");
    assert_eq!(e.diagnostics[0].code, jixiao::Code::NameMismatch);
}

#[test]
fn doc_comments_do_not_change_the_hash() {
    let a = policy("").expect("checks");
    let text = "/// 一段说明\nmethod zz for \"数量指标\" ≤ { else => full }";
    let b = policy(text).expect("checks");
    let c = policy(&text.replace("一段说明", "另一段说明")).expect("checks");
    assert_ne!(a.hash(), b.hash());
    assert_eq!(b.hash(), c.hash());
}

#[test]
fn explanations_round_rather_than_cut() {
    let p = policy("").expect("checks");
    let s = sheet(&row("≥3个", "2个", "").replace("weight = 90", "weight = 10"));
    let score = jixiao::evaluate(&p, &s);
    let view =
        View { policy: &p, sheet: &s, score: &score, sheet_name: "t.toml", lang: Lang::En, text: None };
    let text = view.explain(&score.indicators[0]);
    assert!(text.contains("10 × 2 / 3 = 6.6667 → 6.67"), "{text}");
}

/// `基本完成` on a 30-point row under the national rules is the middle tier [60%, 80%), whose
/// value is 70%: 30 × 70% = 21.00 with no claim, and with a claim outside the band (24 = 80%);
/// a claim inside it (22) is taken. Before, the top of the half-open band was taken, one step
/// below its excluded end: 30 × 80% − 0.01 = 23.99.
#[test]
fn a_partly_met_word_scores_its_tiers_value_not_just_under_the_next_band() {
    let lib = common::bundled_rules();
    let national = lib.resolve("national/2020", &mut Sources::new()).expect("bundled rules check").policy;
    let yunnan = lib.resolve("yunnan/2021", &mut Sources::new()).expect("bundled rules check").policy;
    let score = |policy: &Policy, claim: &str| {
        let s = sheet(&format!(
            "[[indicators]]\nlevel1 = \"效益指标\"\nlevel2 = \"社会效益指标\"\nname = \"n\"\ntarget = \"明显提升\"\nactual = \"基本完成\"\nweight = 30\n{claim}\n"
        ));
        jixiao::evaluate(policy, &s).indicators[0].score
    };
    let d = |n: i64| Some(Decimal::new(n, 2));
    assert_eq!(score(&national, ""), d(2100));
    assert_eq!(score(&national, "claimed = 24"), d(2100));
    assert_eq!(score(&national, "claimed = 22"), d(2200));
    // The 20/80 template's middle tier is [50%, 80%), valued at 65%: 30 × 65% = 19.50.
    assert_eq!(score(&yunnan, ""), d(1950));
}

/// A traditional-character money unit (`萬元`) is the same unit as `万元`, and the budget's
/// points and score may be printed with `分` as an indicator's are: the sheet reads, with a note
/// for each liberty, where both rejected the whole table before. Budget 10 × 9/10 = 9.00.
#[test]
fn a_budget_printed_in_traditional_units_and_points_reads() {
    let text = "[project]\nname = \"t\"\nunit = \"萬元\"\n[budget]\nannual = 10\nexecuted = 9\nweight = \"10分\"\nclaimed = \"9分\"\n";
    let s = jixiao::sheet::load(text, Format::Toml).expect("the sheet reads");
    assert_eq!(s.project.money_unit, "万元");
    assert_eq!(s.project.money_factor, d("10000"));
    let b = s.budget.as_ref().expect("a budget");
    assert_eq!((b.weight, b.claimed), (Some(d("10")), Some(d("9"))));
    let cells: Vec<&str> = b.read_notes.iter().map(|n| n.cell.as_str()).collect();
    assert_eq!(cells, ["budget.weight", "budget.claimed"]);
    let p = policy("").expect("the policy checks");
    let score = jixiao::evaluate(&p, &s);
    assert_eq!(score.budget.as_ref().and_then(|b| b.score), Some(d("9.00")));
    // An unknown unit is still refused, by name.
    let bad = jixiao::sheet::load("[project]\nname = \"t\"\nunit = \"美元\"\n", Format::Toml);
    let errors = bad.expect_err("refused");
    assert!(errors.iter().any(|e| e.message.en.contains("unknown money unit `美元`")), "{errors:?}");
}
