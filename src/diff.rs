//! Comparing two policies: what changed in the rules, and what that does to a corpus of sheets.
//!
//! Declarations are matched by their identity ([`Decl`]: kind and name) and compared through a
//! canonical description of each resolved declaration, written with English keywords whatever
//! language the report is in, so layout, comments, line numbers, keyword language and `extends`
//! structure do not count as changes. A score that moves is attributed to the changed
//! declarations it used: the method and tier tables that scored it, the flags that deducted or
//! capped it, the rounding, unit and scheme rules it went through.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::decl::Decl;
use crate::eval::evaluate;
use crate::policy::{Band, Expr, FlagScope, Outcome, Policy};
use crate::report::{View, band_text, expr_text, plain};
use crate::sheet::Sheet;
use crate::words::{Direction, Lang, RoundTarget};

/// One declaration, described line by line. The lines of one declaration correspond one to one
/// across languages, so a change found in the English description can be shown in Chinese.
#[derive(Clone, Debug)]
struct Described {
    lines: Vec<String>,
}

/// How a declaration changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// Only in the new policy.
    Added,
    /// Only in the old policy.
    Removed,
    /// In both, described differently.
    Changed,
}

/// A changed declaration.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct RuleChange {
    /// Which declaration, written as a stable key (`method 正向`, `tiers 执行率档次`, `grades`).
    #[serde(rename = "key")]
    pub decl: Decl,
    /// The declaration in the reader's language.
    pub title: String,
    /// Added, removed or changed.
    pub change: Change,
    /// Lines only in the old policy.
    pub removed: Vec<String>,
    /// Lines only in the new policy.
    pub added: Vec<String>,
}

fn band(b: &Option<Band>) -> String {
    b.as_ref().map_or_else(|| "—".to_string(), band_plain)
}

fn band_plain(b: &Band) -> String {
    let lo =
        b.low.map_or("(−∞".to_string(), |(v, i)| format!("{}{}", if i { "[" } else { "(" }, plain(v)));
    let hi =
        b.high.map_or("+∞)".to_string(), |(v, i)| format!("{}{}", plain(v), if i { "]" } else { ")" }));
    format!("{lo}, {hi}")
}

fn direction_word(d: Direction, lang: Lang) -> &'static str {
    match d {
        Direction::Higher => "≥",
        Direction::Lower => "≤",
        Direction::Equal => "=",
        other => other.spelling(lang),
    }
}

