//! Bad input: every malformed rule file and sheet under `fixtures/malformed/` is reported with
//! error diagnostics that name the file and the line (snapshotted in English and Chinese), and
//! about 1,500 deterministic mutations of the bundled rules and the seed sheet run through the
//! whole pipeline without a panic.
//!
//! Each fixture names the codes it must produce in its first line (`// expect: a, b` in rule
//! files, `# expect: a, b` in TOML sheets); JSON sheets, which have no comments, list theirs in
//! [`JSON_EXPECT`].

mod common;

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use jixiao::diagnostic::{Diagnostic, Sources};
use jixiao::policy::Policy;
use jixiao::report::{View, diagnostics, json, table};
use jixiao::sheet::{Format, Sheet};
use jixiao::words::Lang;

const JSON_EXPECT: &[(&str, &[&str])] = &[
    ("blank-project-name.json", &["missing-field"]),
    ("indicators-not-a-list.json", &["wrong-type"]),
    ("invalid-json.json", &["sheet-syntax"]),
    ("year-in-words.json", &["invalid-year"]),
];

/// Codes listed after `expect:` on the first line.
fn expected_codes(name: &str, text: &str, marker: &str) -> Vec<String> {
    let codes: Vec<String> = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix(marker))
        .map(|l| l.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect())
        .unwrap_or_default();
    assert!(!codes.is_empty(), "{name}: first line must be `{marker} code, …`");
    codes
}

/// Every diagnostic is an error or warning drawn against `name` with a line and column, and
/// the errors are exactly of the expected kinds.
fn assert_reported(name: &str, diags: &[Diagnostic], sources: &Sources, expected: &[String]) -> String {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(!errors.is_empty(), "{name}: expected errors, got none");
    for code in expected {
        assert!(
            errors.iter().any(|d| d.code.name() == code),
            "{name}: expected a `{code}` error, got {:?}",
            errors.iter().map(|d| d.code.name()).collect::<Vec<_>>()
        );
    }
    for d in &errors {
        assert!(
            expected.iter().any(|c| c == d.code.name()),
            "{name}: unexpected `{}`: {}",
            d.code,
            d.message.en
        );
    }
    let rendered = diagnostics::render(diags, sources, Lang::En, false);
    let headers: Vec<&str> = rendered.lines().filter(|l| l.contains("╭─[")).collect();
    assert_eq!(headers.len(), diags.len(), "{name}: one located header per diagnostic:\n{rendered}");
    for h in headers {
        let location = h.split_once("╭─[ ").and_then(|(_, rest)| rest.strip_suffix(" ]")).unwrap_or("");
        let mut parts = location.rsplitn(3, ':');
        let (col, line, file) = (parts.next(), parts.next(), parts.next());
        assert_eq!(file, Some(name), "{name}: diagnostic names another file: {h}");
        let numeric =
            |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
        assert!(numeric(line) && numeric(col), "{name}: no line and column in `{h}`");
    }
    assert!(!rendered.contains('\u{1b}'), "{name}: colour codes in uncoloured output");
    common::render_both(diags, sources)
}

/// Read a sheet and return its diagnostics, or `None` if it loads.
fn sheet_errors(name: &str, text: &str, format: Format) -> Option<(Vec<Diagnostic>, Sources)> {
    let errors = jixiao::sheet::load(text, format).err()?;
    let mut sources = Sources::new();
    let id = sources.add(name, text);
    Some((errors.iter().map(|e| e.to_diagnostic(id)).collect(), sources))
}

#[test]
fn bad_rule_files_are_reported_with_file_and_line() {
    insta::glob!("fixtures/malformed/policy/*.policy", |path| {
        let text = fs::read_to_string(path).expect("fixture is readable");
        let name = common::rel(path);
        let expected = expected_codes(&name, &text, "// expect:");
        let (diags, sources) = common::check_text(&name, &text);
        insta::assert_snapshot!(assert_reported(&name, &diags, &sources, &expected));
    });
}

#[test]
fn bad_sheets_are_reported_with_file_and_line() {
    insta::glob!("fixtures/malformed/sheet/*.{toml,json}", |path| {
        let text = fs::read_to_string(path).expect("fixture is readable");
        let name = common::rel(path);
        let format = Format::from_path(&name).expect("toml or json");
        let expected: Vec<String> = match format {
            Format::Toml => expected_codes(&name, &text, "# expect:"),
            _ => {
                let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
                let (_, codes) = JSON_EXPECT
                    .iter()
                    .find(|(f, _)| *f == file)
                    .unwrap_or_else(|| panic!("{name}: add its codes to JSON_EXPECT"));
                codes.iter().map(|c| c.to_string()).collect()
            }
        };
        let Some((diags, sources)) = sheet_errors(&name, &text, format) else {
            panic!("{name} should not load");
        };
        insta::assert_snapshot!(assert_reported(&name, &diags, &sources, &expected));
    });
}

