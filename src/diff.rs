//! Comparing two policies: what changed in the rules, and what that does to a corpus of sheets.
//!
//! Rules are compared through a canonical description of each resolved declaration, so layout,
//! comments and `extends` structure do not count as changes. Each indicator whose score moves
//! is attributed to the changed rules it depends on.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::eval::evaluate;
use crate::policy::{Band, Expr, FlagScope, Outcome, Policy};
use crate::report::{View, band_text, expr_text, plain};
use crate::sheet::Sheet;
use crate::words::{Direction, Lang};

/// One declaration, described line by line.
#[derive(Clone, Debug)]
struct Described {
    title: String,
    lines: Vec<String>,
}

/// How a declaration changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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
pub struct RuleChange {
    /// Stable key (`method 正向`, `tiers 执行率档次`, `grades`).
    pub key: String,
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
fn describe(p: &Policy, lang: Lang) -> IndexMap<String, Described> {
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
    out.insert("header".into(), Described { title: word("header", "政策信息"), lines: header });

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
            lines.push(l);
        }
    }
    out.insert("scheme".into(), Described { title: word("scheme", "指标体系"), lines });

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
        out.insert(
            format!("method {}", m.name),
            Described { title: format!("{} {}", word("method", "方法"), m.name), lines },
        );
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
        out.insert(
            format!("tiers {}", t.name),
            Described { title: format!("{} {}", word("tiers", "档次"), t.name), lines },
        );
    }

    let grades = p.grades.iter().map(|g| format!("{} {}", g.name, band(&g.band))).collect();
    out.insert("grades".into(), Described { title: word("grades", "等级"), lines: grades });

    let r = &p.rounding;
    let mut rounding = Vec::new();
    use crate::words::RoundTarget;
    for (target, spec) in
        [(RoundTarget::Score, r.score), (RoundTarget::Total, r.total), (RoundTarget::Rate, r.rate)]
    {
        if let Some(spec) = spec {
            rounding.push(format!(
                "{} {} {} {}",
                word("round", "舍入"),
                target.spelling(lang),
                spec.places,
                spec.mode.spelling(lang)
            ));
        }
    }
    out.insert("round".into(), Described { title: word("rounding", "舍入"), lines: rounding });
    out.insert(
        "inapplicable".into(),
        Described {
            title: word("inapplicable", "不适用"),
            lines: vec![p.inapplicable.spelling(lang).to_string()],
        },
    );
    if !p.audit.is_default() {
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
        out.insert("audit".into(), Described { title: word("audit", "审核"), lines });
    }
    for u in &p.units {
        out.insert(
            format!("unit {}", u.name),
            Described {
                title: format!("{} {}", word("unit", "单位"), u.name),
                lines: vec![format!("{} = {} {}", u.name, plain(u.factor), u.base)],
            },
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
        let message = match lang {
            Lang::En => f.message_en.as_ref().or(f.message.as_ref()),
            Lang::Zh => f.message.as_ref().or(f.message_en.as_ref()),
        };
        if let Some(m) = message {
            lines.push(format!("{} {m:?}", word("message", "提示语")));
        }
        out.insert(
            format!("flag {}", f.name),
            Described { title: format!("{} {}", word("flag", "提示"), f.name), lines },
        );
    }
    out
}

/// The declarations that differ between two policies, in the new policy's order.
pub fn rule_changes(old: &Policy, new: &Policy, lang: Lang) -> Vec<RuleChange> {
    let before = describe(old, lang);
    let after = describe(new, lang);
    let mut out = Vec::new();
    for (key, d) in &after {
        match before.get(key) {
            None => out.push(RuleChange {
                key: key.clone(),
                title: d.title.clone(),
                change: Change::Added,
                removed: Vec::new(),
                added: d.lines.clone(),
            }),
            Some(o) if o.lines != d.lines => {
                let removed = o.lines.iter().filter(|l| !d.lines.contains(l)).cloned().collect();
                let added = d.lines.iter().filter(|l| !o.lines.contains(l)).cloned().collect();
                out.push(RuleChange {
                    key: key.clone(),
                    title: d.title.clone(),
                    change: Change::Changed,
                    removed,
                    added,
                });
            }
            Some(_) => {}
        }
    }
    for (key, o) in &before {
        if !after.contains_key(key) {
            out.push(RuleChange {
                key: key.clone(),
                title: o.title.clone(),
                change: Change::Removed,
                removed: o.lines.clone(),
                added: Vec::new(),
            });
        }
    }
    out
}

