//! jixiao against a scorer written by hand for the national 2020 rules, on one seeded corpus.
//!
//! `cargo bench --bench score` (set `JIXIAO_BENCH_SHEETS` for the corpus size, default 20000;
//! `JIXIAO_BENCH_WRITE=FILE` writes the corpus to FILE as JSON Lines instead of measuring).
//! Before measuring, both score the whole corpus and their totals must agree (a checksum);
//! the run stops if they do not.
//!
//! - `eval_only`: sheets already in memory (the engine's `Sheet`, the baseline's own struct);
//!   the engine computes the numbers alone (`evaluate_scores`), and `engine_full` the whole
//!   explained score sheet (`evaluate`).
//! - `end_to_end`: read JSON Lines, score, write JSON Lines (`engine` writes its full report,
//!   as `jixiao eval --format jsonl` does; `engine_scores` and the baseline write the total,
//!   grade and row scores, as `jixiao eval --format scores` does).
//! - `policy`: parse, check and resolve `rules/national/2020.policy`.

use std::io::Write;

use divan::counter::ItemsCount;
use jixiao::diagnostic::Sources;
use jixiao::library::Library;
use jixiao::policy::Policy;
use jixiao::report::{View, json};
use jixiao::sheet::{self, Format, Sheet};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

fn main() {
    // `JIXIAO_BENCH_WRITE=FILE`: write the corpus to FILE as JSON Lines (the input of the
    // streaming run in BENCHMARKS.md) and stop.
    if let Some(path) = std::env::var_os("JIXIAO_BENCH_WRITE") {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("the file can be created"));
        for line in generate(size(), 2020_1130) {
            writeln!(out, "{line}").expect("the corpus is written");
        }
        out.flush().expect("the corpus is written");
        return;
    }
    let corpus = corpus();
    let policy = policy();
    // The checksum: both scorers, every sheet, the same totals; and the engine's full score
    // sheet with the same totals as its numbers alone.
    let engine: Decimal = corpus.sheets.iter().map(|s| jixiao::evaluate_scores(&policy, s).total).sum();
    let full: Decimal = corpus.sheets.iter().map(|s| jixiao::evaluate(&policy, s).total).sum();
    let hand: Decimal = corpus.baseline.iter().map(|s| baseline::score(s).total).sum();
    if engine != hand || full != engine {
        for (i, line) in corpus.lines.iter().enumerate() {
            let (Some(s), Some(b)) = (corpus.sheets.get(i), corpus.baseline.get(i)) else { break };
            let (e, f, h) = (
                jixiao::evaluate_scores(&policy, s).total,
                jixiao::evaluate(&policy, s).total,
                baseline::score(b).total,
            );
            if e != h || f != e {
                eprintln!("first disagreement, engine {e} (full {f}), baseline {h}:\n{line}");
                break;
            }
        }
        panic!("the engine ({engine}, full {full}) and the hand-written scorer ({hand}) disagree");
    }
    // The numbers-only engine is timed on its quick path, not on `evaluate` behind it.
    let declined = corpus
        .sheets
        .iter()
        .filter(|s| jixiao::internals::evaluate_scores_quick(&policy, s).is_none())
        .count();
    assert_eq!(declined, 0, "the quick path declined {declined} sheets of the corpus");
    eprintln!("corpus: {} sheets, checksum of totals {engine} (engine = baseline)", corpus.sheets.len());
    divan::main();
}

/// Sheets in the corpus.
fn size() -> usize {
    std::env::var("JIXIAO_BENCH_SHEETS").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000)
}

const NATIONAL: &str = include_str!("../rules/national/2020.policy");

fn policy() -> Policy {
    let mut sources = Sources::new();
    match Library::new().resolve_text(
        "rules/national/2020.policy",
        NATIONAL,
        Some("national/2020"),
        &mut sources,
    ) {
        Ok(c) => c.policy,
        Err(_) => panic!("the national rules check"),
    }
}

