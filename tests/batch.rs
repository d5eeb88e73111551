//! Batches through the real binary: a bad sheet never stops the others, JSON Lines and stdin
//! inputs, CSV / JSON Lines / JSON outputs, `-o`, `--summary`, and output that does not depend
//! on the number of threads.

use std::path::{Path, PathBuf};

mod common;

use common::{Run, jixiao as command};

const NATIONAL: &str = "rules/national/2020.policy";
/// Scores 88.80 (良), claimed 100: the README's worked example.
const SEED: &str = "examples/zhuzhou-2022-qixie.toml";
/// Scores 95.33 (优); see the fixture's comments.
const JSON_SHEET: &str = "tests/fixtures/eval/json-sheet/sheet.json";
const BAD: &str = "tests/fixtures/malformed/sheet/misspelt-fields.toml";

fn run_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let r = common::run_stdin(args, stdin);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

fn run(args: &[&str]) -> Run {
    run_stdin(args, b"")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("batch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The JSON sheet fixture on one line.
fn json_line() -> String {
    let text = std::fs::read_to_string(root().join(JSON_SHEET)).expect("fixture");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    serde_json::to_string(&v).expect("one line")
}

fn decimal(v: &serde_json::Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

#[test]
fn a_bad_sheet_in_a_folder_does_not_stop_the_others() {
    let dir = scratch("folder");
    let sub = dir.join("nested/deeper");
    std::fs::create_dir_all(&sub).expect("nested");
    std::fs::copy(root().join(SEED), dir.join("a.toml")).expect("copied");
    std::fs::copy(root().join(BAD), sub.join("b.toml")).expect("copied");
    std::fs::copy(root().join(JSON_SHEET), sub.join("c.json")).expect("copied");
    let d = dir.to_string_lossy().into_owned();
    let r = run(&["eval", "--rules", NATIONAL, "--format", "json", &d]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    let totals: Vec<String> =
        doc.as_array().expect("an array").iter().map(|d| decimal(&d["total"])).collect();
    assert_eq!(totals, ["88.80", "95.33"]);
    assert!(r.stderr.contains("nested/deeper/b.toml"), "{}", r.stderr);
    // The table and snapshot record go on too.
    let r = run(&["eval", "--rules", NATIONAL, &d]);
    assert_eq!(r.code, Some(3));
    assert!(r.stdout.contains("88.80") && r.stdout.contains("95.33"));
    let snaps = dir.join("snaps").to_string_lossy().into_owned();
    let r = run(&["snapshot", "record", "--rules", NATIONAL, "--dir", &snaps, &d]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("recorded 2 snapshot(s)"), "{}", r.stderr);
    assert!(r.stderr.contains("1 sheet(s) could not be read or scored"), "{}", r.stderr);
    let r = run(&["snapshot", "check", "--rules", NATIONAL, "--dir", &snaps, &d]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("2 snapshot(s) unchanged"), "{}", r.stderr);
}

#[test]
fn json_lines_name_the_line_of_a_bad_sheet() {
    let dir = scratch("jsonl");
    let good = json_line();
    let bad = good.replacen("\"weight\"", "\"wieght\"", 1);
    let text = format!("\u{feff}{good}\r\n\n{bad}\n{{\"project\": \n{good}");
    let file = dir.join("many.jsonl");
    std::fs::write(&file, text).expect("written");
    let f = file.to_string_lossy().into_owned();
    let r = run(&["eval", "--rules", NATIONAL, "--format", "jsonl", &f, "--summary"]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    let lines: Vec<serde_json::Value> =
        r.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["sheet"], format!("{f}:1"));
    assert_eq!(lines[1]["sheet"], format!("{f}:5"));
    assert_eq!(decimal(&lines[1]["total"]), "95.33");
    let stderr = r.stderr.replace(&f, "many.jsonl");
    assert!(stderr.contains("many.jsonl:3:"), "{stderr}");
    assert!(stderr.contains("`budget.wieght`"), "{stderr}");
    assert!(stderr.contains("many.jsonl:4:"), "{stderr}");
    assert!(stderr.contains("summary: 2 sheet(s) scored, 2 failed"), "{stderr}");
}

#[test]
fn stdin_takes_one_sheet_or_json_lines() {
    let seed = std::fs::read(root().join(SEED)).expect("seed");
    let r = run_stdin(&["eval", "--rules", NATIONAL, "--format", "csv", "--no-bom", "-"], &seed);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "file,project,department,total,total_high,grade,claimed_total,gap,findings\n\
         <stdin>,“国企带民企，大手牵小手”（企协）,市工信局,88.80,98.80,良,100,1.2,9\n"
    );
    let lines = format!("{}\n{}\n", json_line(), json_line());
    let r = run_stdin(&["eval", "--rules", NATIONAL, "--format", "json", "-"], lines.as_bytes());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(doc.as_array().map(Vec::len), Some(2));
    assert_eq!(doc[1]["sheet"], "<stdin>:2");
}

#[test]
fn csv_to_a_file_with_a_summary() {
    let dir = scratch("csv");
    let out = dir.join("out.csv");
    let o = out.to_string_lossy().into_owned();
    let r =
        run(&["eval", "--rules", NATIONAL, "--format", "csv", "-o", &o, "--summary", SEED, JSON_SHEET, BAD]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let csv = std::fs::read_to_string(&out).expect("written");
    // The seed scores 88.80 to 98.80 while its quality row is unreadable, so its claimed 100 is
    // at least 1.2 too high; the JSON sheet claims 96 against 95.33. The seed's nine findings
    // include the claim on its unscorable quality row.
    assert_eq!(
        csv,
        "\u{feff}file,project,department,total,total_high,grade,claimed_total,gap,findings\n\
         examples/zhuzhou-2022-qixie.toml,“国企带民企，大手牵小手”（企协）,市工信局,88.80,98.80,良,100,1.2,9\n\
         tests/fixtures/eval/json-sheet/sheet.json,农村实用技术培训,县农业农村局,95.33,,优,96,0.67,2\n"
    );
    let leftovers: Vec<_> =
        std::fs::read_dir(&dir).expect("listed").flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
    let summary = r.stderr.split("summary:").nth(1).expect("a summary");
    insta::assert_snapshot!("csv_summary", format!("summary:{summary}"));
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let dir = scratch("threads");
    let good = json_line();
    let mut text = String::new();
    for i in 0..1200 {
        // Vary the executed amount so the sheets differ.
        text.push_str(&good.replacen(
            "\"executed\":100",
            &format!("\"executed\":{}.{:02}", 50 + i % 50, i % 100),
            1,
        ));
        text.push('\n');
        if i % 97 == 0 {
            text.push_str("{not json}\n");
        }
    }
    let file = dir.join("many.jsonl");
    std::fs::write(&file, text).expect("written");
    let f = file.to_string_lossy().into_owned();
    let one = run(&["eval", "-j", "1", "--rules", NATIONAL, "--format", "jsonl", &f]);
    let all = run(&["eval", "--rules", NATIONAL, "--format", "jsonl", &f]);
    assert_eq!(one.code, all.code);
    assert_eq!(one.stdout.lines().count(), all.stdout.lines().count());
    assert!(one.stdout == all.stdout, "outputs differ");
    assert_eq!(one.stderr, all.stderr);
}

#[test]
fn nothing_readable_is_an_input_error() {
    let r = run(&["eval", "--rules", NATIONAL, "no/such.toml", BAD]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("`no/such.toml` does not exist"), "{}", r.stderr);
}

#[test]
fn check_reads_only_the_policies_a_file_extends() {
    let dir = scratch("check-root");
    let juris = dir.join("rules/hunan");
    std::fs::create_dir_all(&juris).expect("folders");
    std::fs::create_dir_all(dir.join("rules/national")).expect("folders");
    for (from, to) in [
        ("rules/hunan/2021.policy", "rules/hunan/2021.policy"),
        ("rules/hunan/2023.policy", "rules/hunan/2023.policy"),
        ("rules/national/2020.policy", "rules/national/2020.policy"),
    ] {
        std::fs::copy(root().join(from), dir.join(to)).expect("copied");
    }
    // Unrelated broken files beside and above the rules.
    std::fs::write(dir.join("rules/national/broken.policy"), "policy {").expect("written");
    std::fs::write(dir.join("broken.policy"), "policy {").expect("written");
    let f = dir.join("rules/hunan/2023.policy").to_string_lossy().into_owned();
    let r = run(&["check", &f]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // A lone file in a scratch folder reads nothing around it.
    let lone = dir.join("lone.policy");
    std::fs::copy(root().join(NATIONAL), &lone).expect("copied");
    let r = run(&["check", &lone.to_string_lossy()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // With no file named, `$JIXIAO_RULES` is the folder checked.
    let mut cmd = command(&["check"]);
    cmd.env("JIXIAO_RULES", dir.join("rules"));
    let out = cmd.output().expect("ran");
    assert_eq!(out.status.code(), Some(1), "the broken file there is checked");
    let r = run(&["check", "no/such.policy"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr, "error: `no/such.policy` does not exist\n");
}

#[test]
fn a_seeded_sample_draws_the_riskiest_first_and_replays() {
    let dir = scratch("sample");
    let good = json_line();
    let mut text = String::new();
    for i in 0..20 {
        // The fixture scores 95.33 and claims 96; sheets 5 and 12 claim more.
        let claimed = match i {
            5 => "100",
            12 => "99",
            _ => "96",
        };
        let dept = if i < 10 { "县农业农村局" } else { "县水利局" };
        let line = good
            .replacen("\"total\":{\"claimed\":96}", &format!("\"total\":{{\"claimed\":{claimed}}}"), 1)
            .replacen("县农业农村局", dept, 1);
        text.push_str(&line);
        text.push('\n');
    }
    let file = dir.join("season.jsonl");
    std::fs::write(&file, text).expect("written");
    let f = file.to_string_lossy().into_owned();
    let args = ["sample", "--rules", NATIONAL, "--rate", "15%", "--seed", "7", "--format", "json", &f];
    let first = run(&args);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let again = run(&args);
    assert_eq!(first.stdout, again.stdout, "the same seed and input give the same sample");
    let mut one_thread = args.to_vec();
    one_thread.extend(["-j", "1"]);
    assert_eq!(run(&one_thread).stdout, first.stdout, "the sample does not depend on the threads");
    let list: serde_json::Value = serde_json::from_str(&first.stdout).expect("JSON");
    let drawn: Vec<(String, String)> = list
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            (
                d["sheet"].as_str().unwrap_or("").replace(&f, "s"),
                d["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // 15% of 20 is 3: the two large gaps (4.67, then 3.67), then one at random.
    assert_eq!(drawn.len(), 3);
    assert_eq!(drawn[0], ("s:6".to_string(), "gap".to_string()));
    assert_eq!(drawn[1], ("s:13".to_string(), "gap".to_string()));
    assert_eq!(drawn[2].1, "random");
    let other = run(&["sample", "--rules", NATIONAL, "--rate", "15%", "--seed", "8", "--format", "json", &f]);
    assert_eq!(other.code, Some(0));
    // By department: 15% of 10 is 2 in each, a gap first in each.
    let by = run(&["sample", "--rules", NATIONAL, "--rate", "0.15", "--seed", "7", "--by", "department", &f]);
    assert_eq!(by.code, Some(0), "{}", by.stderr);
    let lines: Vec<&str> = by.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", by.stdout);
    assert!(
        lines[1].contains("[县农业农村局]") && lines[1].contains(":6 ") && lines[1].contains("4.67"),
        "{}",
        by.stdout
    );
    assert!(lines[3].contains("[县水利局]") && lines[3].contains(":13 "), "{}", by.stdout);
    let bad = run(&["sample", "--rules", NATIONAL, "--rate", "150%", "--seed", "1", &f]);
    assert_eq!(bad.code, Some(2));
}

#[test]
fn an_output_that_cannot_be_written_is_an_input_error() {
    let r = run(&["eval", "--rules", NATIONAL, "--format", "csv", "-o", "no/such/folder/out.csv", SEED]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.starts_with("error: cannot write `no/such/folder/out.csv`"), "{}", r.stderr);
}

#[test]
fn a_json_array_is_written_as_it_goes_and_matches_a_single_thread() {
    let dir = scratch("json-array");
    let good = json_line();
    let mut text = String::new();
    for i in 0..700 {
        text.push_str(&good.replacen("\"executed\":100", &format!("\"executed\":{}", 60 + i % 40), 1));
        text.push('\n');
    }
    let file = dir.join("many.jsonl");
    std::fs::write(&file, text).expect("written");
    let f = file.to_string_lossy().into_owned();
    let one = run(&["eval", "-j", "1", "--rules", NATIONAL, "--format", "json", &f]);
    let all = run(&["eval", "--rules", NATIONAL, "--format", "json", &f]);
    assert!(one.stdout == all.stdout, "outputs differ");
    let doc: serde_json::Value = serde_json::from_str(&all.stdout).expect("one JSON array");
    assert_eq!(doc.as_array().map(Vec::len), Some(700));
    // 60 of 100 executed: the budget scores 6.00 of 10.
    assert_eq!(decimal(&doc[0]["budget"]["score"]), "6.00");
}

#[test]
fn a_bad_sheet_in_a_diff_corpus_does_not_stop_the_others() {
    let r = run(&["diff", "hunan/2021", "hunan/2023", "--rules", "rules", "--corpus", "examples/", BAD]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("misspelt-fields.toml"), "{}", r.stderr);
    assert!(!r.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn a_link_cycle_in_a_folder_does_not_loop() {
    let dir = scratch("link-cycle");
    std::fs::copy(root().join(SEED), dir.join("a.toml")).expect("copied");
    std::os::unix::fs::symlink(&dir, dir.join("again")).expect("linked");
    let r = run(&["eval", "--rules", NATIONAL, "--format", "csv", &dir.to_string_lossy()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
}
