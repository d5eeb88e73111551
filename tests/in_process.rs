//! The command line driven in-process through `jixiao::cli::run`, with the report and the
//! messages captured: exit outcome, stdout and stderr are asserted, and each run is checked to
//! print exactly what the real binary prints for the same arguments.

use std::ffi::OsString;
use std::process::Command;

use jixiao::cli::{self, Outcome};

const NATIONAL: &str = "rules/national/2020.policy";
/// Rate 75 %: budget 10 × 75 % = 7.50; rows 50 + 30 + 10; total 97.50, grade 优; two flags.
const LOW_RATE: &str = "tests/fixtures/eval/budget-low-rate/sheet.toml";

#[derive(Debug, PartialEq, Eq)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run in this process. Arguments name `--lang` and `--rules` so the environment does not
/// matter; the writers are not terminals, so nothing is coloured.
fn in_process(args: &[&str]) -> Run {
    let argv = std::iter::once("jixiao").chain(args.iter().copied()).map(OsString::from);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let outcome = cli::run(argv, &mut out, &mut err);
    Run {
        code: i32::from(outcome.code()),
        stdout: String::from_utf8(out).expect("stdout is UTF-8"),
        stderr: String::from_utf8(err).expect("stderr is UTF-8"),
    }
}

/// Run in this process with `stdin` as what `-` reads.
fn in_process_with(args: &[&str], stdin: &[u8]) -> Run {
    let argv = std::iter::once("jixiao").chain(args.iter().copied()).map(OsString::from);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let input = Box::new(std::io::Cursor::new(stdin.to_vec()));
    let outcome = cli::run_on(argv, input, &mut out, &mut err, cli::Terminal::default());
    Run {
        code: i32::from(outcome.code()),
        stdout: String::from_utf8(out).expect("stdout is UTF-8"),
        stderr: String::from_utf8(err).expect("stderr is UTF-8"),
    }
}

/// Run the binary with the same arguments, from the crate root.
fn binary(args: &[&str]) -> Run {
    binary_with(args, b"")
}

/// Run the binary with the same arguments and `stdin` piped in.
fn binary_with(args: &[&str], stdin: &[u8]) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("JIXIAO_RULES")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin).expect("stdin is written");
    }
    let out = child.wait_with_output().expect("the binary ends");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run both ways, insist they agree, and return the in-process run.
fn both(args: &[&str]) -> Run {
    let inside = in_process(args);
    let outside = binary(args);
    assert_eq!(inside, outside, "in-process and binary runs differ for {args:?}");
    inside
}

#[test]
fn check_clean_and_with_errors() {
    let clean = both(&["--lang", "en", "check", NATIONAL]);
    assert_eq!(clean.code, 0);
    assert_eq!(clean.stdout, "");
    assert_eq!(clean.stderr, "checked 1 file(s): no errors, 0 warning(s)\n");

    let bad = both(&["--lang", "en", "check", "tests/fixtures/check/division-by-zero.policy"]);
    assert_eq!(bad.code, 1);
    assert_eq!(bad.stdout, "");
    assert!(bad.stderr.starts_with("[division-by-zero] Error: this divides by zero\n"), "{}", bad.stderr);
    assert!(bad.stderr.contains("division-by-zero.policy:19:29"), "{}", bad.stderr);
    assert!(bad.stderr.ends_with("checked 1 file(s): 1 error(s), 0 warning(s)\n"), "{}", bad.stderr);

    let short =
        both(&["--lang", "en", "check", "--format", "short", "tests/fixtures/check/division-by-zero.policy"]);
    assert_eq!(short.code, 1);
    assert!(short.stdout.contains("division-by-zero.policy:19:29"), "{}", short.stdout);
}

#[test]
fn eval_table() {
    let r = both(&["--lang", "en", "eval", "--rules", NATIONAL, LOW_RATE]);
    // Two flags fire on the budget row: findings.
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    let total = r.stdout.lines().find(|l| l.starts_with("总分")).expect("a total line");
    assert!(total.contains("97.50"), "{total}");
    assert!(r.stdout.contains("评价等级  优\n"), "{}", r.stdout);
    assert!(r.stdout.contains("budget execution rate 75% is below 90%"), "{}", r.stdout);
}