/// Every declaration of a policy as lines of text, keyed for comparison.
fn describe(p: &Policy, lang: Lang) -> IndexMap<Decl, Described> {
    let mut out = IndexMap::new();
    let zh = lang == Lang::Zh;
    let word = |en: &str, cn: &str| if zh { cn.to_string() } else { en.to_string() };
    let e = |x: &Expr| expr_text(p, x, lang);
    let mut header = vec![
        format!("{} {:?}", word("policy", "政策"), p.name),
        format!("{} {:?}", word("jurisdiction", "地区"), p.jurisdiction),
        format!("{} {}", word("year", "年度"), p.year),
    ];
    if let Some(b) = &p.basis {
        header.push(format!("{} {b:?}", word("basis", "依据")));
    }
    out.insert(Decl::Header, Described { lines: header });

    let s = &p.scheme;
    let mut lines = vec![format!("{} {}", word("total", "总分"), plain(s.total))];
    if let Some(b) = &s.budget {
        lines.push(format!("{} {:?} {}", word("budget", "预算执行"), b.label, plain(b.points)));
    }
    let split = |r: crate::policy::SplitRule| {
        if r.integers { word(" split equally integers", " 分配 平均 取整") } else { String::new() }
    };
    for &root in &s.roots {
        let n = &s.nodes[root];
        lines.push(
            format!("{:?} {}{}", n.label, n.points.map(plain).unwrap_or_default(), split(n.split))
                .trim_end()
                .to_string(),
        );
        for &c in &n.children {
            let child = &s.nodes[c];
            let mut l = format!("  {:?}", child.label);
            if let Some(pts) = child.points {
                l.push_str(&format!(" {}", plain(pts)));
            }
            if !child.aliases.is_empty() {
                l.push_str(&format!(
                    " {} {}",
                    word("alias", "又名"),
                    child.aliases.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(", ")
                ));
            }
            if child.ceiling {
                l.push_str(&format!(" {}", word("ceiling", "限额")));
            }
            lines.push(l);
        }
    }
    out.insert(Decl::Scheme, Described { lines });

    for (id, m) in p.methods.iter().enumerate() {
        let mut lines = Vec::new();
        let mut any: Vec<&str> = Direction::ALL
            .iter()
            .filter(|d| p.selection.any[crate::policy::direction_index(**d)] == Some(id))
            .map(|d| direction_word(*d, lang))
            .collect();
        if p.selection.budget == Some(id) {
            any.push(if zh { "预算执行" } else { "budget" });
        }
        if !any.is_empty() {
            lines.push(format!("{} {}", word("for", "适用"), any.join(", ")));
        }
        for (n, row) in p.selection.by_node.iter().enumerate() {
            let dirs: Vec<&str> = Direction::ALL
                .iter()
                .filter(|d| row[crate::policy::direction_index(**d)] == Some(id))
                .map(|d| direction_word(*d, lang))
                .collect();
            if dirs.len() == Direction::ALL.len() {
                lines.push(format!("{} {:?}", word("for", "适用"), s.nodes[n].label));
            } else if !dirs.is_empty() {
                lines.push(format!("{} {:?} {}", word("for", "适用"), s.nodes[n].label, dirs.join(", ")));
            }
        }
        if !m.capped {
            lines.push(word("uncapped", "不封顶"));
        }
        if let Some(d) = &m.default_actual {
            lines.push(format!("{} {} = {}", word("default", "缺省"), word("actual", "实际"), e(d)));
        }
        for c in &m.clauses {
            let outcome = match &c.outcome {
                Outcome::Expr(x) => e(x),
                Outcome::Tiers(t) => format!("{} {}", word("tiers", "档次"), p.tiers[*t].name),
            };
            lines.push(match &c.condition {
                Some(cond) => format!("{} {} => {outcome}", word("when", "当"), e(cond)),
                None => format!("{} => {outcome}", word("else", "否则")),
            });
        }
        out.insert(Decl::Method(m.name.clone()), Described { lines });
    }

    for t in &p.tiers {
        let mut lines = Vec::new();
        for tier in &t.tiers {
            let mut l = String::new();
            if let Some(n) = &tier.name {
                l.push_str(n);
                l.push(' ');
            }
            l.push_str(&band_text(&tier.band));
            if let Some(v) = &tier.value {
                l.push_str(&format!(" => {}", e(v)));
            }
            if tier.matches_target || !tier.words.is_empty() {
                let mut words: Vec<String> = Vec::new();
                if tier.matches_target {
                    words.push(word("target", "目标"));
                }
                words.extend(tier.words.iter().map(|w| format!("{w:?}")));
                l.push_str(&format!(" {} {}", word("words", "词语"), words.join(", ")));
            }
            lines.push(l);
        }
        lines.push(format!("{} {:?} / {:?}", word("take", "取值"), t.take, t.fallback));
        out.insert(Decl::Tiers(t.name.clone()), Described { lines });
    }

    let grades = p.grades.iter().map(|g| format!("{} {}", g.name, band(&g.band))).collect();
    out.insert(Decl::Grades, Described { lines: grades });

    let r = &p.rounding;
    for (target, spec) in
        [(RoundTarget::Score, r.score), (RoundTarget::Total, r.total), (RoundTarget::Rate, r.rate)]
    {
        if let Some(spec) = spec {
            let line = format!("{} {}", spec.places, spec.mode.spelling(lang));
            out.insert(Decl::Round(Some(target)), Described { lines: vec![line] });
        }
    }
    out.insert(Decl::Inapplicable, Described { lines: vec![p.inapplicable.spelling(lang).to_string()] });
    if !p.audit.is_default() {
        let word = |en: &'static str, zh: &'static str| if lang == Lang::Zh { zh } else { en };
        let mut lines: Vec<String> = p
            .audit
            .off
            .iter()
            .map(|c| format!("{} {} {}", word("audit", "审核"), c.spelling(lang), word("off", "关闭")))
            .collect();
        lines.extend(
            p.audit
                .titles
                .iter()
                .map(|(c, t)| format!("{} {} {t:?}", word("audit", "审核"), c.spelling(lang))),
        );
        out.insert(Decl::Audit, Described { lines });
    }
    for u in &p.units {
        out.insert(
            Decl::unit(&u.name),
            Described { lines: vec![format!("{} = {} {}", u.name, plain(u.factor), u.base)] },
        );
    }
    for f in &p.flags {
        let mut lines = Vec::new();
        let scope = match &f.scope {
            FlagScope::Sheet => word("for sheet", "适用 全表"),
            FlagScope::Group => word("for group", "适用 指标组"),
            FlagScope::Budget => word("for budget", "适用 预算执行"),
            FlagScope::Indicators(sel) if sel.is_empty() => String::new(),
            FlagScope::Indicators(sel) => {
                let parts: Vec<String> = sel
                    .iter()
                    .map(|x| {
                        let node = x.node.map(|n| format!("{:?}", s.nodes[n].label)).unwrap_or_default();
                        let dir =
                            x.direction.map(|d| direction_word(d, lang).to_string()).unwrap_or_default();
                        format!("{node} {dir}").trim().to_string()
                    })
                    .collect();
                format!("{} {}", word("for", "适用"), parts.join(", "))
            }
        };
        if !scope.is_empty() {
            lines.push(scope);
        }
        if let Some(c) = &f.condition {
            lines.push(format!("{} {}", word("when", "当"), e(c)));
        }
        if let Some(d) = &f.deduct {
            lines.push(format!("{} {}", word("deduct", "扣分"), e(d)));
        }
        if let Some(c) = &f.cap {
            lines.push(format!("{} {}", word("cap", "封顶"), e(c)));
        }
        // Both messages, so the lines correspond across languages and either text's change counts.
        if let Some(m) = &f.message {
            lines.push(format!("{} {m:?}", word("message", "提示语")));
        }
        if let Some(m) = &f.message_en {
            lines.push(format!("{} {m:?}", word("message (English)", "提示语（英文）")));
        }
        out.insert(Decl::Flag(f.name.clone()), Described { lines });
    }
    out
}

