//! The variants of published tables (DOMAIN.md §2, §2b, §3), one fixture each under
//! `tests/fixtures/variants/`, scored by the bundled rules and checked number by number against
//! the policy text.

mod common;

use std::path::Path;

use jixiao::diagnostic::Sources;
use jixiao::policy::Policy;
use jixiao::report::{View, table};
use jixiao::score::{AuditPlace, AuditValues, EvalError, Note, ScoreSheet};
use jixiao::sheet::{self, ColumnMap, Format, Sheet, TableFormat};
use jixiao::words::{AuditCheck, Lang};
use rust_decimal::Decimal;

fn path(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/variants").join(name)
}

fn load(name: &str) -> Sheet {
    let p = path(name);
    let text = std::fs::read_to_string(&p).expect("fixture is readable");
    if let Some(format) = Format::from_path(name) {
        return sheet::load(&text, format).unwrap_or_else(|e| panic!("{name} reads: {e:?}"));
    }
    let format = TableFormat::from_path(name).expect("a sheet or a table");
    let mut read = sheet::read_workbook(text.as_bytes(), format, name, &ColumnMap::bundled())
        .unwrap_or_else(|e| panic!("{name} reads: {e:?}"));
    assert_eq!(read.len(), 1, "{name} holds one table");
    read.remove(0).sheet().unwrap_or_else(|e| panic!("{name} loads: {e:?}"))
}

