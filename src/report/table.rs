//! The score sheet as a terminal table laid out like the printed 自评表: Chinese labels,
//! columns aligned by display width, computed and claimed scores side by side, and numbered
//! findings underneath.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::{View, percent, plain};
use crate::score::*;

/// Display width of a string in terminal columns.
fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` columns, marking the cut with `…`.
fn clip(s: &str, max: usize) -> String {
    let s = crate::text::single_spaced(String::new(), s);
    if width(&s) <= max {
        return s;
    }
    let mut out = String::new();
    for c in s.chars() {
        if width(&out) + width(c.encode_utf8(&mut [0; 4])) + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

struct Grid {
    columns: Vec<(String, Align)>,
    rows: Vec<Option<Vec<String>>>,
}

impl Grid {
    fn new(columns: &[(&str, Align)]) -> Grid {
        Grid { columns: columns.iter().map(|(h, a)| (h.to_string(), *a)).collect(), rows: Vec::new() }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(Some(cells));
    }

    fn rule(&mut self) {
        self.rows.push(None);
    }

    fn render(&self, out: &mut String) {
        let n = self.columns.len();
        let mut widths: Vec<usize> = self.columns.iter().map(|(h, _)| width(h)).collect();
        for row in self.rows.iter().flatten() {
            for (i, cell) in row.iter().enumerate().take(n) {
                widths[i] = widths[i].max(width(cell));
            }
        }
        // The last column holds notes: no padding after it.
        let line = |cells: &[String], out: &mut String| {
            let mut text = String::new();
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                let pad = w.saturating_sub(width(cell));
                if i > 0 {
                    text.push_str("  ");
                }
                match self.columns[i].1 {
                    Align::Left if i + 1 == n => text.push_str(cell),
                    Align::Left => {
                        text.push_str(cell);
                        text.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        text.push_str(&" ".repeat(pad));
                        text.push_str(cell);
                    }
                }
            }
            let _ = writeln!(out, "{}", text.trim_end());
        };
        let headers: Vec<String> = self.columns.iter().map(|(h, _)| h.clone()).collect();
        line(&headers, out);
        let total: usize = widths.iter().sum::<usize>() + 2 * (n - 1);
        let _ = writeln!(out, "{}", "─".repeat(total));
        for row in &self.rows {
            match row {
                Some(cells) => line(cells, out),
                None => {
                    let _ = writeln!(out, "{}", "─".repeat(total));
                }
            }
        }
    }
}

/// Numbered findings: flags, notes and errors, referred to from the table.
struct Findings {
    items: Vec<String>,
}

impl Findings {
    fn add(&mut self, text: String) -> String {
        self.items.push(text);
        format!("[{}]", self.items.len())
    }
}

/// Render one score sheet as a table.
pub fn render(view: &View<'_>, explain: bool) -> String {
    let mut out = String::new();
    let sheet = view.sheet;
    let score = view.score;
    let policy = view.policy;
    let year = sheet.project.year.map(|y| format!("（{y}年度）")).unwrap_or_default();
    let _ = writeln!(out, "项目支出绩效自评表{year}  {}", view.sheet_name);
    let _ = writeln!(out, "项目名称  {}", sheet.project.name.trim());
    let mut unit_line = String::new();
    if let Some(d) = &sheet.project.department {
        unit_line.push_str(&format!("主管部门  {d}"));
    }
    if let Some(i) = &sheet.project.implementer {
        if !unit_line.is_empty() {
            unit_line.push_str("    ");
        }
        unit_line.push_str(&format!("实施单位  {i}"));
    }
    if !unit_line.is_empty() {
        let _ = writeln!(out, "{unit_line}");
    }
    let _ = writeln!(
        out,
        "评分规则  {}（{} {}）  {}  {}",
        policy.name,
        policy.jurisdiction,
        policy.year,
        policy.files.first().map_or("", String::as_str),
        policy.hash()
    );
    let _ = writeln!(out);
    let mut findings = Findings { items: Vec::new() };

    // Budget block.
    if let Some(b) = &score.budget {
        let money = &sheet.project.money_unit;
        let mut grid = Grid::new(&[
            (&format!("项目资金（{money}）"), Align::Left),
            ("年初预算数", Align::Right),
            ("全年预算数", Align::Right),
            ("全年执行数", Align::Right),
            ("分值", Align::Right),
            ("执行率", Align::Right),
            ("得分", Align::Right),
            ("自评", Align::Right),
            ("差异", Align::Right),
            ("说明", Align::Left),
        ]);
        let sb = sheet.budget.as_ref();
        let amount = |x: Option<rust_decimal::Decimal>| x.map(plain).unwrap_or_default();
        let mut marks = Vec::new();
        for f in &b.flags {
            marks.push(findings.add(flag_line(view, f, view.budget_flag(b, f))));
        }
        for n in &b.notes {
            marks.push(findings.add(view.note(None, n)));
        }
        if let Some(e) = &b.error {
            marks.push(findings.add(format!("✗ {}", view.error(e))));
        }
        for f in score.audit.iter().filter(|f| f.place == AuditPlace::Budget) {
            marks.push(findings.add(view.audit_line(f)));
        }
        grid.row(vec![
            "年度资金总额".into(),
            amount(sb.and_then(|x| x.initial)),
            amount(sb.and_then(|x| x.annual)),
            amount(sb.and_then(|x| x.executed)),
            plain(b.weight),
            b.rate.map(percent).unwrap_or_else(|| "—".into()),
            b.score.map(|s| view.fixed(s)).unwrap_or_else(|| "✗".into()),
            b.claimed.map(plain).unwrap_or_else(|| "—".into()),
            b.difference.map(|d| view.signed(d)).unwrap_or_else(|| "—".into()),
            marks.join(" "),
        ]);
        for row in sb.map(|x| x.rows.as_slice()).unwrap_or(&[]) {
            grid.row(vec![
                format!("  {}", clip(row.label.trim(), 16)),
                amount(row.initial),
                amount(row.annual),
                amount(row.executed),
            ]);
        }
        grid.render(&mut out);
        let _ = writeln!(out);
    }

    // Indicators, grouped by category in scheme order.
    let mut grid = Grid::new(&[
        ("一级指标", Align::Left),
        ("二级指标", Align::Left),
        ("三级指标", Align::Left),
        ("年度指标值", Align::Left),
        ("实际完成值", Align::Left),
        ("分值", Align::Right),
        ("得分", Align::Right),
        ("自评", Align::Right),
        ("差异", Align::Right),
        ("计分方法", Align::Left),
        ("说明", Align::Left),
    ]);
    let mut shown = vec![false; score.indicators.len()];
    let groups = &score.groups;
    let mut i = 0;
    while i < groups.len() {
        let level1 = &groups[i];
        let mut j = i + 1;
        let mut first_row = true;
        while j < groups.len() && (groups[j].level2.is_some() || groups[j].unmatched.is_some()) {
            let g = &groups[j];
            let members: Vec<&IndicatorScore> =
                score.indicators.iter().filter(|s| view.in_group(s, g)).collect();
            let mut first_in_group = true;
            for s in members {
                shown[s.position] = true;
                let l1 = if first_row { level1_label(view, level1) } else { String::new() };
                let l2 = if first_in_group { clip(&view.level2_label(s), 10) } else { String::new() };
                grid.row(indicator_row(view, s, l1, l2, &mut findings));
                first_row = false;
                first_in_group = false;
            }
            let audited: Vec<&AuditFinding> =
                score.audit.iter().filter(|f| f.place == AuditPlace::Group { index: j }).collect();
            if g.claimed.is_some() || !g.flags.is_empty() || !audited.is_empty() {
                let mut marks = Vec::new();
                for f in &g.flags {
                    marks.push(findings.add(flag_line(view, f, view.group_flag(g, f))));
                }
                for f in audited {
                    marks.push(findings.add(view.audit_line(f)));
                }
                grid.row(vec![
                    String::new(),
                    String::new(),
                    format!("（{} 小计）", clip(&view.group_level2(g).unwrap_or_default(), 12)),
                    String::new(),
                    String::new(),
                    plain(g.weight),
                    group_score(view, g),
                    g.claimed.map(plain).unwrap_or_else(|| "—".into()),
                    group_difference(view, g),
                    String::new(),
                    marks.join(" "),
                ]);
            }
            j += 1;
        }
        let mut marks = Vec::new();
        for f in &level1.flags {
            marks.push(findings.add(flag_line(view, f, view.group_flag(level1, f))));
        }
        for f in score.audit.iter().filter(|f| f.place == AuditPlace::Group { index: i }) {
            marks.push(findings.add(view.audit_line(f)));
        }
        grid.row(vec![
            if first_row { level1_label(view, level1) } else { String::new() },
            "小计".into(),
            String::new(),
            String::new(),
            String::new(),
            plain(level1.weight),
            group_score(view, level1),
            level1.claimed.map(plain).unwrap_or_else(|| "—".into()),
            group_difference(view, level1),
            level1.points.map(|p| format!("体系 {}", plain(p))).unwrap_or_default(),
            marks.join(" "),
        ]);
        grid.rule();
        i = j;
    }
    for s in &score.indicators {
        if !shown[s.position] {
            let ind = &sheet.indicators[s.position];
            grid.row(indicator_row(
                view,
                s,
                clip(&crate::text::normalize_label(&ind.level1), 10),
                clip(&crate::text::normalize_label(&ind.level2), 10),
                &mut findings,
            ));
        }
    }
    let mut marks = Vec::new();
    for f in &score.flags {
        marks.push(findings.add(flag_line(view, f, view.sheet_flag(f))));
    }
    for f in score.audit.iter().filter(|f| f.place == AuditPlace::Sheet) {
        marks.push(findings.add(view.audit_line(f)));
    }
    if score.inapplicable_points > rust_decimal::Decimal::ZERO {
        marks.push(
            findings.add(
                view.lang
                    .pick(
                        &format!(
                            "{} points of not-applicable indicators left out; the rest scaled to {}",
                            plain(score.inapplicable_points),
                            plain(policy.scheme.total)
                        ),
                        &format!(
                            "不适用指标 {} 分不计，其余按 {} 分折算",
                            plain(score.inapplicable_points),
                            plain(policy.scheme.total)
                        ),
                    )
                    .to_string(),
            ),
        );
    }
    grid.row(vec![
        "总分".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        plain(policy.scheme.total),
        match score.total_range {
            Some((l, h)) => format!("{}–{}", view.fixed_total(l), view.fixed_total(h)),
            None => view.fixed_total(score.total),
        },
        score.claimed_total.map(plain).unwrap_or_else(|| "—".into()),
        range_difference(view, score.total_range, score.claimed_total, score.difference),
        String::new(),
        marks.join(" "),
    ]);
    grid.render(&mut out);
    // Warnings that could not be checked leave the total as it is.
    let adjusts =
        |f: &FiredFlag| policy.flags.get(f.flag).is_some_and(|r| r.deduct.is_some() || r.cap.is_some());
    let failed_flags = |flags: &[FiredFlag]| flags.iter().filter(|f| f.failed && adjusts(f)).count();
    let unscored = score.indicators.iter().filter(|s| s.error.is_some()).count()
        + usize::from(score.budget.as_ref().is_some_and(|b| b.error.is_some()))
        + score.groups.iter().map(|g| failed_flags(&g.flags)).sum::<usize>()
        + failed_flags(&score.flags);
    let grade = match (&score.grade, &score.grade_range) {
        (Some(l), Some((_, Some(h)))) if l != h => format!("{l}–{h}"),
        (Some(g), _) => g.clone(),
        (None, _) if !policy.grades.is_empty() => view
            .lang
            .pick(
                &format!("— (no grade band holds {})", view.fixed_total(score.total)),
                &format!("—（总分 {} 不在任何等级区间内）", view.fixed_total(score.total)),
            )
            .to_string(),
        (None, _) => "—".into(),
    };
    let provisional = match score.total_range {
        _ if score.complete => String::new(),
        // Every row scored, but a value the table prints could not be read (listed below).
        _ if unscored == 0 => "（暂定：有无法读取的内容，见下文）".to_string(),
        Some((l, h)) => format!(
            "（暂定：{unscored} 项未能计分，总分可能为 {}–{}）",
            view.fixed_total(l),
            view.fixed_total(h)
        ),
        None => format!("（暂定：{unscored} 项未能计分，按 0 分计入）"),
    };
    let claimed_grade = sheet.total.grade.as_ref().map(|g| format!("    自评等级  {g}")).unwrap_or_default();
    let _ = writeln!(out, "评价等级  {grade}{provisional}{claimed_grade}");
    if !findings.items.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", view.lang.pick("Findings", "说明"));
        for (k, item) in findings.items.iter().enumerate() {
            let _ = writeln!(out, "  [{}] {item}", k + 1);
        }
    }
    if !sheet.skipped.is_empty() {
        let _ = writeln!(out);
        let names: Vec<String> = sheet
            .skipped
            .iter()
            .map(|r| {
                // A sheet read from a workbook names the row's cell, not a line of its transcript.
                match sheet.origin.as_ref().and_then(|o| o.cells.range(r.line..).next()) {
                    Some((_, cell)) => format!("{cell} `{}`", r.name.trim()),
                    None => format!("{}:{} `{}`", view.sheet_name, r.line, r.name.trim()),
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "{} {}",
            view.lang.pick("Empty rows skipped:", "已跳过的空白行："),
            names.join(", ")
        );
    }
    // The header names the place already; the section lists what reading the cells met.
    if let Some(origin) = sheet.origin.as_ref().filter(|o| !o.problems.is_empty() || !o.notes.is_empty()) {
        let _ = writeln!(out);
        if origin.place.is_empty() {
            let _ = writeln!(out, "{}", view.lang.pick("Reading the sheet", "读取自评表"));
        } else {
            let _ = writeln!(out, "{} {}", view.lang.pick("Read from", "读取自"), origin.place);
        }
        for p in &origin.problems {
            let label = view.lang.pick("unreadable", "无法读取");
            let _ = writeln!(out, "  ✗ {label} {}: {}", p.cell, p.message.get(view.lang));
        }
        for n in &origin.notes {
            let _ = writeln!(out, "  · {}: {}", n.cell, n.message.get(view.lang));
        }
    }
    if explain {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", view.lang.pick("How each score was reached", "计分过程"));
        // Each method's `///` comment, under the first score it explains.
        let mut shown: Vec<usize> = Vec::new();
        let mut doc = |out: &mut String, method: Option<usize>| {
            if let Some(m) = method.filter(|m| !shown.contains(m)) {
                shown.push(m);
                if let Some(text) = &policy.methods[m].doc {
                    let _ = writeln!(out, "      ↳ {}", join_lines(text));
                }
            }
        };
        if let Some(b) = view.explain_budget() {
            let _ = writeln!(out, "  {b}");
            doc(&mut out, score.budget.as_ref().and_then(|b| b.method));
        }
        for s in &score.indicators {
            let _ = writeln!(out, "  {}", view.explain(s));
            doc(&mut out, s.method.filter(|_| s.error.is_none()));
        }
    }
    out
}

