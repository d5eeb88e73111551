//! The policy file as written, before any checking.
//!
//! Every node keeps the byte span it came from, but [`Span`] compares equal to every other span,
//! so two files that say the same thing in different words (English or Chinese keywords, other
//! spacing, other comments) give equal trees. `Display` prints a tree as compact S-expressions
//! for tests and debugging.

use std::fmt;

use rust_decimal::Decimal;

use crate::words::{
    AuditCheck, AuditSwitch, Func, InapplicableMode, RoundMode, RoundTarget, Subject, TakeRule, Var,
};

/// A byte range in one source file. Spans compare by value; comparisons that mean to ignore
/// where things were written say so (the canonical text of [`PolicyFile`]'s `Display`, or the
/// structural identity of declarations).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The byte range, for slicing or for a renderer.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A quoted string.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The text without quotes, escapes resolved.
    pub value: String,
    /// Where it was written, quotes included.
    pub span: Span,
}

/// A name chosen by the author: a method, a tier table, a flag.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A number literal; a percentage is stored divided by 100 (`95%` is `0.95`).
#[derive(Clone, Debug, PartialEq)]
pub struct Num {
    /// The value (a fraction for percentages).
    pub value: Decimal,
    /// Whether it was written with `%`.
    pub percent: bool,
    /// Where it was written.
    pub span: Span,
}

/// A whole number (a year, a count of decimal places).
#[derive(Clone, Debug, PartialEq)]
pub struct Int {
    /// The value.
    pub value: u32,
    /// Where it was written.
    pub span: Span,
}

/// A word with a fixed meaning (a direction, a rounding mode…). An unknown word is kept so the
/// checker can report it with a suggestion.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Word<T> {
    /// A word the vocabulary knows, in either language.
    Known(T, Span),
    /// A word it does not know.
    Unknown(Ident),
}

impl<T: Copy> Word<T> {
    /// The meaning, if the word is known.
    pub fn known(&self) -> Option<T> {
        match self {
            Word::Known(t, _) => Some(*t),
            Word::Unknown(_) => None,
        }
    }

    /// Where the word was written.
    pub fn span(&self) -> Span {
        match self {
            Word::Known(_, span) => *span,
            Word::Unknown(ident) => ident.span,
        }
    }
}

/// A whole policy file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PolicyFile {
    /// Its items in order.
    pub items: Vec<Item>,
}

/// One top-level item.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// `///` lines before it.
    pub docs: Vec<String>,
    /// Written with `override` in front.
    pub overrides: bool,
    /// What it declares.
    pub kind: ItemKind,
    /// The whole item.
    pub span: Span,
}

/// What a top-level item declares.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ItemKind {
    /// `policy "…"`
    PolicyName(Text),
    /// `jurisdiction "…"`
    Jurisdiction(Text),
    /// `year 2020`
    Year(Int),
    /// `basis "…"`
    Basis(Text),
    /// `extends "…"`
    Extends(Text),
    /// `scheme total 100 { … }`
    Scheme(Scheme),
    /// `method … { … }`
    Method(Method),
    /// `tiers … { … }`
    Tiers(Tiers),
    /// `grades { … }`
    Grades(Grades),
    /// `round …`
    Round(Rounding),
    /// `unit "…" = …`
    Unit(UnitDecl),
    /// `inapplicable rescale`
    Inapplicable(Word<InapplicableMode>),
    /// `audit printed_sum off`, `audit claim_over_weight "…"`
    Audit(Audit),
    /// `flag … { … }`
    Flag(Flag),
    /// `remove method …`
    Remove(Remove),
}

/// `audit CHECK off` or `audit CHECK "title"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Audit {
    /// Which built-in check.
    pub check: Word<AuditCheck>,
    /// What to do with it.
    pub action: AuditAction,
}

/// What an `audit` line does.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AuditAction {
    /// `off`: switch the check off.
    Switch(Word<AuditSwitch>),
    /// `"title"`: show the check under this title.
    Rename(Text),
}

/// The indicator tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Scheme {
    /// `total 100`, if written.
    pub total: Option<Num>,
    /// The budget-execution entry, if any (several are an error the checker reports).
    pub budgets: Vec<BudgetEntry>,
    /// Level-1 categories.
    pub nodes: Vec<Node>,
    /// Scheme-wide `split` rules.
    pub splits: Vec<Split>,
    /// The whole declaration.
    pub span: Span,
}

