//! `jixiao sample --rate 15% --seed S [--by department] SHEETS...`: a reviewer's spot-check
//! sample (抽评). The riskiest sheets are drawn first — the largest claimed-vs-computed gaps,
//! unexplained over-achievement, low execution with a high claimed total — then the rest of
//! the sample is drawn at random from a generator seeded with `--seed`, so the same seed and
//! input always give the same sample.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diagnostic::Message;
use crate::report::View;
use crate::words::Lang;
use rust_decimal::Decimal;

use super::batch::{Batch, Facts};
use super::eval::{RunArgs, outcome};
use super::io::{Error, Reporter};
use super::{Outcome, resolve};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: resolve::SheetArgs,
    /// Share of sheets to draw: `15%` or `0.15`. At least one sheet is drawn from each group.
    #[arg(long)]
    rate: String,
    /// Seed of the random part of the draw; the same seed and input give the same sample.
    #[arg(long)]
    seed: u64,
    /// Draw the rate from each group separately.
    #[arg(long, value_enum)]
    by: Option<By>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum By {
    /// 主管部门.
    Department,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per sheet drawn.
    Table,
    /// A JSON array.
    Json,
}

/// A deterministic generator (splitmix64): small, fast, and the same on every platform.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// Why a sheet was drawn.
#[derive(Clone, Debug, PartialEq)]
enum Reason {
    /// Claimed total ahead of (or behind) the computed one by this much.
    Gap(Decimal),
    /// Indicators far above target with no deviation note.
    OverAchievement(usize),
    /// Low execution rate with a high claimed total.
    LowExecution { rate: Decimal, claimed: Decimal },
    /// Drawn at random.
    Random,
}

impl Reason {
    fn kind(&self) -> &'static str {
        match self {
            Reason::Gap(_) => "gap",
            Reason::OverAchievement(_) => "unexplained_over_achievement",
            Reason::LowExecution { .. } => "low_execution_high_claim",
            Reason::Random => "random",
        }
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            Reason::Gap(g) => {
                let g = g.normalize();
                lang.pick(
                    &format!("claimed total differs from the computed one by {g}"),
                    &format!("申报总分与计算总分相差 {g}"),
                )
                .to_string()
            }
            Reason::OverAchievement(n) => lang
                .pick(
                    &format!("{n} indicator(s) at 150% of target or more without a deviation note"),
                    &format!("{n} 项指标完成值达目标 150% 以上且未说明原因"),
                )
                .to_string(),
            Reason::LowExecution { rate, claimed } => {
                let r = crate::report::percent(*rate);
                let c = claimed.normalize();
                lang.pick(
                    &format!("execution rate {r} with a claimed total of {c}"),
                    &format!("预算执行率 {r}，申报总分 {c}"),
                )
                .to_string()
            }
            Reason::Random => lang.pick("drawn at random", "随机抽取").to_string(),
        }
    }
}

/// A gap at least this large (points) is a risk.
const GAP_RISK: Decimal = Decimal::ONE;
/// An execution rate below this, with a claimed total at or above [`HIGH_CLAIM`], is a risk.
const LOW_RATE: Decimal = Decimal::from_parts(8, 0, 0, false, 1);
const HIGH_CLAIM: Decimal = Decimal::from_parts(90, 0, 0, false, 0);

/// What the draw keeps of each scored sheet: its name and what a line of the sample shows,
/// and its risk. The score sheets themselves are dropped as the batch streams past.
struct Candidate {
    name: String,
    project: String,
    department: Option<String>,
    total: Decimal,
    total_shown: String,
    claimed: Option<Decimal>,
    /// The strongest reason to draw it, with its rank among the risky ones.
    risk: Option<(u8, Decimal, Reason)>,
}

impl Candidate {
    fn new(f: Facts) -> Candidate {
        let risk = risk(&f);
        let total_shown = f.total_shown();
        Candidate {
            name: f.name,
            project: f.project,
            department: f.department,
            total: f.total,
            total_shown,
            claimed: f.claimed,
            risk,
        }
    }
}

/// The strongest reason to draw a sheet, with a key ranking it among the risky ones (lower
/// first).
fn risk(f: &Facts) -> Option<(u8, Decimal, Reason)> {
    if let Some(g) = f.gap
        && g.abs() >= GAP_RISK
    {
        return Some((0, -g.abs(), Reason::Gap(g)));
    }
    if f.unexplained_over > 0 {
        return Some((1, -Decimal::from(f.unexplained_over), Reason::OverAchievement(f.unexplained_over)));
    }
    if let (Some(rate), Some(claimed)) = (f.rate, f.claimed)
        && rate < LOW_RATE
        && claimed >= HIGH_CLAIM
    {
        return Some((2, rate, Reason::LowExecution { rate, claimed }));
    }
    None
}

/// `15%` → 0.15; `0.15` → 0.15.
fn parse_rate(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let rate = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<Decimal>().ok()?.checked_div(Decimal::ONE_HUNDRED)?,
        None => t.parse::<Decimal>().ok()?,
    };
    (rate > Decimal::ZERO && rate <= Decimal::ONE).then_some(rate)
}

/// How many of `n` sheets a rate draws: rounded up, at least one of a non-empty group.
fn quota(rate: Decimal, n: usize) -> usize {
    let exact = rate * Decimal::from(n as u64);
    let up = exact.ceil();
    usize::try_from(up.mantissa() / 10i128.pow(up.scale())).unwrap_or(n).clamp(usize::from(n > 0), n)
}

