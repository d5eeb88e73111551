//! Workbooks in real layouts, written from TOML or JSON twins, must score exactly like their
//! twins; a broken cell costs only its row.

mod common;
mod workbook_forms;

use std::path::Path;

use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::score::{EvalError, ScoreSheet};
use jixiao::sheet::{self, ColumnMap, Sheet, TableFormat};
use rust_decimal::Decimal;
use workbook_forms::{Layout, NATIONAL, NO_WEIGHTS, SPLIT_TARGET};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn twin(path: &str) -> Sheet {
    let text = std::fs::read_to_string(root().join(path)).expect("twin is readable");
    let format = sheet::Format::from_path(path).expect("toml or json");
    sheet::load(&text, format).unwrap_or_else(|e| panic!("{path} reads: {e:?}"))
}

fn policy_for(s: &Sheet) -> Policy {
    let lib: Library = common::bundled_rules();
    let j = s.project.jurisdiction.clone().unwrap_or_else(|| "national".into());
    let chosen = lib.select(&j, s.project.year.expect("twins have a year")).expect("a policy applies");
    lib.resolve(&chosen.name, &mut Sources::new()).expect("bundled rules check").policy
}

fn read_book(bytes: &[u8]) -> Vec<Sheet> {
    sheet::read_workbook(bytes, TableFormat::Workbook, "book", &ColumnMap::bundled())
        .expect("the workbook reads")
        .iter()
        .map(|t| t.sheet().unwrap_or_else(|e| panic!("the reading loads: {e:?}\n{}", t.to_toml().0)))
        .collect()
}

/// Every number a score sheet gives: budget, each indicator, each group, total and grade.
fn numbers(score: &ScoreSheet) -> String {
    let mut out = format!(
        "total {} grade {:?} complete {} budget {:?}\n",
        score.total,
        score.grade,
        score.complete,
        score.budget.as_ref().map(|b| b.score)
    );
    for i in &score.indicators {
        out.push_str(&format!("  {:?} of {} claimed {:?} {:?}\n", i.score, i.weight, i.claimed, i.error));
    }
    for g in &score.groups {
        out.push_str(&format!("  group {:?}/{:?} {} claimed {:?}\n", g.level1, g.level2, g.score, g.claimed));
    }
    out
}

fn assert_twins(twin_path: &str, read: &Sheet) {
    let original = twin(twin_path);
    let policy = policy_for(&original);
    let expected = numbers(&jixiao::evaluate(&policy, &original));
    let got = numbers(&jixiao::evaluate(&policy, read));
    assert_eq!(got, expected, "{twin_path}: the workbook scores differently from its twin");
}

const TWINS: &[&str] = &[
    "examples/zhuzhou-2022-qixie.toml",
    "examples/hunan-2021-yinshui.toml",
    "examples/hunan-2023-jianshen.toml",
    "examples/national-2018-liushou.toml",
    "examples/yunnan-2021-kafei.toml",
    "examples/yunnan-2022-jiaoshi.json",
];

fn one(path: &str, layout: Layout) {
    let original = twin(path);
    let bytes = workbook_forms::workbook(&[("Sheet1", &original, layout)], false).expect("written");
    let read = read_book(&bytes);
    assert_eq!(read.len(), 1, "{path}: one table");
    assert_twins(path, &read[0]);
}

#[test]
fn national_form_with_merged_and_broken_labels_scores_like_its_twin() {
    for path in TWINS {
        one(path, NATIONAL);
    }
}

#[test]
fn form_with_split_target_columns_and_no_merges_scores_like_its_twin() {
    for path in TWINS {
        one(path, SPLIT_TARGET);
    }
}

#[test]
fn form_without_a_weight_column_scores_like_its_twin() {
    // The 20/80 template: weights come from the policy's scheme (see the fixture's comment).
    let path = "tests/fixtures/workbooks/yunnan-no-weights.toml";
    one(path, NO_WEIGHTS);
    let original = twin(path);
    let score = jixiao::evaluate(&policy_for(&original), &original);
    assert_eq!(score.total.to_string(), "92.75");
}