/// Inputs that cannot live in a fixture file with an `expect:` line.
#[test]
fn empty_and_blank_inputs() {
    let mut out = String::new();
    for (name, text, format) in [
        ("empty.toml", "", Format::Toml),
        ("empty.json", "", Format::Json),
        ("blank.json", " \n\t\n", Format::Json),
        ("bom.toml", "\u{feff}", Format::Toml),
        ("nul.toml", "\0\0\0", Format::Toml),
        ("top-level-list.json", "[1, 2, 3]", Format::Json),
        ("top-level-string.json", "\"自评表\"", Format::Json),
    ] {
        let (diags, sources) = sheet_errors(name, text, format).unwrap_or_else(|| panic!("{name} loaded"));
        assert!(diags.iter().any(Diagnostic::is_error), "{name}: no error");
        out.push_str(&format!("===== {name}\n{}", diagnostics::render(&diags, &sources, Lang::En, false)));
    }
    for (name, text) in [("empty.policy", ""), ("blank.policy", "\n\u{3000}\n"), ("nul.policy", "\0")] {
        let (diags, sources) = common::check_text(name, text);
        assert!(diags.iter().any(Diagnostic::is_error), "{name}: no error");
        out.push_str(&format!("===== {name}\n{}", diagnostics::render(&diags, &sources, Lang::En, false)));
    }
    insta::assert_snapshot!(out);
}

/// Deeply nested junk is refused by the document parsers' depth limits, not by the stack.
#[test]
fn deeply_nested_sheets() {
    let depth = 20_000;
    let cases = [
        ("deep-array.toml", format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth)), Format::Toml),
        ("deep-table.toml", format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth)), Format::Toml),
        ("deep-array.json", format!("{}{}", "[".repeat(depth), "]".repeat(depth)), Format::Json),
        (
            "deep-object.json",
            format!("{}1{}", "{\"project\":".repeat(depth), "}".repeat(depth)),
            Format::Json,
        ),
    ];
    for (name, text, format) in cases {
        let (diags, sources) = sheet_errors(name, &text, format).unwrap_or_else(|| panic!("{name} loaded"));
        assert_eq!(diags.iter().map(|d| d.code.name()).collect::<Vec<_>>(), ["sheet-syntax"], "{name}");
        let rendered = diagnostics::render(&diags, &sources, Lang::Zh, false);
        assert!(rendered.contains(&format!("{name}:1:")), "{name}: {rendered}");
    }
}

// ---------------------------------------------------------------- mutations

/// A linear congruential generator (Knuth's MMIX constants): the same mutations on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Text inserted by mutations: structure, quotes, digits, operators, multi-byte Chinese and
/// full-width punctuation, keywords in both languages, numbers beyond exact decimals.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "\"",
    "“",
    "”",
    "'",
    "0",
    "7",
    "100",
    "-",
    "-1",
    "%",
    "％",
    ".",
    ",",
    "=",
    "[",
    "]",
    "(",
    ")",
    "*",
    "/ 0",
    "=>",
    "≥",
    "≤",
    "≧",
    "═",
    "<",
    ">",
    "，",
    "；",
    "：",
    "（",
    "）",
    "｛",
    "｝",
    "［",
    "］",
    "＝",
    "＞",
    "１",
    "．",
    "\u{3000}",
    "\u{feff}",
    "\n",
    " ",
    "\t",
    "\\",
    "//",
    "///",
    "#",
    "年",
    "月",
    "指标",
    "万元",
    "场次",
    "达成",
    "未",
    "无",
    "不适用",
    "é",
    "🙂",
    "\u{0}",
    "e",
    "1e99",
    "99999999999999999999999999999999",
    "0.0000000000000000000000000000001",
    "true",
    "[[indicators]]\n",
    "[[groups]]\n",
    "[budget]\n",
    "weight = ",
    "name = \"\"\n",
    "split equally integers\n",
    "not ",
    "and ",
    "else => full\n",
    "when ",
    "method",
    "方法",
    "flag",
    "提示",
    "tiers",
    "档次",
    "lookup(",
    "cap 0\n",
    "deduct 999\n",
    "uncapped",
    "override ",
    "extends \"x\"\n",
    "inapplicable zero\n",
    "round 0 up\n",
];

fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
}

/// One random mutation of `text`, and what it was.
fn mutate(rng: &mut Lcg, text: &str) -> (String, String) {
    let cuts = boundaries(text);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at = cuts[rng.below(cuts.len())];
    match rng.below(7) {
        0 => (text[..at].to_string(), format!("truncate at byte {at}")),
        1 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            let mut l = lines.clone();
            l.remove(i);
            (l.concat(), format!("delete line {}", i + 1))
        }
        2 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            let mut l = lines.clone();
            l.insert(i, lines[i]);
            (l.concat(), format!("duplicate line {}", i + 1))
        }
        3 if lines.len() > 1 => {
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            let mut l = lines.clone();
            l.swap(i, j);
            (l.concat(), format!("swap lines {} and {}", i + 1, j + 1))
        }
        4 => {
            let token = rng.pick(TOKENS);
            (format!("{}{token}{}", &text[..at], &text[at..]), format!("insert {token:?} at byte {at}"))
        }
        5 => {
            let k = cuts.iter().position(|&c| c == at).unwrap_or(0);
            let end = cuts[(k + 1 + rng.below(20)).min(cuts.len() - 1)];
            (format!("{}{}", &text[..at], &text[end..]), format!("delete bytes {at}..{end}"))
        }
        _ => {
            let k = cuts.iter().position(|&c| c == at).unwrap_or(0);
            let end = cuts[(k + 1).min(cuts.len() - 1)];
            let token = rng.pick(TOKENS);
            (format!("{}{token}{}", &text[..at], &text[end..]), format!("replace byte {at} with {token:?}"))
        }
    }
}

