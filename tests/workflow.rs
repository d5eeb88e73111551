//! The rule-change workflow end to end, through the binary: edit a number in a rule file, and
//! `jixiao diff`, `jixiao snapshot check` and a re-scored snapshot all name the project, the
//! indicator and the rule that moved it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch folder holding a copy of the rules and the examples, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("jixiao-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"), &dir.join("rules"));
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), &dir.join("examples"));
        Scratch(dir)
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(args)
            .current_dir(&self.0)
            .env("NO_COLOR", "1")
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("JIXIAO_RULES")
            .output()
            .expect("the binary runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.0.join(file);
        let text = fs::read_to_string(&path).expect("rule file");
        assert!(text.contains(from), "{file} has `{from}`");
        fs::write(&path, text.replacen(from, to, 1)).expect("rule file written");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder");
    for entry in fs::read_dir(from).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy(&path, &to.join(entry.file_name()));
        } else {
            fs::copy(&path, to.join(entry.file_name())).expect("copied");
        }
    }
}

#[test]
fn an_edited_number_shows_in_diff_and_snapshots() {
    let s = Scratch::new("workflow");
    let sheet = "examples/hunan-2021-yinshui.toml";

    let (code, _, err) = s.run(&["snapshot", "record", "--dir", "snaps", "examples"]);
    assert_eq!(code, 0, "{err}");
    assert!(s.0.join("snaps/examples/hunan-2021-yinshui.toml.snap").is_file());
    let (code, _, err) = s.run(&["snapshot", "check", "--dir", "snaps", "examples"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("unchanged"), "{err}");

    // Keep the old rules to compare with, then move one step of the budget table.
    fs::copy(s.0.join("rules/hunan/2021.policy"), s.0.join("old-hunan-2021.policy")).expect("copy");
    s.edit("rules/hunan/2021.policy", "[60%, 70%) => 5", "[60%, 70%) => 4");

    let (code, out, err) =
        s.run(&["diff", "old-hunan-2021.policy", "rules/hunan/2021.policy", "--corpus", sheet]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("~ tiers 执行率档次 (changed)"), "{out}");
    assert!(out.contains("- [60%, 70%) => 5") && out.contains("+ [60%, 70%) => 4"), "{out}");
    assert!(out.contains("预算执行率  5.00 → 4.00  because tiers 执行率档次"), "{out}");
    assert!(out.contains("1 sheet(s)"), "{out}");

    let (code, out, err) = s.run(&["snapshot", "check", "--dir", "snaps", "examples"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains(&format!("{sheet}: scores changed")), "{out}");
    assert!(out.contains("-预算执行率  5.00 / 10"), "{out}");
    assert!(out.contains("+预算执行率  4.00 / 10"), "{out}");
    // The 2023 rules extend 2021 but replace the table: their sheet does not move.
    assert!(!out.contains("hunan-2023-jianshen.toml: scores changed"), "{out}");
    assert!(err.contains("run `jixiao snapshot accept`"), "{err}");

    let (code, _, err) = s.run(&["snapshot", "accept", "--dir", "snaps", "examples"]);
    assert_eq!(code, 0, "{err}");
    // The seed (`zhuzhou`, a city of Hunan) is scored by the same rules: its numbers stay, but
    // its snapshot records the rules it was scored with, which changed.
    assert!(err.contains("accepted 2 changed snapshot(s)"), "{err}");
    let (code, _, err) = s.run(&["snapshot", "check", "--dir", "snaps", "examples"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn years_and_jurisdictions_choose_the_policy() {
    let s = Scratch::new("years");
    let score = |args: &[&str]| {
        let (code, out, err) = s.run(args);
        assert!(code <= 1, "{out}{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
        (doc["policy"]["file"].as_str().unwrap_or("").to_string(), err)
    };
    let sheet = "examples/hunan-2023-jianshen.toml";
    assert_eq!(score(&["eval", "--format", "json", sheet]).0, "rules/hunan/2023.policy");
    assert_eq!(score(&["eval", "--format", "json", "--year", "2022", sheet]).0, "rules/hunan/2021.policy");
    let (file, err) = score(&["eval", "--format", "json", "--jurisdiction", "zhejiang", sheet]);
    assert_eq!(file, "rules/national/2020.policy");
    assert!(err.contains("no `zhejiang` policy"), "{err}");
    // The year picks the pre-2020 layout for a table laid out that way…
    let old_layout = "examples/national-2018-liushou.toml";
    let (file, _) =
        score(&["eval", "--format", "json", "--year", "2019", "--jurisdiction", "national", old_layout]);
    assert_eq!(file, "rules/national/2013.policy");
    // …but a table with 产出/效益/满意度 is not scored by a layout without them: loudly, the
    // newest layout that has them is used.
    let (file, err) =
        score(&["eval", "--format", "json", "--year", "2019", "--jurisdiction", "national", sheet]);
    assert_eq!(file, "rules/national/2020.policy");
    assert!(err.contains("warning:") && err.contains("not in the layout of `national/2013`"), "{err}");
    // A jurisdiction as printed: a province's name, or a city it declares.
    let (file, err) = score(&["eval", "--format", "json", "--jurisdiction", "湖南省", sheet]);
    assert_eq!(file, "rules/hunan/2023.policy");
    assert!(err.is_empty(), "{err}");
    let (file, err) = score(&["eval", "--format", "json", "--jurisdiction", "株洲市", sheet]);
    assert_eq!(file, "rules/hunan/2023.policy");
    assert!(err.contains("`株洲市` has no rules of its own; it lies in `hunan`"), "{err}");
    let (file, err) = score(&["eval", "--format", "json", "--jurisdiction", "hunna", sheet]);
    assert_eq!(file, "rules/national/2020.policy");
    assert!(err.contains("did you mean `hunan`?"), "{err}");
    // A folder given with --rules wins; without any folder the built-in rules are used.
    assert_eq!(score(&["eval", "--format", "json", "--rules", "rules", sheet]).0, "rules/hunan/2023.policy");
    fs::rename(s.0.join("rules"), s.0.join("moved-rules")).expect("rename");
    assert_eq!(score(&["eval", "--format", "json", sheet]).0, "builtin:rules/hunan/2023.policy");
}