#[test]
fn many_projects_stacked_on_one_worksheet_or_one_per_worksheet() {
    let originals: Vec<Sheet> = TWINS.iter().map(|p| twin(p)).collect();
    let layouts = [NATIONAL, SPLIT_TARGET];
    let entries: Vec<(String, &Sheet, Layout)> =
        originals.iter().enumerate().map(|(i, s)| (format!("项目{}", i + 1), s, layouts[i % 2])).collect();
    let entries: Vec<(&str, &Sheet, Layout)> = entries.iter().map(|(n, s, l)| (n.as_str(), *s, *l)).collect();
    for stacked in [true, false] {
        let bytes = workbook_forms::workbook(&entries, stacked).expect("written");
        let read = read_book(&bytes);
        assert_eq!(read.len(), TWINS.len(), "stacked: {stacked}");
        for (path, sheet) in TWINS.iter().zip(&read) {
            assert_twins(path, sheet);
        }
    }
}

#[test]
fn one_broken_cell_costs_only_its_row() {
    let mut original = twin("examples/hunan-2023-jianshen.toml");
    let bytes = workbook_forms::workbook(&[("表", &original, NATIONAL)], false).expect("written");
    // Break the weight of the second indicator: find its cell by reading the workbook once.
    let good = read_book(&bytes);
    let origin = good[0].origin.clone().expect("read from a workbook");
    let weight_cell =
        origin.cell(good[0].indicators[1].weight_line).expect("the weight has a cell").to_string();
    let text = String::from_utf8_lossy(&bytes).len();
    assert!(text > 0);
    // Rewrite the workbook with that weight replaced by text.
    original.indicators[1].weight = None;
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name("表").expect("name");
    workbook_forms::write_form(ws, 0, &original, NATIONAL).expect("written");
    let (col, row) = split_cell(&weight_cell);
    ws.write_string(row, col, "十分").expect("written");
    let bytes = book.save_to_buffer().expect("saved");
    let read = read_book(&bytes);
    let policy = policy_for(&read[0]);
    let score = jixiao::evaluate(&policy, &read[0]);
    assert!(!score.complete);
    let broken = &score.indicators[1];
    assert_eq!(broken.error, Some(EvalError::UnreadableCell { cell: format!("{weight_cell} `十分`") }));
    assert_eq!(broken.score, None);
    let scored = score.indicators.iter().filter(|i| i.score.is_some()).count();
    assert_eq!(scored, score.indicators.len() - 1, "every other row is scored");
    let problems = &read[0].origin.as_ref().expect("origin").problems;
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].cell, weight_cell);
}

/// `表!G12` → (column 6, row 11).
fn split_cell(name: &str) -> (u16, u32) {
    let addr = name.rsplit('!').next().unwrap_or_default();
    let letters: String = addr.chars().take_while(char::is_ascii_uppercase).collect();
    let digits: String = addr.chars().skip_while(char::is_ascii_uppercase).collect();
    let col = letters.bytes().fold(0u16, |acc, b| acc * 26 + u16::from(b - b'A' + 1)) - 1;
    (col, digits.parse::<u32>().expect("row") - 1)
}

/// The committed example workbook, laid out like the printed seed table, scores exactly like its
/// TOML transcription. `JIXIAO_WRITE_EXAMPLES=1 cargo test --test workbooks` rewrites it.
#[test]
fn the_example_workbook_scores_like_its_toml() {
    let path = root().join("examples/zhuzhou-2022-qixie.xlsx");
    if std::env::var_os("JIXIAO_WRITE_EXAMPLES").is_some() {
        let original = twin("examples/zhuzhou-2022-qixie.toml");
        let bytes = workbook_forms::workbook(&[("自评表", &original, NATIONAL)], false).expect("written");
        std::fs::write(&path, bytes).expect("example written");
    }
    let bytes = std::fs::read(&path).expect("examples/zhuzhou-2022-qixie.xlsx exists");
    let read = read_book(&bytes);
    assert_eq!(read.len(), 1);
    assert_twins("examples/zhuzhou-2022-qixie.toml", &read[0]);
    let origin = read[0].origin.as_ref().expect("origin");
    assert_eq!(origin.place, "自评表!A2");
}