struct Corpus {
    lines: Vec<String>,
    sheets: Vec<Sheet>,
    baseline: Vec<baseline::Sheet>,
}

fn corpus() -> Corpus {
    let lines = generate(size(), 2020_1130);
    let sheets =
        lines.iter().map(|l| sheet::load(l, Format::Json).unwrap_or_else(|_| panic!("reads: {l}"))).collect();
    let baseline = lines.iter().map(|l| baseline::read(l).unwrap_or_else(|| panic!("reads: {l}"))).collect();
    Corpus { lines, sheets, baseline }
}

static CORPUS: std::sync::LazyLock<Corpus> = std::sync::LazyLock::new(corpus);
static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(policy);

/// A deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// `n` JSON Lines sheets: 8–16 indicators, ≥ counts and percentages, ≤ costs and durations,
/// qualitative benefits, half-cent rounding cases (weight 5, 7 of 8 → 4.375 → 4.38).
fn generate(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let count = rng.range(8, 16) as usize;
        // 2 benefit rows (15 + 15), 1 satisfaction row (10), the rest share 50 for outputs.
        let outputs = count - 3;
        let mut rows = Vec::new();
        let base = 50 / outputs as u64;
        let mut left = 50;
        for k in 0..outputs {
            let weight = if k + 1 == outputs { left } else { base };
            left -= weight;
            let kind = rng.range(0, 9);
            let (level2, target, actual) = match kind {
                0..=4 => {
                    let t = rng.range(50, 500);
                    let a = t * rng.range(50, 130) / 100;
                    ("数量指标", format!("≥{t}人"), format!("{a}人"))
                }
                5 => ("数量指标", "≥8场".to_string(), "7场".to_string()),
                6 => {
                    let t = rng.range(90, 99);
                    let a = rng.range(80, 100);
                    ("质量指标", format!("≥{t}%"), format!("{a}%"))
                }
                7 => {
                    let t = rng.range(10, 60);
                    let a = t * rng.range(80, 125) / 100;
                    ("时效指标", format!("≤{t}天"), format!("{a}天"))
                }
                _ => {
                    let t = rng.range(100, 900);
                    let a = t * rng.range(85, 120) / 100;
                    ("成本指标", format!("≤{t}万元"), format!("{a}万元"))
                }
            };
            let weight = if kind == 5 && weight >= 5 { 5 } else { weight };
            rows.push(format!(
                r#"{{"level1":"产出指标","level2":"{level2}","name":"任务{k}完成量","target":"{target}","actual":"{actual}","weight":{weight}}}"#
            ));
        }
        for k in 0..2 {
            let claimed =
                if rng.range(0, 3) == 0 { format!(r#","claimed":{}"#, 12 + k) } else { String::new() };
            rows.push(format!(
                r#"{{"level1":"效益指标","level2":"社会效益指标","name":"带动效果{k}","target":"明显提升","actual":"明显提升","weight":15{claimed}}}"#
            ));
        }
        let sat = rng.range(80, 99);
        rows.push(format!(
            r#"{{"level1":"满意度指标","level2":"服务对象满意度指标","name":"受益群众满意度","target":"≥90%","actual":"{sat}%","weight":10}}"#
        ));
        let annual = rng.range(100, 1000);
        let executed = annual * 100 * rng.range(70, 100) / 100;
        out.push(format!(
            r#"{{"project":{{"name":"项目{i}","department":"部门{}","year":2023}},"budget":{{"annual":{annual},"executed":{}.{:02}}},"indicators":[{}],"total":{{"claimed":{}}}}}"#,
            i % 17,
            executed / 100,
            executed % 100,
            rows.join(","),
            rng.range(80, 100)
        ));
    }
    out
}

/// The national 2020 rules, written by hand in plain Rust for this corpus' shapes.
mod baseline {
    use super::*;

    #[derive(Deserialize)]
    pub struct Sheet {
        pub project: Project,
        pub budget: Budget,
        pub indicators: Vec<Indicator>,
    }

    #[derive(Deserialize)]
    pub struct Project {
        pub name: String,
    }

    #[derive(Deserialize)]
    pub struct Budget {
        pub annual: Decimal,
        pub executed: Decimal,
    }

    #[derive(Deserialize)]
    pub struct Indicator {
        pub level1: String,
        pub level2: String,
        pub target: String,
        pub actual: String,
        pub weight: Decimal,
        pub claimed: Option<Decimal>,
    }

    pub struct Score {
        pub rows: Vec<Decimal>,
        pub budget: Decimal,
        pub total: Decimal,
        pub grade: &'static str,
    }

    pub fn read(line: &str) -> Option<Sheet> {
        serde_json::from_str(line).ok()
    }

    fn round(d: Decimal) -> Decimal {
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }

    /// `≥200人` → (`≥`, 200); `95%` → 0.95 as a ratio is not needed: both sides share the unit.
    fn number(text: &str) -> Option<(char, Decimal)> {
        let mut chars = text.chars();
        let op = match text.chars().next()? {
            c @ ('≥' | '≤') => {
                chars.next();
                c
            }
            _ => '=',
        };
        let rest = chars.as_str();
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        Some((op, rest.get(..end)?.parse().ok()?))
    }

    pub fn score(s: &Sheet) -> Score {
        let mut rows = Vec::with_capacity(s.indicators.len());
        for ind in &s.indicators {
            let w = ind.weight;
            let score = if ind.target == "明显提升" {
                // Tier 达成 [80%, 100%]: the claim when it lies in the band, else the top.
                match ind.claimed {
                    Some(c) if c >= w * Decimal::new(8, 1) && c <= w => c,
                    _ => w,
                }
            } else {
                match (number(&ind.target), number(&ind.actual)) {
                    (Some(('≥', t)), Some((_, a))) => {
                        if a >= t {
                            w
                        } else {
                            w * a / t
                        }
                    }
                    (Some(('≤', t)), Some((_, a))) => {
                        if a <= t {
                            w
                        } else {
                            w * t / a
                        }
                    }
                    _ => Decimal::ZERO,
                }
            };
            let _ = (&ind.level1, &ind.level2);
            rows.push(round(score.min(w)));
        }
        let weight = Decimal::TEN;
        let rate = s.budget.executed / s.budget.annual;
        let budget = round((weight * rate).min(weight));
        let total = round(budget + rows.iter().copied().sum::<Decimal>());
        let grade = if total >= Decimal::from(90) {
            "优"
        } else if total >= Decimal::from(80) {
            "良"
        } else if total >= Decimal::from(60) {
            "中"
        } else {
            "差"
        };
        Score { rows, budget, total, grade }
    }

    /// One JSON line: total, grade, budget and row scores.
    /// The fields `jixiao eval --format scores` writes, in its order (the corpus' names need no
    /// escaping, so none is done).
    pub fn write(out: &mut Vec<u8>, file: &str, sheet: &Sheet, s: &Score) {
        let _ = write!(
            out,
            r#"{{"file":"{file}","project":"{}","total":{},"grade":"{}","budget":{},"rows":["#,
            sheet.project.name, s.total, s.grade, s.budget
        );
        for (i, r) in s.rows.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let _ = write!(out, "{r}");
        }
        out.extend_from_slice(b"]}\n");
    }
}