fn mutate_once_or_twice(rng: &mut Lcg, text: &str, twice: bool) -> (String, String) {
    let (once, what) = mutate(rng, text);
    if !twice {
        return (once, what);
    }
    let (again, then) = mutate(rng, &once);
    (again, format!("{what}, then {then}"))
}

/// Evaluate, and render every way the CLI does.
fn score_and_render(policy: &Policy, sheet: &Sheet, name: &str) {
    let score = jixiao::evaluate(policy, sheet);
    for lang in [Lang::En, Lang::Zh] {
        let view = View { policy, sheet, score: &score, sheet_name: name, lang, text: None };
        let _ = table::render(&view, true);
        let _ = json::sheet(&view);
    }
}

fn check_policy(name: &str, text: &str) -> Result<Policy, (Vec<Diagnostic>, Sources)> {
    let mut sources = Sources::new();
    match jixiao::Library::new().resolve_text(name, text, None, &mut sources) {
        Ok(checked) => {
            let _ = diagnostics::render(&checked.warnings, &sources, Lang::Zh, false);
            Ok(checked.policy)
        }
        Err(e) => Err((e.diagnostics, sources)),
    }
}

fn load(path: &str) -> (String, String) {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    (path.to_string(), fs::read_to_string(full).expect("readable"))
}

#[test]
fn mutations_never_panic() {
    let (policy_name, policy_text) = load("rules/national/2020.policy");
    let national =
        check_policy(&policy_name, &policy_text).unwrap_or_else(|_| panic!("the national rules check"));
    let sheets: Vec<(String, Sheet, Format, String)> = [
        "examples/zhuzhou-2022-qixie.toml",
        "tests/fixtures/eval/units/sheet.toml",
        "tests/fixtures/eval/json-sheet/sheet.json",
    ]
    .iter()
    .map(|p| {
        let (name, text) = load(p);
        let format = Format::from_path(&name).expect("toml or json");
        let sheet = jixiao::sheet::load(&text, format).unwrap_or_else(|_| panic!("{name} loads"));
        (name, sheet, format, text)
    })
    .collect();

    let mut rng = Lcg(0x6a69_7869_616f);
    let mut failures = Vec::new();
    let mut outcomes = [0usize; 4];
    // Mutated rules, scored against the unmutated sheets.
    for round in 0..450 {
        let (text, what) = mutate_once_or_twice(&mut rng, &policy_text, round % 4 == 0);
        let result = catch_unwind(AssertUnwindSafe(|| match check_policy(&policy_name, &text) {
            Ok(policy) => {
                let (name, sheet, _, _) = &sheets[round % sheets.len()];
                score_and_render(&policy, sheet, name);
                0
            }
            Err((diags, sources)) => {
                assert!(diags.iter().any(Diagnostic::is_error), "rejected without an error");
                let _ = diagnostics::render(&diags, &sources, Lang::En, false);
                let _ = diagnostics::render(&diags, &sources, Lang::Zh, false);
                1
            }
        }));
        match result {
            Ok(k) => outcomes[k] += 1,
            Err(_) => failures.push(format!("{policy_name}: {what}")),
        }
    }
    // Mutated sheets, scored against the national rules.
    for round in 0..1050 {
        let (name, _, format, original) = &sheets[round % sheets.len()];
        let (text, what) = mutate_once_or_twice(&mut rng, original, round % 5 == 0);
        let result = catch_unwind(AssertUnwindSafe(|| match jixiao::sheet::load(&text, *format) {
            Ok(sheet) => {
                score_and_render(&national, &sheet, name);
                2
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "rejected without an error");
                let mut sources = Sources::new();
                let id = sources.add(name.clone(), text.clone());
                let diags: Vec<Diagnostic> = errors.iter().map(|e| e.to_diagnostic(id)).collect();
                let _ = diagnostics::render(&diags, &sources, Lang::En, false);
                let _ = diagnostics::render(&diags, &sources, Lang::Zh, false);
                3
            }
        }));
        match result {
            Ok(k) => outcomes[k] += 1,
            Err(_) => failures.push(format!("{name}: {what}")),
        }
    }
    eprintln!(
        "rules: {} scored, {} rejected; sheets: {} scored, {} rejected",
        outcomes[0], outcomes[1], outcomes[2], outcomes[3]
    );
    assert!(failures.is_empty(), "{} mutations panicked:\n{}", failures.len(), failures.join("\n"));
    // Both kinds of outcome occur, so the mutations are neither all fatal nor all harmless.
    assert!(outcomes.iter().all(|&n| n > 0), "{outcomes:?}");
}