/// The declarations that differ between two policies, in the new policy's order. Whether a
/// declaration changed does not depend on `lang`; only the titles and lines shown do.
pub fn rule_changes(old: &Policy, new: &Policy, lang: Lang) -> Vec<RuleChange> {
    let (before, after) = (describe(old, Lang::En), describe(new, Lang::En));
    // In English the canonical description is also the one shown.
    let (shown_before, shown_after) = match lang {
        Lang::En => (None, None),
        _ => (Some(describe(old, lang)), Some(describe(new, lang))),
    };
    let shown =
        |map: &Option<IndexMap<Decl, Described>>, decl: &Decl, canonical: &[String], pick: &[usize]| {
            let lines = map.as_ref().and_then(|m| m.get(decl)).map_or(canonical, |d| d.lines.as_slice());
            pick.iter().filter_map(|&i| lines.get(i).cloned()).collect::<Vec<_>>()
        };
    let all = |d: &Described| (0..d.lines.len()).collect::<Vec<_>>();
    let mut out = Vec::new();
    for (decl, d) in &after {
        let change = match before.get(decl) {
            None => RuleChange {
                decl: decl.clone(),
                title: decl.title(lang),
                change: Change::Added,
                removed: Vec::new(),
                added: shown(&shown_after, decl, &d.lines, &all(d)),
            },
            Some(o) if o.lines != d.lines => {
                let gone: Vec<usize> =
                    (0..o.lines.len()).filter(|&i| !d.lines.contains(&o.lines[i])).collect();
                let came: Vec<usize> =
                    (0..d.lines.len()).filter(|&i| !o.lines.contains(&d.lines[i])).collect();
                RuleChange {
                    decl: decl.clone(),
                    title: decl.title(lang),
                    change: Change::Changed,
                    removed: shown(&shown_before, decl, &o.lines, &gone),
                    added: shown(&shown_after, decl, &d.lines, &came),
                }
            }
            Some(_) => continue,
        };
        out.push(change);
    }
    for (decl, o) in &before {
        if !after.contains_key(decl) {
            out.push(RuleChange {
                decl: decl.clone(),
                title: decl.title(lang),
                change: Change::Removed,
                removed: shown(&shown_before, decl, &o.lines, &all(o)),
                added: Vec::new(),
            });
        }
    }
    out
}

/// One score that moved, and the rules responsible.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Move {
    /// What moved (`数量指标/10场企业家沙龙`, `预算执行率`).
    pub what: String,
    /// Old score (`None`: not scored).
    #[serde(serialize_with = "crate::report::json::exact")]
    pub old: Option<Decimal>,
    /// New score.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub new: Option<Decimal>,
    /// The changed declarations it used, under either policy.
    pub because: Vec<Decl>,
}

/// What a rule change does to one sheet.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SheetImpact {
    /// The sheet's file name.
    pub sheet: String,
    /// The project name.
    pub project: String,
    /// Old total.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub old_total: Decimal,
    /// New total.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub new_total: Decimal,
    /// Old grade.
    pub old_grade: Option<String>,
    /// New grade.
    pub new_grade: Option<String>,
    /// Scores that moved.
    pub moves: Vec<Move>,
    /// Changed declarations behind a change of total or grade beyond the moves above (sheet
    /// flags, grade bands, rescaling, total rounding).
    pub total_because: Vec<Decl>,
}

impl SheetImpact {
    /// Whether anything changed for this sheet.
    pub fn changed(&self) -> bool {
        self.old_total != self.new_total || self.old_grade != self.new_grade || !self.moves.is_empty()
    }