/// One score that moved, and the rules responsible.
#[derive(Clone, Debug, Serialize)]
pub struct Move {
    /// What moved (`数量指标/10场企业家沙龙`, `预算执行率`).
    pub what: String,
    /// Old score (`None`: not scored).
    pub old: Option<Decimal>,
    /// New score.
    pub new: Option<Decimal>,
    /// The changed rules it depends on.
    pub because: Vec<String>,
}

/// What a rule change does to one sheet.
#[derive(Clone, Debug, Serialize)]
pub struct SheetImpact {
    /// The sheet's file name.
    pub sheet: String,
    /// The project name.
    pub project: String,
    /// Old total.
    pub old_total: Decimal,
    /// New total.
    pub new_total: Decimal,
    /// Old grade.
    pub old_grade: Option<String>,
    /// New grade.
    pub new_grade: Option<String>,
    /// Scores that moved.
    pub moves: Vec<Move>,
    /// Rules behind a change of total or grade beyond the moves above (caps, grade bands).
    pub total_because: Vec<String>,
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

/// How a rule change plays out over a corpus of sheets.
pub fn impact(
    old: &Policy,
    new: &Policy,
    changes: &[RuleChange],
    sheets: &[(String, Sheet)],
    lang: Lang,
) -> Vec<SheetImpact> {
    let changed: Vec<&str> = changes.iter().map(|c| c.key.as_str()).collect();
    let title = |key: &str| {
        changes.iter().find(|c| c.key == key).map(|c| c.title.clone()).unwrap_or_else(|| key.to_string())
    };
    sheets
        .iter()
        .map(|(name, sheet)| {
            let a = evaluate(old, sheet);
            let b = evaluate(new, sheet);
            let view_new = View { policy: new, sheet, score: &b, sheet_name: name, lang };
            let mut moves = Vec::new();
            for (x, y) in a.indicators.iter().zip(&b.indicators) {
                if x.score == y.score && x.error.is_none() == y.error.is_none() {
                    continue;
                }
                let mut because = Vec::new();
                let mo = x.method.map(|m| old.methods[m].name.as_str());
                let mn = y.method.map(|m| new.methods[m].name.as_str());
                if mo != mn {
                    because.push(format!("{} → {}", mo.unwrap_or("—"), mn.unwrap_or("—")));
                } else if let Some(m) = mn {
                    let key = format!("method {m}");
                    if changed.contains(&key.as_str()) {
                        because.push(title(&key));
                    }
                }
                if let Some(m) = y.method {
                    for t in tables_of(new, m, y.tier.map(|t| t.table)) {
                        let key = format!("tiers {t}");
                        if changed.contains(&key.as_str()) {
                            because.push(title(&key));
                        }
                    }
                }
                if x.weight != y.weight {
                    because.push(format!(
                        "{} {} → {} ({})",
                        if lang == Lang::Zh { "分值" } else { "weight" },
                        plain(x.weight),
                        plain(y.weight),
                        title("scheme")
                    ));
                }
                flag_reasons(old, new, &x.flags, &y.flags, &changed, &title, &mut because);
                if because.is_empty() && changed.contains(&"round") {
                    because.push(title("round"));
                }
                if because.is_empty() && changed.iter().any(|k| k.starts_with("unit ")) {
                    because.extend(changed.iter().filter(|k| k.starts_with("unit ")).map(|k| title(k)));
                }
                moves.push(Move { what: view_new.path(y), old: x.score, new: y.score, because });
            }
            if let (Some(x), Some(y)) = (&a.budget, &b.budget)
                && x.score != y.score
            {
                let mut because = Vec::new();
                if let Some(m) = y.method {
                    let key = format!("method {}", new.methods[m].name);
                    if changed.contains(&key.as_str()) {
                        because.push(title(&key));
                    }
                    for t in tables_of(new, m, None) {
                        let key = format!("tiers {t}");
                        if changed.contains(&key.as_str()) {
                            because.push(title(&key));
                        }
                    }
                }
                if x.weight != y.weight {
                    because.push(title("scheme"));
                }
                flag_reasons(old, new, &x.flags, &y.flags, &changed, &title, &mut because);
                let what =
                    new.scheme.budget.as_ref().map_or_else(|| "budget".to_string(), |b| b.label.clone());
                moves.push(Move { what, old: x.score, new: y.score, because });
            }
            let mut total_because = Vec::new();
            flag_reasons(old, new, &a.flags, &b.flags, &changed, &title, &mut total_because);
            if a.grade != b.grade && changed.contains(&"grades") {
                total_because.push(title("grades"));
            }
            if a.inapplicable_points > Decimal::ZERO && changed.contains(&"inapplicable") {
                total_because.push(title("inapplicable"));
            }
            if a.total != b.total
                && moves.is_empty()
                && total_because.is_empty()
                && changed.contains(&"round")
            {
                total_because.push(title("round"));
            }
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

/// Tier tables a method's result depends on: the one that placed the indicator, and every
/// table its clauses look up.
fn tables_of(p: &Policy, method: usize, placed: Option<usize>) -> Vec<String> {
    let mut ids: Vec<usize> = placed.into_iter().collect();
    for c in &p.methods[method].clauses {
        if let Some(cond) = &c.condition {
            lookups(p, cond, &mut ids);
        }
        match &c.outcome {
            Outcome::Expr(x) => lookups(p, x, &mut ids),
            Outcome::Tiers(t) => ids.push(*t),
        }
    }
    table_names(p, ids)
}

/// Tier tables a flag's condition, deduction and cap look up.
fn flag_tables(p: &Policy, flag: usize) -> Vec<String> {
    let mut ids = Vec::new();
    if let Some(f) = p.flags.get(flag) {
        for e in [&f.condition, &f.deduct, &f.cap].into_iter().flatten() {
            lookups(p, e, &mut ids);
        }
    }
    table_names(p, ids)
}

fn table_names(p: &Policy, mut ids: Vec<usize>) -> Vec<String> {
    ids.sort_unstable();
    ids.dedup();
    ids.iter().filter_map(|t| p.tiers.get(*t)).map(|t| t.name.clone()).collect()
}

/// Tables an expression looks up, and the tables their values look up in turn.
fn lookups(p: &Policy, e: &Expr, ids: &mut Vec<usize>) {
    match e {
        Expr::Lookup(t, x) => {
            if !ids.contains(t) {
                ids.push(*t);
                for tier in p.tiers.get(*t).map_or(&[][..], |t| &t.tiers) {
                    if let Some(v) = &tier.value {
                        lookups(p, v, ids);
                    }
                }
            }
            lookups(p, x, ids);
        }
        Expr::Neg(x) | Expr::Not(x) | Expr::Abs(x) => lookups(p, x, ids),
        Expr::Binary(_, a, b) => {
            lookups(p, a, ids);
            lookups(p, b, ids);
        }
        Expr::Min(xs) | Expr::Max(xs) => xs.iter().for_each(|x| lookups(p, x, ids)),
        _ => {}
    }
}

fn flag_reasons(
    old: &Policy,
    new: &Policy,
    a: &[crate::score::FiredFlag],
    b: &[crate::score::FiredFlag],
    changed: &[&str],
    title: &dyn Fn(&str) -> String,
    because: &mut Vec<String>,
) {
    let effect = |p: &Policy,
                  list: &[crate::score::FiredFlag]|
     -> Vec<(usize, String, Option<Decimal>, Option<Decimal>)> {
        list.iter().map(|f| (f.flag, p.flags[f.flag].name.clone(), f.deducted, f.capped_at)).collect()
    };
    let (ea, eb) = (effect(old, a), effect(new, b));
    let same =
        |list: &[(usize, String, Option<Decimal>, Option<Decimal>)],
         name: &str,
         d: Option<Decimal>,
         c: Option<Decimal>| { list.iter().any(|(_, n, x, y)| n == name && *x == d && *y == c) };
    let mut push = |key: String| {
        if changed.contains(&key.as_str()) {
            let t = title(&key);
            if !because.contains(&t) {
                because.push(t);
            }
        }
    };
    for (in_new, (index, name, d, c)) in ea.iter().map(|x| (false, x)).chain(eb.iter().map(|x| (true, x))) {
        if d.is_none() && c.is_none() || same(&ea, name, *d, *c) && same(&eb, name, *d, *c) {
            continue;
        }
        push(format!("flag {name}"));
        let policy = if in_new { new } else { old };
        for t in flag_tables(policy, *index) {
            push(format!("tiers {t}"));
        }
    }
}

/// Counts and the largest moves over a corpus.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Sheets compared.
    pub sheets: usize,
    /// Sheets whose total changed.
    pub total_changed: usize,
    /// Sheets whose grade changed.
    pub grade_changed: usize,
    /// The largest total moves, largest first (sheet, change).
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