/// The twins scored, as views, and the scored workbook written from them.
fn with_scored_twins<R>(f: impl FnOnce(&[jixiao::report::View<'_>], Vec<u8>) -> R) -> R {
    let sheets: Vec<Sheet> = TWINS.iter().map(|p| twin(p)).collect();
    let policies: Vec<Policy> = sheets.iter().map(policy_for).collect();
    let scores: Vec<ScoreSheet> = sheets.iter().zip(&policies).map(|(s, p)| jixiao::evaluate(p, s)).collect();
    let views: Vec<jixiao::report::View<'_>> = sheets
        .iter()
        .zip(&policies)
        .zip(&scores)
        .zip(TWINS)
        .map(|(((sheet, policy), score), name)| jixiao::report::View {
            policy,
            sheet,
            score,
            sheet_name: name,
            lang: jixiao::words::Lang::Zh,
            text: None,
        })
        .collect();
    let bytes = jixiao::report::xlsx::workbook(&views).expect("the workbook is written");
    f(&views, bytes)
}

/// The scored workbook reads back with the numbers of the score sheet: every computed score,
/// claim and the total are numbers in their cells.
#[test]
fn the_scored_workbook_reads_back_with_the_same_numbers() {
    use calamine::{Data, Reader};
    let (scores, bytes): (Vec<ScoreSheet>, Vec<u8>) =
        with_scored_twins(|views, bytes| (views.iter().map(|v| v.score.clone()).collect(), bytes));
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("it opens");
    let names = book.sheet_names();
    assert_eq!(names.len(), TWINS.len() + 1);
    assert_eq!(names[0], "汇总");
    let summary = book.worksheet_range("汇总").expect("summary");
    let as_f64 = |d: Option<&Data>| match d {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    };
    let close = |a: Option<f64>, b: Decimal| {
        a.is_some_and(|a| (a - b.to_string().parse::<f64>().unwrap_or(f64::NAN)).abs() < 1e-9)
    };
    for (i, score) in scores.iter().enumerate() {
        let row = i + 1;
        assert!(close(as_f64(summary.get((row, 3))), score.total), "summary total of {}", TWINS[i]);
        if let Some(c) = score.claimed_total {
            assert!(close(as_f64(summary.get((row, 5))), c), "summary claim of {}", TWINS[i]);
        }
    }
    for (i, score) in scores.iter().enumerate() {
        let range = book.worksheet_range(&names[i + 1]).expect("project sheet");
        let header =
            range.rows().position(|r| r.first().is_some_and(|c| *c == "一级指标")).expect("indicator header");
        for (k, s) in score.indicators.iter().enumerate() {
            let row = header + 1 + k;
            match s.score {
                Some(v) => assert!(close(as_f64(range.get((row, 7))), v), "{}: row {k}", TWINS[i]),
                None => assert_eq!(range.get((row, 7)).map(|d| d.to_string()).as_deref(), Some("✗")),
            }
            assert!(close(as_f64(range.get((row, 5))), s.weight));
        }
        let total_row =
            range.rows().position(|r| r.first().is_some_and(|c| *c == "总分")).expect("total row");
        assert!(close(as_f64(range.get((total_row, 7))), score.total), "{}: total", TWINS[i]);
    }
}

/// The scored workbook's summary carries an autofilter, and findings are cell notes beside
/// being listed in their column.
#[test]
fn the_scored_workbook_has_an_autofilter_and_cell_notes() {
    use std::io::Read;
    with_scored_twins(|views, bytes| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
        let mut part = |name: &str| {
            let mut text = String::new();
            zip.by_name(name).expect(name).read_to_string(&mut text).expect("UTF-8 XML");
            text
        };
        assert!(part("xl/worksheets/sheet1.xml").contains("<autoFilter"), "the summary has an autofilter");
        let names: Vec<String> = (0..zip.len())
            .filter_map(|i| zip.by_index(i).ok().and_then(|f| f.name().ok().map(|n| n.to_string())))
            .filter(|n| n.starts_with("xl/comments"))
            .collect();
        assert!(!names.is_empty(), "findings are cell notes");
        let mut comments = String::new();
        for n in &names {
            let mut text = String::new();
            zip.by_name(n).expect("comments part").read_to_string(&mut text).expect("UTF-8 XML");
            comments.push_str(&text);
        }
        // Every flagged row's first flag message stands in a note.
        let any_flag = views
            .iter()
            .flat_map(|v| v.score.indicators.iter().map(move |s| (v, s)))
            .find_map(|(v, s)| s.flags.first().map(|f| v.indicator_flag(s, f)));
        let flag = any_flag.expect("the twins have a flagged row");
        let head: String = flag.chars().take(8).collect();
        assert!(comments.contains(&head), "`{head}` not among the cell notes");
    });
}

/// A system export, one worksheet per project code, scores like the twins it was written from;
/// the column nobody maps is reported with its cell.
#[test]
fn a_system_export_scores_like_its_twins() {
    let paths = [
        "examples/hunan-2021-yinshui.toml",
        "examples/hunan-2023-jianshen.toml",
        "examples/national-2018-liushou.toml",
        "examples/yunnan-2021-kafei.toml",
        "examples/yunnan-2022-jiaoshi.json",
    ];
    let originals: Vec<Sheet> = paths.iter().map(|p| twin(p)).collect();
    let entries: Vec<(String, &Sheet)> =
        originals.iter().enumerate().map(|(i, s)| (format!("P{:03}", i + 1), s)).collect();
    let entries: Vec<(&str, &Sheet)> = entries.iter().map(|(c, s)| (c.as_str(), *s)).collect();
    let bytes = workbook_forms::export_workbook(&entries).expect("written");
    let transcripts =
        sheet::read_workbook(&bytes, TableFormat::Workbook, "export", &ColumnMap::bundled()).expect("reads");
    assert_eq!(transcripts.len(), paths.len());
    for (t, path) in transcripts.iter().zip(paths) {
        assert!(
            t.notes.iter().any(|n| n.message.en.contains("`remark`") && n.cell.ends_with("!R1")),
            "{path}"
        );
        let read = t.sheet().unwrap_or_else(|e| panic!("{path}: {e:?}\n{}", t.to_toml().0));
        // `无` is no note.
        assert!(read.indicators.iter().all(|i| i.note.as_deref() != Some("无")));
        let original = twin(path);
        let policy = policy_for(&original);
        let a = jixiao::evaluate(&policy, &original);
        let b = jixiao::evaluate(&policy, &read);
        let scores = |s: &ScoreSheet| s.indicators.iter().map(|i| (i.score, i.weight)).collect::<Vec<_>>();
        assert_eq!(scores(&b), scores(&a), "{path}");
        assert_eq!(b.total, a.total, "{path}");
    }
}

/// Random tables made of form labels, numbers, odd cells and blanks never make the reader or
/// the evaluator panic, and the reading always loads (an odd cell costs a row, not the table).
#[test]
fn random_tables_never_panic_and_always_load() {
    const WORDS: &[&str] = &[
        "项目名称",
        "主管部门",
        "实施单位",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因",
        "指标性质",
        "度量单位",
        "产出指标",
        "(50分)",
        "数量指标",
        "效益指标",
        "满意度指标",
        "总分",
        "合计",
        "≥50个",
        "80%以上",
        "明显提升",
        "10分",
        "20%",
        "十分",
        "-3",
        "259.45万元",
        "全年执行数",
        "全年预算数",
        "年初预算数",
        "执行率",
        "预期目标",
        "实际完成情况",
        "產出指標",
        "正向",
        "6",
        "2023年12月",
        "/",
        "无",
        "1e40",
        "\"",
        "a,b",
        "\n",
        "pro_code",
        "PERF_IND_NAME",
        "ind_weight",
        "COMPUTESIGN",
        "",
        "",
        "",
        "",
        "",
    ];
    let policy =
        common::bundled_rules().resolve("national/2020", &mut Sources::new()).expect("checks").policy;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..150 {
        let rows = 1 + next() % 18;
        let cols = 1 + next() % 10;
        let cells: Vec<Vec<&str>> = (0..rows)
            .map(|_| (0..cols).map(|_| WORDS[(next() % WORDS.len() as u64) as usize]).collect())
            .collect();
        let csv: String = cells
            .iter()
            .map(|r| {
                let quoted: Vec<String> =
                    r.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect();
                quoted.join(",") + "\n"
            })
            .collect();
        // The same cells as a workbook, with random merged regions.
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        let mut merged: Vec<(u32, u16, u32, u16)> = Vec::new();
        for _ in 0..(next() % 4) {
            let (r0, c0) = ((next() % rows) as u32, (next() % cols) as u16);
            let (r1, c1) = (r0 + (next() % 4) as u32, c0 + (next() % 2) as u16);
            // Overlapping regions are not a workbook anyone can save.
            let overlaps =
                merged.iter().any(|&(a0, b0, a1, b1)| r0 <= a1 && a0 <= r1 && c0 <= b1 && b0 <= c1);
            if (r0, c0) == (r1, c1) || overlaps {
                continue;
            }
            merged.push((r0, c0, r1, c1));
            let _ = ws.merge_range(r0, c0, r1, c1, "", &rust_xlsxwriter::Format::new());
        }
        for (r, row) in cells.iter().enumerate() {
            for (c, w) in row.iter().enumerate() {
                let _ = ws.write_string(r as u32, c as u16, *w);
            }
        }
        let bytes = book.save_to_buffer().expect("a workbook");
        let inputs = [(csv.into_bytes(), TableFormat::Csv), (bytes, TableFormat::Workbook)];
        for (input, format) in &inputs {
            let Ok(tables) = sheet::read_workbook(input, *format, "random", &ColumnMap::bundled()) else {
                continue;
            };
            for t in tables {
                let read = t
                    .sheet()
                    .unwrap_or_else(|e| panic!("the reading must load: {e:?}\n{cells:?}\n{}", t.to_toml().0));
                let _ = jixiao::evaluate(&policy, &read);
            }
        }
    }
}

/// The scored workbook of the seed shows its total as a range while the quality row is
/// unreadable (88.80–98.80, 良–优), and the audit's finding on that row's claim.
#[test]
fn the_scored_workbook_shows_the_range_and_the_audit() {
    use calamine::{Data, Reader};
    use jixiao::report::{View, xlsx};
    let text = std::fs::read_to_string(root().join("examples/zhuzhou-2022-qixie.toml")).expect("the seed");
    let sheet = jixiao::sheet::load(&text, jixiao::sheet::Format::Toml).expect("the seed loads");
    let policy = policy_for(&sheet);
    let score = jixiao::evaluate(&policy, &sheet);
    let view = View {
        policy: &policy,
        sheet: &sheet,
        score: &score,
        sheet_name: "seed",
        lang: jixiao::words::Lang::Zh,
        text: None,
    };
    let bytes = xlsx::workbook(&[view]).expect("the workbook is written");
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("it opens");
    let names = book.sheet_names();
    let range = book.worksheet_range(&names[names.len() - 1]).expect("project sheet");
    let text_at = |row: usize, col: usize| match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    let grade_row =
        range.rows().position(|r| r.first().is_some_and(|c| *c == "评价等级")).expect("grade row");
    assert_eq!(text_at(grade_row, 1), "良–优（暂定：总分可能为 88.80–98.80）");
    let quality = range
        .rows()
        .position(|r| r.get(2).is_some_and(|c| c.to_string().starts_with("验收合格")))
        .expect("the quality row");
    assert!(text_at(quality, 10).contains("⚖ 无法计分的行填有自评得分"), "{}", text_at(quality, 10));
}

/// Parent rows printed with their category's points (`产出指标 | | | | | 50 | 49` above its level-2
/// and level-3 rows) are subtotals: they are the groups' claims, never indicators of their own.
/// By hand (national 2020): budget 300/300 → 10; 产出 10 + 10 + 18.95 (20 × 90/95 = 18.947…)
/// plus 10 = 48.95; 效益 15 + 15 = 30; 满意度 10; total 98.95 (claimed 99). The empty `指标2：`
/// row is skipped.
#[test]
fn parent_rows_are_group_subtotals_not_indicators() {
    let bytes = std::fs::read(root().join("tests/fixtures/workbooks/parent-rows.csv")).expect("fixture");
    let read: Vec<Sheet> =
        sheet::read_workbook(&bytes, TableFormat::Csv, "parent-rows", &ColumnMap::bundled())
            .expect("the table reads")
            .iter()
            .map(|t| t.sheet().unwrap_or_else(|e| panic!("the reading loads: {e:?}")))
            .collect();
    let s = &read[0];
    let names: Vec<&str> = s.indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["新增绿地面积", "补植乔木", "苗木成活率", "完成时间", "空气质量改善", "市民休闲条件", "市民满意度"]
    );
    let groups: Vec<_> =
        s.groups.iter().map(|g| (g.level1.as_str(), g.level2.as_deref(), g.weight, g.claimed)).collect();
    let d = |n: i64| Some(Decimal::from(n));
    assert_eq!(
        groups,
        [
            ("产出指标", None, d(50), d(49)),
            ("产出指标", Some("数量指标"), d(20), d(20)),
            ("效益指标", None, d(30), d(30))
        ]
    );
    assert_eq!(s.skipped.len(), 1);
    let score = jixiao::evaluate(&policy_for(s), s);
    assert_eq!(score.total, Decimal::new(9895, 2));
    assert!(score.complete);
    let output =
        score.groups.iter().find(|g| g.level2.is_none() && g.claimed == d(49)).expect("产出 subtotal");
    assert_eq!(output.score, Decimal::new(4895, 2));
}

