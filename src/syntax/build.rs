//! Building the AST from pest's parse tree.

use pest::Token;
use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

use super::error::{SyntaxError, SyntaxErrorKind};
use super::{Rule, span_of};
use crate::ast::*;
use crate::words::{
    AuditCheck, AuditSwitch, Func, InapplicableMode, RoundMode, RoundTarget, SplitMode, Subject, TakeRule,
    Var, Vocabulary,
};

type Result<T> = std::result::Result<T, SyntaxError>;

/// Shared state: the byte offset of the text being parsed within its file.
#[derive(Clone, Copy)]
struct Ctx {
    offset: usize,
}

impl Ctx {
    /// The pair's span, ending at its last token: pest counts the spaces and comments after a
    /// rule's last token when an optional part that could follow them is absent.
    fn span(self, pair: &Pair<'_, Rule>) -> Span {
        let mut span = span_of(pair.as_span(), self.offset);
        span.end = last_token_end(pair) + self.offset;
        span
    }
}

fn last_token_end(pair: &Pair<'_, Rule>) -> usize {
    // Read backwards through the pair's tokens, the way pest queued them: the pair's own end,
    // then the end of its last child, of that child's last child, and so on, until a token or a
    // rule with no children. No `Pairs` is built on the way down.
    let mut tokens = pair.clone().tokens().rev();
    let (mut rule, mut end) = match tokens.next() {
        Some(Token::End { rule, pos }) => (rule, pos.pos()),
        _ => return pair.as_span().end(),
    };
    loop {
        // Tokens end where they end, whether they have inner parts (a string's text, a doc
        // comment's text) or not.
        if matches!(rule, Rule::string | Rule::doc | Rule::name | Rule::number | Rule::integer) {
            return end;
        }
        match tokens.next() {
            Some(Token::End { rule: child, pos }) => (rule, end) = (child, pos.pos()),
            // The start of the rule itself: it has no children.
            _ => return end,
        }
    }
}

/// A parse tree that does not have the shape the grammar promises: a bug, reported as an error
/// rather than a panic.
fn malformed(ctx: Ctx, pair: &Pair<'_, Rule>) -> SyntaxError {
    SyntaxError {
        span: ctx.span(pair),
        kind: SyntaxErrorKind::Unexpected {
            expected: Vec::new(),
            found: super::Found::Token(format!("{:?}", pair.as_rule())),
        },
    }
}

/// Children of a pair without punctuation tokens.
fn children<'i>(pair: &Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
    pair.clone().into_inner().filter(|p| {
        !matches!(
            p.as_rule(),
            Rule::comma
                | Rule::lbrace
                | Rule::rbrace
                | Rule::lparen
                | Rule::rparen
                | Rule::equals
                | Rule::arrow
        )
    })
}

/// Build a file from the pairs of `file` or `item_alone`.
pub(super) fn file(pairs: Pairs<'_, Rule>, offset: usize) -> Result<PolicyFile> {
    let ctx = Ctx { offset };
    let mut items = Vec::new();
    for top in pairs {
        for pair in top.into_inner() {
            if pair.as_rule() == Rule::item {
                items.push(item(ctx, pair)?);
            }
        }
    }
    Ok(PolicyFile { items })
}

/// The texts of a pair's leading `doc` children, and an iterator over the children after them.
fn take_docs<'i>(pair: &Pair<'i, Rule>) -> (Vec<String>, impl Iterator<Item = Pair<'i, Rule>>) {
    let mut parts = children(pair).peekable();
    let mut docs = Vec::new();
    while let Some(p) = parts.next_if(|p| p.as_rule() == Rule::doc) {
        docs.push(p.into_inner().next().map(|t| t.as_str().trim().to_string()).unwrap_or_default());
    }
    (docs, parts)
}