/// `budget "预算执行率" 10`
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetEntry {
    /// `///` lines before it.
    pub docs: Vec<String>,
    /// The label real tables use.
    pub label: Text,
    /// Its points.
    pub points: Num,
    /// Other labels that mean the same.
    pub aliases: Vec<Text>,
    /// The whole entry.
    pub span: Span,
}

/// A category in the scheme (level 1 or level 2).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// `///` lines before it.
    pub docs: Vec<String>,
    /// The label real tables use.
    pub label: Text,
    /// Its points, if the scheme fixes them.
    pub points: Option<Num>,
    /// Other labels that mean the same.
    pub aliases: Vec<Text>,
    /// Written with `ceiling`: targets written `=` are ceilings (a cost category).
    pub ceiling: bool,
    /// Sub-categories.
    pub children: Vec<Node>,
    /// `split` rules for this category.
    pub splits: Vec<Split>,
    /// The whole entry.
    pub span: Span,
}

/// `split equally [integers]`
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// How points are shared (`equally`).
    pub mode: Word<crate::words::SplitMode>,
    /// Written with `integers`: whole-number shares.
    pub integers: bool,
    /// The whole rule.
    pub span: Span,
}

/// A named scoring method.
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    /// Its name.
    pub name: Ident,
    /// A display label.
    pub label: Option<Text>,
    /// What it applies to.
    pub selectors: Vec<Selector>,
    /// Written `uncapped`: scores may exceed the weight.
    pub uncapped: bool,
    /// `default actual = …` lines.
    pub defaults: Vec<DefaultActual>,
    /// Clauses, tried in order.
    pub clauses: Vec<Clause>,
    /// The whole declaration.
    pub span: Span,
}

/// What a method or flag applies to: a category, a direction or subject, or both.
#[derive(Clone, Debug, PartialEq)]
pub struct Selector {
    /// A scheme category label.
    pub category: Option<Text>,
    /// A direction (`≥`, `qualitative`…) or subject (`budget`, `sheet`, `group`).
    pub subject: Option<Word<Subject>>,
    /// The whole selector.
    pub span: Span,
}

/// `default actual = EXPR`
#[derive(Clone, Debug, PartialEq)]
pub struct DefaultActual {
    /// `///` lines before it.
    pub docs: Vec<String>,
    /// The value being defaulted (must be `actual`).
    pub var: Word<Var>,
    /// The value to use.
    pub value: Expr,
    /// The whole line.
    pub span: Span,
}

/// `when CONDITION => OUTCOME` or `else => OUTCOME`.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    /// `///` lines before it.
    pub docs: Vec<String>,
    /// The condition; `None` for `else`.
    pub condition: Option<Expr>,
    /// The score it gives.
    pub outcome: Outcome,
    /// The whole clause.
    pub span: Span,
}

/// What a clause gives.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// A formula.
    Expr(Expr),
    /// `tiers NAME`: a qualitative tier table.
    Tiers(Ident),
}

/// A tier table: qualitative bands, or a lookup table.
#[derive(Clone, Debug, PartialEq)]
pub struct Tiers {
    /// Its name.
    pub name: Ident,
    /// A display label.
    pub label: Option<Text>,
    /// The tiers in order.
    pub tiers: Vec<Tier>,
    /// `take` rules.
    pub takes: Vec<Take>,
    /// The whole declaration.
    pub span: Span,
}

/// One tier.
#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    /// `///` lines before it.
    pub docs: Vec<String>,
    /// Its name (for qualitative tiers).
    pub name: Option<Ident>,
    /// A display label.
    pub label: Option<Text>,
    /// Its band.
    pub interval: Interval,
    /// `=> value` (for lookup tables).
    pub value: Option<Expr>,
    /// `words …`: actual texts that select this tier.
    pub words: Vec<TierWord>,
    /// The whole tier.
    pub span: Span,
}

/// A word in a tier's `words` list.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TierWord {
    /// A literal text.
    Text(Text),
    /// `target`: the actual repeats the target text.
    Target(Span),
    /// A name that is not `target`.
    Unknown(Ident),
}

/// `take top` / `take claimed else top`
#[derive(Clone, Debug, PartialEq)]
pub struct Take {
    /// The rule.
    pub rule: Word<TakeRule>,
    /// What to take when the rule gives nothing (a claim outside the band).
    pub fallback: Option<Word<TakeRule>>,
    /// The whole line.
    pub span: Span,
}

