//! What a policy declares, by kind and name: the identity that composition (`override`,
//! `remove`), inheritance checks and `diff` share.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::ast::{DeclKind, Item, ItemKind, Word};
use crate::diagnostic::Message;
use crate::words::{Lang, RoundTarget};

/// One declaration's identity. Two policies' declarations with equal identities are the "same"
/// rule, whatever file or line they are written on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Decl {
    /// The header: name, jurisdiction, year, basis.
    Header,
    /// The indicator scheme and its points.
    Scheme,
    /// A scoring method.
    Method(String),
    /// A tier table.
    Tiers(String),
    /// The grade bands.
    Grades,
    /// Rounding: of everything it covers (`round 2`), or of one target (`round total 0`).
    Round(Option<RoundTarget>),
    /// What not-applicable rows do.
    Inapplicable,
    /// A unit conversion.
    Unit(String),
    /// A flag.
    Flag(String),
    /// The changes to the built-in audit (`audit …` lines, taken together). Audit lines are not
    /// overridden: a later line for the same check wins.
    Audit,
}

impl Decl {
    /// The declaration an item makes, if it declares something that can be overridden.
    pub(crate) fn of(item: &Item) -> Option<Decl> {
        Some(match &item.kind {
            ItemKind::Scheme(_) => Decl::Scheme,
            ItemKind::Grades(_) => Decl::Grades,
            ItemKind::Inapplicable(_) => Decl::Inapplicable,
            ItemKind::Round(r) => Decl::Round(r.target.as_ref().and_then(Word::known)),
            ItemKind::Method(m) => Decl::Method(m.name.name.clone()),
            ItemKind::Tiers(t) => Decl::Tiers(t.name.name.clone()),
            ItemKind::Flag(f) => Decl::Flag(f.name.name.clone()),
            ItemKind::Unit(u) => Decl::unit(&u.name.value),
            _ => return None,
        })
    }

    /// The declaration a `remove` names.
    pub(crate) fn of_remove(kind: DeclKind, name: Option<&str>) -> Decl {
        let name = name.unwrap_or_default().to_string();
        match kind {
            DeclKind::Method => Decl::Method(name),
            DeclKind::Tiers => Decl::Tiers(name),
            DeclKind::Flag => Decl::Flag(name),
            DeclKind::Grades => Decl::Grades,
            DeclKind::Unit => Decl::unit(&name),
        }
    }

    /// A unit, named as written (full-width forms folded).
    pub fn unit(name: &str) -> Decl {
        Decl::Unit(crate::text::fold_width(name).trim().to_string())
    }

    /// Whether two declarations cover overlapping things: `round 2` covers `round score` and
    /// `round total`.
    pub fn overlaps(&self, other: &Decl) -> bool {
        match (self, other) {
            (Decl::Round(a), Decl::Round(b)) => {
                let covers = |t: &Option<RoundTarget>| -> Vec<RoundTarget> {
                    match t {
                        None => vec![RoundTarget::Score, RoundTarget::Total],
                        Some(x) => vec![*x],
                    }
                };
                covers(a).iter().any(|x| covers(b).contains(x))
            }
            _ => self == other,
        }
    }

    /// The name, for named kinds.
    pub fn name(&self) -> Option<&str> {
        match self {
            Decl::Method(n) | Decl::Tiers(n) | Decl::Flag(n) | Decl::Unit(n) => Some(n),
            _ => None,
        }
    }

    /// Whether both are of one kind (two methods, two flags…).
    pub fn same_kind(&self, other: &Decl) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    /// A stable key in the policy language's English keywords (`method 正向`, `round total`):
    /// the same whatever language a report is written in.
    pub fn key(&self) -> String {
        match self {
            Decl::Header => "header".into(),
            Decl::Scheme => "scheme".into(),
            Decl::Grades => "grades".into(),
            Decl::Inapplicable => "inapplicable".into(),
            Decl::Audit => "audit".into(),
            Decl::Round(None) => "round".into(),
            Decl::Round(Some(t)) => format!("round {}", t.english()),
            Decl::Method(n) => format!("method {n}"),
            Decl::Tiers(n) => format!("tiers {n}"),
            Decl::Flag(n) => format!("flag {n}"),
            Decl::Unit(n) => format!("unit {n}"),
        }
    }

    /// The declaration in words, for messages (`method `正向``, `方法 `正向``).
    pub fn describe(&self) -> Message {
        let round = |lang: Lang| match self {
            Decl::Round(t) => t.map_or("", |t| t.spelling(lang)).to_string(),
            _ => String::new(),
        };
        match self {
            Decl::Header => Message::new("the header", "政策信息"),
            Decl::Scheme => Message::new("the scheme", "指标体系"),
            Decl::Grades => Message::new("the grade bands", "等级"),
            Decl::Inapplicable => Message::new("`inapplicable`", "`不适用`"),
            Decl::Audit => Message::new("`audit`", "`审核`"),
            Decl::Round(None) => Message::new("`round`", "`舍入`"),
            Decl::Round(Some(_)) => {
                Message::new(format!("`round {}`", round(Lang::En)), format!("`舍入 {}`", round(Lang::Zh)))
            }
            Decl::Method(n) => Message::new(format!("method `{n}`"), format!("方法 `{n}`")),
            Decl::Tiers(n) => Message::new(format!("tier table `{n}`"), format!("档次表 `{n}`")),
            Decl::Flag(n) => Message::new(format!("flag `{n}`"), format!("提示 `{n}`")),
            Decl::Unit(n) => Message::new(format!("unit `{n}`"), format!("单位 `{n}`")),
        }
    }

    /// The declaration as a heading in `lang` (`method 正向`, `方法 正向`).
    pub fn title(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let word = |en: &str, cn: &str| if zh { cn.to_string() } else { en.to_string() };
        match self {
            Decl::Header => word("header", "政策信息"),
            Decl::Scheme => word("scheme", "指标体系"),
            Decl::Grades => word("grades", "等级"),
            Decl::Inapplicable => word("inapplicable", "不适用"),
            Decl::Audit => word("audit", "审核"),
            Decl::Round(None) => word("rounding", "舍入"),
            Decl::Round(Some(t)) => format!("{} {}", word("rounding", "舍入"), t.spelling(lang)),
            Decl::Method(n) => format!("{} {n}", word("method", "方法")),
            Decl::Tiers(n) => format!("{} {n}", word("tiers", "档次")),
            Decl::Flag(n) => format!("{} {n}", word("flag", "提示")),
            Decl::Unit(n) => format!("{} {n}", word("unit", "单位")),
        }
    }
}

impl fmt::Display for Decl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

impl Serialize for Decl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.key())
    }
}