#[test]
fn eval_json() {
    let r = both(&["--lang", "en", "eval", "--rules", NATIONAL, "--format", "json", LOW_RATE]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(doc["total"].to_string(), "97.50");
    assert_eq!(doc["grade"], "优");
    assert_eq!(doc["sheet"], LOW_RATE);
    assert_eq!(doc["policy"]["file"], NATIONAL);
}

#[test]
fn eval_batch_with_a_missing_sheet() {
    // The sheet that exists is scored (97.50, 优, its two budget flags the findings); the one
    // that does not is reported: exit 3.
    let r = both(&[
        "--lang",
        "en",
        "eval",
        "--rules",
        NATIONAL,
        "--format",
        "csv",
        "--no-bom",
        LOW_RATE,
        "absent.toml",
    ]);
    assert_eq!(r.code, 3);
    assert_eq!(
        r.stdout,
        "file,project,department,total,total_high,grade,claimed_total,gap,findings\n\
         tests/fixtures/eval/budget-low-rate/sheet.toml,公共文化设施维护,,97.50,,优,,,2\n"
    );
    assert!(r.stderr.contains("absent.toml"), "{}", r.stderr);
    assert!(r.stderr.ends_with("1 sheet(s) scored, 1 could not be read or scored\n"), "{}", r.stderr);
}

#[test]
fn explain_known_and_unknown_codes() {
    let known = both(&["--lang", "en", "explain", "division-by-zero"]);
    assert_eq!(known.code, 0);
    assert!(known.stdout.starts_with("division-by-zero"), "{}", known.stdout);
    assert_eq!(known.stderr, "");

    let unknown = both(&["--lang", "zh", "explain", "nope"]);
    assert_eq!(unknown.code, 2);
    assert_eq!(unknown.stdout, "");
    assert_eq!(unknown.stderr, "错误: `nope` 不是诊断代码；`jixiao explain` 可列出全部代码\n");
}

#[test]
fn usage_errors_and_help() {
    let usage = both(&["eval"]);
    assert_eq!(usage.code, 2);
    assert_eq!(usage.stdout, "");
    assert!(usage.stderr.starts_with("error: the following required arguments were not provided:\n"));
    assert!(usage.stderr.contains("Usage: jixiao eval <SHEETS>..."), "{}", usage.stderr);

    let xlsx = both(&["--lang", "en", "eval", "--rules", NATIONAL, "--format", "xlsx", LOW_RATE]);
    assert_eq!(xlsx.code, 2);
    assert_eq!(xlsx.stderr, "error: `--format xlsx` writes a file: give it with `-o scored.xlsx`\n");

    let help = both(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.starts_with("Score project-expenditure performance self-evaluations"),
        "{}",
        help.stdout
    );
    assert_eq!(help.stderr, "");
}

#[test]
fn outcomes_are_exit_codes() {
    let codes: Vec<u8> = [Outcome::Clean, Outcome::Findings, Outcome::InputError, Outcome::SomeFailed]
        .map(Outcome::code)
        .to_vec();
    assert_eq!(codes, [0, 1, 2, 3]);
}

#[test]
fn the_error_type_says_what_went_wrong() {
    let e = cli::Error::Input(jixiao::Message::new("`x` does not exist", "`x` 不存在"));
    assert_eq!(e.to_string(), "`x` does not exist");
}

#[test]
fn diff_same_and_changed_rules() {
    let same = both(&["--lang", "en", "diff", "--rules", "rules", "national/2020", NATIONAL]);
    assert_eq!(same.code, 0);
    assert!(same.stdout.ends_with("The rules are the same.\n"), "{}", same.stdout);
    assert_eq!(same.stderr, "");

    let changed = both(&["--lang", "en", "diff", "--rules", "rules", "--format", "json", "2013", "2020"]);
    assert_eq!(changed.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&changed.stdout).expect("one JSON document");
    assert_eq!(doc["old"]["file"], "rules/national/2013.policy");
    assert_eq!(doc["new"]["file"], NATIONAL);
    assert!(doc["rule_changes"].as_array().is_some_and(|c| !c.is_empty()), "{}", changed.stdout);

    let none = both(&["--lang", "en", "diff", "--rules", "rules", "1999", "2020"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.starts_with("error: no policy for `national`"), "{}", none.stderr);
}

#[test]
fn read_a_workbook() {
    let r = both(&["--lang", "en", "read", "examples/zhuzhou-2022-qixie.xlsx"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("# Read by jixiao from 自评表!A2\n"), "{}", r.stdout);
    assert!(r.stdout.contains("year = 2022\n"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
}

/// A column map belongs to the run that names it: a later run in the same process without
/// `--columns` does not recognise the export's unnamed indicator column.
#[test]
fn a_column_map_lasts_one_run() {
    let export = "tests/fixtures/workbooks/export.csv";
    let mapped =
        both(&["--lang", "en", "read", "--columns", "tests/fixtures/workbooks/columns.toml", export]);
    assert_eq!(mapped.code, 0, "{}", mapped.stderr);
    let unmapped = both(&["--lang", "en", "read", export]);
    assert_eq!(unmapped.code, 2, "{}", unmapped.stderr);
    assert_eq!(unmapped.stdout, "");
}

/// A JSON Lines batch larger than the report's 64 KiB buffer, scored in parallel: every sheet
/// comes out, in input order, exactly as the binary writes it.
#[test]
fn a_large_batch_streams_in_order() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/yunnan-2022-jiaoshi.json"))
            .expect("the example reads");
    let mut sheet: serde_json::Value = serde_json::from_str(&text).expect("the example is JSON");
    let dir = std::env::temp_dir().join(format!("jixiao-in-process-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("batch.jsonl");
    let mut lines = String::new();
    for i in 0..300 {
        sheet["project"]["name"] = serde_json::Value::String(format!("项目{i:03}"));
        lines.push_str(&serde_json::to_string(&sheet).expect("a JSON line"));
        lines.push('\n');
    }
    std::fs::write(&path, lines).expect("the batch is written");
    let shown = path.to_string_lossy().into_owned();
    let r = both(&["--lang", "en", "eval", "--rules", "rules", "--format", "jsonl", &shown]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.len() > 1 << 16, "the report outgrows the buffer: {} bytes", r.stdout.len());
    let docs: Vec<serde_json::Value> =
        r.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(docs.len(), 300);
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(doc["project"]["name"], format!("项目{i:03}"));
        // The example's own total (its claimed 111.9 agrees).
        assert_eq!(doc["total"].to_string(), "111.90");
    }
}

/// A sheet given as `-` is read from the stdin handed to the runner, in-process, exactly as the
/// binary reads its own stdin; `run` hands it nothing, so `-` is then an empty sheet.
#[test]
fn stdin_is_given_to_the_runner() {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/",
        "tests/fixtures/eval/budget-low-rate/sheet.toml"
    ))
    .expect("the fixture reads");
    let args = ["--lang", "en", "eval", "--rules", NATIONAL, "--format", "csv", "--no-bom", "-"];
    let inside = in_process_with(&args, &text);
    assert_eq!(inside, binary_with(&args, &text));
    // The same sheet as the file: 97.50, 优, two budget flags.
    assert_eq!(inside.code, 1, "{}", inside.stderr);
    assert_eq!(
        inside.stdout,
        "file,project,department,total,total_high,grade,claimed_total,gap,findings\n\
         <stdin>,公共文化设施维护,,97.50,,优,,,2\n"
    );

    // Two JSON Lines on stdin: two sheets, named by their line.
    let json =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/yunnan-2022-jiaoshi.json"))
            .expect("the example reads");
    let line: serde_json::Value = serde_json::from_str(&json).expect("the example is JSON");
    let line = serde_json::to_string(&line).expect("one line");
    let lines = format!("{line}\n{line}\n");
    let args = ["--lang", "en", "eval", "--rules", "rules", "--format", "csv", "--no-bom", "-"];
    let two = in_process_with(&args, lines.as_bytes());
    assert_eq!(two, binary_with(&args, lines.as_bytes()));
    let names: Vec<&str> = two.stdout.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    assert_eq!(names, ["<stdin>:1", "<stdin>:2"]);

    let empty = in_process(&["--lang", "en", "eval", "--rules", NATIONAL, "-"]);
    assert_eq!(empty.code, 2);
    assert_eq!(empty.stdout, "");
}

/// `-j` sets the threads of its own run: two batches in one process with different thread
/// counts both run, and print the same (and what the binary prints).
#[test]
fn thread_counts_differ_between_runs_in_one_process() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sheets: Vec<String> = std::fs::read_dir(root.join("tests/fixtures/eval"))
        .expect("the fixtures folder")
        .flatten()
        .map(|e| format!("tests/fixtures/eval/{}/sheet.toml", e.file_name().to_string_lossy()))
        .filter(|p| root.join(p).is_file())
        .collect();
    sheets.sort();
    sheets.push("examples".to_string());
    let with = |jobs: &'static str| {
        let mut args = vec!["--lang", "en", "eval", "--rules", "rules", "--format", "jsonl", "-j", jobs];
        args.extend(sheets.iter().map(String::as_str));
        args
    };
    let one = in_process(&with("1"));
    let three = in_process(&with("3"));
    // Every sheet is scored (the examples folder holds seven); some have findings: exit 1.
    assert_eq!(one.code, 1, "{}", one.stderr);
    assert_eq!(one.stdout.lines().count(), sheets.len() - 1 + 7, "{}", one.stderr);
    assert_eq!(one, three);
    assert_eq!(one, binary(&with("2")));
}