/// A band of numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Interval {
    /// Lower bound (`None`: unbounded).
    pub low: Option<Bound>,
    /// Upper bound (`None`: unbounded).
    pub high: Option<Bound>,
    /// Where it was written.
    pub span: Span,
}

/// One end of an interval.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The value.
    pub value: Num,
    /// Whether the value itself belongs to the interval.
    pub inclusive: bool,
}

/// `grades { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Grades {
    /// The bands, best first.
    pub grades: Vec<Grade>,
    /// The whole declaration.
    pub span: Span,
}

/// One grade band.
#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    /// `///` lines before it.
    pub docs: Vec<String>,
    /// Its name (`优`).
    pub name: Text,
    /// Its band; `None` means "everything else".
    pub interval: Option<Interval>,
    /// The whole entry.
    pub span: Span,
}

/// `round [score|total|rate] PLACES [MODE]`
#[derive(Clone, Debug, PartialEq)]
pub struct Rounding {
    /// What is rounded; `None` means scores and the total.
    pub target: Option<Word<RoundTarget>>,
    /// Decimal places.
    pub places: Int,
    /// Rounding mode; `None` means half up.
    pub mode: Option<Word<RoundMode>>,
    /// The whole line.
    pub span: Span,
}

/// `unit "万元" = 10000 "元"`
#[derive(Clone, Debug, PartialEq)]
pub struct UnitDecl {
    /// The unit being defined.
    pub name: Text,
    /// How many base units it is (1 when omitted).
    pub factor: Option<Num>,
    /// The base unit.
    pub base: Text,
    /// The whole line.
    pub span: Span,
}

/// A named warning.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    /// Its name.
    pub name: Ident,
    /// A display label.
    pub label: Option<Text>,
    /// What it looks at; empty means every indicator.
    pub scope: Vec<Selector>,
    /// `when` conditions (exactly one is expected).
    pub conditions: Vec<Expr>,
    /// Messages.
    pub messages: Vec<Message>,
    /// Points deducted when it fires.
    pub deductions: Vec<Expr>,
    /// Ceilings on the score when it fires.
    pub caps: Vec<Expr>,
    /// The whole declaration.
    pub span: Span,
}

/// `message [english] "…"`
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Written with `english`.
    pub english: bool,
    /// The text, with `{name}` placeholders.
    pub text: Text,
    /// The whole line.
    pub span: Span,
}

/// `remove KIND [NAME]`
#[derive(Clone, Debug, PartialEq)]
pub struct Remove {
    /// What kind of declaration is removed.
    pub kind: DeclKind,
    /// Its name (grades have none).
    pub name: Option<Ident>,
    /// The whole item.
    pub span: Span,
}

/// Kinds of named declarations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DeclKind {
    /// A method.
    Method,
    /// A tier table.
    Tiers,
    /// A flag.
    Flag,
    /// The grade bands.
    Grades,
    /// A unit.
    Unit,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Expression forms.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ExprKind {
    /// A number.
    Number(Num),
    /// A value the language knows (`actual`, `实际`…).
    Var(Var),
    /// Another name: a tier table argument, or a misspelling the checker reports.
    Ref(Ident),
    /// `f(args)`
    Call(Word<Func>, Vec<Expr>),
    /// `not x`, `-x`
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// Whether the operator compares two values.
    pub fn is_comparison(self) -> bool {
        matches!(self, Self::Ge | Self::Le | Self::Gt | Self::Lt | Self::Eq | Self::Ne)
    }

    /// Whether a comparison holds of two values ordered as `ordering` (left against right);
    /// `None` for an operator that does not compare.
    pub fn holds(self, ordering: std::cmp::Ordering) -> Option<bool> {
        use std::cmp::Ordering::*;
        Some(match self {
            Self::Ge => ordering != Less,
            Self::Gt => ordering == Greater,
            Self::Le => ordering != Greater,
            Self::Lt => ordering == Less,
            Self::Eq => ordering == Equal,
            Self::Ne => ordering != Equal,
            _ => return None,
        })
    }

    /// The symbol used when printing formulas.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Or => "or",
            Self::And => "and",
            Self::Ge => "≥",
            Self::Le => "≤",
            Self::Gt => ">",
            Self::Lt => "<",
            Self::Eq => "=",
            Self::Ne => "≠",
            Self::Add => "+",
            Self::Sub => "−",
            Self::Mul => "×",
            Self::Div => "/",
        }
    }

    /// The comparison that holds exactly when this one does not.
    pub fn negated(self) -> Option<BinaryOp> {
        Some(match self {
            Self::Ge => Self::Lt,
            Self::Lt => Self::Ge,
            Self::Le => Self::Gt,
            Self::Gt => Self::Le,
            Self::Eq => Self::Ne,
            Self::Ne => Self::Eq,
            _ => return None,
        })
    }
}