fn item(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Item> {
    let span = ctx.span(&pair);
    let (docs, rest) = take_docs(&pair);
    let mut overrides = false;
    let mut kind = None;
    for p in rest {
        match p.as_rule() {
            Rule::overriding => overrides = true,
            _ => kind = Some(item_kind(ctx, p)?),
        }
    }
    let kind = kind.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Item { docs, overrides, kind, span })
}

fn item_kind(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<ItemKind> {
    // The keyword is child 0; the few kinds read by position need children 1 and 2.
    let nth = |i: usize| children(&pair).nth(i);
    let text_at = |i: usize| nth(i).map(|p| text(ctx, p)).transpose();
    Ok(match pair.as_rule() {
        Rule::policy_name => ItemKind::PolicyName(text_at(1)?.ok_or_else(|| malformed(ctx, &pair))?),
        Rule::jurisdiction => ItemKind::Jurisdiction(text_at(1)?.ok_or_else(|| malformed(ctx, &pair))?),
        Rule::basis => ItemKind::Basis(text_at(1)?.ok_or_else(|| malformed(ctx, &pair))?),
        Rule::extends => ItemKind::Extends(text_at(1)?.ok_or_else(|| malformed(ctx, &pair))?),
        Rule::year => {
            let p = nth(1).ok_or_else(|| malformed(ctx, &pair))?;
            ItemKind::Year(integer(ctx, p)?)
        }
        Rule::scheme => ItemKind::Scheme(scheme(ctx, pair)?),
        Rule::method => ItemKind::Method(method(ctx, pair)?),
        Rule::tiers => ItemKind::Tiers(tiers(ctx, pair)?),
        Rule::grades => ItemKind::Grades(grades(ctx, pair)?),
        Rule::rounding => ItemKind::Round(rounding(ctx, pair)?),
        Rule::unit_decl => ItemKind::Unit(unit_decl(ctx, pair)?),
        Rule::inapplicable => {
            let p = nth(1).ok_or_else(|| malformed(ctx, &pair))?;
            ItemKind::Inapplicable(word::<InapplicableMode>(ctx, &p))
        }
        Rule::audit => {
            let check = nth(1).ok_or_else(|| malformed(ctx, &pair))?;
            let action = nth(2).ok_or_else(|| malformed(ctx, &pair))?;
            ItemKind::Audit(Audit {
                check: word::<AuditCheck>(ctx, &check),
                action: match action.as_rule() {
                    Rule::string => AuditAction::Rename(text(ctx, action)?),
                    _ => AuditAction::Switch(word::<AuditSwitch>(ctx, &action)),
                },
            })
        }
        Rule::flag => ItemKind::Flag(flag(ctx, pair)?),
        Rule::remove => ItemKind::Remove(remove(ctx, pair)?),
        _ => return Err(malformed(ctx, &pair)),
    })
}

// ---------------------------------------------------------------- tokens

fn text(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Text> {
    let span = ctx.span(&pair);
    let inner = pair.clone().into_inner().next().ok_or_else(|| malformed(ctx, &pair))?;
    let value = match inner.as_rule() {
        Rule::inner => unescape(inner.as_str()),
        _ => inner.as_str().to_string(),
    };
    Ok(Text { value, span })
}

pub(super) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn ident(ctx: Ctx, pair: &Pair<'_, Rule>) -> Ident {
    Ident { name: pair.as_str().to_string(), span: ctx.span(pair) }
}

fn word<T: Vocabulary>(ctx: Ctx, pair: &Pair<'_, Rule>) -> Word<T> {
    match T::from_word(pair.as_str()) {
        Some(t) => Word::Known(t, ctx.span(pair)),
        None => Word::Unknown(ident(ctx, pair)),
    }
}

fn number(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Num> {
    let span = ctx.span(&pair);
    let raw = pair.as_str();
    let (value, percent) = number_value(raw)
        .ok_or_else(|| SyntaxError { span, kind: SyntaxErrorKind::NumberOutOfRange(raw.to_string()) })?;
    Ok(Num { value, percent, span })
}

/// The value of a number token and whether it is a percentage; `None` when it is out of range.
pub(super) fn number_value(raw: &str) -> Option<(Decimal, bool)> {
    let percent = raw.ends_with('%') || raw.ends_with('％');
    let digits = raw.trim_end_matches(['%', '％']);
    // Exact: a literal with more digits than a decimal holds is an error, not a rounding.
    let mut value = Decimal::from_str_exact(digits).ok()?;
    if value.abs() >= crate::value::LIMIT {
        return None;
    }
    if percent {
        value = value.checked_div(Decimal::ONE_HUNDRED)?;
    }
    Some((value, percent))
}

fn integer(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Int> {
    let span = ctx.span(&pair);
    let value = pair.as_str().parse::<u32>().map_err(|_| SyntaxError {
        span,
        kind: SyntaxErrorKind::IntegerOutOfRange(pair.as_str().to_string()),
    })?;
    Ok(Int { value, span })
}

// ---------------------------------------------------------------- scheme

/// How deeply scheme nodes may nest before the tree is refused (the checker wants two levels;
/// this only keeps absurd input from exhausting the stack).
pub(super) const MAX_SCHEME_DEPTH: usize = 8;

fn scheme(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Scheme> {
    let span = ctx.span(&pair);
    let mut stack = vec![(pair.clone(), 0usize)];
    while let Some((p, depth)) = stack.pop() {
        for child in p.into_inner().filter(|c| c.as_rule() == Rule::node) {
            if depth + 1 > MAX_SCHEME_DEPTH {
                return Err(SyntaxError { span: ctx.span(&child), kind: SyntaxErrorKind::TooComplex });
            }
            stack.push((child, depth + 1));
        }
    }
    let mut out = Scheme { total: None, budgets: Vec::new(), nodes: Vec::new(), splits: Vec::new(), span };
    for p in children(&pair) {
        match p.as_rule() {
            Rule::number => out.total = Some(number(ctx, p)?),
            Rule::budget_entry => out.budgets.push(budget_entry(ctx, p)?),
            Rule::node => out.nodes.push(node(ctx, p)?),
            Rule::split => out.splits.push(split(ctx, p)),
            Rule::kw_scheme | Rule::kw_total => {}
            _ => return Err(malformed(ctx, &p)),
        }
    }
    Ok(out)
}

fn aliases(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Vec<Text>> {
    children(&pair).filter(|p| p.as_rule() == Rule::string).map(|p| text(ctx, p)).collect()
}

fn budget_entry(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<BudgetEntry> {
    let span = ctx.span(&pair);
    let (docs, rest) = take_docs(&pair);
    let mut label = None;
    let mut points = None;
    let mut alias_list = Vec::new();
    for p in rest {
        match p.as_rule() {
            Rule::string => label = Some(text(ctx, p)?),
            Rule::number => points = Some(number(ctx, p)?),
            Rule::aliases => alias_list = aliases(ctx, p)?,
            Rule::kw_budget => {}
            _ => return Err(malformed(ctx, &p)),
        }
    }
    match (label, points) {
        (Some(label), Some(points)) => Ok(BudgetEntry { docs, label, points, aliases: alias_list, span }),
        _ => Err(malformed(ctx, &pair)),
    }
}

fn node(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Node> {
    let span = ctx.span(&pair);
    let (docs, rest) = take_docs(&pair);
    let mut label = None;
    let mut out_points = None;
    let mut alias_list = Vec::new();
    let mut kids = Vec::new();
    let mut splits = Vec::new();
    let mut ceiling = false;
    for p in rest {
        match p.as_rule() {
            Rule::string => label = Some(text(ctx, p)?),
            Rule::number => out_points = Some(number(ctx, p)?),
            Rule::aliases => alias_list = aliases(ctx, p)?,
            Rule::ceiling => ceiling = true,
            Rule::node => kids.push(node(ctx, p)?),
            Rule::split => splits.push(split(ctx, p)),
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let label = label.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Node { docs, label, points: out_points, aliases: alias_list, ceiling, children: kids, splits, span })
}

fn split(ctx: Ctx, pair: Pair<'_, Rule>) -> Split {
    let span = ctx.span(&pair);
    let mut mode = Word::Known(SplitMode::Equally, span);
    let mut integers = false;
    for p in children(&pair) {
        match p.as_rule() {
            Rule::name => mode = word::<SplitMode>(ctx, &p),
            Rule::integers => integers = true,
            _ => {}
        }
    }
    Split { mode, integers, span }
}

// ---------------------------------------------------------------- methods

fn selectors(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Vec<Selector>> {
    let mut out = Vec::new();
    for sel in children(&pair) {
        if sel.as_rule() != Rule::selector {
            continue;
        }
        let span = ctx.span(&sel);
        let mut category = None;
        let mut subject = None;
        for p in children(&sel) {
            match p.as_rule() {
                Rule::string => category = Some(text(ctx, p)?),
                Rule::direction => subject = Some(direction(ctx, p)?),
                _ => return Err(malformed(ctx, &p)),
            }
        }
        out.push(Selector { category, subject, span });
    }
    Ok(out)
}

fn direction(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Word<Subject>> {
    let inner = pair.clone().into_inner().next().ok_or_else(|| malformed(ctx, &pair))?;
    let span = ctx.span(&inner);
    Ok(match inner.as_rule() {
        Rule::direction_sym => {
            let subject = match inner.as_str() {
                ">=" | "≥" | "≧" => Subject::Higher,
                "<=" | "≤" | "≦" => Subject::Lower,
                _ => Subject::Equal,
            };
            Word::Known(subject, span)
        }
        _ => word::<Subject>(ctx, &inner),
    })
}

fn method(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Method> {
    let span = ctx.span(&pair);
    let mut name = None;
    let mut label = None;
    let mut sels = Vec::new();
    let mut uncapped = false;
    let mut defaults = Vec::new();
    let mut clauses = Vec::new();
    for p in children(&pair) {
        match p.as_rule() {
            Rule::kw_method | Rule::kw_for => {}
            Rule::name => name = Some(ident(ctx, &p)),
            Rule::string => label = Some(text(ctx, p)?),
            Rule::selectors => sels = selectors(ctx, p)?,
            Rule::uncapped => uncapped = true,
            Rule::default_actual => defaults.push(default_actual(ctx, p)?),
            Rule::clause => clauses.push(clause(ctx, p)?),
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let name = name.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Method { name, label, selectors: sels, uncapped, defaults, clauses, span })
}

fn default_actual(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<DefaultActual> {
    let span = ctx.span(&pair);
    let (docs, rest) = take_docs(&pair);
    let mut var = None;
    let mut value = None;
    for p in rest {
        match p.as_rule() {
            Rule::kw_default => {}
            Rule::name => var = Some(word::<Var>(ctx, &p)),
            Rule::expr => value = Some(expr(ctx, p)?),
            _ => return Err(malformed(ctx, &p)),
        }
    }
    match (var, value) {
        (Some(var), Some(value)) => Ok(DefaultActual { docs, var, value, span }),
        _ => Err(malformed(ctx, &pair)),
    }
}

fn clause(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Clause> {
    let span = ctx.span(&pair);
    let (docs, rest) = take_docs(&pair);
    let mut condition = None;
    let mut outcome = None;
    for p in rest {
        match p.as_rule() {
            Rule::kw_when | Rule::otherwise => {}
            Rule::expr => condition = Some(expr(ctx, p)?),
            Rule::outcome => {
                let inner = p.clone().into_inner().next().ok_or_else(|| malformed(ctx, &p))?;
                outcome = Some(match inner.as_rule() {
                    Rule::tier_outcome => {
                        let name = children(&inner)
                            .find(|q| q.as_rule() == Rule::name)
                            .ok_or_else(|| malformed(ctx, &inner))?;
                        Outcome::Tiers(ident(ctx, &name))
                    }
                    _ => Outcome::Expr(expr(ctx, inner)?),
                });
            }
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let outcome = outcome.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Clause { docs, condition, outcome, span })
}

// ---------------------------------------------------------------- tiers, grades, rounding, units

fn tiers(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Tiers> {
    let span = ctx.span(&pair);
    let mut name = None;
    let mut label = None;
    let mut list = Vec::new();
    let mut takes = Vec::new();
    for p in children(&pair) {
        match p.as_rule() {
            Rule::kw_tiers => {}
            Rule::name => name = Some(ident(ctx, &p)),
            Rule::string => label = Some(text(ctx, p)?),
            Rule::tier => list.push(tier(ctx, p)?),
            Rule::take => takes.push(take(ctx, p)),
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let name = name.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Tiers { name, label, tiers: list, takes, span })
}

fn tier(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Tier> {
    let span = ctx.span(&pair);
    let (docs, rest) = take_docs(&pair);
    let mut name = None;
    let mut label = None;
    let mut range = None;
    let mut value = None;
    let mut words = Vec::new();
    for p in rest {
        match p.as_rule() {
            Rule::name => name = Some(ident(ctx, &p)),
            Rule::string => label = Some(text(ctx, p)?),
            Rule::interval => range = Some(interval(ctx, p)?),
            Rule::value => value = Some(expr(ctx, p)?),
            Rule::words => {
                for w in children(&p).filter(|w| w.as_rule() == Rule::word) {
                    let inner = w.clone().into_inner().next().ok_or_else(|| malformed(ctx, &w))?;
                    words.push(match inner.as_rule() {
                        Rule::string => TierWord::Text(text(ctx, inner)?),
                        _ if Var::from_word(inner.as_str()) == Some(Var::Target) => {
                            TierWord::Target(ctx.span(&inner))
                        }
                        _ => TierWord::Unknown(ident(ctx, &inner)),
                    });
                }
            }
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let interval = range.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Tier { docs, name, label, interval, value, words, span })
}

fn take(ctx: Ctx, pair: Pair<'_, Rule>) -> Take {
    let span = ctx.span(&pair);
    let names: Vec<Pair<'_, Rule>> = children(&pair).filter(|p| p.as_rule() == Rule::name).collect();
    let rule = match names.first() {
        Some(p) => word::<TakeRule>(ctx, p),
        None => Word::Known(TakeRule::Top, span),
    };
    let fallback = names.get(1).map(|p| word::<TakeRule>(ctx, p));
    Take { rule, fallback, span }
}

fn interval(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Interval> {
    let span = ctx.span(&pair);
    let inner = pair.clone().into_inner().next().ok_or_else(|| malformed(ctx, &pair))?;
    let parts: Vec<Pair<'_, Rule>> = children(&inner).collect();
    match inner.as_rule() {
        Rule::bracketed => {
            let [open, low, high, close] = parts.as_slice() else {
                return Err(malformed(ctx, &inner));
            };
            let low =
                Bound { value: number(ctx, low.clone())?, inclusive: matches!(open.as_str(), "[" | "【") };
            let high =
                Bound { value: number(ctx, high.clone())?, inclusive: matches!(close.as_str(), "]" | "】") };
            Ok(Interval { low: Some(low), high: Some(high), span })
        }
        Rule::half_line => {
            let [op, value] = parts.as_slice() else {
                return Err(malformed(ctx, &inner));
            };
            let value = number(ctx, value.clone())?;
            Ok(match op.as_str() {
                ">=" | "≥" | "≧" => {
                    Interval { low: Some(Bound { value, inclusive: true }), high: None, span }
                }
                ">" => Interval { low: Some(Bound { value, inclusive: false }), high: None, span },
                "<" => Interval { low: None, high: Some(Bound { value, inclusive: false }), span },
                _ => Interval { low: None, high: Some(Bound { value, inclusive: true }), span },
            })
        }
        _ => Err(malformed(ctx, &inner)),
    }
}

fn grades(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Grades> {
    let span = ctx.span(&pair);
    let mut list = Vec::new();
    for g in children(&pair).filter(|p| p.as_rule() == Rule::grade) {
        let gspan = ctx.span(&g);
        let (docs, rest) = take_docs(&g);
        let mut name = None;
        let mut range = None;
        for p in rest {
            match p.as_rule() {
                Rule::string => name = Some(text(ctx, p)?),
                Rule::name => name = Some(Text { value: p.as_str().to_string(), span: ctx.span(&p) }),
                Rule::interval => range = Some(interval(ctx, p)?),
                _ => return Err(malformed(ctx, &p)),
            }
        }
        let name = name.ok_or_else(|| malformed(ctx, &g))?;
        list.push(Grade { docs, name, interval: range, span: gspan });
    }
    Ok(Grades { grades: list, span })
}

fn rounding(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Rounding> {
    let span = ctx.span(&pair);
    let mut target = None;
    let mut places = None;
    let mut mode = None;
    for p in children(&pair) {
        match p.as_rule() {
            Rule::kw_round => {}
            Rule::name if places.is_none() => target = Some(word::<RoundTarget>(ctx, &p)),
            Rule::name => mode = Some(word::<RoundMode>(ctx, &p)),
            Rule::integer => places = Some(integer(ctx, p)?),
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let places = places.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Rounding { target, places, mode, span })
}

fn unit_decl(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<UnitDecl> {
    let span = ctx.span(&pair);
    let mut strings = Vec::new();
    let mut factor = None;
    for p in children(&pair) {
        match p.as_rule() {
            Rule::kw_unit => {}
            Rule::string => strings.push(text(ctx, p)?),
            Rule::number => factor = Some(number(ctx, p)?),
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let mut strings = strings.into_iter();
    match (strings.next(), strings.next()) {
        (Some(name), Some(base)) => Ok(UnitDecl { name, factor, base, span }),
        _ => Err(malformed(ctx, &pair)),
    }
}

// ---------------------------------------------------------------- flags, remove

fn flag(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Flag> {
    let span = ctx.span(&pair);
    let mut out = Flag {
        name: Ident { name: String::new(), span },
        label: None,
        scope: Vec::new(),
        conditions: Vec::new(),
        messages: Vec::new(),
        deductions: Vec::new(),
        caps: Vec::new(),
        span,
    };
    for p in children(&pair) {
        match p.as_rule() {
            // `///` lines inside a flag are comments on its parts.
            Rule::kw_flag | Rule::kw_for | Rule::doc => {}
            Rule::name => out.name = ident(ctx, &p),
            Rule::string => out.label = Some(text(ctx, p)?),
            Rule::flag_scope => {
                let inner = p.clone().into_inner().next().ok_or_else(|| malformed(ctx, &p))?;
                out.scope = selectors(ctx, inner)?;
            }
            Rule::flag_when => out.conditions.push(last_expr(ctx, p)?),
            Rule::deduct => out.deductions.push(last_expr(ctx, p)?),
            Rule::cap => out.caps.push(last_expr(ctx, p)?),
            Rule::message => {
                let mspan = ctx.span(&p);
                let english = children(&p).any(|q| q.as_rule() == Rule::english);
                let text_pair =
                    children(&p).find(|q| q.as_rule() == Rule::string).ok_or_else(|| malformed(ctx, &p))?;
                out.messages.push(Message { english, text: text(ctx, text_pair)?, span: mspan });
            }
            _ => return Err(malformed(ctx, &p)),
        }
    }
    Ok(out)
}

fn last_expr(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Expr> {
    let e = children(&pair).find(|p| p.as_rule() == Rule::expr).ok_or_else(|| malformed(ctx, &pair))?;
    expr(ctx, e)
}

fn remove(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Remove> {
    let span = ctx.span(&pair);
    let mut kind = None;
    let mut name = None;
    for p in children(&pair) {
        match p.as_rule() {
            Rule::kw_remove => {}
            Rule::decl_kind => {
                let k = p.clone().into_inner().next().ok_or_else(|| malformed(ctx, &p))?;
                kind = Some(match k.as_rule() {
                    Rule::kw_method => DeclKind::Method,
                    Rule::kw_tiers => DeclKind::Tiers,
                    Rule::kw_flag => DeclKind::Flag,
                    Rule::kw_grades => DeclKind::Grades,
                    _ => DeclKind::Unit,
                });
            }
            Rule::name => name = Some(ident(ctx, &p)),
            Rule::string => {
                let t = text(ctx, p)?;
                name = Some(Ident { name: t.value, span: t.span });
            }
            _ => return Err(malformed(ctx, &p)),
        }
    }
    let kind = kind.ok_or_else(|| malformed(ctx, &pair))?;
    Ok(Remove { kind, name, span })
}

// ---------------------------------------------------------------- expressions

/// Nesting (parentheses, calls, prefix operators) allowed in one expression.
const MAX_DEPTH: usize = 64;
/// Tokens allowed in one expression.
const MAX_TOKENS: usize = 4096;

/// Refuse expressions deep or long enough to exhaust the stack in later recursive stages.
fn bounded(ctx: Ctx, pair: &Pair<'_, Rule>) -> Result<()> {
    // Each level of nesting takes at least one byte of its own (a prefix operator, an opening
    // parenthesis, a function's name), and only a few pairs ever cover the same byte (an
    // expression, the call it holds, the call's name), so text this short is within both limits
    // without a walk over its tree.
    if pair.as_str().len() <= MAX_DEPTH {
        return Ok(());
    }
    let mut stack = vec![(pair.clone(), 0usize)];
    let mut tokens = 0usize;
    while let Some((p, depth)) = stack.pop() {
        let mut prefixes = 0;
        for child in p.into_inner() {
            tokens += 1;
            let nested = match child.as_rule() {
                Rule::not | Rule::neg => {
                    prefixes += 1;
                    depth + prefixes
                }
                Rule::expr | Rule::value => depth + 1,
                // A name is a leaf; with arguments it is a call, one level deeper.
                Rule::call if is_call(&child) => depth + 1,
                _ => depth,
            };
            if nested > MAX_DEPTH || tokens > MAX_TOKENS {
                return Err(SyntaxError { span: ctx.span(pair), kind: SyntaxErrorKind::TooComplex });
            }
            if !matches!(child.as_rule(), Rule::not | Rule::neg) {
                prefixes = 0;
            }
            stack.push((child, nested));
        }
    }
    Ok(())
}

fn expr(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Expr> {
    bounded(ctx, &pair)?;
    let mut parts = children(&pair).peekable();
    let out = climb(ctx, &pair, &mut parts, 0)?;
    match parts.next() {
        Some(extra) => Err(malformed(ctx, &extra)),
        None => Ok(out),
    }
}

/// How tightly each operator binds, loosest first: `or`, `and`, `not`, comparisons, `+ -`,
/// `* /`, negation. Binary operators associate to the left.
pub(super) const PREC_OR: u8 = 1;
pub(super) const PREC_AND: u8 = 2;
pub(super) const PREC_NOT: u8 = 3;
pub(super) const PREC_COMPARE: u8 = 4;
pub(super) const PREC_ADD: u8 = 5;
pub(super) const PREC_MUL: u8 = 6;
pub(super) const PREC_NEG: u8 = 7;

/// A binary operator and how tightly it binds, from the text of its token.
pub(super) fn binary_op(text: &str) -> Option<(BinaryOp, u8)> {
    Some(match text {
        "or" | "或者" | "或" => (BinaryOp::Or, PREC_OR),
        "and" | "并且" | "且" => (BinaryOp::And, PREC_AND),
        ">=" | "≥" | "≧" => (BinaryOp::Ge, PREC_COMPARE),
        "<=" | "≤" | "≦" => (BinaryOp::Le, PREC_COMPARE),
        "!=" | "≠" => (BinaryOp::Ne, PREC_COMPARE),
        "==" | "=" | "═" | "＝" => (BinaryOp::Eq, PREC_COMPARE),
        ">" => (BinaryOp::Gt, PREC_COMPARE),
        "<" => (BinaryOp::Lt, PREC_COMPARE),
        "+" => (BinaryOp::Add, PREC_ADD),
        "-" | "−" => (BinaryOp::Sub, PREC_ADD),
        "*" | "×" => (BinaryOp::Mul, PREC_MUL),
        "/" | "÷" => (BinaryOp::Div, PREC_MUL),
        _ => return None,
    })
}

/// Precedence climbing over an expression's operands and operators: an operand (with its prefix
/// operators), then every following binary operator that binds more tightly than `min`.
fn climb<'i>(
    ctx: Ctx,
    whole: &Pair<'i, Rule>,
    parts: &mut std::iter::Peekable<impl Iterator<Item = Pair<'i, Rule>>>,
    min: u8,
) -> Result<Expr> {
    let first = parts.next().ok_or_else(|| malformed(ctx, whole))?;
    let mut lhs = match first.as_rule() {
        Rule::not | Rule::neg => {
            let (unary, prec) = if first.as_rule() == Rule::not {
                (UnaryOp::Not, PREC_NOT)
            } else {
                (UnaryOp::Neg, PREC_NEG)
            };
            let rhs = climb(ctx, whole, parts, prec - 1)?;
            let span = Span::new(ctx.span(&first).start, rhs.span.end);
            Expr { kind: ExprKind::Unary(unary, Box::new(rhs)), span }
        }
        _ => primary(ctx, first)?,
    };
    while let Some(op) = parts.peek() {
        if !matches!(op.as_rule(), Rule::infix | Rule::arith) {
            return Err(malformed(ctx, op));
        }
        let (binary, prec) = binary_op(op.as_str()).ok_or_else(|| malformed(ctx, op))?;
        if prec <= min {
            break;
        }
        parts.next();
        let rhs = climb(ctx, whole, parts, prec)?;
        let span = Span::new(lhs.span.start, rhs.span.end);
        lhs = Expr { kind: ExprKind::Binary(binary, Box::new(lhs), Box::new(rhs)), span };
    }
    Ok(lhs)
}

/// Whether a `call` pair has parentheses (a function call) rather than being a name alone.
fn is_call(pair: &Pair<'_, Rule>) -> bool {
    pair.as_str().ends_with([')', '）'])
}

fn primary(ctx: Ctx, pair: Pair<'_, Rule>) -> Result<Expr> {
    let span = ctx.span(&pair);
    Ok(match pair.as_rule() {
        Rule::number => Expr { kind: ExprKind::Number(number(ctx, pair)?), span },
        Rule::expr => {
            // A parenthesised expression keeps the span of its parentheses' content.
            expr(ctx, pair)?
        }
        Rule::call if !is_call(&pair) => {
            let name = pair.clone().into_inner().next().ok_or_else(|| malformed(ctx, &pair))?;
            match Var::from_word(name.as_str()) {
                Some(var) => Expr { kind: ExprKind::Var(var), span },
                None => Expr { kind: ExprKind::Ref(ident(ctx, &name)), span },
            }
        }
        Rule::call => {
            let mut parts = children(&pair);
            let name = parts.next().ok_or_else(|| malformed(ctx, &pair))?;
            let func = word::<Func>(ctx, &name);
            let args = parts.map(|p| expr(ctx, p)).collect::<Result<Vec<_>>>()?;
            Expr { kind: ExprKind::Call(func, args), span }
        }
        _ => return Err(malformed(ctx, &pair)),
    })
}
