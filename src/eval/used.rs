//! The declarations a result depends on, worked out from the result on demand: the method and
//! the tier tables it read, the flags that changed the score, the scheme when the weight or
//! category came from it, the unit rules when units were converted, and rounding.

use crate::decl::Decl;
use crate::policy::{Expr, Outcome, Policy};
use crate::score::{BudgetScore, EvalError, FiredFlag, IndicatorScore, Note, WeightSource};
use crate::words::RoundTarget;

#[derive(Default)]
struct Used(Vec<Decl>);

impl Used {
    fn add(&mut self, d: Decl) {
        if !self.0.contains(&d) {
            self.0.push(d);
        }
    }

    /// A method and every tier table it reads (`placed`: the table that placed a qualitative row).
    fn method(&mut self, p: &Policy, method: Option<usize>, placed: Option<usize>) {
        let Some((id, m)) = method.and_then(|m| p.methods.get(m).map(|x| (m, x))) else { return };
        self.add(Decl::Method(m.name.clone()));
        let mut tables: Vec<usize> = placed.into_iter().collect();
        for c in p.methods.get(id).map_or(&[][..], |m| &m.clauses) {
            if let Some(cond) = &c.condition {
                lookups(p, cond, &mut tables);
            }
            match &c.outcome {
                Outcome::Expr(x) => lookups(p, x, &mut tables),
                Outcome::Tiers(t) => tables.push(*t),
            }
        }
        self.tables(p, tables);
    }

    fn tables(&mut self, p: &Policy, mut ids: Vec<usize>) {
        ids.sort_unstable();
        ids.dedup();
        for t in ids.iter().filter_map(|t| p.tiers.get(*t)) {
            self.add(Decl::Tiers(t.name.clone()));
        }
    }

    /// Flags that changed the score (deducted, capped or failed to), with the tables they read.
    fn flags(&mut self, p: &Policy, fired: &[FiredFlag]) {
        for f in fired.iter().filter(|f| f.deducted.is_some() || f.capped_at.is_some()) {
            self.flag(p, f.flag);
        }
    }

    fn flag(&mut self, p: &Policy, flag: usize) {
        let Some(rule) = p.flags.get(flag) else { return };
        self.add(Decl::Flag(rule.name.clone()));
        let mut tables = Vec::new();
        for e in [&rule.condition, &rule.deduct, &rule.cap].into_iter().flatten() {
            lookups(p, e, &mut tables);
        }
        self.tables(p, tables);
    }

    fn round(&mut self, p: &Policy, target: RoundTarget) {
        let spec = match target {
            RoundTarget::Score => p.rounding.score,
            RoundTarget::Total => p.rounding.total,
            RoundTarget::Rate => p.rounding.rate,
        };
        if spec.is_some() {
            self.add(Decl::Round(Some(target)));
        }
    }
}

/// What an indicator row's result depends on.
pub(crate) fn indicator(p: &Policy, row: &IndicatorScore) -> Vec<Decl> {
    let mut used = Used::default();
    used.method(p, row.method, row.tier.map(|t| t.table));
    used.flags(p, &row.flags);
    if let Some(EvalError::FlagFailed { flag, .. }) = &row.error
        && let Some(i) = p.flags.iter().position(|f| f.name == *flag)
    {
        used.flag(p, i);
    }
    let from_scheme = matches!(row.weight_source, WeightSource::Split { from_scheme: true, .. })
        || matches!(row.error, Some(EvalError::UnknownCategory { .. }));
    if from_scheme {
        used.add(Decl::Scheme);
    }
    if row.notes.iter().any(|n| matches!(n, Note::UnitsConverted)) {
        for u in &p.units {
            used.add(Decl::unit(&u.name));
        }
    }
    if row.score.is_some() {
        used.round(p, RoundTarget::Score);
    }
    used.0
}

/// What the budget score depends on.
pub(crate) fn budget(p: &Policy, b: &BudgetScore) -> Vec<Decl> {
    let mut used = Used::default();
    used.method(p, b.method, None);
    used.flags(p, &b.flags);
    used.round(p, RoundTarget::Rate);
    if b.score.is_some() {
        used.round(p, RoundTarget::Score);
    }
    used.0
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
        Expr::Binary(_, a, b) | Expr::Rounded(a, b) => {
            lookups(p, a, ids);
            lookups(p, b, ids);
        }
        Expr::Min(xs) | Expr::Max(xs) => xs.iter().for_each(|x| lookups(p, x, ids)),
        _ => {}
    }
}