/// An export printing rates as fractions: `goal_comp` `1` and `0.95` with `UNIT` `%` against
/// `kpi_val` 100 and 90 are 100 % and 95 %, not 1 % and 0.95 %; against a ceiling (`≤5` `%`)
/// `0.5` stays 0.5 %. By hand (national 2020, 50/30/10 + 10): budget 118.5 / 120 × 10 = 9.875
/// → 9.88; 合格率 100 % ≥ 100 % → 40; 满意度 95 % ≥ 90 % → 10; 损耗率 0.5 % ≤ 5 % → 10;
/// 受益 30 of 30; total 9.88 + 40 + 10 + 10 + 30 = 99.88.
#[test]
fn an_export_with_fraction_rates_reads_them_as_ratios() {
    let bytes = std::fs::read(root().join("tests/fixtures/workbooks/export-fractions.csv")).expect("fixture");
    let t = sheet::read_workbook(&bytes, TableFormat::Csv, "export-fractions", &ColumnMap::bundled())
        .expect("the export reads");
    let s = t[0].sheet().unwrap_or_else(|e| panic!("the reading loads: {e:?}"));
    let score = jixiao::evaluate(&policy_for(&s), &s);
    let scores: Vec<_> = score.indicators.iter().map(|i| i.score).collect();
    let d = |n: i64| Some(Decimal::from(n));
    assert_eq!(scores, [d(40), d(10), d(30), d(10)]);
    assert_eq!(score.total, Decimal::new(9988, 2));
}

