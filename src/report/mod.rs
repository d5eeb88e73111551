//! Rendering: score sheets as tables, JSON and explanations; diagnostics through ariadne.
//!
//! A [`View`] joins a score sheet with the sheet and policy it came from, so every renderer
//! speaks of names, formulas and messages rather than indices.

pub mod diagnostics;
pub mod json;
pub mod snapshot;
pub mod table;
pub mod xlsx;

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::ast::{BinaryOp, Span};
use crate::diagnostic::{Diagnostic, FileId, Message};
use crate::policy::{Expr, FlagRule, Location, Outcome, Policy};
use crate::score::*;
use crate::sheet::Sheet;
use crate::value::Quantity;
use crate::words::{AuditCheck, Lang, TakeRule, Var, Vocabulary};

/// A score sheet together with what it was computed from.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The policy.
    pub policy: &'a Policy,
    /// The sheet.
    pub sheet: &'a Sheet,
    /// The result.
    pub score: &'a ScoreSheet,
    /// The sheet's file name.
    pub sheet_name: &'a str,
    /// Language of messages.
    pub lang: Lang,
    /// The sheet's text as read (a workbook's transcript for a workbook), where the fields
    /// without a line of their own in the sheet (a row's categories, its name) are looked up;
    /// without it they are placed at their row's first line.
    pub text: Option<&'a SheetText<'a>>,
}

/// A sheet's text as read, its lines indexed, for finding the fields that have no line of
/// their own in the sheet.
#[derive(Clone, Debug)]
pub struct SheetText<'t> {
    text: &'t str,
    lines: crate::diagnostic::LineIndex,
}

impl<'t> SheetText<'t> {
    /// Index a sheet's text.
    pub fn new(text: &'t str) -> Self {
        SheetText { text, lines: crate::diagnostic::LineIndex::new(text) }
    }

    /// The text.
    pub fn as_str(&self) -> &'t str {
        self.text
    }

    /// The text of a 1-based line, without its break; empty past the end.
    fn line(&self, line: u32) -> &'t str {
        self.text.get(self.lines.line_range(line as usize, self.text.len())).unwrap_or("")
    }
}

/// Whether placing a score sheet's unscored rows needs the sheet's text: when some row's error
/// is about a field without a line of its own (a category, the name).
pub fn needs_text(score: &ScoreSheet) -> bool {
    score
        .indicators
        .iter()
        .any(|s| s.error.is_some() && matches!(error_cell(s).1, "level1" | "level2" | "name"))
}

/// A number with exactly `places` decimals, rounded half up (formatting alone would cut).
pub(crate) fn fixed(d: Decimal, places: u32) -> String {
    let rounded = d.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{:.*}", places as usize, rounded)
}

/// Format a number without trailing zeros.
pub(crate) fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Format a fraction as a percentage (`0.978` → `97.8%`).
pub(crate) fn percent(d: Decimal) -> String {
    PercentText(d).to_string()
}

/// Format a quantity (`7场`, `80%`).
pub(crate) fn quantity(q: &Quantity) -> String {
    QuantityText(q).to_string()
}

/// A fraction as a percentage ([`percent`]), written straight into a formatter.
pub(crate) struct PercentText(pub(crate) Decimal);

impl std::fmt::Display for PercentText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.checked_mul(Decimal::ONE_HUNDRED) {
            Some(p) => write!(f, "{}%", p.round_dp(2).normalize()),
            None => write!(f, "{} × 100%", self.0.normalize()),
        }
    }
}

/// A quantity as shown ([`quantity`]), written straight into a formatter.
pub(crate) struct QuantityText<'a>(pub(crate) &'a Quantity);

impl std::fmt::Display for QuantityText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = self.0;
        if q.unit == "%" {
            PercentText(q.value).fmt(f)
        } else {
            write!(f, "{}{}", q.value.normalize(), q.unit)
        }
    }
}

/// Format a date as written (`2023年10月`).
pub(crate) fn date(d: &crate::value::Date) -> String {
    d.to_string()
}

impl<'a> View<'a> {
    fn pick(&self, m: &Message) -> String {
        m.get(self.lang).to_string()
    }

    /// Decimal places scores are shown with.
    pub(crate) fn places(&self) -> u32 {
        self.policy.rounding.score.map_or(2, |r| r.places)
    }

    /// A score with the policy's places.
    pub(crate) fn fixed(&self, d: Decimal) -> String {
        fixed(d, self.places())
    }

    /// A total with the policy's total places (the score places when it sets none).
    pub(crate) fn fixed_total(&self, d: Decimal) -> String {
        let places = self.policy.rounding.total.map_or(self.places(), |r| r.places);
        fixed(d, places)
    }

    /// The execution rate: as scored, else from the sheet's amounts.
    pub(crate) fn rate(&self) -> Option<Decimal> {
        self.score.budget.as_ref().and_then(|b| b.rate).or_else(|| {
            let b = self.sheet.budget.as_ref()?;
            let (e, a) = (b.executed?, b.annual?);
            if a.is_zero() { None } else { e.checked_div(a) }
        })
    }

    /// A difference with its sign, `—` for zero.
    pub(crate) fn signed(&self, d: Decimal) -> String {
        if d.is_zero() {
            "0".to_string()
        } else if d > Decimal::ZERO {
            format!("+{}", self.fixed(d))
        } else {
            self.fixed(d)
        }
    }