// ---------------------------------------------------------------- S-expression display

fn quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    write!(f, "{s:?}")
}

impl<T: fmt::Debug> fmt::Display for Word<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Word::Known(t, _) => write!(f, "{t:?}"),
            Word::Unknown(ident) => write!(f, "?{}", ident.name),
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.percent {
            write!(f, "{}%", (self.value * Decimal::ONE_HUNDRED).normalize())
        } else {
            write!(f, "{}", self.value)
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.low {
            Some(b) => write!(f, "{}{}", if b.inclusive { "[" } else { "(" }, b.value)?,
            None => f.write_str("(-inf")?,
        }
        f.write_str(", ")?;
        match &self.high {
            Some(b) => write!(f, "{}{}", b.value, if b.inclusive { "]" } else { ")" }),
            None => f.write_str("+inf)"),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Number(n) => write!(f, "{n}"),
            ExprKind::Var(v) => write!(f, "{}", v.english()),
            ExprKind::Ref(ident) => write!(f, "{}", ident.name),
            ExprKind::Call(func, args) => {
                write!(f, "({func}")?;
                for arg in args {
                    write!(f, " {arg}")?;
                }
                f.write_str(")")
            }
            ExprKind::Unary(UnaryOp::Not, e) => write!(f, "(not {e})"),
            ExprKind::Unary(UnaryOp::Neg, e) => write!(f, "(- {e})"),
            ExprKind::Binary(op, a, b) => write!(f, "({op:?} {a} {b})"),
        }
    }
}

fn docs(f: &mut fmt::Formatter<'_>, docs: &[String]) -> fmt::Result {
    for d in docs {
        write!(f, " (doc {d:?})")?;
    }
    Ok(())
}