fn read_csv(name: &str) -> Sheet {
    let bytes = std::fs::read(root().join(format!("tests/fixtures/workbooks/{name}.csv"))).expect("fixture");
    let t =
        sheet::read_workbook(&bytes, TableFormat::Csv, name, &ColumnMap::bundled()).expect("the table reads");
    t[0].sheet().unwrap_or_else(|e| panic!("the reading loads: {e:?}"))
}

/// A block label in the 一级指标 column (`绩效指标（90分）`, `年度绩效目标(90分)`) heads the
/// indicator rows; it is neither a category nor an indicator, and every row is scored.
/// National 2020 for each table: budget 10 × 190/200 = 9.50; 培训人数 met 30; 取证率
/// 20 × 78/80 = 19.50; 就业率 met 30; 满意度 met 10; total 9.50 + 89.50 = 99.00.
#[test]
fn block_labels_in_the_level1_column_head_the_rows() {
    for name in ["block-in-level1", "block-heading-row"] {
        let s = read_csv(name);
        let score = jixiao::evaluate(&policy_for(&s), &s);
        let scores: Vec<_> =
            s.indicators.iter().zip(&score.indicators).map(|(row, i)| (row.name.as_str(), i.score)).collect();
        let d = |n: i64, scale: u32| Some(Decimal::new(n, scale));
        assert_eq!(
            scores,
            [("培训人数", d(30, 0)), ("取证率", d(1950, 2)), ("就业率", d(30, 0)), ("学员满意度", d(10, 0))],
            "{name}"
        );
        assert_eq!(score.total, Decimal::new(9900, 2), "{name}");
        assert!(score.complete, "{name}");
    }
    // The heading row's 90 / 89.5 is no indicator, and the reading says what it was.
    let bytes =
        std::fs::read(root().join("tests/fixtures/workbooks/block-heading-row.csv")).expect("fixture");
    let t = sheet::read_workbook(&bytes, TableFormat::Csv, "block-heading-row", &ColumnMap::bundled())
        .expect("the table reads");
    assert!(
        t[0].notes.iter().any(|n| n.cell == "'block-heading-row'!A6"
            && n.message.en.starts_with(
                "`年度绩效目标(90分)` (分值 90, 得分 89.5) is the heading of the indicator block"
            )),
        "{:?}",
        t[0].notes
    );
}