#[divan::bench_group(sample_count = 5, sample_size = 1)]
mod eval_only {
    use super::*;

    #[divan::bench]
    fn baseline(b: divan::Bencher) {
        let c = &*CORPUS;
        b.counter(ItemsCount::new(c.baseline.len())).bench(|| {
            let mut sum = Decimal::ZERO;
            for s in &c.baseline {
                sum += baseline::score(s).total;
            }
            sum
        });
    }

    /// The numbers alone, as `jixiao eval --format scores` needs them.
    #[divan::bench]
    fn engine(b: divan::Bencher) {
        let c = &*CORPUS;
        let p = &*POLICY;
        b.counter(ItemsCount::new(c.sheets.len())).bench(|| {
            let mut sum = Decimal::ZERO;
            for s in &c.sheets {
                sum += jixiao::evaluate_scores(p, s).total;
            }
            sum
        });
    }

    /// The full score sheet: traces, notes, flags and audit.
    #[divan::bench]
    fn engine_full(b: divan::Bencher) {
        let c = &*CORPUS;
        let p = &*POLICY;
        b.counter(ItemsCount::new(c.sheets.len())).bench(|| {
            let mut sum = Decimal::ZERO;
            for s in &c.sheets {
                sum += jixiao::evaluate(p, s).total;
            }
            sum
        });
    }
}