fn selectors(f: &mut fmt::Formatter<'_>, sels: &[Selector]) -> fmt::Result {
    for s in sels {
        f.write_str(" (for")?;
        if let Some(c) = &s.category {
            f.write_str(" ")?;
            quoted(f, &c.value)?;
        }
        if let Some(d) = &s.subject {
            write!(f, " {d}")?;
        }
        f.write_str(")")?;
    }
    Ok(())
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(node ")?;
        quoted(f, &self.label.value)?;
        if let Some(p) = &self.points {
            write!(f, " {p}")?;
        }
        for a in &self.aliases {
            write!(f, " (alias {:?})", a.value)?;
        }
        if self.ceiling {
            f.write_str(" ceiling")?;
        }
        docs(f, &self.docs)?;
        for s in &self.splits {
            write!(f, " (split {}{})", s.mode, if s.integers { " integers" } else { "" })?;
        }
        for c in &self.children {
            write!(f, " {c}")?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        if self.overrides {
            f.write_str("override ")?;
        }
        match &self.kind {
            ItemKind::PolicyName(t) => write!(f, "policy {:?}", t.value)?,
            ItemKind::Jurisdiction(t) => write!(f, "jurisdiction {:?}", t.value)?,
            ItemKind::Year(y) => write!(f, "year {}", y.value)?,
            ItemKind::Basis(t) => write!(f, "basis {:?}", t.value)?,
            ItemKind::Extends(t) => write!(f, "extends {:?}", t.value)?,
            ItemKind::Scheme(s) => {
                f.write_str("scheme")?;
                if let Some(t) = &s.total {
                    write!(f, " total={t}")?;
                }
                for sp in &s.splits {
                    write!(f, " (split {}{})", sp.mode, if sp.integers { " integers" } else { "" })?;
                }
                for b in &s.budgets {
                    write!(f, " (budget {:?} {}", b.label.value, b.points)?;
                    for a in &b.aliases {
                        write!(f, " (alias {:?})", a.value)?;
                    }
                    docs(f, &b.docs)?;
                    f.write_str(")")?;
                }
                for n in &s.nodes {
                    write!(f, " {n}")?;
                }
            }
            ItemKind::Method(m) => {
                write!(f, "method {}", m.name.name)?;
                if let Some(l) = &m.label {
                    write!(f, " {:?}", l.value)?;
                }
                selectors(f, &m.selectors)?;
                if m.uncapped {
                    f.write_str(" uncapped")?;
                }
                for d in &m.defaults {
                    write!(f, " (default {} {})", d.var, d.value)?;
                }
                for c in &m.clauses {
                    match &c.condition {
                        Some(cond) => write!(f, " (when {cond}")?,
                        None => f.write_str(" (else")?,
                    }
                    match &c.outcome {
                        Outcome::Expr(e) => write!(f, " {e}")?,
                        Outcome::Tiers(t) => write!(f, " (tiers {})", t.name)?,
                    }
                    docs(f, &c.docs)?;
                    f.write_str(")")?;
                }
            }
            ItemKind::Tiers(t) => {
                write!(f, "tiers {}", t.name.name)?;
                if let Some(l) = &t.label {
                    write!(f, " {:?}", l.value)?;
                }
                for tier in &t.tiers {
                    f.write_str(" (tier")?;
                    if let Some(n) = &tier.name {
                        write!(f, " {}", n.name)?;
                    }
                    if let Some(l) = &tier.label {
                        write!(f, " {:?}", l.value)?;
                    }
                    write!(f, " {}", tier.interval)?;
                    if let Some(v) = &tier.value {
                        write!(f, " => {v}")?;
                    }
                    for w in &tier.words {
                        match w {
                            TierWord::Text(t) => write!(f, " {:?}", t.value)?,
                            TierWord::Target(_) => f.write_str(" target")?,
                            TierWord::Unknown(i) => write!(f, " ?{}", i.name)?,
                        }
                    }
                    docs(f, &tier.docs)?;
                    f.write_str(")")?;
                }
                for take in &t.takes {
                    write!(f, " (take {}", take.rule)?;
                    if let Some(fb) = &take.fallback {
                        write!(f, " else {fb}")?;
                    }
                    f.write_str(")")?;
                }
            }
            ItemKind::Grades(g) => {
                f.write_str("grades")?;
                for grade in &g.grades {
                    write!(f, " ({:?}", grade.name.value)?;
                    if let Some(i) = &grade.interval {
                        write!(f, " {i}")?;
                    }
                    docs(f, &grade.docs)?;
                    f.write_str(")")?;
                }
            }
            ItemKind::Round(r) => {
                f.write_str("round")?;
                if let Some(t) = &r.target {
                    write!(f, " {t}")?;
                }
                write!(f, " {}", r.places.value)?;
                if let Some(m) = &r.mode {
                    write!(f, " {m}")?;
                }
            }
            ItemKind::Unit(u) => {
                write!(f, "unit {:?} =", u.name.value)?;
                if let Some(n) = &u.factor {
                    write!(f, " {n}")?;
                }
                write!(f, " {:?}", u.base.value)?;
            }
            ItemKind::Inapplicable(m) => write!(f, "inapplicable {m}")?,
            ItemKind::Audit(a) => match &a.action {
                AuditAction::Switch(w) => write!(f, "audit {} {w}", a.check)?,
                AuditAction::Rename(t) => write!(f, "audit {} {:?}", a.check, t.value)?,
            },
            ItemKind::Flag(fl) => {
                write!(f, "flag {}", fl.name.name)?;
                if let Some(l) = &fl.label {
                    write!(f, " {:?}", l.value)?;
                }
                selectors(f, &fl.scope)?;
                for c in &fl.conditions {
                    write!(f, " (when {c})")?;
                }
                for m in &fl.messages {
                    let tag = if m.english { "message-en" } else { "message" };
                    write!(f, " ({tag} {:?})", m.text.value)?;
                }
                for d in &fl.deductions {
                    write!(f, " (deduct {d})")?;
                }
                for c in &fl.caps {
                    write!(f, " (cap {c})")?;
                }
            }
            ItemKind::Remove(r) => {
                write!(f, "remove {:?}", r.kind)?;
                if let Some(n) = &r.name {
                    write!(f, " {}", n.name)?;
                }
            }
        }
        docs(f, &self.docs)?;
        f.write_str(")")
    }
}

impl fmt::Display for PolicyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            writeln!(f, "{item}")?;
        }
        Ok(())
    }
}