/// Doc lines as one line: Chinese runs on without a space, other text gets one.
fn join_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if out.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c.is_ascii_punctuation()) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A subtotal, as its range when some of its rows are unscored.
fn group_score(view: &View<'_>, g: &GroupScore) -> String {
    match g.high {
        Some(h) => format!("{}–{}", view.fixed(g.score), view.fixed(h)),
        None => view.fixed(g.score),
    }
}

/// A subtotal's difference from its claim, as [`range_difference`].
fn group_difference(view: &View<'_>, g: &GroupScore) -> String {
    range_difference(view, g.high.map(|h| (g.score, h)), g.claimed, g.difference)
}

/// A computed value's difference from its claim: `?` while the claim lies within the range the
/// value can still take, else the distance to the nearer end of that range.
fn range_difference(
    view: &View<'_>,
    range: Option<(rust_decimal::Decimal, rust_decimal::Decimal)>,
    claimed: Option<rust_decimal::Decimal>,
    difference: Option<rust_decimal::Decimal>,
) -> String {
    match (range, claimed) {
        (Some((l, h)), Some(c)) if l <= c && c <= h => "?".into(),
        (Some((_, h)), Some(c)) if c > h => view.signed(crate::num::sub(h, c)),
        _ => difference.map(|d| view.signed(d)).unwrap_or_else(|| "—".into()),
    }
}