    /// A scheme node's label.
    pub(crate) fn node(&self, id: usize) -> &'a str {
        self.policy.scheme.nodes.get(id).map_or("?", |n| n.label.as_str())
    }

    /// An indicator's level-2 category: the scheme's label, or the sheet's when the scheme has none.
    pub(crate) fn level2_label(&self, s: &IndicatorScore) -> String {
        match s.level2 {
            Some(n) => self.node(n).to_string(),
            None => crate::text::normalize_label(&self.sheet.indicators[s.position].level2),
        }
    }

    /// `二级指标/三级指标` for an indicator.
    pub fn path(&self, s: &IndicatorScore) -> String {
        let name = self.sheet.indicators[s.position].name.trim();
        // The scheme's label is borrowed; only a label the scheme does not know is normalised.
        let join =
            |level2: &str| if level2.is_empty() { name.to_string() } else { format!("{level2}/{name}") };
        match s.level2 {
            Some(n) => join(self.node(n)),
            None => join(&self.level2_label(s)),
        }
    }

    /// An operand as shown.
    pub(crate) fn operand(&self, o: &Operand) -> String {
        match o {
            Operand::Quantity(q) => quantity(q),
            Operand::Date(d) => date(d),
        }
    }

    /// The flag's message with its placeholders filled in.
    pub(crate) fn flag_message(&self, flag: &FlagRule, values: &dyn Fn(&str) -> Option<String>) -> String {
        let template = match self.lang {
            Lang::En => flag.message_en.as_ref().or(flag.message.as_ref()),
            Lang::Zh => flag.message.as_ref().or(flag.message_en.as_ref()),
        };
        let Some(template) = template else {
            return flag.label.clone().unwrap_or_else(|| flag.name.clone());
        };
        let mut out = String::new();
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    out.push_str(&values(name).unwrap_or_else(|| "—".to_string()));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn sheet_values(&self, name: &str) -> Option<String> {
        let var = Var::from_word(name)?;
        let money = |x: Option<Decimal>| x.map(|v| format!("{}{}", plain(v), self.sheet.project.money_unit));
        let b = self.sheet.budget.as_ref();
        match var {
            Var::Rate => self.rate().map(percent),
            Var::Executed => money(b.and_then(|b| b.executed)),
            Var::Annual => money(b.and_then(|b| b.annual)),
            Var::Initial => money(b.and_then(|b| b.initial)),
            _ => None,
        }
    }

    /// An indicator flag's message.
    pub fn indicator_flag(&self, s: &IndicatorScore, fired: &FiredFlag) -> String {
        let flag = &self.policy.flags[fired.flag];
        let ind = &self.sheet.indicators[s.position];
        self.flag_message(flag, &|name| match Var::from_word(name) {
            Some(Var::Actual) => {
                s.actual.as_ref().map(|o| self.operand(o)).or_else(|| Some(ind.actual.text.clone()))
            }
            Some(Var::Target) => {
                s.target.as_ref().map(|o| self.operand(o)).or_else(|| Some(ind.target.text.clone()))
            }
            Some(Var::Score) => fired.score.map(|d| self.fixed(d)),
            Some(Var::Claimed) => s.claimed.map(plain),
            Some(Var::Weight | Var::Full) => Some(plain(s.weight)),
            Some(_) => self.sheet_values(name),
            None if name == "name" || name == "名称" => Some(ind.name.clone()),
            None => None,
        })
    }

    /// Why a flag on a group or the total cannot be checked yet: the rows still unscored and
    /// the range the score can take.
    fn undetermined(&self, group: Option<&GroupScore>, claimed: Option<Decimal>) -> String {
        let open: Vec<String> = self
            .score
            .indicators
            .iter()
            .filter(|s| s.error.is_some() && !s.not_applicable && group.is_none_or(|g| self.in_group(s, g)))
            .map(|s| format!("`{}`", self.path(s)))
            .collect();
        let budget_open = group.is_none() && self.score.budget.as_ref().is_some_and(|b| b.error.is_some());
        let mut rows = open.clone();
        if budget_open {
            rows.insert(
                0,
                format!(
                    "`{}`",
                    self.policy.scheme.budget.as_ref().map_or("预算执行率", |b| b.label.as_str())
                ),
            );
        }
        let shown = rows.iter().take(3).cloned().collect::<Vec<_>>();
        let more = rows.len().saturating_sub(3);
        let (list_en, list_zh) = if more > 0 {
            (
                format!("{} and {more} more", shown.join(", ")),
                format!("{} 等 {} 项", shown.join("、"), rows.len()),
            )
        } else {
            (shown.join(", "), shown.join("、"))
        };
        let range = match group {
            Some(g) => g.high.map(|h| (self.fixed(g.score), self.fixed(h))),
            None => self.score.total_range.map(|(l, h)| (self.fixed_total(l), self.fixed_total(h))),
        };
        let Some((lo, hi)) = range else {
            return self
                .lang
                .pick("cannot be checked until every row is scored", "须待各行均能计分后才能核对")
                .to_string();
        };
        let inside = claimed.filter(|c| {
            let (l, h) = match group {
                Some(g) => (g.score, g.high.unwrap_or(g.score)),
                None => self.score.total_range.unwrap_or((self.score.total, self.score.total)),
            };
            l <= *c && *c <= h
        });
        match (self.lang, inside) {
            (Lang::En, Some(c)) => format!(
                "cannot be checked until {list_en} can be scored: the claimed {} lies within the possible {lo}–{hi}",
                plain(c)
            ),
            (Lang::En, None) => format!(
                "cannot be checked until {list_en} can be scored: it depends on their scores (possible {lo}–{hi})"
            ),
            (Lang::Zh, Some(c)) => {
                format!("须待 {list_zh} 能够计分后才能核对：自评 {} 在可能的 {lo}–{hi} 之间", plain(c))
            }
            (Lang::Zh, None) => {
                format!("须待 {list_zh} 能够计分后才能核对：结果取决于其得分（可能为 {lo}–{hi}）")
            }
        }
    }

    /// An audit check's title: the policy's, else its own.
    pub(crate) fn audit_title(&self, check: AuditCheck) -> String {
        if let Some(t) = self.policy.audit.title(check) {
            return t.to_string();
        }
        let (en, zh) = match check {
            AuditCheck::PrintedSum => ("printed scores do not add up", "得分合计与总分不符"),
            AuditCheck::GroupPoints => ("group points differ from its rows", "分组分值与所含指标不符"),
            AuditCheck::WeightsTotal => ("weights do not add up to the total", "分值合计与总分不符"),
            AuditCheck::ClaimOverWeight => ("claim above its weight", "自评得分超过分值"),
            AuditCheck::PrintedGrade => {
                ("printed grade does not match the printed total", "自评等级与自评总分不符")
            }
            AuditCheck::GradeDiffers => {
                ("printed grade differs from the computed one", "自评等级与计算等级不符")
            }
            AuditCheck::UnscoredClaim => ("claim on a row that cannot be scored", "无法计分的行填有自评得分"),
            AuditCheck::BudgetNotInScheme => {
                ("budget execution is not scored by these rules", "本规则不单独计预算执行得分")
            }
        };
        self.lang.pick(en, zh).to_string()
    }

    /// What an audit finding is about, in words.
    fn audit_place(&self, place: AuditPlace) -> String {
        match place {
            AuditPlace::Sheet => self.lang.pick("the table", "本表").to_string(),
            AuditPlace::Budget => {
                self.policy.scheme.budget.as_ref().map_or("预算执行率", |b| b.label.as_str()).to_string()
            }
            AuditPlace::Group { index } => {
                self.score.groups.get(index).map(|g| self.group_label(g)).unwrap_or_default()
            }
            AuditPlace::Row { position } => {
                self.score.indicators.get(position).map(|s| self.path(s)).unwrap_or_default()
            }
        }
    }

    /// An audit finding: `⚖ title: message`.
    pub fn audit_line(&self, f: &AuditFinding) -> String {
        let place = self.audit_place(f.place);
        let grade = |g: &Option<String>| g.clone().unwrap_or_else(|| "—".into());
        let m = match (&f.values, f.check) {
            (AuditValues::Sum { printed, sum }, AuditCheck::PrintedSum) => Message::new(
                format!(
                    "the printed scores add up to {}, the printed total is {}",
                    plain(*sum),
                    plain(*printed)
                ),
                format!("表中各项得分合计 {}，自评总分为 {}", plain(*sum), plain(*printed)),
            ),
            (AuditValues::Sum { printed, sum }, AuditCheck::WeightsTotal) => Message::new(
                format!(
                    "the printed weights add up to {}, the policy's total is {}",
                    plain(*sum),
                    plain(*printed)
                ),
                format!("表中各项分值合计 {}，政策总分为 {}", plain(*sum), plain(*printed)),
            ),
            (AuditValues::Sum { printed, sum }, _) => Message::new(
                format!(
                    "`{place}` prints {} points, its rows' weights add up to {}",
                    plain(*printed),
                    plain(*sum)
                ),
                format!("`{place}` 分值为 {}，所含各项分值合计 {}", plain(*printed), plain(*sum)),
            ),
            (AuditValues::OverWeight { claimed, weight }, _) => Message::new(
                format!("`{place}` claims {} of {} points", plain(*claimed), plain(*weight)),
                format!("`{place}` 自评 {} 分，超过分值 {}", plain(*claimed), plain(*weight)),
            ),
            (AuditValues::Grade { printed, expected, total }, AuditCheck::PrintedGrade) => Message::new(
                format!(
                    "the printed grade `{printed}` is not the grade of the printed total {}, which is `{}`",
                    plain(*total),
                    grade(expected)
                ),
                format!(
                    "自评等级 `{printed}` 与自评总分 {} 对应的等级 `{}` 不符",
                    plain(*total),
                    grade(expected)
                ),
            ),
            (AuditValues::Grade { printed, expected, total }, _) => Message::new(
                format!(
                    "the printed grade `{printed}` differs from the computed `{}` (total {})",
                    grade(expected),
                    self.fixed_total(*total)
                ),
                format!(
                    "自评等级 `{printed}` 与计算等级 `{}`（总分 {}）不符",
                    grade(expected),
                    self.fixed_total(*total)
                ),
            ),
            (AuditValues::NotInScheme { weight, claimed }, _) => {
                let shown = |x: &Option<Decimal>| x.map_or_else(|| "—".to_string(), plain);
                Message::new(
                    format!(
                        "the table prints budget execution with 分值 {} and 得分 {}, but the scheme of these rules has no budget item: neither is counted in the total, which is the sum of the scheme's categories",
                        shown(weight),
                        shown(claimed)
                    ),
                    format!(
                        "表中预算执行分值 {}、得分 {}，但本规则的指标体系没有预算执行项：二者均不计入总分，总分为指标体系各项之和",
                        shown(weight),
                        shown(claimed)
                    ),
                )
            }
            (AuditValues::Unscored { claimed }, _) => Message::new(
                format!(
                    "`{place}` claims {}, but it cannot be scored, so the claim cannot be checked",
                    plain(*claimed)
                ),
                format!("`{place}` 自评 {} 分，但无法计分，自评得分无法核对", plain(*claimed)),
            ),
        };
        format!("⚖ {}{}{}", self.audit_title(f.check), self.lang.pick(": ", "："), self.pick(&m))
    }

    /// A group flag's message.
    pub fn group_flag(&self, g: &GroupScore, fired: &FiredFlag) -> String {
        if fired.undetermined {
            return self.undetermined(Some(g), g.claimed);
        }
        let flag = &self.policy.flags[fired.flag];
        self.flag_message(flag, &|name| match Var::from_word(name) {
            Some(Var::Score) => match (fired.score, g.high) {
                (Some(d), Some(h)) if d == g.score => Some(format!("{}–{}", self.fixed(d), self.fixed(h))),
                (d, _) => d.map(|d| self.fixed(d)),
            },
            Some(Var::Claimed) => g.claimed.map(plain),
            Some(Var::Weight | Var::Full) => Some(plain(g.weight)),
            Some(Var::Points) => g.points.map(plain),
            Some(_) => self.sheet_values(name),
            None if name == "name" || name == "名称" => Some(self.group_label(g)),
            None => None,
        })
    }

    /// The budget flag's message.
    pub fn budget_flag(&self, b: &BudgetScore, fired: &FiredFlag) -> String {
        let flag = &self.policy.flags[fired.flag];
        self.flag_message(flag, &|name| match Var::from_word(name) {
            Some(Var::Score) => fired.score.map(|d| self.fixed(d)),
            Some(Var::Claimed) => b.claimed.map(plain),
            Some(Var::Weight | Var::Full) => Some(plain(b.weight)),
            Some(_) => self.sheet_values(name),
            None if name == "name" || name == "名称" => {
                self.policy.scheme.budget.as_ref().map(|x| x.label.clone())
            }
            None => None,
        })
    }

    /// A sheet flag's message.
    pub fn sheet_flag(&self, fired: &FiredFlag) -> String {
        if fired.undetermined {
            return self.undetermined(None, self.score.claimed_total);
        }
        let flag = &self.policy.flags[fired.flag];
        self.flag_message(flag, &|name| match Var::from_word(name) {
            Some(Var::Score | Var::Total) => match (fired.score, self.score.total_range) {
                (Some(d), Some((l, h))) if d == l => {
                    Some(format!("{}–{}", self.fixed_total(l), self.fixed_total(h)))
                }
                (d, _) => d.map(|d| self.fixed_total(d)),
            },
            Some(Var::Claimed) => self.score.claimed_total.map(plain),
            Some(Var::Weight | Var::Full | Var::Points) => Some(plain(self.policy.scheme.total)),
            Some(_) => self.sheet_values(name),
            None if name == "name" || name == "名称" => Some(self.sheet.project.name.clone()),
            None => None,
        })
    }

    /// Whether an indicator belongs to a level-2 group.
    pub(crate) fn in_group(&self, s: &IndicatorScore, g: &GroupScore) -> bool {
        if s.level1 != Some(g.level1) {
            return false;
        }
        match (g.level2, &g.unmatched) {
            (Some(n), _) => s.level2 == Some(n),
            (None, Some(label)) => s.level2.is_none() && self.sheet.indicators[s.position].level2 == *label,
            (None, None) => true,
        }
    }

    /// A group's level-2 label, if it is a level-2 group.
    pub(crate) fn group_level2(&self, g: &GroupScore) -> Option<String> {
        match (g.level2, &g.unmatched) {
            (Some(n), _) => Some(self.node(n).to_string()),
            (None, Some(u)) => Some(crate::text::normalize_label(u)),
            (None, None) => None,
        }
    }

    /// `一级/二级` label of a group.
    pub(crate) fn group_label(&self, g: &GroupScore) -> String {
        let l1 = self.node(g.level1);
        match self.group_level2(g) {
            Some(l2) => format!("{l1}/{l2}"),
            None => l1.to_string(),
        }
    }

    /// A note, in words.
    pub fn note(&self, s: Option<&IndicatorScore>, note: &Note) -> String {
        let ind = s.map(|s| &self.sheet.indicators[s.position]);
        let m = match note {
            Note::TargetFromName => {
                let t = s.and_then(|s| s.target.as_ref()).map(|o| self.operand(o)).unwrap_or_default();
                Message::new(
                    format!("the target column is empty; target ≥{t} read from the indicator name"),
                    format!("指标值栏为空，按指标名称读作 ≥{t}"),
                )
            }
            Note::Summed { cell, parts } => {
                let listed: Vec<String> = parts.iter().map(quantity).collect();
                let sum = Quantity {
                    value: crate::num::sum(parts.iter().map(|p| p.value)),
                    unit: parts.first().map(|p| p.unit.clone()).unwrap_or_default(),
                };
                let (en, zh) = cell_names(*cell);
                Message::new(
                    format!(
                        "the {en} lists several amounts, read as {} = {}",
                        listed.join(" + "),
                        quantity(&sum)
                    ),
                    format!("{zh}列有多个数量，按 {} = {} 计", listed.join(" + "), quantity(&sum)),
                )
            }
            Note::WordsIgnored { cell } => {
                let (en, zh) = cell_names(*cell);
                let text =
                    ind.map(|i| {
                        if *cell == CellName::Target { i.target.text.trim() } else { i.actual.text.trim() }
                    })
                    .unwrap_or("");
                Message::new(
                    format!("only the numbers of the {en} `{text}` were used"),
                    format!("{zh} `{text}` 只取其中的数字"),
                )
            }
            Note::ActualComparisonIgnored => {
                let text = ind.map(|i| i.actual.text.trim()).unwrap_or("");
                Message::new(
                    format!("the actual `{text}` carries a comparison; its number was used"),
                    format!("实际完成值 `{text}` 带有比较词，按其数值计"),
                )
            }
            Note::ActualDefaulted => {
                let method =
                    s.and_then(|s| s.method).map(|m| self.policy.methods[m].name.as_str()).unwrap_or("?");
                let a = s.and_then(|s| s.actual.as_ref()).map(|o| self.operand(o)).unwrap_or_default();
                Message::new(
                    format!("the actual is empty; method `{method}` uses its default {a}"),
                    format!("实际完成值为空，按方法 `{method}` 的缺省值 {a} 计"),
                )
            }
            Note::ActualNoneIsZero => {
                let text = ind.map(|i| i.actual.text.trim()).unwrap_or("");
                Message::new(
                    format!("the actual `{text}` says none happened; read as 0"),
                    format!("实际完成值 `{text}` 表示未发生，按 0 计"),
                )
            }
            Note::UnitAdopted { unit } => Message::new(
                format!("one side had no unit; both read in `{unit}`"),
                format!("一方未写单位，按 `{unit}` 计"),
            ),
            Note::RatioAsPercent | Note::NumberAsPercent => {
                // The side written without a unit, and the percentage it was read as.
                let bare_actual = ind.is_some_and(|i| matches!(&i.actual.reading, crate::value::Reading::Number { quantity, .. } if quantity.unit.is_empty()));
                let (text, used) = match (ind, s) {
                    (Some(i), Some(s)) if bare_actual => {
                        (i.actual.text.trim().to_string(), s.actual.as_ref())
                    }
                    (Some(i), Some(s)) => (i.target.text.trim().to_string(), s.target.as_ref()),
                    _ => (String::new(), None),
                };
                let used = used.map(|o| self.operand(o)).unwrap_or_default();
                let (how_en, how_zh) = if matches!(note, Note::RatioAsPercent) {
                    ("a ratio", "比率")
                } else {
                    ("a percentage", "百分数")
                };
                Message::new(
                    format!("`{text}` has no unit; read as {how_en}: {used}"),
                    format!("`{text}` 未写单位，按{how_zh}计：{used}"),
                )
            }
            Note::TargetMaybeMisread { read_as } => {
                let t = ind.map(|i| i.target.text.trim()).unwrap_or("");
                Message::new(
                    format!(
                        "the target `{t}` is scored as written; if its `2` is a misread `≥` (`{read_as}`), the target is met: check the printed table"
                    ),
                    format!(
                        "指标值 `{t}` 按所写计分；若开头的 `2` 是误识别的 `≥`（`{read_as}`），则已完成：请核对原表"
                    ),
                )
            }
            Note::DottedActualAsNumber => {
                let a = ind.map(|i| i.actual.text.trim()).unwrap_or("");
                Message::new(
                    format!(
                        "the actual `{a}` could be a year and month; against a number target it is read as the number {a}"
                    ),
                    format!("实际完成值 `{a}` 形似年月；指标值为数值，按数值 {a} 计"),
                )
            }
            Note::TraditionalUnit { written, unit } => Message::new(
                format!("the unit `{written}` (traditional characters) was read as `{unit}`"),
                format!("单位 `{written}`（繁体字）按 `{unit}` 计"),
            ),
            Note::UnitsConverted => {
                msg_pair("units converted by the policy's `unit` rules", "已按政策的单位规则换算")
            }
            Note::ClaimOutsideTier { claimed } => {
                let c = plain(*claimed);
                Message::new(
                    format!(
                        "the claimed {c} lies outside the tier's band; the tier's value was taken instead"
                    ),
                    format!("自评得分 {c} 不在所定档次区间内，改取档次规定值"),
                )
            }
            Note::Adjusted { points } => {
                let reason = ind.and_then(|i| i.adjustment()).map(|a| a.reason.clone()).unwrap_or_default();
                let p = plain(*points);
                Message::new(format!("manual adjustment {p}: {reason}"), format!("人工调整 {p}：{reason}"))
            }
            Note::PrintedRateDiffers { printed } => {
                let p = percent(*printed);
                let r = self.score.budget.as_ref().and_then(|b| b.rate).map(percent).unwrap_or_default();
                // Some tables divide by the initial budget (年初预算数): say so when that is it.
                let of_initial = self
                    .sheet
                    .budget
                    .as_ref()
                    .and_then(|b| b.executed?.checked_div(b.initial.filter(|i| !i.is_zero())?))
                    .is_some_and(|x| x.round_dp(printed.scale().max(2)) == *printed);
                let (en, zh) = if of_initial {
                    (
                        "; it is the executed amount over the initial budget (年初预算数)",
                        "；该值为执行数 ÷ 年初预算数",
                    )
                } else {
                    ("", "")
                };
                Message::new(
                    format!("the printed execution rate {p} disagrees with the amounts, which give {r}{en}"),
                    format!("表中执行率 {p} 与金额计算的 {r} 不一致{zh}"),
                )
            }
            Note::PrintedWeightDiffers { printed } => {
                let (p, w) = (
                    plain(*printed),
                    self.policy.scheme.budget.as_ref().map(|b| plain(b.points)).unwrap_or_default(),
                );
                Message::new(
                    format!(
                        "the table prints {p} points for budget execution; the scheme gives {w}, which is used"
                    ),
                    format!("表中预算执行分值为 {p}，按指标体系规定的 {w} 分计"),
                )
            }
            Note::StrictTargetEdge => {
                let t = ind.map(|i| i.target.text.trim()).unwrap_or("");
                Message::new(
                    format!(
                        "the target `{t}` is strict and the actual equals it; the method compares with ≥ or ≤, so it counts as met"
                    ),
                    format!("指标值 `{t}` 为严格比较，实际恰好等于指标值；计分方法按 ≥ 或 ≤ 比较，视为达到"),
                )
            }
            Note::DateWithinMonth => msg_pair(
                "the actual gives only the month, and the deadline falls in that month: counted as on time",
                "实际完成时间只写到月，指标时间在该月内：视为按时完成",
            ),
            Note::DateWithinYear => msg_pair(
                "the actual gives only the year, and the deadline falls in that year: compared at the year and counted as on time — check the date it was done",
                "实际完成时间只写到年，指标时间在该年内：按年比较，视为按时完成——请核实实际完成日期",
            ),
            Note::MoneyUnitAdopted { unit } => Message::new(
                format!("the number without a unit is read in the sheet's money unit `{unit}`"),
                format!("未写单位的数值按自评表的金额单位 `{unit}` 计"),
            ),
            Note::CostCeiling => msg_pair(
                "a cost target written `=` is read as a ceiling (≤)",
                "成本指标写作“=”的，按上限（≤）理解",
            ),
            Note::PlaceholderName => {
                let n = ind.map(|i| i.name.trim()).unwrap_or("");
                let shown = if n.is_empty() { "(empty)" } else { n };
                let shown_zh = if n.is_empty() { "（空）" } else { n };
                Message::new(
                    format!(
                        "the row's name `{shown}` is missing or a template placeholder, but the row has values; it is scored — give it its indicator name"
                    ),
                    format!(
                        "该行指标名称 `{shown_zh}` 缺失或为模板占位，但该行填有数据，已照常计分；请补填三级指标名称"
                    ),
                )
            }
            Note::Read { cell, message } => {
                Message::new(format!("{cell}: {}", message.en), format!("{cell}：{}", message.zh))
            }
            Note::Level1Inferred { level2, level1 } => Message::new(
                format!(
                    "no level-1 category is printed; `{level2}` belongs only to `{level1}`, which is used"
                ),
                format!("未填一级指标；`{level2}` 只属于 `{level1}`，按其计分"),
            ),
            Note::LabelMatched { written, label } => Message::new(
                format!("the label `{written}` was read as `{label}`"),
                format!("标签 `{written}` 按 `{label}` 读取"),
            ),
            Note::PoolExhausted => msg_pair(
                "the rows with their own weights already use all of the group's points",
                "已单独给分值的指标用尽了分组分值",
            ),
        };
        self.pick(&m)
    }

    /// An error, in words, with its help.
    pub fn error(&self, e: &EvalError) -> String {
        let mut text = self.pick(&e.message());
        if let Some(h) = e.help() {
            text.push_str(self.lang.pick("; ", "；"));
            text.push_str(&self.pick(&h));
        }
        text
    }

    /// Where a sheet cell is, for error messages: `file:line`.
    pub fn cell_location(&self, s: &IndicatorScore) -> String {
        let Some(ind) = self.sheet.indicators.get(s.position) else { return self.sheet_name.to_string() };
        let (line, field) = self.error_line(s, ind, self.text);
        let workbook_cell = self.sheet.origin.as_ref().and_then(|o| {
            o.cell(line).or_else(|| o.cell(ind.line)).map(|c| format!("{}: {c}", self.sheet_name))
        });
        workbook_cell.unwrap_or_else(|| format!("{}:{line} indicators[{}].{field}", self.sheet_name, ind.row))
    }

    /// Whether a row shares its line with another (rows written one to a line, a JSON Lines
    /// sheet), so that its keys cannot be told apart by line. Rows sharing a line are neighbours.
    fn shares_line(&self, position: usize) -> bool {
        let rows = &self.sheet.indicators;
        let Some(line) = rows.get(position).map(|i| i.line) else { return false };
        let same = |p: Option<usize>| p.and_then(|p| rows.get(p)).is_some_and(|i| i.line == line);
        same(position.checked_sub(1)) || same(position.checked_add(1))
    }

    /// The line and field an unscored row's error is about. A field without a line of its own
    /// (a category, the name) is looked up in `text` among the lines of its row, before the
    /// next row begins; without the text, or when its key is not found, it is the row's line.
    fn error_line(
        &self,
        s: &IndicatorScore,
        ind: &crate::sheet::Indicator,
        text: Option<&SheetText<'_>>,
    ) -> (u32, &'static str) {
        let (line, field) = error_cell(s);
        let line = line(ind);
        let Some(text) = text else { return (line, field) };
        if line != ind.line || self.shares_line(s.position) {
            return (line, field);
        }
        let next = self.sheet.indicators.get(s.position + 1).map(|n| n.line).filter(|&n| n > line);
        let quoted = format!("\"{field}\"");
        let found = (line..next.unwrap_or(line + 40)).take(40).find(|&l| {
            let b = text.line(l).trim_start();
            b.contains(&quoted) || b.strip_prefix(field).is_some_and(|r| r.trim_start().starts_with('='))
        });
        (found.unwrap_or(line), field)
    }

    /// The budget block and each row that could not be scored as a diagnostic pointing into the
    /// sheet: at the line
    /// of the cell at fault in `file` (the sheet's text as read, or a workbook's transcript),
    /// with the workbook cell named in a note when the sheet came from one.
    pub fn row_diagnostics(&self, file: FileId, text: &str) -> Vec<Diagnostic> {
        let sheet_text = SheetText::new(text);
        let lines = &sheet_text.lines;
        // The field's own key on `line`, to the end of the line (`actual = "…"`, or `"actual": "…"`
        // among other keys of a JSON line); the whole line when the key is not on it.
        let key_span = |line: u32, field: &str, alone: bool| {
            let range = lines.line_range(line as usize, text.len());
            let (start, body) = (range.start, text.get(range).unwrap_or(""));
            let quoted = format!("\"{field}\"");
            let indent = body.len() - body.trim_start().len();
            let lead = if alone { body.find(&quoted).unwrap_or(indent) } else { indent };
            let end = body.trim_end().trim_end_matches(',').len().max(lead);
            Span::new(start + lead, start + end)
        };
        let mut out = Vec::new();
        // The budget block, when it could not be scored: at the amount at fault (the annual
        // budget or the executed amount when the rate cannot be worked out), else at the block's own
        // line.
        if let (Some(e), Some(budget)) =
            (self.score.budget.as_ref().and_then(|b| b.error.as_ref()), self.sheet.budget.as_ref())
        {
            let field = match e {
                EvalError::NoAnnualBudget => "annual",
                EvalError::NoExecuted => "executed",
                _ => "budget",
            };
            let until = self.sheet.indicators.first().map(|i| i.line).filter(|&l| l > budget.line);
            let quoted = format!("\"{field}\"");
            let line = (budget.line..until.unwrap_or(budget.line + 40))
                .take(40)
                .find(|&l| {
                    let b = sheet_text.line(l).trim_start();
                    b.contains(&quoted)
                        || b.strip_prefix(field).is_some_and(|r| r.trim_start().starts_with('='))
                })
                .unwrap_or(budget.line);
            let label = self.policy.scheme.budget.as_ref().map_or("预算执行率", |b| b.label.as_str());
            let key = if field == "budget" { "budget".to_string() } else { format!("budget.{field}") };
            let mut d = Diagnostic::error(
                e.code(),
                file,
                key_span(line, field, true),
                Message::new(format!("{label}: {}", e.message().en), format!("{label}：{}", e.message().zh)),
            )
            .with_label(Message::new(format!("`{key}`"), format!("`{key}`")));
            if let Some(h) = e.help() {
                d = d.with_help(h);
            }
            if let Some(cell) = self.sheet.origin.as_ref().and_then(|o| o.cell(line)) {
                d = d
                    .with_note(Message::new(format!("workbook cell {cell}"), format!("工作簿单元格 {cell}")));
            }
            out.push(d);
        }
        for s in &self.score.indicators {
            let (Some(e), Some(ind)) = (&s.error, self.sheet.indicators.get(s.position)) else { continue };
            let (line, field) = self.error_line(s, ind, Some(&sheet_text));
            let alone = !self.shares_line(s.position);
            let path = self.path(s);
            let mut d = Diagnostic::error(
                e.code(),
                file,
                key_span(line, field, alone),
                Message::new(format!("{path}: {}", e.message().en), format!("{path}：{}", e.message().zh)),
            )
            .with_label(Message::new(
                format!("`indicators[{}].{field}`", ind.row),
                format!("`indicators[{}].{field}`", ind.row),
            ));
            if let Some(h) = e.help() {
                d = d.with_help(h);
            }
            if let Some(cell) =
                self.sheet.origin.as_ref().and_then(|o| o.cell(line).or_else(|| o.cell(ind.line)))
            {
                d = d
                    .with_note(Message::new(format!("workbook cell {cell}"), format!("工作簿单元格 {cell}")));
            }
            out.push(d);
        }
        out
    }

    /// Render a rule expression with values substituted.
    pub(crate) fn formula(&self, e: &Expr, values: &dyn Fn(Var) -> Option<String>) -> String {
        render(self.policy, e, values, 0, self.lang)
    }

    /// The conditions that made a clause apply, as the trace records them: the negation of each
    /// condition the evaluator tested and found false on the way, then the clause's own.
    pub(crate) fn reason(
        &self,
        method: usize,
        trace: &[Step],
        values: &dyn Fn(Var) -> Option<String>,
    ) -> Option<String> {
        let m = self.policy.methods.get(method)?;
        let applied = trace.iter().find_map(|s| match s {
            Step::Applied { clause, .. } => Some(*clause),
            _ => None,
        })?;
        let mut parts: Vec<String> = trace
            .iter()
            .filter_map(|s| match s {
                Step::Passed { clause } => m.clauses.get(*clause)?.condition.as_ref(),
                _ => None,
            })
            .map(|cond| match cond {
                Expr::Binary(op, a, b) if let Some(neg) = op.negated() => {
                    self.formula(&Expr::Binary(neg, a.clone(), b.clone()), values)
                }
                other => format!("{} ({})", self.lang.pick("not", "非"), self.formula(other, values)),
            })
            .collect();
        if let Some(cond) = &m.clauses.get(applied)?.condition {
            parts.push(self.formula(cond, values));
        }
        if parts.is_empty() { None } else { Some(parts.join(self.lang.pick(", ", "，"))) }
    }

    /// One sentence on how an indicator's score came about.
    pub fn explain(&self, s: &IndicatorScore) -> String {
        let path = self.path(s);
        let sep = self.lang.pick(": ", "：");
        if s.not_applicable {
            return format!(
                "{path}{sep}{}",
                self.lang.pick("not applicable; left out of the total", "不适用，不计入总分")
            );
        }
        if let Some(e) = &s.error {
            return format!("{path}{sep}{} ({})", self.error(e), self.cell_location(s));
        }
        if let WeightSource::Parts { first, last } = s.weight_source {
            let parts = self.score.indicators.get(first..=last).unwrap_or_default();
            let names: Vec<&str> = parts
                .iter()
                .filter_map(|p| self.sheet.indicators.get(p.position))
                .map(|i| i.name.trim())
                .collect();
            let sum = parts.iter().map(|p| p.score).collect::<Option<Vec<_>>>().map(crate::num::sum);
            let (sum_en, sum_zh) = match sum {
                Some(x) => {
                    (format!("; they score {}", self.fixed(x)), format!("；其合计得分 {}", self.fixed(x)))
                }
                None => (String::new(), String::new()),
            };
            return format!(
                "{path}{sep}{}",
                match self.lang {
                    Lang::En => format!(
                        "its {} points are shared by `{}` below, which are scored instead{sum_en}: shown, not scored itself, and counted once",
                        plain(s.weight),
                        names.join("`, `")
                    ),
                    Lang::Zh => format!(
                        "其 {} 分由下方 `{}` 分项计分{sum_zh}：本行仅列示，不另计分，分值只计一次",
                        plain(s.weight),
                        names.join("`、`")
                    ),
                }
            );
        }
        if let WeightSource::Detail { parent } = s.weight_source {
            let of = self.sheet.indicators.get(parent).map_or("", |i| i.name.trim());
            return format!(
                "{path}{sep}{}",
                match self.lang {
                    Lang::En => format!(
                        "a detail of `{of}` with no weight of its own: shown, not scored, and given no share of the group's points"
                    ),
                    Lang::Zh =>
                        format!("`{of}` 的明细（其中）行，本身无分值：仅列示，不计分，也不分配分组分值"),
                }
            );
        }
        if s.method.is_none()
            && s.score.is_some()
            && self.sheet.indicators.get(s.position).is_some_and(crate::eval::is_empty_template)
        {
            return format!(
                "{path}{sep}{}",
                self.lang.pick(
                    "a template row with 0 points and no target or actual: 0",
                    "模板空行，分值为 0，无指标值和实际完成值：0 分"
                )
            );
        }
        let (Some(method_id), Some(clause_id), Some(score)) = (s.method, s.clause, s.score) else {
            return format!("{path}{sep}—");
        };
        let method = &self.policy.methods[method_id];
        let clause = &method.clauses[clause_id];
        let ind = &self.sheet.indicators[s.position];
        let with_units = |v: Var| -> Option<String> {
            match v {
                Var::Actual => s.actual.as_ref().map(|o| self.operand(o)),
                Var::Target => s.target.as_ref().map(|o| self.operand(o)),
                _ => self.value(v, Some(s.weight)),
            }
        };
        let bare = |v: Var| -> Option<String> {
            match v {
                Var::Actual => s.actual.as_ref().map(|o| self.bare(o)),
                Var::Target => s.target.as_ref().map(|o| self.bare(o)),
                _ => self.value(v, Some(s.weight)),
            }
        };
        let mut text = format!("{path}{sep}");
        if let Some(why) = self.reason(method_id, &s.trace, &with_units) {
            text.push_str(&why);
            text.push_str(" → ");
        }
        match (&clause.outcome, &s.tier) {
            (Outcome::Tiers(_), Some(pick)) => {
                let table = &self.policy.tiers[pick.table];
                let tier = &table.tiers[pick.tier];
                let tier_name = tier.label.clone().or_else(|| tier.name.clone()).unwrap_or_default();
                let how = match pick.chosen_by {
                    TierChoice::Sheet => self.lang.pick("tier given in the sheet", "档次由自评表指定"),
                    TierChoice::MatchesTarget => {
                        self.lang.pick("actual matches the target", "实际与目标一致")
                    }
                    TierChoice::Word => self.lang.pick("actual matches the tier's words", "实际符合该档描述"),
                };
                let value =
                    tier.value.as_ref().map(|v| expr_text(self.policy, v, self.lang)).unwrap_or_default();
                let taken = match pick.taken {
                    TakeRule::Top => self.lang.pick("top of the band", "取上限").to_string(),
                    TakeRule::Bottom => self.lang.pick("bottom of the band", "取下限").to_string(),
                    TakeRule::Middle => self.lang.pick("middle of the band", "取中值").to_string(),
                    TakeRule::Value => self
                        .lang
                        .pick(&format!("the tier's value {value}"), &format!("取该档的规定值 {value}"))
                        .to_string(),
                    TakeRule::Claimed => self
                        .lang
                        .pick("the claimed score, which lies in the band", "取自评得分（在档内）")
                        .to_string(),
                };
                let band = band_text(&tier.band);
                let _ = write!(
                    text,
                    "`{}` ({how}) → {tier_name} {band} × {} → {taken} = {}",
                    ind.actual.text.trim(),
                    plain(s.weight),
                    self.fixed(score)
                );
            }
            (Outcome::Expr(e), _) => {
                let computed = s.computed.unwrap_or(score);
                let shown = self.shown(computed);
                text.push_str(&self.outcome(e, &bare, &shown));
                if s.capped {
                    text.push_str(&self.held(computed, s.weight));
                }
                let adjusted = self.adjustments(s);
                if !adjusted.is_empty() {
                    text.push_str(&adjusted);
                }
                if self.fixed(s.unrounded.unwrap_or(computed)) != shown || s.capped || !adjusted.is_empty() {
                    let _ = write!(text, " → {}", self.fixed(score));
                }
            }
            _ => text.push_str(&self.fixed(score)),
        }
        let name = method.label.as_deref().unwrap_or(&method.name);
        self.source_note(&mut text, name, clause.location);
        text
    }

    /// ` (method, file:line)` in the reader's punctuation, written onto `out`.
    fn source_note(&self, out: &mut String, name: &str, at: Location) {
        let file = self.policy.file_of(at);
        let _ = match self.lang {
            Lang::En => write!(out, " ({name}, {file}:{})", at.line),
            Lang::Zh => write!(out, "（{name}，{file}:{}）", at.line),
        };
    }

    /// A computed value as the policy rounds it, or to 4 places when it needs more.
    fn shown(&self, computed: Decimal) -> String {
        if computed.round_dp(self.places()) == computed {
            self.fixed(computed)
        } else {
            computed.round_dp(4).normalize().to_string()
        }
    }

    /// A clause's formula with its numbers and result: `4 × 7 / 10 = 2.80`, `full marks 4.00`.
    fn outcome(&self, e: &Expr, values: &dyn Fn(Var) -> Option<String>, shown: &str) -> String {
        match e {
            Expr::Var(Var::Full | Var::Weight) => format!("{} {shown}", self.lang.pick("full marks", "满分")),
            Expr::Num(..) => shown.to_string(),
            _ => format!("{} = {shown}", self.formula(e, values)),
        }
    }

    /// ` → capped at 10` or ` → raised to 0`: how capping held a score within [0, weight].
    fn held(&self, computed: Decimal, weight: Decimal) -> String {
        if computed < Decimal::ZERO {
            format!(" → {} 0", self.lang.pick("raised to", "不低于"))
        } else {
            format!(" → {} {}", self.lang.pick("capped at", "封顶为"), plain(weight))
        }
    }

    /// A parenthetical in the reader's punctuation.
    fn aside(&self, text: &str) -> String {
        match self.lang {
            Lang::En => format!(" ({text})"),
            Lang::Zh => format!("（{text}）"),
        }
    }

    /// What changed a score after its method: a manual adjustment, flag deductions and caps
    /// (` +1 (manual adjustment) − 2 (超额扣分)`).
    fn adjustments(&self, s: &IndicatorScore) -> String {
        let mut out = String::new();
        for n in &s.notes {
            if let Note::Adjusted { points } = n {
                let sign = if *points >= Decimal::ZERO { "+" } else { "−" };
                let what = self.lang.pick("manual adjustment", "人工调整");
                let _ = write!(out, " {sign} {}{}", plain(points.abs()), self.aside(what));
            }
        }
        for f in &s.flags {
            let name = &self.policy.flags[f.flag].name;
            if let Some(d) = f.deducted {
                let _ = write!(out, " − {}{}", plain(d), self.aside(name));
            }
            if let Some(c) = f.capped_at {
                let _ = write!(out, " ≤ {}{}", plain(c), self.aside(name));
            }
        }
        out
    }

    /// The budget block's sentence.
    pub fn explain_budget(&self) -> Option<String> {
        let b = self.score.budget.as_ref()?;
        let label = self.policy.scheme.budget.as_ref().map_or("预算执行率", |x| x.label.as_str());
        let sep = self.lang.pick(": ", "：");
        if let Some(e) = &b.error {
            return Some(format!("{label}{sep}{}", self.error(e)));
        }
        let (Some(m), Some(c), Some(score)) = (b.method, b.clause, b.score) else { return None };
        let method = &self.policy.methods[m];
        let clause = &method.clauses[c];
        let values = |v: Var| self.value(v, Some(b.weight));
        let mut text = format!("{label}{sep}");
        if let (Some(e), Some(a)) = (
            self.sheet.budget.as_ref().and_then(|x| x.executed),
            self.sheet.budget.as_ref().and_then(|x| x.annual),
        ) {
            let rate = b.rate.map(percent).unwrap_or_default();
            let _ = write!(
                text,
                "{} {} / {} = {rate}{}",
                self.lang.pick("rate", "执行率"),
                plain(e),
                plain(a),
                self.lang.pick("; ", "；")
            );
        }
        if let Some(why) = self.reason(m, &b.trace, &values) {
            text.push_str(&why);
            text.push_str(" → ");
        }
        let computed = b.computed.unwrap_or(score);
        let shown = self.shown(computed);
        if let Outcome::Expr(e) = &clause.outcome {
            text.push_str(&self.outcome(e, &values, &shown));
        }
        if b.capped {
            text.push_str(&self.held(computed, b.weight));
        }
        if self.fixed(b.unrounded.unwrap_or(computed)) != shown || b.capped {
            let _ = write!(text, " → {}", self.fixed(score));
        }
        let name = method.label.as_deref().unwrap_or(&method.name);
        self.source_note(&mut text, name, clause.location);
        Some(text)
    }

    fn bare(&self, o: &Operand) -> String {
        match o {
            Operand::Quantity(q) if q.unit == "%" => percent(q.value),
            Operand::Quantity(q) => plain(q.value),
            Operand::Date(d) => date(d),
        }
    }

    /// Sheet-wide values for formulas.
    fn value(&self, v: Var, weight: Option<Decimal>) -> Option<String> {
        let b = self.sheet.budget.as_ref();
        let factor = self.sheet.project.money_factor;
        let yuan = |x: Option<Decimal>| x.map(|v| plain(v * factor));
        match v {
            Var::Weight | Var::Full => weight.map(plain),
            Var::Rate => self.rate().map(percent),
            Var::Executed => yuan(b.and_then(|b| b.executed)),
            Var::Annual => yuan(b.and_then(|b| b.annual)),
            Var::Initial => yuan(b.and_then(|b| b.initial)),
            _ => None,
        }
    }
}

