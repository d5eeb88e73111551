//! `--summary`: what a batch came to, in a few lines. Kept in constant memory: totals are
//! counted by value (they carry the policy's few decimal places), gaps keep only the largest.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::words::Lang;
use rust_decimal::Decimal;

use super::batch::{Facts, Tally};

/// Largest gaps listed.
const GAPS_SHOWN: usize = 10;
/// Failed sheets listed.
const FAILURES_SHOWN: usize = 20;

/// The summary being gathered.
#[derive(Default)]
pub struct Summary {
    /// Per grade: sheets and the highest total seen (to list grades best first).
    grades: BTreeMap<String, (u64, Decimal)>,
    ungraded: u64,
    /// Totals as written, counted.
    totals: BTreeMap<Decimal, u64>,
    count: u64,
    kinds: BTreeMap<String, u64>,
    /// The largest claimed-vs-computed gaps: (|gap|, gap, name, project, claimed, total text).
    gaps: Vec<(Decimal, Decimal, String, String, Decimal, String)>,
}

impl Summary {
    /// Count one scored sheet.
    pub fn add(&mut self, f: &Facts) {
        self.count += 1;
        *self.totals.entry(f.total.normalize()).or_default() += 1;
        match &f.grade {
            Some(g) => {
                let e = self.grades.entry(g.clone()).or_insert((0, f.total));
                e.0 += 1;
                e.1 = e.1.max(f.total);
            }
            None => self.ungraded += 1,
        }
        for k in &f.kinds {
            *self.kinds.entry(k.clone()).or_default() += 1;
        }
        if let (Some(gap), Some(claimed)) = (f.gap, f.claimed)
            && !gap.is_zero()
        {
            let size = gap.abs();
            let smallest = self.gaps.last().map(|g| g.0);
            if self.gaps.len() < GAPS_SHOWN || smallest.is_some_and(|s| size > s) {
                // Stable: an equal gap seen later stays behind the earlier one.
                let at = self.gaps.partition_point(|g| g.0 >= size);
                self.gaps
                    .insert(at, (size, gap, f.name.clone(), f.project.clone(), claimed, f.total_shown()));
                self.gaps.truncate(GAPS_SHOWN);
            }
        }
    }

    /// The total at rank `k` (0-based) in ascending order.
    fn nth_total(&self, k: u64) -> Option<Decimal> {
        let mut seen = 0;
        for (t, n) in &self.totals {
            seen += n;
            if seen > k {
                return Some(*t);
            }
        }
        None
    }

    /// The median total: the middle one, or the mean of the two middle ones.
    fn median(&self) -> Option<Decimal> {
        if self.count == 0 {
            return None;
        }
        let lo = self.nth_total((self.count - 1) / 2)?;
        let hi = self.nth_total(self.count / 2)?;
        Some(((lo + hi) / Decimal::TWO).normalize())
    }

    /// The summary as text.
    pub fn render(&self, tally: &Tally, lang: Lang) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                &format!("summary: {} sheet(s) scored, {} failed", tally.scored, tally.failed),
                &format!("汇总：已评分 {} 张，失败 {} 张", tally.scored, tally.failed),
            )
        );
        if self.count > 0 {
            let mut grades: Vec<_> = self.grades.iter().collect();
            grades.sort_by(|a, b| b.1.1.cmp(&a.1.1).then_with(|| a.0.cmp(b.0)));
            let mut line: Vec<String> = grades.iter().map(|(g, (n, _))| format!("{g} {n}")).collect();
            if self.ungraded > 0 {
                line.push(format!("{} {}", lang.pick("ungraded", "无等级"), self.ungraded));
            }
            let _ = writeln!(out, "  {}: {}", lang.pick("grades", "等级"), line.join(", "));
            let min = self.totals.keys().next().copied().unwrap_or_default();
            let max = self.totals.keys().next_back().copied().unwrap_or_default();
            let median = self.median().unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}: {} {min}, {} {median}, {} {max}",
                lang.pick("total", "总分"),
                lang.pick("min", "最低"),
                lang.pick("median", "中位数"),
                lang.pick("max", "最高"),
            );
            let mut kinds: Vec<_> = self.kinds.iter().collect();
            kinds.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let none = lang.pick("none", "无");
            let _ = writeln!(
                out,
                "  {}: {}",
                lang.pick("findings by kind", "按类别的发现"),
                if list.is_empty() { none.to_string() } else { list.join(", ") }
            );
            if !self.gaps.is_empty() {
                let _ = writeln!(
                    out,
                    "  {}:",
                    lang.pick("largest claimed-vs-computed gaps", "申报与计算差距最大")
                );
                for (_, gap, name, project, claimed, total) in &self.gaps {
                    let sign = if gap.is_sign_positive() { "+" } else { "" };
                    let _ = writeln!(
                        out,
                        "    {sign}{}  {name}  {project}  ({})",
                        gap.normalize(),
                        lang.pick(
                            &format!("claimed {}, computed {total}", claimed.normalize()),
                            &format!("申报 {}，计算 {total}", claimed.normalize())
                        )
                    );
                }
            }
        }
        if tally.failed > 0 {
            let _ = writeln!(out, "  {}:", lang.pick("failed sheets", "失败的自评表"));
            for f in tally.failures.iter().take(FAILURES_SHOWN) {
                let _ = writeln!(out, "    {}", f.one_line());
            }
            let more = tally.failed.saturating_sub(FAILURES_SHOWN.min(tally.failures.len()) as u64);
            if more > 0 {
                let _ = writeln!(
                    out,
                    "    {}",
                    lang.pick(&format!("… and {more} more"), &format!("……另有 {more} 张"))
                );
            }
        }
        out
    }
}