/// With no 分值 column, the points in level-2 labels under a block heading are their groups'
/// weights — 数量 30 and 质量 20, not 产出's 50 split equally (25 each, which scored 取证率
/// 25 × 78/80 = 24.38 and 培训人数 25 of its claimed 30). 20 × 78/80 = 19.50; the rows add to
/// 30 + 19.50 + 30 + 10 = 89.50; the table has no budget block, so the total is 89.50–99.50.
#[test]
fn label_points_under_a_block_heading_weigh_their_groups() {
    let s = read_csv("block-label-points");
    assert!(!s.groups.iter().any(|g| g.level2.is_none()), "the block's 90 is no category's weight");
    let score = jixiao::evaluate(&policy_for(&s), &s);
    let weights: Vec<_> = score.indicators.iter().map(|i| (i.weight, i.score)).collect();
    let d = |n: i64, scale: u32| Some(Decimal::new(n, scale));
    assert_eq!(
        weights,
        [
            (Decimal::from(30), d(30, 0)),
            (Decimal::from(20), d(1950, 2)),
            (Decimal::from(30), d(30, 0)),
            (Decimal::from(10), d(10, 0))
        ]
    );
    assert_eq!(score.total_range, Some((Decimal::new(8950, 2), Decimal::new(9950, 2))));
}

