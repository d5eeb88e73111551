//! Hostile input through the real binary: every file in `tests/fixtures/hostile` gets a clear
//! message or is scored, never a panic; each transcript is a snapshot. Inputs too large to
//! check in (deep nesting, more than the size limit, a million lines) are generated here.

use std::path::{Path, PathBuf};

mod common;

const NATIONAL: &str = "rules/national/2020.policy";

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let r = common::run(args);
    (r.code, r.stdout, r.stderr)
}

#[test]
fn hostile_files_get_clear_messages() {
    insta::glob!("fixtures/hostile/*", |path| {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let shown = format!("tests/fixtures/hostile/{name}");
        let (code, stdout, stderr) =
            run(&["eval", "--rules", NATIONAL, "--format", "csv", "--no-bom", &shown]);
        insta::assert_snapshot!(format!(
            "exit: {code:?}\n----- stdout -----\n{stdout}----- stderr -----\n{stderr}"
        ));
    });
}

fn scratch(name: &str) -> PathBuf {
    common::scratch("hostile", name)
}

#[test]
fn deep_nesting_is_refused() {
    let json = scratch("deep.json");
    let depth = 200_000;
    std::fs::write(&json, format!("{{\"project\":{}1{}}}", "[".repeat(depth), "]".repeat(depth)))
        .expect("written");
    let (code, _, stderr) = run(&["eval", "--rules", NATIONAL, &json.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("nesting"), "{stderr}");
    let toml = scratch("deep.toml");
    std::fs::write(&toml, format!("x = {}1{}\n", "[".repeat(depth), "]".repeat(depth))).expect("written");
    let (code, _, stderr) = run(&["eval", "--rules", NATIONAL, &toml.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("recursion"), "{stderr}");
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    // A million indicator rows: about 60 MB, over the 16 MiB limit.
    let path = scratch("million-rows.json");
    let row =
        r#"{"level1":"产出指标","level2":"数量指标","name":"培训人数","target":"≥200人","actual":"230人"},"#;
    let mut text = String::with_capacity(row.len() * 1_000_000 + 100);
    text.push_str(r#"{"project":{"name":"大表","year":2023},"indicators":["#);
    for _ in 0..1_000_000 {
        text.push_str(row);
    }
    text.pop();
    text.push_str("]}");
    std::fs::write(&path, text).expect("written");
    let p = path.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&["eval", "--rules", NATIONAL, &p]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr.replace(&p, "million-rows.json"),
        "error: `million-rows.json` is larger than 16 MiB; split it, or write it as JSON Lines (one sheet a line)\n"
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_million_lines_stream_through() {
    // A million blank lines, then one sheet: it is found, and named by its line.
    let path = scratch("million-lines.jsonl");
    let sheet = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eval/json-sheet/sheet.json"),
    )
    .expect("fixture");
    let one: serde_json::Value = serde_json::from_str(&sheet).expect("JSON");
    let mut text = "\n".repeat(1_000_000);
    text.push_str(&serde_json::to_string(&one).expect("a line"));
    std::fs::write(&path, text).expect("written");
    let p = path.to_string_lossy().into_owned();
    let (code, stdout, _) = run(&["eval", "--rules", NATIONAL, "--format", "csv", "--no-bom", &p]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains(":1000001,农村实用技术培训,县农业农村局,95.33,,优,96,0.67,2"), "{stdout}");
}