/// Draw from one group: the risky first, then at random. Returns (index, reason).
fn draw(group: &[(usize, &Candidate)], rate: Decimal, rng: &mut SplitMix64) -> Vec<(usize, Reason)> {
    let want = quota(rate, group.len());
    let mut risky: Vec<(u8, Decimal, usize, Reason)> = group
        .iter()
        .filter_map(|(i, c)| c.risk.clone().map(|(tier, key, reason)| (tier, key, *i, reason)))
        .collect();
    risky.sort_by_key(|a| (a.0, a.1, a.2));
    let mut out: Vec<(usize, Reason)> = risky.into_iter().take(want).map(|(_, _, i, r)| (i, r)).collect();
    let mut rest: Vec<usize> =
        group.iter().map(|(i, _)| *i).filter(|i| !out.iter().any(|(j, _)| j == i)).collect();
    // A partial Fisher–Yates shuffle: each remaining place filled from what is left.
    let mut k = 0;
    while out.len() < want && k < rest.len() {
        let pick = k + rng.below((rest.len() - k) as u64) as usize;
        rest.swap(k, pick);
        if let Some(i) = rest.get(k) {
            out.push((*i, Reason::Random));
        }
        k += 1;
    }
    out
}

pub fn run(args: Args, rep: &Reporter<'_>) -> Result<Outcome, Error> {
    let lang = rep.lang();
    let Some(rate) = parse_rate(&args.rate) else {
        return Err(Error::Input(Message::new(
            format!("`--rate {}`: give a share above 0 and at most 100%, e.g. `15%` or `0.15`", args.rate),
            format!("`--rate {}`：请给出大于 0、不超过 100% 的比例，如 `15%` 或 `0.15`", args.rate),
        )));
    };
    let runner = args.run.runner()?;
    let (mut resolver, mut inputs) = args.input.open(rep)?;
    let mut all: Vec<Candidate> = Vec::new();
    let mut batch = Batch::new(&mut resolver, rep, &runner);
    batch.run(&mut inputs, |_: &View<'_>, _| (), |scored| all.push(Candidate::new(scored.facts)));
    let tally = std::mem::take(&mut batch.tally);
    // Groups in name order, each in input order: the draw depends on nothing else.
    let mut groups: BTreeMap<String, Vec<(usize, &Candidate)>> = BTreeMap::new();
    for (i, f) in all.iter().enumerate() {
        let key = match args.by {
            Some(By::Department) => f.department.clone().unwrap_or_default(),
            None => String::new(),
        };
        groups.entry(key).or_default().push((i, f));
    }
    let mut rng = SplitMix64::new(args.seed);
    let mut drawn: Vec<(String, usize, Reason)> = Vec::new();
    for (key, group) in &groups {
        for (i, reason) in draw(group, rate, &mut rng) {
            drawn.push((key.clone(), i, reason));
        }
    }
    let mut text = String::new();
    match args.format {
        Format::Table => {
            let _ = writeln!(
                text,
                "{}",
                lang.pick(
                    &format!(
                        "seed {}, rate {}: {} of {} sheet(s) drawn",
                        args.seed,
                        args.rate,
                        drawn.len(),
                        all.len()
                    ),
                    &format!(
                        "种子 {}，比例 {}：{} 张中抽取 {} 张",
                        args.seed,
                        args.rate,
                        all.len(),
                        drawn.len()
                    ),
                )
            );
            for (n, (key, i, reason)) in drawn.iter().enumerate() {
                let Some(f) = all.get(*i) else { continue };
                let group = if args.by.is_some() {
                    format!(
                        "[{}] ",
                        if key.is_empty() { lang.pick("no department", "无主管部门") } else { key }
                    )
                } else {
                    String::new()
                };
                let _ = writeln!(
                    text,
                    "{:>3}. {group}{}  {}  {} {}  {}",
                    n + 1,
                    f.name,
                    f.project,
                    lang.pick("total", "总分"),
                    f.total_shown,
                    reason.text(lang)
                );
            }
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = drawn
                .iter()
                .enumerate()
                .filter_map(|(n, (_, i, reason))| {
                    let f = all.get(*i)?;
                    Some(serde_json::json!({
                        "rank": n + 1,
                        "sheet": f.name,
                        "project": f.project,
                        "department": f.department,
                        "total": f.total,
                        "claimed_total": f.claimed,
                        "reason": reason.kind(),
                        "explanation": reason.text(lang),
                    }))
                })
                .collect();
            text = format!("{}\n", serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into()));
        }
    }
    rep.out(&text);
    Ok(match outcome(&tally) {
        Outcome::Findings => Outcome::Clean,
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_the_published_sequence() {
        // The first outputs for seed 0 of the reference splitmix64.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn rates_and_quotas() {
        assert_eq!(parse_rate("15%"), Some(Decimal::new(15, 2)));
        assert_eq!(parse_rate("0.15"), Some(Decimal::new(15, 2)));
        assert_eq!(parse_rate("0"), None);
        assert_eq!(parse_rate("150%"), None);
        assert_eq!(parse_rate("abc"), None);
        let r = Decimal::new(15, 2);
        assert_eq!(quota(r, 20), 3);
        assert_eq!(quota(r, 21), 4); // 3.15 rounded up
        assert_eq!(quota(r, 1), 1);
        assert_eq!(quota(r, 0), 0);
    }
}