/// The same in a TOML sheet: the level-2 column holds the level-1 categories under a block
/// heading. 产出指标 has level-2 categories in the national scheme, so its row cannot be placed
/// and says so; 满意度指标 is also the label of its one level-2 category and is scored.
#[test]
fn a_block_heading_in_a_toml_sheet_moves_the_categories() {
    let text = r#"
[project]
name = "职业技能培训补贴"
year = 2022
[budget]
annual = 200
executed = 190
[[indicators]]
level1 = "绩效指标（90分）"
level2 = "产出指标"
name = "培训人数"
target = "≥1000人"
actual = "1050人"
weight = 80
[[indicators]]
level2 = "满意度指标"
name = "学员满意度"
target = "≥90%"
actual = "92%"
weight = 10
"#;
    let s = sheet::load(text, sheet::Format::Toml).expect("the sheet reads");
    assert_eq!((&*s.indicators[0].level1, &*s.indicators[1].level1), ("产出指标", "满意度指标"));
    let score = jixiao::evaluate(&policy_for(&s), &s);
    assert!(matches!(score.indicators[0].error, Some(EvalError::UnknownCategory { level: 2, .. })));
    assert_eq!(score.indicators[1].score, Some(Decimal::TEN));
}

/// A four-level form: column A holds only the block heading `绩效指标（90分）` (printed once,
/// merged down) and the header's 一级指标 | 二级指标 | 三级指标 sit one column to the left of
/// the levels they name, or spread over two columns. Columns B, C and D are levels 1–3 and
/// every row is scored (national 2020): budget 10 × 180/200 = 9.00; 培训人数 30 × 900/1000 =
/// 27.00; 取证率 20 × 78/80 = 19.50; 就业率 met 30; 满意度 met 10; total 9 + 27 + 19.5 + 30 +
/// 10 = 95.50, as printed.
#[test]
fn a_block_heading_column_before_three_levels_is_read_as_four_levels() {
    let bytes = std::fs::read(root().join("tests/fixtures/workbooks/four-level-block.csv")).expect("fixture");
    let text = String::from_utf8(bytes).expect("utf-8");
    let spread = text.replace("一级指标,二级指标,三级指标,,", "一级指标,,二级指标,三级指标,");
    assert_ne!(spread, text);
    for (layout, csv) in [("shifted", text), ("spread", spread)] {
        let t =
            sheet::read_workbook(csv.as_bytes(), TableFormat::Csv, "four-level-block", &ColumnMap::bundled())
                .expect("the table reads");
        assert!(
            t[0].notes.iter().any(|n| n.cell == "'four-level-block'!A6"
                && n.message.en
                    == "column A holds only the block heading `绩效指标（90分）`; columns B, C and D are read as 一级指标, 二级指标 and 三级指标"),
            "{layout}: {:?}",
            t[0].notes
        );
        let s = t[0].sheet().unwrap_or_else(|e| panic!("{layout}: the reading loads: {e:?}"));
        let score = jixiao::evaluate(&policy_for(&s), &s);
        let rows: Vec<_> = s
            .indicators
            .iter()
            .zip(&score.indicators)
            .map(|(row, i)| (&*row.level1, &*row.level2, row.name.as_str(), i.score))
            .collect();
        let d = |n: i64, scale: u32| Some(Decimal::new(n, scale));
        assert_eq!(
            rows,
            [
                ("产出指标", "数量指标", "培训人数", d(27, 0)),
                ("产出指标", "质量指标", "取证率", d(1950, 2)),
                ("效益指标", "社会效益指标", "就业率", d(30, 0)),
                ("满意度指标", "服务对象满意度指标", "学员满意度", d(10, 0))
            ],
            "{layout}"
        );
        assert_eq!(score.total, Decimal::new(9550, 2), "{layout}");
        assert!(score.complete, "{layout}");
    }
}