#[divan::bench_group(sample_count = 3, sample_size = 1)]
mod end_to_end {
    use super::*;

    #[divan::bench]
    fn baseline(b: divan::Bencher) {
        let c = &*CORPUS;
        b.counter(ItemsCount::new(c.lines.len())).bench(|| {
            let mut out = Vec::with_capacity(1 << 20);
            for line in &c.lines {
                if let Some(s) = baseline::read(line) {
                    baseline::write(&mut out, "bench", &s, &baseline::score(&s));
                }
                if out.len() > 1 << 20 {
                    out.clear();
                }
            }
            out.len()
        });
    }

    /// Read each line, score it and write it with `write`, as `jixiao eval` does.
    fn engine_with(b: divan::Bencher, write: impl Fn(&mut String, &View) + Sync) {
        let c = &*CORPUS;
        let p = &*POLICY;
        b.counter(ItemsCount::new(c.lines.len())).bench(|| {
            let mut out = String::with_capacity(1 << 20);
            let mut loader = sheet::Loader::default();
            for line in &c.lines {
                if let Ok(s) = loader.load(line, Format::Json) {
                    let score = jixiao::evaluate(p, &s);
                    let view = View {
                        policy: p,
                        sheet: &s,
                        score: &score,
                        sheet_name: "bench",
                        lang: jixiao::words::Lang::En,
                        text: None,
                    };
                    write(&mut out, &view);
                    loader.recycle(s);
                }
                if out.len() > 1 << 20 {
                    out.clear();
                }
            }
            out.len()
        });
    }

    /// What `jixiao eval --format jsonl` does: the full score sheet a line.
    #[divan::bench]
    fn engine(b: divan::Bencher) {
        engine_with(b, |out, view| {
            let _ = json::write(out, &json::report(view));
            out.push('\n');
        });
    }

    /// What `jixiao eval --format scores` does: read, score for the numbers alone, write the
    /// short line.
    #[divan::bench]
    fn engine_scores(b: divan::Bencher) {
        let c = &*CORPUS;
        let p = &*POLICY;
        b.counter(ItemsCount::new(c.lines.len())).bench(|| {
            let mut out = String::with_capacity(1 << 20);
            // Each sheet's rows are read into the last one's, as `jixiao eval` reads a batch.
            let mut loader = sheet::Loader::default();
            for line in &c.lines {
                if let Ok(s) = loader.load(line, Format::Json) {
                    json::write_score_line(&mut out, "bench", &s, &jixiao::evaluate_scores(p, &s));
                    loader.recycle(s);
                }
                if out.len() > 1 << 20 {
                    out.clear();
                }
            }
            out.len()
        });
    }

    /// Reading only: the engine's sheet reader on each line.
    #[divan::bench]
    fn engine_read_only(b: divan::Bencher) {
        let c = &*CORPUS;
        b.counter(ItemsCount::new(c.lines.len()))
            .bench(|| c.lines.iter().filter(|l| sheet::load(l, Format::Json).is_ok()).count());
    }
}

#[divan::bench(sample_count = 50)]
fn policy_parse_check_resolve() -> Policy {
    policy()
}

/// Parsing alone (pest and the AST), to see where policy loading spends its time.
#[divan::bench(sample_count = 50)]
fn policy_parse_only() -> bool {
    jixiao::internals::parse_policy(NATIONAL).is_ok()
}
