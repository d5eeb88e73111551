//! The binary on workbooks and CSV files: `eval` scores them, `read` prints the reading as a
//! sheet that scores the same, `--format xlsx` writes a scored workbook.

use std::path::PathBuf;

mod common;

use common::{Run, run};

fn case(name: &str, args: &[&str], code: i32) -> Run {
    let r = run(args);
    let transcript = r.transcript(args);
    assert_eq!(r.code, Some(code), "{name}\n{transcript}");
    insta::assert_snapshot!(name, transcript);
    r
}

fn scratch(name: &str) -> PathBuf {
    common::scratch("workbook-cli", name)
}

/// The seed as a workbook scores exactly as its TOML under the same rules: under Hunan's (the
/// printed form names no place; the TOML says `zhuzhou`) 88.80 less two 2-point deductions for
/// actuals 30% or more above target = 84.80, 良, one row unscored.
#[test]
fn eval_the_example_workbook() {
    let j = ["--jurisdiction", "zhuzhou"];
    let xlsx = run(&[&["eval", "--format", "json", "examples/zhuzhou-2022-qixie.xlsx"][..], &j].concat());
    let toml = run(&[&["eval", "--format", "json", "examples/zhuzhou-2022-qixie.toml"][..], &j].concat());
    assert_eq!(xlsx.code, Some(1));
    let a: serde_json::Value = serde_json::from_str(&xlsx.stdout).expect("json");
    let b: serde_json::Value = serde_json::from_str(&toml.stdout).expect("json");
    assert_eq!(a["total"].to_string(), "84.80");
    assert_eq!(a["grade"], "良");
    for key in ["total", "grade", "claimed_total", "difference", "complete", "sum", "groups", "budget"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    let scores = |v: &serde_json::Value| -> Vec<String> {
        v["indicators"].as_array().into_iter().flatten().map(|i| i["score"].to_string()).collect()
    };
    assert_eq!(scores(&a), scores(&b));
    assert_eq!(a["read"]["from"], "自评表!A2");
    assert_eq!(a["indicators"][0]["cell"], "自评表!D12");
    assert!(b["indicators"][0].get("cell").is_none(), "a TOML row has no cell");
}

/// One unreadable weight (`十分`) costs only its row; every liberty is listed with its cell.
#[test]
fn eval_a_table_with_one_broken_cell() {
    case("eval_broken_cell", &["eval", "tests/fixtures/workbooks/broken-cell.csv"], 1);
}

/// `read` prints the TOML jixiao understood; scoring that TOML gives the workbook's total.
#[test]
fn read_prints_a_sheet_that_scores_the_same() {
    let r = case("read_example_toml", &["read", "examples/zhuzhou-2022-qixie.xlsx"], 0);
    let path = scratch("zhuzhou.toml");
    std::fs::write(&path, &r.stdout).expect("written");
    let from_toml = run(&["eval", "--format", "json", path.to_str().expect("utf-8 path")]);
    let v: serde_json::Value = serde_json::from_str(&from_toml.stdout).expect("json");
    assert_eq!(v["total"].to_string(), "88.80");
    let json = run(&["read", "--format", "json", "tests/fixtures/workbooks/broken-cell.csv"]);
    assert_eq!(json.code, Some(1), "an unreadable cell is a finding");
    let path = scratch("broken.json");
    std::fs::write(&path, &json.stdout).expect("written");
    let from_json = run(&["eval", "--format", "json", path.to_str().expect("utf-8 path")]);
    let v: serde_json::Value = serde_json::from_str(&from_json.stdout).expect("json");
    assert_eq!(v["total"].to_string(), "86.50");
    assert_eq!(v["complete"], false);
}

/// `--format xlsx` writes a workbook (a summary first for several projects); without `-o` it
/// refuses rather than writing binary data to a terminal.
#[test]
fn eval_writes_a_scored_workbook() {
    use calamine::Reader;
    let out = scratch("scored.xlsx");
    let out_s = out.to_str().expect("utf-8 path");
    let r = run(&[
        "eval",
        "--format",
        "xlsx",
        "-o",
        out_s,
        "examples/zhuzhou-2022-qixie.xlsx",
        "tests/fixtures/workbooks/broken-cell.csv",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let mut book = calamine::open_workbook_auto(&out).expect("the scored workbook opens");
    let names = book.sheet_names();
    assert_eq!(names.len(), 3);
    let summary = book.worksheet_range("汇总").expect("summary");
    assert_eq!(summary.get((1, 3)), Some(&calamine::Data::Float(88.8)));
    assert_eq!(summary.get((2, 3)), Some(&calamine::Data::Float(86.5)));
    case("eval_xlsx_needs_output", &["eval", "--format", "xlsx", "examples/zhuzhou-2022-qixie.xlsx"], 2);
}

#[test]
fn not_a_workbook() {
    case("eval_not_a_workbook", &["eval", "tests/fixtures/workbooks/not-a-workbook.xlsx"], 2);
}

/// A system export whose indicator column nobody has named is not recognised until a column
/// map names it; then each project code is a sheet, the division code chooses the rules, `无`
/// is no note, and the unmapped `remark` column is listed.
#[test]
fn an_export_with_a_column_map() {
    case("eval_export_unmapped", &["eval", "tests/fixtures/workbooks/export.csv"], 2);
    case(
        "eval_export_mapped",
        &[
            "eval",
            "--columns",
            "tests/fixtures/workbooks/columns.toml",
            "tests/fixtures/workbooks/export.csv",
        ],
        1,
    );
    case(
        "read_export_mapped",
        &[
            "read",
            "--columns",
            "tests/fixtures/workbooks/columns.toml",
            "tests/fixtures/workbooks/export.csv",
        ],
        0,
    );
}

/// A sheet whose cells all read plainly has no "read from" section: the header already names
/// the place. The division code 430200 puts it under Hunan's rules, where a 95% execution rate
/// earns the full 10; every row is met: 10 + 50 + 30 + 10 = 100.00.
#[test]
fn a_clean_export_lists_no_reading_notes() {
    let r = run(&["eval", "tests/fixtures/workbooks/export-clean.csv"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("hunan 2021"), "{}", r.stdout);
    assert!(
        r.stdout.contains("总分                                                        100  100.00"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("Read from") && !r.stdout.contains("读取自"), "{}", r.stdout);
}