fn msg_pair(en: &str, zh: &str) -> Message {
    Message::new(en, zh)
}

fn cell_names(cell: CellName) -> (&'static str, &'static str) {
    match cell {
        CellName::Target => ("target", "指标值"),
        CellName::Actual => ("actual", "实际完成值"),
    }
}

/// `[80%, 100%]`
pub(crate) fn band_text(b: &crate::policy::Band) -> String {
    let lo = match b.low {
        Some((v, inc)) => format!("{}{}", if inc { "[" } else { "(" }, percent(v)),
        None => "(−∞".to_string(),
    };
    let hi = match b.high {
        Some((v, inc)) => format!("{}{}", percent(v), if inc { "]" } else { ")" }),
        None => "+∞)".to_string(),
    };
    format!("{lo}, {hi}")
}

/// An expression as text, with value names in `lang`.
pub(crate) fn expr_text(policy: &Policy, e: &Expr, lang: Lang) -> String {
    render(policy, e, &|_| None, 0, lang)
}

fn render(
    policy: &Policy,
    e: &Expr,
    values: &dyn Fn(Var) -> Option<String>,
    parent: u8,
    lang: Lang,
) -> String {
    let prec = e.precedence();
    let text = match e {
        Expr::Num(n, true) => percent(*n),
        Expr::Num(n, false) => plain(*n),
        Expr::Var(v) => values(*v).unwrap_or_else(|| v.spelling(lang).to_string()),
        Expr::Given(v) => format!("{}({})", crate::words::Func::Given.spelling(lang), v.spelling(lang)),
        Expr::Neg(x) => format!("-{}", render(policy, x, values, prec, lang)),
        Expr::Not(x) => format!("{} {}", lang.pick("not", "非"), render(policy, x, values, prec, lang)),
        Expr::Abs(x) => format!("|{}|", render(policy, x, values, 0, lang)),
        Expr::Rounded(x, p) => format!(
            "{}({}, {})",
            crate::words::Func::Rounded.spelling(lang),
            render(policy, x, values, 0, lang),
            render(policy, p, values, 0, lang)
        ),
        Expr::Places(v) => format!("{}({})", crate::words::Func::Places.spelling(lang), v.spelling(lang)),
        Expr::Min(xs) | Expr::Max(xs) => {
            let f = if matches!(e, Expr::Min(_)) { crate::words::Func::Min } else { crate::words::Func::Max };
            let args: Vec<String> = xs.iter().map(|x| render(policy, x, values, 0, lang)).collect();
            format!("{}({})", f.spelling(lang), args.join(", "))
        }
        Expr::Lookup(t, x) => format!(
            "{}({}, {})",
            crate::words::Func::Lookup.spelling(lang),
            policy.tiers.get(*t).map_or("?", |t| t.name.as_str()),
            render(policy, x, values, 0, lang)
        ),
        Expr::Binary(op, a, b) => {
            let word = match op {
                BinaryOp::And => lang.pick("and", "且").to_string(),
                BinaryOp::Or => lang.pick("or", "或").to_string(),
                other => other.symbol().to_string(),
            };
            // Left-associative: the right side needs parentheses at equal precedence.
            format!(
                "{} {word} {}",
                render(policy, a, values, prec, lang),
                render(policy, b, values, prec + 1, lang)
            )
        }
    };
    if prec < parent { format!("({text})") } else { text }
}

/// The sheet line and field an unscored row's error is about.
fn error_cell(s: &IndicatorScore) -> (fn(&crate::sheet::Indicator) -> u32, &'static str) {
    match &s.error {
        Some(EvalError::UnreadableActual { .. } | EvalError::EmptyActual | EvalError::TierUndetermined) => {
            (|i| i.actual.line, "actual")
        }
        Some(EvalError::UnknownTier { .. }) => (|i| i.tier_line, "tier"),
        Some(EvalError::UnreadableTarget | EvalError::RangeTarget) => (|i| i.target.line, "target"),
        Some(EvalError::UnitMismatch { .. }) => (|i| i.actual.line, "actual"),
        Some(EvalError::UnknownCategory { level: 1, .. }) => (|i| i.line, "level1"),
        Some(EvalError::UnknownCategory { .. }) => (|i| i.line, "level2"),
        Some(EvalError::NoWeight) => (|i| i.weight_line, "weight"),
        _ => (|i| i.line, "name"),
    }
}