fn level1_label(view: &View<'_>, g: &GroupScore) -> String {
    clip(view.node(g.level1), 10)
}

/// `⚑ title: message (deducted 2)` for a fired flag.
pub(crate) fn flag_line(view: &View<'_>, fired: &FiredFlag, message: String) -> String {
    let flag = &view.policy.flags[fired.flag];
    let title = flag.label.as_deref().unwrap_or(&flag.name);
    let mut text = format!("⚑ {title}{}{message}", view.lang.pick(": ", "："));
    if let Some(d) = fired.deducted {
        text.push_str(&format!("{}{}", view.lang.pick(" (deducted ", "（扣 "), plain(d)));
        text.push_str(view.lang.pick(")", " 分）"));
    }
    if let Some(c) = fired.capped_at {
        text.push_str(&format!("{}{}", view.lang.pick(" (capped at ", "（封顶 "), plain(c)));
        text.push_str(view.lang.pick(")", " 分）"));
    }
    if fired.failed && flag.deduct.is_none() && flag.cap.is_none() {
        text.push_str(view.lang.pick(
            " (✗ its condition cannot be computed, so it could not be checked)",
            "（✗ 条件无法计算，未能核查）",
        ));
    } else if fired.failed {
        text.push_str(view.lang.pick(
            " (✗ its condition, deduction or cap cannot be computed, so the score is uncertain)",
            "（✗ 条件、扣分或封顶无法计算，得分不确定）",
        ));
    }
    text
}

