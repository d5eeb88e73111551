//! Tier tables: bands, words, takes, and the checks that depend on how a table is used.

use crate::codes::Code;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::*;

impl Checker<'_> {
    /// Tier tables, their names, and the lookups their values make (from, to, where).
    pub(super) fn tiers(
        &mut self,
        items: &[SourcedItem<'_>],
    ) -> (Vec<TierTable>, IndexMap<String, TiersId>, Vec<TableRef>) {
        let mut refs: Vec<TableRef> = Vec::new();
        let mut tables = Vec::new();
        let mut names: IndexMap<String, TiersId> = IndexMap::new();
        let mut seen: Seen = IndexMap::new();
        // Names first, so tier values can refer to other tables.
        for SourcedItem { file, item } in items {
            if let ItemKind::Tiers(t) = &item.kind {
                if let Some(first) = seen.get(&t.name.name) {
                    let first = *first;
                    self.duplicate(msg!("tier table", "档次表"), &t.name.name, *file, t.name.span, first);
                    continue;
                }
                seen.insert(t.name.name.clone(), (*file, t.name.span));
                names.insert(t.name.name.clone(), names.len());
            }
        }
        for SourcedItem { file, item } in items {
            let ItemKind::Tiers(t) = &item.kind else { continue };
            if seen.get(&t.name.name).is_some_and(|(f, s)| *f != *file || *s != t.name.span) {
                continue;
            }
            let file = *file;
            let mut rules = Vec::new();
            let mut tier_names: Seen = IndexMap::new();
            for tier in &t.tiers {
                let band = self.band(file, &tier.interval);
                if let Some(n) = &tier.name {
                    if let Some(first) = tier_names.get(&n.name) {
                        let first = *first;
                        self.duplicate(msg!("tier", "档次"), &n.name, file, n.span, first);
                    } else {
                        tier_names.insert(n.name.clone(), (file, n.span));
                    }
                }
                let value = tier.value.as_ref().and_then(|v| {
                    let scope =
                        Scope { operands: Operand::Unavailable(msg!("", "")), kind: ScopeKind::TierValue };
                    let mut ec = ExprChecker {
                        scope: &scope,
                        tables: &names,
                        file,
                        diags: &mut self.diags,
                        lookups: Vec::new(),
                        operands_reported: false,
                    };
                    let value = ec.expect(v, Type::Number);
                    let from = names.get(&t.name.name).copied().unwrap_or_default();
                    refs.extend(ec.lookups.into_iter().map(|(to, span)| (from, to, file, span)));
                    value
                });
                let mut words = Vec::new();
                let mut matches_target = false;
                for w in &tier.words {
                    match w {
                        ast::TierWord::Text(t) => words.push(normalize_label(&t.value)),
                        ast::TierWord::Target(_) => matches_target = true,
                        ast::TierWord::Unknown(i) => {
                            let name = &i.name;
                            self.push(
                                Diagnostic::error(Code::UnknownName, file, i.span, msg!("unknown word `{name}` in `words`", "`词语` 中的未知名称 `{name}`"))
                                    .with_help(msg!("quote literal words: `\"{name}\"`; `target` means the actual repeats the target", "字面词语请加引号：`\"{name}\"`；`目标` 表示实际值与目标相同")),
                            );
                        }
                    }
                }
                let location = self.location(file, tier.span);
                rules.push(TierRule {
                    name: tier.name.as_ref().map(|n| n.name.clone()),
                    label: tier.label.as_ref().map(|l| l.value.clone()),
                    band,
                    value,
                    words,
                    matches_target,
                    location,
                });
            }
            for i in 0..rules.len() {
                for j in i + 1..rules.len() {
                    if bands::overlap(&rules[i].band, &rules[j].band) {
                        let (a, b) = (&t.tiers[i], &t.tiers[j]);
                        self.push(
                            Diagnostic::error(
                                Code::BandOverlap,
                                file,
                                b.interval.span,
                                msg!("this tier overlaps an earlier one", "该档次与前面的档次重叠"),
                            )
                            .with_related(file, a.interval.span, msg!("overlaps this", "与此重叠"))
                            .with_help(msg!(
                                "make one end exclusive, e.g. `[60%, 80%)` and `[80%, 100%]`",
                                "将一端改为开区间，如 `[60%, 80%)` 与 `[80%, 100%]`"
                            )),
                        );
                    }
                }
            }
            let (mut take, mut fallback) = (TakeRule::Top, TakeRule::Top);
            for (i, tk) in t.takes.iter().enumerate() {
                if i > 0 {
                    self.duplicate(
                        msg!("take rule", "取值规则"),
                        "take",
                        file,
                        tk.span,
                        (file, t.takes[0].span),
                    );
                    continue;
                }
                take =
                    self.unknown_word(file, &tk.rule, msg!("take rule", "取值规则")).unwrap_or(TakeRule::Top);
                if let Some(fb) = &tk.fallback {
                    fallback =
                        self.unknown_word(file, fb, msg!("take rule", "取值规则")).unwrap_or(TakeRule::Top);
                    if fallback == TakeRule::Claimed {
                        self.push(Diagnostic::error(
                            Code::InvalidTake,
                            file,
                            fb.span(),
                            msg!("the fallback cannot be `claimed`", "后备取值不能是 `申报`"),
                        ));
                    }
                }
            }
            let location = self.location(file, t.span);
            tables.push(TierTable {
                name: t.name.name.clone(),
                label: t.label.as_ref().map(|l| l.value.clone()),
                tiers: rules,
                take,
                fallback,
                location,
            });
        }
        (tables, names, refs)
    }

    /// A tier value that looks up its own table, directly or through others, would never end.
    pub(super) fn lookup_cycles(&mut self, tables: &[TierTable], refs: &[TableRef]) {
        for &(from, to, file, span) in refs {
            // Is `from` reachable from `to`?
            let mut seen = vec![to];
            let mut frontier = vec![to];
            let mut cycle = false;
            while let Some(t) = frontier.pop() {
                if t == from {
                    cycle = true;
                    break;
                }
                for &(a, b, _, _) in refs {
                    if a == t && !seen.contains(&b) {
                        seen.push(b);
                        frontier.push(b);
                    }
                }
            }
            if cycle {
                let name = tables.get(from).map_or("?", |t| t.name.as_str());
                self.push(
                    Diagnostic::error(
                        Code::LookupCycle,
                        file,
                        span,
                        msg!(
                            "a value in tier table `{name}` looks itself up",
                            "档次表 `{name}` 的取值又查了自己"
                        ),
                    )
                    .with_help(msg!(
                        "tier values may look up other tables, never back",
                        "档次取值可以查其他档次表，但不能循环查表"
                    )),
                );
            }
        }
    }

    pub(super) fn band(&mut self, file: FileId, i: &ast::Interval) -> Band {
        let band = Band {
            low: i.low.as_ref().map(|b| (b.value.value, b.inclusive)),
            high: i.high.as_ref().map(|b| (b.value.value, b.inclusive)),
        };
        if bands::is_empty(&band) {
            self.push(
                Diagnostic::error(
                    Code::BandEmpty,
                    file,
                    i.span,
                    msg!("the interval `{i}` holds no value", "区间 `{i}` 不含任何值"),
                )
                .with_help(msg!(
                    "write the smaller bound first: `[low, high]`",
                    "请先写下限：`[下限, 上限]`"
                )),
            );
        }
        band
    }

    /// Checks that depend on how each table is used.
    pub(super) fn table_uses(
        &mut self,
        items: &[SourcedItem<'_>],
        tables: &mut [TierTable],
        uses: &[TableUse],
    ) {
        let decls: Vec<(FileId, &ast::Tiers)> = items
            .iter()
            .filter_map(|s| match &s.item.kind {
                ItemKind::Tiers(t) => Some((s.file, t)),
                _ => None,
            })
            .collect();
        for (id, table) in tables.iter().enumerate() {
            let Some((file, decl)) = decls.iter().find(|(_, d)| d.name.name == table.name).copied() else {
                continue;
            };
            let usage = &uses[id];
            if usage.qualitative.is_empty() && usage.lookup.is_empty() {
                let name = &table.name;
                self.push(Diagnostic::warning(
                    Code::UnusedDeclaration,
                    file,
                    decl.name.span,
                    msg!("tier table `{name}` is never used", "档次表 `{name}` 未被使用"),
                ));
                continue;
            }
            if !usage.qualitative.is_empty() {
                let by_value = table.take == TakeRule::Value || table.fallback == TakeRule::Value;
                for (rule, tier) in table.tiers.iter().zip(&decl.tiers).filter(|_| by_value) {
                    // A tier's value is a share of the weight inside its own band.
                    let share = match &rule.value {
                        Some(crate::policy::Expr::Num(d, _)) => Some(*d),
                        Some(crate::policy::Expr::Var(crate::words::Var::Full)) => Some(Decimal::ONE),
                        _ => None,
                    };
                    if rule.value.is_none() {
                        self.push(
                            Diagnostic::error(
                                Code::MissingTierValue,
                                file,
                                tier.span,
                                msg!(
                                    "this tier has no `=> value`, but the table takes the tier's value",
                                    "该档次没有 `=> 取值`，但档次表按档次取值计分"
                                ),
                            )
                            .with_help(msg!(
                                "give the tier its share of the weight, e.g. `=> 70%`",
                                "写出该档得分占分值的比例，如 `=> 70%`"
                            )),
                        );
                    } else if share.is_none_or(|d| !rule.band.contains(d)) {
                        self.push(
                            Diagnostic::error(
                                Code::BandOutOfRange,
                                file,
                                tier.span,
                                msg!(
                                    "a qualitative tier's value is a share of the weight and must be a number inside its band",
                                    "定性档次的取值是分值的比例，必须是该档区间内的数"
                                ),
                            )
                            .with_help(msg!("e.g. `部分达成 [60%, 80%) => 70%`", "如 `部分达成 [60%, 80%) => 70%`")),
                        );
                    }
                }
                for (rule, tier) in table.tiers.iter().zip(&decl.tiers) {
                    if rule.name.is_none() && rule.label.is_none() {
                        self.push(
                            Diagnostic::error(
                                Code::UnnamedTier,
                                file,
                                tier.span,
                                msg!("a qualitative tier needs a name", "定性档次需要名称"),
                            )
                            .with_help(msg!(
                                "write a name before the band: `达成 [80%, 100%]`",
                                "在区间前写名称：`达成 [80%, 100%]`"
                            )),
                        );
                    }
                    let outside = rule.band.low.is_none_or(|(v, _)| v < Decimal::ZERO)
                        || rule.band.high.is_none_or(|(v, _)| v > Decimal::ONE);
                    if outside {
                        self.push(Diagnostic::error(
                            Code::BandOutOfRange,
                            file,
                            tier.interval.span,
                            msg!(
                                "a qualitative band is a share of the weight and must lie within [0%, 100%]",
                                "定性档次是分值的比例，必须在 [0%, 100%] 之内"
                            ),
                        )
                        .with_help(msg!("write it as a share, e.g. `[80%, 100%]`", "请写作比例，如 `[80%, 100%]`")));
                    }
                }
                let all: Vec<Band> = table.tiers.iter().map(|t| t.band).collect();
                for gap in bands::gaps(&all, Decimal::ZERO, Decimal::ONE, None) {
                    let text = gap_text(&gap, true);
                    self.push(
                        Diagnostic::error(
                            Code::BandGap,
                            file,
                            decl.name.span,
                            msg!("no tier covers {text}", "没有档次覆盖 {text}"),
                        )
                        .with_note(msg!(
                            "qualitative tiers must cover 0%–100% of the weight",
                            "定性档次必须覆盖分值的 0%–100%"
                        )),
                    );
                }
            }
            if !usage.lookup.is_empty() {
                for (rule, tier) in table.tiers.iter().zip(&decl.tiers) {
                    if rule.value.is_none() {
                        let (uf, us) = usage.lookup[0];
                        self.push(
                            Diagnostic::error(
                                Code::MissingTierValue,
                                file,
                                tier.span,
                                msg!(
                                    "this tier has no `=> value`, but the table is used with `lookup`",
                                    "该档次没有 `=> 取值`，但档次表被 `查表` 使用"
                                ),
                            )
                            .with_related(uf, us, msg!("used here", "在此使用")),
                        );
                    }
                }
                let all: Vec<Band> = table.tiers.iter().map(|t| t.band).collect();
                let lo = all.iter().filter_map(|b| b.low.map(|l| l.0)).min();
                let hi = all.iter().filter_map(|b| b.high.map(|h| h.0)).max();
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    for gap in bands::gaps(&all, lo, hi, None)
                        .into_iter()
                        .filter(|g| (g.from.0 > lo || !g.from.1) && g.from.0 < hi)
                    {
                        let percent = decl.tiers.iter().any(|t| {
                            t.interval.low.as_ref().is_some_and(|b| b.value.percent)
                                || t.interval.high.as_ref().is_some_and(|b| b.value.percent)
                        });
                        let text = gap_text(&gap, percent);
                        self.push(Diagnostic::error(
                            Code::BandGap,
                            file,
                            decl.name.span,
                            msg!("no tier covers {text}", "没有档次覆盖 {text}"),
                        ));
                    }
                }
            }
        }
    }
}

pub(super) fn gap_text(gap: &bands::Gap, percent: bool) -> String {
    let show = |v: Decimal| {
        if percent {
            format!("{}%", v.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(v).normalize())
        } else {
            v.normalize().to_string()
        }
    };
    let open = if gap.from.1 { "[" } else { "(" };
    let close = if gap.to.1 { "]" } else { ")" };
    format!("{open}{}, {}{close}", show(gap.from.0), show(gap.to.0))
}
