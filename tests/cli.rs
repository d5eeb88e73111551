//! The real binary: exit codes (0 clean, 1 findings, 2 usage or input error, 3 some sheets of a
//! batch failed), stdout and stderr,
//! run from the crate root with `NO_COLOR=1`, `LANG=C` and no other locale variables.

use std::path::{Path, PathBuf};
use std::process::Stdio;

mod common;

use common::{Run, jixiao as command, run, run_with};

const NATIONAL: &str = "rules/national/2020.policy";
const SEED: &str = "examples/zhuzhou-2022-qixie.toml";

/// Run, assert the exit code, and snapshot everything.
fn case(name: &str, args: &[&str], code: i32) -> Run {
    let r = run(args);
    assert_eq!(r.code, Some(code), "{name}: exit code\n{}", r.transcript(args));
    assert!(!r.stderr.contains("panicked"), "{name}: panicked\n{}", r.stderr);
    assert!(!r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'), "{name}: colour with NO_COLOR");
    insta::assert_snapshot!(name, r.transcript(args));
    r
}

/// A decimal in the JSON output as written, whether as a JSON number or a string.
fn decimal(v: &serde_json::Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn scratch(name: &str) -> PathBuf {
    common::scratch("cli", name)
}

#[test]
fn eval_seed_table() {
    let r = case("eval_seed_table", &["eval", "--rules", NATIONAL, SEED], 1);
    assert!(r.stdout.contains("88.80"));
    // The one row that cannot be scored is drawn at its cell (line 87 of the seed), and nothing
    // else goes to stderr.
    assert!(r.stderr.starts_with("[unreadable-actual] Error: 质量指标/验收合格（%）"), "{}", r.stderr);
    assert!(r.stderr.contains("examples/zhuzhou-2022-qixie.toml:87:1"), "{}", r.stderr);
    assert_eq!(r.stderr.matches("Error").count(), 1, "{}", r.stderr);
}

/// Rows that cannot be scored are drawn on stderr as diagnostics at their cells, in the
/// language of the run: a TOML sheet's four unscored rows (a unit mismatch, two unreadable
/// actuals, an unknown tier), each at its own line.
#[test]
fn eval_unscored_rows_toml() {
    let sheet = "tests/fixtures/eval/errors-unscored/sheet.toml";
    let r = case("eval_unscored_rows_toml", &["eval", "--rules", NATIONAL, sheet], 1);
    let at: Vec<&str> = r.stderr.lines().filter(|l| l.contains("╭─[")).collect();
    assert_eq!(at.len(), 4, "{}", r.stderr);
    for (line, want) in
        at.iter().zip(["sheet.toml:18:1", "sheet.toml:25:1", "sheet.toml:32:1", "sheet.toml:48:1"])
    {
        assert!(line.contains(want), "{line} should name {want}");
    }
    // Scored: budget 10 + 设备采购成本 10 + 经济带动 20 + 满意度 10 = 50.00.
    assert!(r.stdout.contains("50.00"), "{}", r.stdout);
}

/// A JSON sheet, in Chinese: an unreadable actual (pointed at its key on line 11, column 25) and
/// a row whose category the scheme does not have (at its `level2` key on line 14).
#[test]
fn eval_unscored_rows_json_zh() {
    let sheet = "tests/fixtures/rows/unscored.json";
    let r = case("eval_unscored_rows_json_zh", &["--lang", "zh", "eval", "--rules", NATIONAL, sheet], 1);
    assert!(r.stderr.contains("[unreadable-actual] 错误"), "{}", r.stderr);
    assert!(r.stderr.contains("unscored.json:11:25"), "{}", r.stderr);
    assert!(r.stderr.contains("[unknown-category] 错误"), "{}", r.stderr);
    assert!(r.stderr.contains("unscored.json:14:25"), "{}", r.stderr);
}

/// A budget block that cannot be scored is drawn like an unscored row: the annual budget of 0
/// leaves the execution rate unknown (100 / 0), drawn at the `annual` amount on line 8 of the
/// TOML sheet; the rows still score, 50 + 30 + 10 = 90.00.
#[test]
fn eval_budget_error_toml() {
    let sheet = "tests/fixtures/rows/zero-budget.toml";
    let r = case("eval_budget_error_toml", &["eval", "--rules", NATIONAL, sheet], 1);
    assert!(r.stderr.contains("[no-annual-budget] Error"), "{}", r.stderr);
    assert!(r.stderr.contains("zero-budget.toml:8:1"), "{}", r.stderr);
    assert!(r.stderr.contains("`budget.annual`"), "{}", r.stderr);
    assert!(r.stdout.contains("90.00"), "{}", r.stdout);
}

/// In a JSON sheet the budget's error is drawn at its `"annual"` key, line 3 column 15, before
/// the rows' own errors (lines 11 and 14).
#[test]
fn eval_budget_error_json_zh() {
    let sheet = "tests/fixtures/rows/zero-budget.json";
    let r = case("eval_budget_error_json_zh", &["--lang", "zh", "eval", "--rules", NATIONAL, sheet], 1);
    let at: Vec<&str> = r.stderr.lines().filter(|l| l.contains("╭─[")).collect();
    assert_eq!(at.len(), 3, "{}", r.stderr);
    for (line, want) in
        at.iter().zip(["zero-budget.json:3:15", "zero-budget.json:11:25", "zero-budget.json:14:25"])
    {
        assert!(line.contains(want), "{line} should name {want}");
    }
}

/// The JSON score sheet places an unscored row's error where the drawn diagnostic does: the
/// category row's `level2` key on line 14 of the fixture, not the row's opening brace on line 13.
#[test]
fn eval_unscored_rows_json_findings_agree_with_the_diagnostic() {
    let args = ["eval", "--rules", NATIONAL, "--format", "json", "tests/fixtures/rows/unscored.json"];
    let r = run(&args);
    assert_eq!(r.code, Some(1), "{}", r.transcript(&args));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let at = |i: usize| doc["indicators"][i]["error"]["at"].as_str().map(str::to_string);
    assert_eq!(at(1).as_deref(), Some("tests/fixtures/rows/unscored.json:11 indicators[1].actual"));
    assert_eq!(at(2).as_deref(), Some("tests/fixtures/rows/unscored.json:14 indicators[2].level2"));
    assert!(r.stderr.contains("unscored.json:14:25"), "{}", r.stderr);
}

/// A JSON Lines sheet's unscored rows take one line each, at the sheet's line of the file (its
/// rows share the line, so the field is named rather than its column); a
/// workbook's are drawn in its transcript with the workbook cell named.
#[test]
fn eval_unscored_rows_jsonl_and_workbook() {
    let text = std::fs::read_to_string("tests/fixtures/rows/unscored.json").expect("the fixture reads");
    let line: serde_json::Value = serde_json::from_str(&text).expect("the fixture is JSON");
    let line = serde_json::to_string(&line).expect("one line");
    let jsonl = scratch("unscored-rows.jsonl");
    std::fs::write(&jsonl, format!("{line}\n{line}\n")).expect("the batch is written");
    let jsonl = jsonl.to_string_lossy().replace('\\', "/");
    let args = ["eval", "--rules", NATIONAL, "--format", "csv", "--no-bom", &jsonl];
    let r = run(&args);
    assert_eq!(r.code, Some(1), "{}", r.transcript(&args));
    let firsts: Vec<&str> = r.stderr.lines().filter(|l| !l.starts_with("  ")).collect();
    assert_eq!(
        firsts,
        [
            format!(
                "{jsonl}:1:1: error[unreadable-actual]: 质量指标/验收合格率: the actual value cannot be read as a number (in `indicators[1].actual`)"
            ),
            format!(
                "{jsonl}:1:1: error[unknown-category]: 安全指标/安全事故: the scheme has no level-2 category `安全指标`; did you mean `成本指标`? (in `indicators[2].level2`)"
            ),
            format!(
                "{jsonl}:2:1: error[unreadable-actual]: 质量指标/验收合格率: the actual value cannot be read as a number (in `indicators[1].actual`)"
            ),
            format!(
                "{jsonl}:2:1: error[unknown-category]: 安全指标/安全事故: the scheme has no level-2 category `安全指标`; did you mean `成本指标`? (in `indicators[2].level2`)"
            ),
        ]
    );

    let book = "examples/zhuzhou-2022-qixie.xlsx";
    let r = run(&["eval", "--rules", NATIONAL, book]);
    // Line 86 of the transcript, whose project block carries the form's title.
    assert!(r.stderr.contains("zhuzhou-2022-qixie.xlsx (as `jixiao read` prints it):86:1"), "{}", r.stderr);
    assert!(r.stderr.contains("Note: workbook cell 自评表!F17"), "{}", r.stderr);
}

#[test]
fn eval_seed_explain() {
    let r = case("eval_seed_explain", &["eval", "--rules", NATIONAL, SEED, "--explain"], 1);
    assert!(r.stdout.contains("How each score was reached"));
    assert!(r.stdout.contains("4 × 7 / 10"));
}

#[test]
fn eval_seed_explain_zh() {
    let r =
        case("eval_seed_explain_zh", &["eval", "--rules", NATIONAL, SEED, "--explain", "--lang", "zh"], 1);
    assert!(r.stdout.contains("计分过程"));
}

#[test]
fn eval_seed_json() {
    let r = case("eval_seed_json", &["eval", "--rules", NATIONAL, SEED, "--format", "json"], 1);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(decimal(&doc["total"]), "88.80");
    assert_eq!(doc["grade"], "良");
    assert_eq!(doc["complete"], false);
}

#[test]
fn eval_scores_is_one_short_line_a_sheet() {
    let args = [
        "eval",
        "--rules",
        NATIONAL,
        SEED,
        "tests/fixtures/eval/json-sheet/sheet.json",
        "--format",
        "scores",
    ];
    let r = case("eval_scores", &args, 1);
    let lines: Vec<serde_json::Value> =
        r.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 2);
    let seed = &lines[0];
    assert_eq!(seed["file"], SEED);
    assert_eq!(seed["grade"], "良");
    let rows: Vec<String> = seed["rows"].as_array().expect("rows").iter().map(decimal).collect();
    // The sixth row cannot be scored (null); the total is the budget's 10 plus the rows:
    // 10 + 4 + 2.80 + 4 + 4 + 4 + 0 + 10 + 10 + 10 + 10 + 5 + 5 + 10 = 88.80.
    assert_eq!(rows, ["4", "2.80", "4", "4", "4", "null", "10", "10", "10", "10", "5", "5", "10"]);
    assert_eq!(decimal(&seed["budget"]), "10");
    assert_eq!(decimal(&seed["total"]), "88.80");
    // The same totals as the full score sheet writes.
    let full = run(&["eval", "--rules", NATIONAL, SEED, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&full.stdout).expect("stdout is JSON");
    assert_eq!(decimal(&doc["total"]), decimal(&seed["total"]));
    assert_eq!(decimal(&lines[1]["total"]), "95.33");
}

#[test]
fn eval_two_sheets_json_is_an_array() {
    let args =
        ["eval", "--rules", NATIONAL, SEED, "tests/fixtures/eval/json-sheet/sheet.json", "--format", "json"];
    let r = run(&args);
    assert_eq!(r.code, Some(1), "{}", r.transcript(&args));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    let totals: Vec<String> =
        doc.as_array().expect("an array").iter().map(|d| decimal(&d["total"])).collect();
    assert_eq!(totals, ["88.80", "95.33"]);
}

#[test]
fn eval_clean_sheet_exits_zero() {
    let dir = "tests/fixtures/eval/split-integers";
    let (rules, sheet) = (format!("{dir}/policy.policy"), format!("{dir}/sheet.toml"));
    let r = case("eval_clean_sheet", &["eval", "--rules", &rules, &sheet], 0);
    assert!(r.stdout.contains("98.50"));
}

#[test]
fn check_national_rules_is_clean() {
    let r = case("check_national", &["check", NATIONAL], 0);
    assert!(r.stdout.is_empty());
}

#[test]
fn check_broken_rules() {
    let file = "tests/fixtures/malformed/policy/misspelt-variable.policy";
    case("check_broken_en", &["check", file], 1);
    let r = case("check_broken_zh", &["check", file, "--lang", "zh"], 1);
    assert!(r.stderr.contains("是否应为") || r.stderr.contains("帮助") || r.stderr.contains("目标"));
}

#[test]
fn check_short_and_json_formats() {
    let file = "tests/fixtures/malformed/policy/grade-gap.policy";
    case("check_short", &["check", "--format", "short", file], 1);
    let r = case("check_json", &["check", "--format", "json", file], 1);
    let list: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(list[0]["line"], 21);
    assert_eq!(list[0]["code"], "band-gap");
}

#[test]
fn a_chinese_locale_chooses_chinese() {
    let mut cmd = command(&["check", "tests/fixtures/malformed/policy/misspelt-variable.policy"]);
    cmd.env("LANG", "zh_CN.UTF-8");
    let r = run_with(cmd);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("已检查 1 个文件"), "{}", r.stderr);
}

#[test]
fn missing_files() {
    case("check_missing_file", &["check", "no/such/file.policy"], 2);
    case("eval_missing_sheet", &["eval", "--rules", NATIONAL, "no/such/sheet.toml"], 2);
    case("eval_missing_rules", &["eval", "--rules", "no/such/rules.policy", SEED], 2);
}

#[test]
fn sheets_with_errors() {
    let sheet = "tests/fixtures/malformed/sheet/misspelt-fields.toml";
    let r = case("eval_sheet_with_errors", &["eval", "--rules", NATIONAL, sheet], 2);
    assert!(r.stdout.is_empty(), "nothing half-written on failure: {}", r.stdout);
    let bad = "tests/fixtures/malformed/sheet/invalid-json.json";
    case("eval_invalid_json_zh", &["eval", "--rules", NATIONAL, bad, "--lang", "zh"], 2);
    case("eval_not_a_sheet_extension", &["eval", "--rules", NATIONAL, "Cargo.lock"], 2);
    // One good sheet and one bad: the good one is scored, the bad one reported, exit 3.
    let r = run(&["eval", "--rules", NATIONAL, SEED, sheet]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stdout.contains("88.80"), "{}", r.stdout);
    assert!(r.stderr.contains("misspelt-fields.toml"), "{}", r.stderr);
}

#[test]
fn rules_with_errors_stop_eval() {
    let rules = "tests/fixtures/malformed/policy/points-do-not-sum.policy";
    let r = case("eval_with_broken_rules", &["eval", "--rules", rules, SEED], 2);
    assert!(r.stdout.is_empty());
}

#[test]
fn non_utf8_input() {
    let path = scratch("gbk.toml");
    // "项目" in GBK, which is not UTF-8.
    std::fs::write(&path, b"[project]\nname = \"\xcf\xee\xc4\xbf\"\n").expect("written");
    let p = path.to_string_lossy().into_owned();
    let r = run(&["eval", "--rules", NATIONAL, &p]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        r.stderr.replace(&p, "gbk.toml"),
        "error: `gbk.toml` is not UTF-8 text\n  help: a table saved in GBK (GB2312) can be converted with \
         `iconv -f GBK -t UTF-8 gbk.toml > converted`, or saved again as UTF-8\n"
    );
    let policy = scratch("gbk.policy");
    std::fs::write(&policy, b"policy \"\xcf\xee\xc4\xbf\"\n").expect("written");
    let r = run(&["check", &policy.to_string_lossy()]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("is not UTF-8 text"), "{}", r.stderr);
}

/// A JSON Lines line that is not UTF-8 fails alone, named by its line; the lines around it are
/// scored, in order.
#[test]
fn a_non_utf8_line_fails_alone() {
    let good = |name: &str| {
        format!(
            r#"{{"project":{{"name":"{name}"}},"budget":{{"annual":100,"executed":100}},"indicators":[{{"level1":"产出指标","level2":"数量指标","name":"a","target":"≥10个","actual":"10个","weight":50}}]}}"#
        )
    };
    let mut bytes = format!("{}\n", good("甲")).into_bytes();
    bytes.extend_from_slice(b"{\"project\":{\"name\":\"\xcf\xee\xc4\xbf\"}}\n");
    bytes.extend_from_slice(format!("{}\n", good("乙")).as_bytes());
    let path = scratch("gbk-line.jsonl");
    std::fs::write(&path, bytes).expect("written");
    let p = path.to_string_lossy().into_owned();
    let r = run(&["eval", "--rules", NATIONAL, "--format", "scores", &p]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    let projects: Vec<&str> =
        r.stdout.lines().filter_map(|l| l.split("\"project\":\"").nth(1)?.split('"').next()).collect();
    assert_eq!(projects, ["甲", "乙"], "{}", r.stdout);
    assert!(r.stderr.contains(&format!("`{p}:2` is not UTF-8 text")), "{}", r.stderr);
    assert!(r.stderr.contains("iconv -f GBK -t UTF-8"), "{}", r.stderr);
}

/// Without `--rules` the sheet's jurisdiction and year choose from `./rules`.
#[test]
fn eval_without_rules_uses_the_rules_folder() {
    case("eval_without_rules", &["eval", SEED], 1);
}

#[test]
fn usage_errors() {
    case("eval_unknown_format", &["eval", "--rules", NATIONAL, SEED, "--format", "xml"], 2);
    case("eval_without_sheets", &["eval", "--rules", NATIONAL], 2);
    case("unknown_subcommand", &["score", SEED], 2);
    case("no_subcommand", &[], 2);
    case("unknown_lang", &["check", NATIONAL, "--lang", "fr"], 2);
}

#[test]
fn help() {
    let r = case("help", &["--help"], 0);
    assert!(r.stdout.contains("check") && r.stdout.contains("eval"));
    case("eval_help", &["eval", "--help"], 0);
    let r = run(&["--version"]);
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.starts_with("jixiao "));
}

/// `jixiao eval … | head` closes the pipe early; the binary must not panic.
#[test]
fn a_closed_stdout_does_not_panic() {
    let mut cmd = command(&["eval", "--rules", NATIONAL, SEED, "--format", "json"]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawned");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("finished");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A deeply nested expression in a rule file must be refused with a diagnostic.
#[test]
fn deeply_nested_rules_do_not_overflow_the_stack() {
    let path = scratch("deep.policy");
    let national =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(NATIONAL)).expect("read");
    let deep = format!("weight * actual / target + {}0{}", "(".repeat(3000), ")".repeat(3000));
    std::fs::write(&path, national.replacen("weight * actual / target", &deep, 1)).expect("written");
    let r = run(&["check", &path.to_string_lossy()]);
    assert!(matches!(r.code, Some(0..=2)), "killed by a signal: {}", r.stderr);
}

/// A "20/80" table naming no place: the printed weights (budget 20; 产出 60, 效益 10, 满意度 10)
/// do not fit the national rules, so the rules whose weights match are used, loudly.
/// Yunnan 2021: budget 20 × 117.36 / 120 = 20 × 97.8% = 19.56; 30 + 20 + 10 + 10 + 10 = 80 for
/// the met rows; total 99.56, 优.
#[test]
fn printed_weights_choose_the_rules_when_no_place_is_given() {
    let sheet = "tests/fixtures/real/yunnan-2080-unplaced.toml";
    let r = case("weights_choose_rules", &["eval", sheet, "--format", "json"], 0);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(decimal(&doc["total"]), "99.56");
    assert_eq!(decimal(&doc["budget"]["score"]), "19.56");
    assert!(r.stderr.contains("scoring with `yunnan/2021`, whose weights match"), "{}", r.stderr);
    // A jurisdiction given is kept, but the mismatch is still said: 10 × 97.8% = 9.78 for the
    // budget, the 产出 rows' 60 points over the scheme's 50 are the policy's own affair.
    let r = run(&["eval", sheet, "--jurisdiction", "national", "--format", "json"]);
    assert!(
        r.stderr.contains(
            "the printed weights do not match the rules `national/2020` (printed ≠ rules: 预算执行率 20 ≠ 10, 产出指标 60 ≠ 50, 效益指标 10 ≠ 30)"
        ),
        "{}",
        r.stderr
    );
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(decimal(&doc["budget"]["score"]), "9.78");
}

/// A table whose only place is its department (`湖南省水利厅`) is scored by the Hunan rules,
/// and says why. Hunan 2021: execution 440 / 500 = 88% lies in the [85%, 90%) tier → 8 points
/// (the national rules would give 8.8); 8 + 50 + 30 + 10 = 98.
#[test]
fn the_department_names_the_jurisdiction() {
    let r = case("department_names_jurisdiction", &["eval", "tests/fixtures/real/hunan-department.toml"], 1);
    assert!(r.stdout.contains("hunan 2021"), "{}", r.stdout);
    assert!(r.stdout.contains("98.00"), "{}", r.stdout);
}

/// The seed prints its jurisdiction in pinyin (`zhuzhou`): a city of Hunan, scored by the Hunan
/// rules. Against the national 88.80–98.80, Hunan 2021 deducts 2 for each actual 30% or more
/// above its target (3 of 2 场, 4 of 2 场; 24 of 20 is only 120%): 84.80–94.80.
#[test]
fn a_pinyin_jurisdiction_resolves() {
    let r = run(&["eval", SEED, "--format", "json"]);
    assert!(r.stderr.contains("`zhuzhou` has no rules of its own; it lies in `hunan`"), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(decimal(&doc["total"]), "84.80");
}

/// A province no rules folder declares (`湖北省`) is as good as none: the printed 20/80 weights
/// choose the rules. Yunnan 2021: budget 20 × 97.8% = 19.56; 60; 基本完成 is 部分达成 [50%, 80%)
/// and the claimed 8 lies outside it, so its value 65% is taken: 10 × 65% = 6.50; 10.
/// 19.56 + 60 + 6.50 + 10 = 96.06. The same 20/80 table as a printed form (CSV) with no place:
/// 19.56 + 60 + 7 (claimed, inside [5, 8)) + 10 = 96.56.
#[test]
fn printed_weights_choose_the_rules_for_an_undeclared_place_and_a_form() {
    let r = run(&["eval", "tests/fixtures/real/hubei-2080.toml", "--format", "json"]);
    assert!(r.stderr.contains("scoring with `yunnan/2021`, whose weights match"), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(decimal(&doc["total"]), "96.06");
    let r = run(&["eval", "tests/fixtures/workbooks/yunnan-2080-unplaced.csv", "--format", "json"]);
    assert!(r.stderr.contains("scoring with `yunnan/2021`, whose weights match"), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(decimal(&doc["total"]), "96.56");
}

/// A real province no rules folder declares is not taken for a misspelling of another one
/// (`湖北省` is not `湖南省`): the note says what it is and which rules are used. A typo that
/// names no real place still gets the nearest name.
#[test]
fn a_real_province_without_rules_is_no_typo() {
    let notes: Vec<String> = ["湖北省", "湖北省武汉市", "hunna"]
        .iter()
        .map(|j| {
            let args = ["eval", "--rules", "rules", "--jurisdiction", j, SEED];
            let r = run(&args);
            assert_eq!(r.code, Some(1), "{}", r.transcript(&args));
            r.stderr.lines().filter(|l| l.starts_with("note:")).collect::<Vec<_>>().join("\n")
        })
        .collect();
    insta::assert_snapshot!("real_province_without_rules", notes.join("\n---\n"));
}