fn policy(name: &str) -> Policy {
    common::bundled_rules().resolve(name, &mut Sources::new()).expect("bundled rules check").policy
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// Each row's score (`-` where it could not be scored), in sheet order, as the numbers `expected`
/// writes (a score's scale is that of its arithmetic: 9 and 9.00 are one score).
fn scores(score: &ScoreSheet) -> Vec<Option<Decimal>> {
    score.indicators.iter().map(|i| i.score).collect()
}

fn expected<const N: usize>(list: [&str; N]) -> Vec<Option<Decimal>> {
    list.iter().map(|s| (*s != "-").then(|| d(s))).collect()
}

fn rendered(p: &Policy, s: &Sheet, score: &ScoreSheet, lang: Lang) -> String {
    table::render(&View { policy: p, sheet: s, score, sheet_name: "t", lang, text: None }, true)
}

#[test]
fn printed_target_forms_score_as_the_national_rules_say() {
    let s = load("printed-forms.toml");
    let score = jixiao::evaluate(&policy("national/2020"), &s);
    // ≧20000亩 / 18000: 10 × 18000/20000 = 9; >=21933人 / 21000: 10 × 21000/21933 = 9.5746;
    // <=5300元/户 / 5600 (cost ceiling): 10 × 5300/5600 = 9.4643; ≥100百分比 / 95%: 9.5;
    // ═100% / 98%: 9.8; 80%以上 / 75%: 9.375; 不低于90% / 81%: 9; 小于5次 / 无上访: full;
    // ≥90% / 92%: full.
    assert_eq!(
        scores(&score),
        expected(["9.00", "9.57", "9.46", "9.50", "9.80", "9.38", "9.00", "10.00", "10.00"])
    );
    assert_eq!(score.budget.as_ref().and_then(|b| b.score), Some(d("9.50")));
    assert_eq!(score.total, d("95.21"));
    assert_eq!(score.grade.as_deref(), Some("优"));
    assert!(score.indicators[7].notes.contains(&Note::ActualNoneIsZero));
}

#[test]
fn edge_targets_score_as_each_policy_says() {
    let s = load("edge-targets.toml");
    let score = jixiao::evaluate(&policy("national/2020"), &s);
    assert_eq!(
        scores(&score),
        expected([
            "5.00",  // 小于5次 met at exactly 5 (noted as a strict edge)
            "4.17",  // 控制在5%以内 at 6%: 5 × 5/6
            "5.00",  // 2023年12月 met by 2023年10月
            "0.00",  // 2023年12月底前 missed by 2024年1月
            "5.00",  // =0次 at 0
            "0.00",  // =0次 at 1: zero-incident target missed
            "5.00",  // 0起 against 无
            "0.00",  // 0起 at 1起
            "0.00",  // ≤-5% cost at -3%: the cost method gives no points to a ceiling of 0 or below
            "0.00",  // ≤-5% cost at 2%
            "4.75",  // ≥100万元 against a bare 95: read as 95 万元
            "5.00",  // 2.38  万元 against ≥2万元
            "3.75",  // 1.5萬元 against ≥2萬元
            "3.50",  // 基本完成: the middle tier's 70 %, the claimed 5 lying outside its band
            "3.50",  // 基本达到: the claimed 3.5, inside the band
            "5.00",  // 非常及时 is 及时
            "5.00",  // 无安全隐患 against 无安全隐患
            "10.00", // 0.92 against ≥90%: a ratio, 92 %
        ])
    );
    assert_eq!(score.budget.as_ref().and_then(|b| b.score), Some(d("8.05")));
    assert!(score.indicators[0].notes.contains(&Note::StrictTargetEdge));
    assert!(score.indicators[6].notes.contains(&Note::ActualNoneIsZero));
    assert!(score.indicators[17].notes.contains(&Note::RatioAsPercent));

    // Hunan scores a breached ceiling as the system does: 5 × (1 − (6 − 5)/5) = 4; its budget
    // table gives 80.5 % seven points.
    let hunan = jixiao::evaluate(&policy("hunan/2023"), &s);
    assert_eq!(hunan.indicators[1].score, Some(d("4.00")));
    assert_eq!(hunan.budget.as_ref().and_then(|b| b.score), Some(d("7.00")));
    // Yunnan's 20-point budget block, uncapped: 20 × 80.5 % = 16.1; its middle tier takes 65 %.
    let yunnan = jixiao::evaluate(&policy("yunnan/2021"), &s);
    assert_eq!(yunnan.budget.as_ref().and_then(|b| b.score), Some(d("16.10")));
    assert_eq!(yunnan.indicators[13].score, Some(d("3.25")));
}

#[test]
fn traditional_units_and_multipliers_are_read_as_simplified() {
    let p = policy("national/2020");
    for name in ["traditional.toml", "traditional.json"] {
        let s = load(name);
        let score = jixiao::evaluate(&p, &s);
        // ≥50個 / 48个: 50 × 48/50 = 48; ≥1.2億元 / 9000万元: 30 × 0.9/1.2 = 22.5.
        assert_eq!(scores(&score), expected(["48.00", "22.50", "10.00"]), "{name}");
        assert!(
            score.indicators[0]
                .notes
                .contains(&Note::TraditionalUnit { written: "個".into(), unit: "个".into() }),
            "{name}: {:?}",
            score.indicators[0].notes
        );
        assert_eq!(score.total, d("90.50"), "{name}");
        let text = rendered(&p, &s, &score, Lang::En);
        assert!(text.contains("the unit `個` (traditional characters) was read as `个`"), "{text}");
    }
}

#[test]
fn an_unreadable_weight_or_claim_costs_only_its_row() {
    let p = policy("national/2020");
    // The TOML form is written here rather than as a fixture: every TOML fixture is also checked
    // to be read by the one-pass JSON reader, which leaves a sheet with such a cell to the general
    // reader (with the same result).
    let toml = r#"# One weight and one claimed score that text recognition garbled (`IO`, `l0` for 10): each costs
# only its row, never the sheet.
[project]
name = "分值识别错误"
year = 2023
jurisdiction = "national"

[budget]
annual = 100
executed = 100

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训人数"
target = "≥100人"
actual = "100人"
weight = "IO"
claimed = 10

[[indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "合格率"
target = "≥95%"
actual = "96%"
weight = 40
claimed = "l0"

[[indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "效果"
target = "明显提升"
actual = "明显提升"
weight = 30
claimed = 30

[[indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "满意度"
target = "≥90%"
actual = "95%"
weight = 10
claimed = 10
"#;
    for name in ["unreadable-weight.toml", "unreadable-weight.json"] {
        let s = if name.ends_with(".toml") {
            sheet::load(toml, Format::Toml).unwrap_or_else(|e| panic!("{name} reads: {e:?}"))
        } else {
            load(name)
        };
        let score = jixiao::evaluate(&p, &s);
        assert!(!score.complete, "{name}");
        assert_eq!(
            score.indicators[0].error,
            Some(EvalError::UnreadableCell { cell: "indicators[0].weight `IO` (`10` misread?)".into() }),
            "{name}"
        );
        assert_eq!(
            score.indicators[1].error,
            Some(EvalError::UnreadableCell { cell: "indicators[1].claimed `l0` (`10` misread?)".into() }),
            "{name}"
        );
        assert_eq!(scores(&score), expected(["-", "-", "30.00", "10.00"]), "{name}");
        // Budget 10 + 30 + 10 scored; the two rows can add at most 10 (产出 50 less the 40 printed)
        // and 40.
        assert_eq!(score.total, d("50.00"), "{name}");
        assert_eq!(score.total_range, Some((d("50.00"), d("100.00"))), "{name}");
    }
}

#[test]
fn points_printed_in_a_category_label_are_audited() {
    let p = policy("national/2020");
    for name in ["label-points.toml", "label-points.csv"] {
        let s = load(name);
        let score = jixiao::evaluate(&p, &s);
        assert_eq!(score.total, d("100.00"), "{name}");
        let points: Vec<_> = score
            .audit
            .iter()
            .filter(|f| f.check == AuditCheck::GroupPoints)
            .map(|f| (f.place, f.values.clone()))
            .collect();
        // `产出指标(70分)` over rows weighing 50; `效益指标（30分）` over rows weighing 30 is right.
        assert_eq!(points.len(), 1, "{name}: {points:?}");
        assert!(matches!(points[0].0, AuditPlace::Group { .. }), "{name}");
        assert_eq!(points[0].1, AuditValues::Sum { printed: d("70"), sum: d("50") }, "{name}");
        let text = rendered(&p, &s, &score, Lang::En);
        assert!(text.contains("`产出指标` prints 70 points, its rows' weights add up to 50"), "{text}");
    }
}

#[test]
fn a_negative_target_from_split_columns_shows_its_direction() {
    let p = policy("national/2020");
    let s = load("split-negative.csv");
    let score = jixiao::evaluate(&p, &s);
    // ≥5座 / 4: 50 × 4/5 = 40; ≤-5% / -3%: 30 × -3/-5 = 18 (the share of the planned fall);
    // ≥90% / 0.95: full.
    assert_eq!(scores(&score), expected(["40.00", "18.00", "10.00"]));
    assert_eq!(score.total, d("78.00"));
    let text = rendered(&p, &s, &score, Lang::En);
    let row = text.lines().find(|l| l.contains("水土流失增幅")).expect("the row is shown");
    assert!(row.contains("≤-5%"), "{row}");
}

#[test]
fn text_recognition_noise_is_reported_never_guessed() {
    let p = policy("national/2020");
    let s = load("ocr.toml");
    let score = jixiao::evaluate(&p, &s);
    assert_eq!(
        score.indicators[0].error,
        Some(EvalError::UnknownCategory {
            level: 1,
            name: "出标产指".into(),
            suggestion: Some("产出指标".into())
        })
    );
    // `2100个` is scored as written, 30 × 100/2100 = 1.4286, and the hint says what else it may be.
    assert_eq!(score.indicators[1].score, Some(d("1.43")));
    assert!(score.indicators[1].notes.contains(&Note::TargetMaybeMisread { read_as: "≥100个".into() }));
    let text = rendered(&p, &s, &score, Lang::Zh);
    assert!(text.contains("若开头的 `2` 是误识别的 `≥`（`≥100个`）"), "{text}");
    // `250人` missed by `240人` is an ordinary miss.
    assert_eq!(score.indicators[4].score, Some(d("0")));
    assert!(!score.indicators[4].notes.iter().any(|n| matches!(n, Note::TargetMaybeMisread { .. })));
}

#[test]
fn an_unreadable_printed_total_or_group_value_is_left_out_not_the_sheet() {
    let p = policy("national/2020");
    let s = load("printed-values-unreadable.json");
    // budget.weight `十分` is left out as a problem (the scheme's 10 is used); groups[0].claimed
    // `二十` and total.claimed `100 / 10` are claims left unchecked, listed among the notes;
    // `20分` and `9.5分` are read with a note.
    let origin = s.origin.as_ref().expect("the left-out values are listed");
    let cells = |list: &[jixiao::sheet::CellNote]| list.iter().map(|c| c.cell.clone()).collect::<Vec<_>>();
    assert_eq!(cells(&origin.problems), ["budget.weight"]);
    assert_eq!(cells(&origin.notes), ["groups[0].weight", "groups[0].claimed", "total.claimed"]);
    assert_eq!(origin.notes[2].message.en, "`100 / 10` is not a number; it is left out");
    assert_eq!(s.total.claimed, None);
    assert_eq!(s.groups[0].weight, Some(d("20")));
    let score = jixiao::evaluate(&p, &s);
    // 9.5 (95 % of the scheme's 10) + 9 + 10 + 30 + 30 + 10.
    assert_eq!(scores(&score), expected(["9.00", "10.00", "30.00", "30.00", "10.00"]));
    assert_eq!(score.total, d("98.50"));
    assert!(!score.complete, "a printed weight was not read");
    let text = rendered(&p, &s, &score, Lang::En);
    assert!(text.contains("（暂定：有无法读取的内容，见下文）"), "{text}");
    assert!(text.contains("✗ unreadable budget.weight: `十分` is not a number; it is left out"), "{text}");
    assert!(text.contains("· total.claimed: `100 / 10` is not a number; it is left out"), "{text}");
}

#[test]
fn a_budget_amount_in_words_costs_only_the_budget() {
    let p = policy("national/2020");
    let s = load("budget-words.toml");
    let origin = s.origin.as_ref().expect("the left-out amounts are listed");
    let cells = |list: &[jixiao::sheet::CellNote]| list.iter().map(|c| c.cell.clone()).collect::<Vec<_>>();
    assert_eq!(cells(&origin.problems), ["budget.annual", "budget.executed"]);
    assert_eq!(
        origin.problems[1].message.en,
        "`八十三万五千` is not an amount of money; the cell is left out"
    );
    assert_eq!(origin.problems[1].message.zh, "`八十三万五千` 不是金额，该单元格未读取");
    let budget = s.budget.as_ref().expect("a budget block");
    assert_eq!((budget.initial, budget.annual, budget.executed), (Some(d("83.5")), None, None));
    let score = jixiao::evaluate(&p, &s);
    // 50 × 90/100 = 45; the qualitative and satisfaction rows in full; the budget unscored.
    assert_eq!(scores(&score), expected(["45.00", "30.00", "10.00"]));
    assert_eq!(score.budget.as_ref().and_then(|b| b.score), None);
    assert_eq!(score.total, d("85.00"));
    assert_eq!(score.total_range, Some((d("85.00"), d("95.00"))));
    assert!(!score.complete);
    let text = rendered(&p, &s, &score, Lang::En);
    assert!(
        text.contains(
            "✗ unreadable budget.executed: `八十三万五千` is not an amount of money; the cell is left out"
        ),
        "{text}"
    );
    // The rate is wanting for the annual budget here; with the annual budget given, for the
    // executed amount, and the finding says which.
    let code = |s: &ScoreSheet| s.budget.as_ref().and_then(|b| b.error.as_ref()).map(|e| e.code().name());
    assert_eq!(code(&score), Some("no-annual-budget"));
    let json = r#"{"project":{"name":"x"},"budget":{"annual":100,"executed":"八十三万五千"},
        "indicators":[{"level1":"产出指标","level2":"数量指标","name":"a","target":"≥10个","actual":"9个","weight":50}]}"#;
    let s = sheet::load(json, Format::Json).expect("reads");
    let score = jixiao::evaluate(&p, &s);
    assert_eq!(code(&score), Some("no-executed"));
    let error = score.budget.as_ref().and_then(|b| b.error.as_ref()).expect("the budget is unscored");
    assert_eq!(
        error.message().en,
        "the budget block has no executed amount, so the execution rate is unknown"
    );
}

#[test]
fn a_garbled_printed_total_in_a_form_is_noted() {
    let p = policy("national/2020");
    let s = load("garbled-total.csv");
    assert_eq!(s.total.claimed, None);
    let origin = s.origin.as_ref().expect("read from a table");
    let note = origin.notes.iter().find(|n| n.message.en.contains("100 / 10")).expect("the total is noted");
    assert_eq!(note.message.en, "the printed total `100 / 10` is not a number; it is left out");
    let score = jixiao::evaluate(&p, &s);
    assert_eq!(score.total, d("100.00"));
    assert!(score.complete, "only a claim was left out");
}

#[test]
fn an_export_value_with_its_own_comparison_takes_the_unit_column() {
    let p = policy("national/2020");
    let s = load("export-operator-values.csv");
    let score = jixiao::evaluate(&p, &s);
    // `≥95` beside `%` is ≥95 %, met by 0.97 (97 %), not 0.97 against 95 (50 × 0.97/95 = 0.51);
    // `≥100` beside `万元` is ≥100 万元, missed by 950000元: 10 × 95/100 = 9.5, not full marks
    // against 100 元.
    assert_eq!(scores(&score), expected(["40.00", "9.50", "30.00", "10.00"]));
    assert_eq!(score.total, d("99.50"));
    let text = rendered(&p, &s, &score, Lang::En);
    let row = text.lines().find(|l| l.contains("路面合格率")).expect("the row is shown");
    assert!(row.contains("≥95%"), "{row}");
}

#[test]
fn a_dotted_month_is_a_deadline() {
    let p = policy("national/2020");
    let s = load("dotted-dates.toml");
    let score = jixiao::evaluate(&p, &s);
    // 2023.10 meets 2023.12; 2024.01 misses 2023.12前 (0 by the 时限 method); 2000.5 ≥ 1800.
    assert_eq!(scores(&score), expected(["10.00", "0.00", "30.00", "30.00", "10.00"]));
    assert_eq!(score.indicators[0].direction, jixiao::words::Direction::Deadline);
    assert_eq!(score.indicators[1].direction, jixiao::words::Direction::Deadline);
    assert!(
        score
            .indicators
            .iter()
            .all(|i| !i.notes.iter().any(|n| matches!(n, Note::TargetMaybeMisread { .. })))
    );
    assert_eq!(score.total, d("90.00"));
}

#[test]
fn qualitative_actuals_are_placed_by_their_plain_words() {
    let p = policy("national/2020");
    let s = load("qualitative.toml");
    let score = jixiao::evaluate(&p, &s);
    // Tiers on 2.5 points: 达成 full, 部分达成 70 % = 1.75, 未达成 30 % = 0.75.
    assert_eq!(
        scores(&score),
        expected([
            "-",    // 完成率较低: a rate, not 完成 reached (was full marks)
            "1.75", // 基本完成
            "1.75", // 基本达到
            "1.75", // 基本合规
            "2.50", // 非常及时
            "2.50", // 无安全隐患，管理有效
            "1.75", // 较为及时
            "-",    // 未明显提升: denied, and no tier word of its own
            "0.75", // 尚未完成
            "0.75", // 不及时
            "2.50", // 明显提升 for 显著提升
            "-",    // 改善不明显
            "-",    // 已完成，但质量不高: the turn takes 已完成 back (was full marks)
            "2.50", // 不但按时完成，而且质量较好: 不但 turns nothing
        ])
    );
    assert_eq!(score.indicators[0].error, Some(EvalError::TierUndetermined));
    assert_eq!(score.indicators[12].error, Some(EvalError::TierUndetermined));
}

#[test]
fn a_deadline_typed_as_a_month_in_a_workbook_is_the_month() {
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
    // A form laid out like `split-negative.csv`, whose deadline cell holds the date Excel makes
    // of `2023年12月` (1 December, shown as a month).
    let rows: &[&[&str]] = &[
        &["项目支出绩效自评表"],
        &["项目名称", "（示例，虚构）月份日期"],
        &["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        &["", "年度资金总额", "100", "100", "100", "10", "100%", "10"],
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        &["产出指标", "时效指标", "完工时间", "", "2023年12月20日", "50", "50", ""],
        &["效益指标", "社会效益指标", "效果", "明显提升", "明显提升", "30", "30", ""],
        &["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", "10", "10", ""],
        &["总分", "", "", "", "", "", "100", ""],
    ];
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, *text).expect("written");
            }
        }
    }
    let month = CellFormat::new().set_num_format("yyyy\"年\"m\"月\"");
    let date = ExcelDateTime::from_ymd(2023, 12, 1).expect("a date");
    ws.write_datetime_with_format(5, 3, &date, &month).expect("written");
    let bytes = book.save_to_buffer().expect("saved");
    let read =
        sheet::read_workbook(&bytes, TableFormat::Workbook, "book", &ColumnMap::bundled()).expect("reads");
    let s = read[0].sheet().expect("loads");
    assert_eq!(s.indicators[0].target.text, "2023年12月");
    let score = jixiao::evaluate(&policy("national/2020"), &s);
    // 20 December is within the month: on time (read to the day, 1 December, it scored 0).
    assert_eq!(scores(&score), expected(["50.00", "30.00", "10.00"]));
    assert_eq!(score.total, d("100.00"));
}

#[test]
fn a_template_row_printed_with_zeros_scores_zero_and_leaves_the_total_final() {
    let p = policy("national/2020");
    let s = load("template-zeros.toml");
    assert!(s.indicators[1].placeholder_name);
    let score = jixiao::evaluate(&p, &s);
    assert_eq!(scores(&score), expected(["50.00", "0", "30.00", "10.00"]));
    assert_eq!(score.indicators[1].error, None);
    assert!(score.indicators[1].notes.is_empty());
    assert!(score.complete, "nothing is left unscored");
    assert_eq!(score.total, d("100.00"));
    let text = rendered(&p, &s, &score, Lang::En);
    assert!(text.contains("a template row with 0 points and no target or actual: 0"), "{text}");
    assert!(!text.contains("暂定"), "{text}");
}

#[test]
fn a_bare_actual_is_read_as_the_percentage_nearer_its_target() {
    let p = policy("national/2020");
    let s = load("bare-percentages.toml");
    let score = jixiao::evaluate(&p, &s);
    // 0.3 against ≤0.5% is 0.3 % (as 30 % it scored 10 × 0.5/30 = 0.17); 1 against ≤1% is 1 %
    // (as 100 %, 0.10); 0.97 against ≥95% is 97 %; 0.5 against ≥90% is 50 %: 10 × 50/90 = 5.56;
    // 0.5 against ≤2% is 0.5 %; 0.3 against ≥10% is 30 %.
    assert_eq!(scores(&score), expected(["10.00", "10.00", "10.00", "5.56", "10.00", "10.00"]));
    let read_as = |i: usize| {
        score.indicators[i].notes.iter().find_map(|n| match n {
            Note::RatioAsPercent => Some("ratio"),
            Note::NumberAsPercent => Some("percent"),
            _ => None,
        })
    };
    assert_eq!(
        (0..6).map(read_as).collect::<Vec<_>>(),
        [Some("percent"), Some("percent"), Some("ratio"), Some("ratio"), Some("percent"), Some("ratio")]
    );
}

#[test]
fn a_printed_rate_over_the_initial_budget_is_named() {
    let p = policy("national/2020");
    let s = load("rate-of-initial.toml");
    let score = jixiao::evaluate(&p, &s);
    // 100 / 120 = 83.33 %: 10 × 83.33 % = 8.33; the printed 100 % is 100 / 100 (年初预算数).
    assert_eq!(score.budget.as_ref().and_then(|b| b.score), Some(d("8.33")));
    let text = rendered(&p, &s, &score, Lang::En);
    assert!(
        text.contains("the printed execution rate 100% disagrees with the amounts, which give 83.33%; it is the executed amount over the initial budget (年初预算数)"),
        "{text}"
    );
}

#[test]
fn a_range_target_is_named_and_left_unscored() {
    let p = policy("national/2020");
    let s = load("range-targets.toml");
    let score = jixiao::evaluate(&p, &s);
    // `90%～100%`, `95%-100%` and `3至5场` are ranges: unscored, never 90% + 100% = 190% (2.55)
    // or 95% + -100% = -5% (full marks for 80%). A list of amounts (`6场、1场`) is
    // still their sum: 7场 meets 7场.
    assert_eq!(scores(&score), expected(["-", "-", "-", "5.00"]));
    for i in 0..3 {
        assert!(matches!(score.indicators[i].error, Some(EvalError::RangeTarget)), "row {i}");
    }
    assert_eq!(score.total_range, Some((d("15.00"), d("30.00"))));
    let table = rendered(&p, &s, &score, Lang::En);
    assert!(table.contains("the target is a range of two amounts"), "{table}");
    // The numbers alone agree.
    let quick = jixiao::evaluate_scores(&p, &s);
    assert_eq!(quick.rows, scores(&score));
    assert_eq!(quick.total, score.total);
}

#[test]
fn a_row_shared_out_by_its_weighted_detail_rows_is_counted_once() {
    let p = policy("national/2020");
    let s = load("detail-parts.toml");
    let score = jixiao::evaluate(&p, &s);
    // 培训人数 (20) is the subtotal of 其中：农民 (10 × 570/600 = 9.50) and 其中：妇女 (10): not
    // scored itself. The total is 10 + 9.50 + 10 + 30 + 30 + 10 = 99.50, not 119.50 with the
    // row's own 20 × 950/1000 = 19 counted beside its parts.
    assert_eq!(scores(&score), expected(["-", "9.50", "10.00", "30.00", "30.00", "10.00"]));
    assert!(matches!(
        score.indicators[0].weight_source,
        jixiao::score::WeightSource::Parts { first: 1, last: 2 }
    ));
    assert!(score.indicators[0].error.is_none());
    assert_eq!(score.total, d("99.50"));
    assert!(score.complete);
    // The weights add up to the scheme's 100 with the row left out: no weight finding.
    assert!(score.audit.is_empty(), "{:?}", score.audit);
    let table = rendered(&p, &s, &score, Lang::En);
    assert!(table.contains("its 20 points are shared by `其中：农民`, `其中：妇女` below"), "{table}");
    assert!(table.contains("they score 19.50"), "{table}");
    // The numbers alone agree.
    let quick = jixiao::evaluate_scores(&p, &s);
    assert_eq!(quick.rows, scores(&score));
    assert_eq!(quick.total, score.total);
    // Parts that do not add up to the row above are rows of their own.
    let text = std::fs::read_to_string(path("detail-parts.toml")).expect("fixture");
    let uneven =
        sheet::load(&text.replacen("weight = 10\nclaimed = 9", "weight = 8\nclaimed = 9", 1), Format::Toml)
            .expect("reads");
    let score = jixiao::evaluate(&p, &uneven);
    assert!(matches!(score.indicators[0].weight_source, jixiao::score::WeightSource::Sheet));
    assert_eq!(score.indicators[0].score, Some(d("19.00")));
}

#[test]
fn a_dotted_actual_against_an_amount_is_the_number_it_writes() {
    let p = policy("national/2020");
    let s = load("dotted-amount.toml");
    let score = jixiao::evaluate(&p, &s);
    // 2016.08 against ≥2000万元 is 2016.08 万元: met, 25. 2010.12 against ≥2100: 25 × 2010.12 /
    // 2100 = 23.93. 2024.02 against the deadline 2023.12 stays a month: late, 0.
    assert_eq!(scores(&score), expected(["25.00", "23.93", "0.00"]));
    for i in 0..2 {
        assert!(score.indicators[i].notes.contains(&Note::DottedActualAsNumber), "row {i}");
    }
    assert_eq!(score.indicators[2].direction, jixiao::words::Direction::Deadline);
    let quick = jixiao::evaluate_scores(&p, &s);
    assert_eq!(quick.rows, scores(&score));
    assert_eq!(quick.total, score.total);
}