fn indicator_row(
    view: &View<'_>,
    s: &IndicatorScore,
    l1: String,
    l2: String,
    findings: &mut Findings,
) -> Vec<String> {
    let ind = &view.sheet.indicators[s.position];
    let path = view.path(s);
    let mut marks = Vec::new();
    if let Some(e) = &s.error {
        marks.push(findings.add(format!(
            "✗ {path}{}{} ({})",
            view.lang.pick(": ", "："),
            view.error(e),
            view.cell_location(s)
        )));
    }
    // A row read from a workbook: its findings name the row's cell.
    let at = view
        .sheet
        .origin
        .as_ref()
        .and_then(|o| o.cell(ind.line))
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    for f in &s.flags {
        marks.push(findings.add(format!("{path} {}{at}", flag_line(view, f, view.indicator_flag(s, f)))));
    }
    for n in &s.notes {
        marks.push(findings.add(format!("{path}{}{}", view.lang.pick(": ", "："), view.note(Some(s), n))));
    }
    for f in view.score.audit.iter().filter(|f| f.place == AuditPlace::Row { position: s.position }) {
        marks.push(findings.add(view.audit_line(f)));
    }
    let target = if ind.target.text.trim().is_empty() {
        s.target.as_ref().map(|t| format!("（≥{}）", view.operand(t))).unwrap_or_default()
    } else if let (crate::value::Reading::Number { op, quantity, .. }, true) = (&ind.target.reading, {
        // (A comparison may be written in the value's cell, `≥95` beside `%`.)
        let bare = ind.target.text.trim().trim_start_matches(['≥', '≤', '=', '>', '<', '≧', '≦', '═']);
        let digits = bare.strip_prefix('-').unwrap_or(bare);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
    }) {
        // A bare value from separate direction and unit columns: show it whole.
        format!("{}{}", op.map_or("", crate::value::Op::symbol), super::quantity(quantity))
    } else {
        clip(ind.target.text.trim(), 14)
    };
    let detail = matches!(s.weight_source, WeightSource::Detail { .. });
    let method = match (s.method, s.not_applicable) {
        (_, true) => "不适用".to_string(),
        _ if detail => "明细".to_string(),
        _ if matches!(s.weight_source, WeightSource::Parts { .. }) => "分项合计".to_string(),
        (Some(m), _) => {
            let mut name = view.policy.methods[m].name.clone();
            if let Some(pick) = &s.tier {
                let tier = &view.policy.tiers[pick.table].tiers[pick.tier];
                if let Some(n) = tier.name.as_ref().or(tier.label.as_ref()) {
                    name.push('·');
                    name.push_str(n);
                }
            }
            name
        }
        (None, _) => "—".to_string(),
    };
    let weight = match s.weight_source {
        WeightSource::Missing | WeightSource::Detail { .. } => "—".to_string(),
        _ => plain(s.weight),
    };
    vec![
        l1,
        l2,
        if detail { format!("  {}", clip(ind.name.trim(), 18)) } else { clip(ind.name.trim(), 20) },
        target,
        clip(ind.actual.text.trim(), 14),
        weight,
        match (s.score, s.not_applicable) {
            _ if detail || matches!(s.weight_source, WeightSource::Parts { .. }) => "—".into(),
            (_, true) => "—".into(),
            (Some(x), _) => view.fixed(x),
            (None, _) => "✗".into(),
        },
        s.claimed.map(plain).unwrap_or_else(|| "—".into()),
        s.difference.map(|d| view.signed(d)).unwrap_or_else(|| "—".into()),
        method,
        marks.join(" "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_counts_columns_not_bytes() {
        assert_eq!(clip("企业家沙龙活动", 8), "企业家…");
        assert_eq!(width("企业家…"), 7);
        assert_eq!(clip("abc", 8), "abc");
    }
}