    /// `new_total − old_total`.
    pub fn delta(&self) -> Decimal {
        crate::num::sub(self.new_total, self.old_total)
    }
}

/// The changed declarations among those a result used under either policy, in the order of
/// `changes`. `weights_differ` adds the scheme: the sheet is the same, so a new weight came from it.
fn blame(changes: &[RuleChange], old: &[Decl], new: &[Decl], weights_differ: bool) -> Vec<Decl> {
    changes
        .iter()
        .map(|c| &c.decl)
        .filter(|d| old.contains(d) || new.contains(d) || (weights_differ && **d == Decl::Scheme))
        .cloned()
        .collect()
}

/// The changed declarations behind a sheet's total and grade: sheet flags that adjusted it, the
/// grade bands when the grade moved, rescaling when rows were not applicable, total rounding.
fn total_uses(p: &Policy, s: &crate::score::ScoreSheet, grade_moved: bool) -> Vec<Decl> {
    let mut used = Vec::new();
    for f in s.flags.iter().filter(|f| f.deducted.is_some() || f.capped_at.is_some()) {
        if let Some(rule) = p.flags.get(f.flag) {
            used.push(Decl::Flag(rule.name.clone()));
        }
    }
    if grade_moved {
        used.push(Decl::Grades);
    }
    if s.inapplicable_points > Decimal::ZERO {
        used.push(Decl::Inapplicable);
    }
    if p.rounding.total.is_some() {
        used.push(Decl::Round(Some(RoundTarget::Total)));
    }
    used
}

/// How a rule change plays out over a corpus of sheets.
pub fn impact(
    old: &Policy,
    new: &Policy,
    changes: &[RuleChange],
    sheets: &[(String, Sheet)],
    lang: Lang,
) -> Vec<SheetImpact> {
    sheets
        .iter()
        .map(|(name, sheet)| {
            let a = evaluate(old, sheet);
            let b = evaluate(new, sheet);
            let view_new = View { policy: new, sheet, score: &b, sheet_name: name, lang, text: None };
            let mut moves = Vec::new();
            for (x, y) in a.indicators.iter().zip(&b.indicators) {
                if x.score == y.score && x.error.is_none() == y.error.is_none() {
                    continue;
                }
                let because = blame(changes, &x.used(old), &y.used(new), x.weight != y.weight);
                moves.push(Move { what: view_new.path(y), old: x.score, new: y.score, because });
            }
            if let (Some(x), Some(y)) = (&a.budget, &b.budget)
                && x.score != y.score
            {
                let because = blame(changes, &x.used(old), &y.used(new), x.weight != y.weight);
                let what =
                    new.scheme.budget.as_ref().map_or_else(|| "budget".to_string(), |b| b.label.clone());
                moves.push(Move { what, old: x.score, new: y.score, because });
            }
            let grade_moved = a.grade != b.grade;
            let mut total_because =
                blame(changes, &total_uses(old, &a, grade_moved), &total_uses(new, &b, grade_moved), false);
            // Total rounding is named only when nothing above explains a moved total.
            let explained = moves.iter().any(|m| !m.because.is_empty());
            total_because.retain(|d| {
                *d != Decl::Round(Some(RoundTarget::Total)) || (a.total != b.total && !explained)
            });
            SheetImpact {
                sheet: name.clone(),
                project: sheet.project.name.trim().to_string(),
                old_total: a.total,
                new_total: b.total,
                old_grade: a.grade.clone(),
                new_grade: b.grade.clone(),
                moves,
                total_because,
            }
        })
        .collect()
}

/// Counts and the largest moves over a corpus.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Sheets compared.
    pub sheets: usize,
    /// Sheets whose total changed.
    pub total_changed: usize,
    /// Sheets whose grade changed.
    pub grade_changed: usize,
    /// The largest total moves, largest first (sheet, change).
    #[serde(serialize_with = "crate::report::json::exact")]
    pub largest: Vec<(String, Decimal)>,
}

/// Summarise an impact.
pub fn summarize(impacts: &[SheetImpact]) -> Summary {
    let mut largest: Vec<(String, Decimal)> =
        impacts.iter().filter(|i| i.old_total != i.new_total).map(|i| (i.sheet.clone(), i.delta())).collect();
    largest.sort_by(|x, y| y.1.abs().cmp(&x.1.abs()).then_with(|| x.0.cmp(&y.0)));
    largest.truncate(5);
    Summary {
        sheets: impacts.len(),
        total_changed: impacts.iter().filter(|i| i.old_total != i.new_total).count(),
        grade_changed: impacts.iter().filter(|i| i.old_grade != i.new_grade).count(),
        largest,
    }
}
