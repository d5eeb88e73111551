//! The scheme: categories, points, aliases and splits.

use crate::codes::Code;
use rust_decimal::Decimal;

use super::*;
use crate::text::normalized_label;

impl Checker<'_> {
    pub(super) fn scheme(&mut self, items: &[SourcedItem<'_>]) -> Option<Scheme> {
        let mut found: Option<(FileId, &ast::Scheme, Span)> = None;
        for SourcedItem { file, item } in items {
            if let ItemKind::Scheme(s) = &item.kind {
                match found {
                    Some((f, _, span)) => {
                        self.duplicate(msg!("scheme", "指标体系"), "scheme", *file, item.span, (f, span));
                    }
                    None => found = Some((*file, s, item.span)),
                }
            }
        }
        let Some((file, s, _)) = found else {
            self.push(
                Diagnostic::error(
                    Code::MissingScheme,
                    self.main,
                    self.whole(),
                    msg!("the policy has no `scheme`", "政策缺少 `指标体系`"),
                )
                .with_help(msg!(
                    "declare the indicator tree: `scheme total 100 {{ budget \"预算执行率\" 10 … }}`",
                    "请声明指标体系：`指标体系 总分 100 {{ 预算执行 \"预算执行率\" 10 … }}`"
                )),
            );
            return None;
        };
        let total = s.total.as_ref().map_or(Decimal::ONE_HUNDRED, |n| n.value);
        if let Some(n) = &s.total
            && n.value <= Decimal::ZERO
        {
            self.push(Diagnostic::error(
                Code::InvalidPoints,
                file,
                n.span,
                msg!("the total must be above zero", "总分必须大于零"),
            ));
        }
        let split = self.split_rule(file, &s.splits, SplitRule::default());
        let mut budget = None;
        for (i, b) in s.budgets.iter().enumerate() {
            if i > 0 {
                self.duplicate(
                    msg!("budget entry", "预算执行项"),
                    &b.label.value,
                    file,
                    b.span,
                    (file, s.budgets[0].span),
                );
                continue;
            }
            self.non_negative(file, &b.points);
            budget = Some(BudgetItem {
                label: b.label.value.clone(),
                aliases: b.aliases.iter().map(|a| a.value.clone()).collect(),
                points: b.points.value,
            });
        }
        let mut scheme = Scheme { total, budget, nodes: Vec::new(), roots: Vec::new(), split };
        self.siblings(file, &s.nodes);
        for node in &s.nodes {
            let id = self.node(file, node, None, split, &mut scheme);
            scheme.roots.push(id);
        }
        // Points: budget + level 1 = total; children = parent.
        let level1: Vec<&ast::Node> = s.nodes.iter().collect();
        for n in &level1 {
            if n.points.is_none() {
                let label = &n.label.value;
                self.push(
                    Diagnostic::error(
                        Code::MissingPoints,
                        file,
                        n.label.span,
                        msg!("level-1 category `{label}` has no points", "一级指标 `{label}` 未给分值"),
                    )
                    .with_help(msg!(
                        "write its points after the label: `\"{label}\" 50`",
                        "在名称后写分值：`\"{label}\" 50`"
                    )),
                );
            }
        }
        if level1.iter().all(|n| n.points.is_some()) && !level1.is_empty() {
            let sum: Decimal =
                level1.iter().filter_map(|n| n.points.as_ref()).map(|p| p.value).sum::<Decimal>()
                    + s.budgets.first().map_or(Decimal::ZERO, |b| b.points.value);
            if sum != total {
                let span = s.total.as_ref().map_or(s.span, |t| t.span);
                let mut d = Diagnostic::error(
                    Code::PointsDoNotSum,
                    file,
                    span,
                    msg!(
                        "the categories add up to {sum} points, but the total is {total}",
                        "各一级指标分值合计 {sum} 分，与总分 {total} 不符"
                    ),
                );
                if let Some(b) = s.budgets.first() {
                    let p = b.points.value;
                    d = d.with_related(file, b.points.span, msg!("budget: {p}", "预算执行：{p}"));
                }
                for n in &level1 {
                    if let Some(p) = &n.points {
                        let v = p.value;
                        d = d.with_related(file, p.span, msg!("{v}", "{v}"));
                    }
                }
                self.push(d);
            }
        }
        Some(scheme)
    }

    pub(super) fn non_negative(&mut self, file: FileId, n: &ast::Num) {
        if n.value < Decimal::ZERO {
            self.push(Diagnostic::error(
                Code::InvalidPoints,
                file,
                n.span,
                msg!("points cannot be negative", "分值不能为负数"),
            ));
        }
    }

    pub(super) fn split_rule(
        &mut self,
        file: FileId,
        splits: &[ast::Split],
        inherited: SplitRule,
    ) -> SplitRule {
        let mut rule = inherited;
        for (i, s) in splits.iter().enumerate() {
            if i > 0 {
                self.duplicate(msg!("split rule", "分配规则"), "split", file, s.span, (file, splits[0].span));
                continue;
            }
            self.unknown_word(file, &s.mode, msg!("split mode", "分配方式"));
            rule = SplitRule { integers: s.integers };
        }
        rule
    }

    /// Labels and aliases must be unique among siblings.
    pub(super) fn siblings(&mut self, file: FileId, nodes: &[ast::Node]) {
        // Siblings are few: a list, searched in order, and keys borrowed where already normal.
        let mut seen: Vec<(std::borrow::Cow<'_, str>, (FileId, Span))> = Vec::new();
        for n in nodes {
            for t in std::iter::once(&n.label).chain(n.aliases.iter()) {
                let key = normalized_label(&t.value);
                if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    let first = *first;
                    self.duplicate(msg!("category", "指标类别"), &t.value, file, t.span, first);
                } else {
                    seen.push((key, (file, t.span)));
                }
            }
        }
    }

    pub(super) fn node(
        &mut self,
        file: FileId,
        n: &ast::Node,
        parent: Option<NodeId>,
        split: SplitRule,
        scheme: &mut Scheme,
    ) -> NodeId {
        if let Some(p) = &n.points {
            self.non_negative(file, p);
        }
        let split = self.split_rule(file, &n.splits, split);
        let id = scheme.nodes.len();
        let keys =
            std::iter::once(&n.label).chain(n.aliases.iter()).map(|t| normalize_label(&t.value)).collect();
        scheme.nodes.push(SchemeNode {
            keys,
            label: n.label.value.clone(),
            aliases: n.aliases.iter().map(|a| a.value.clone()).collect(),
            ceiling: n.ceiling,
            points: n.points.as_ref().map(|p| p.value),
            parent,
            children: Vec::new(),
            split,
        });
        if parent.is_some() && !n.children.is_empty() {
            let label = &n.label.value;
            self.push(
                Diagnostic::error(
                    Code::SchemeTooDeep,
                    file,
                    n.children[0].span,
                    msg!(
                        "`{label}` is a level-2 category and cannot have sub-categories",
                        "`{label}` 是二级指标，不能再分类"
                    ),
                )
                .with_note(msg!(
                    "level-3 indicators come from the sheet, not the scheme",
                    "三级指标来自自评表，不在指标体系中声明"
                )),
            );
            return id;
        }
        self.siblings(file, &n.children);
        let mut kids = Vec::new();
        for c in &n.children {
            kids.push(self.node(file, c, Some(id), split, scheme));
        }
        scheme.nodes[id].children = kids;
        // Children's points against the parent's.
        if let Some(parent_points) = &n.points {
            let given: Vec<&ast::Num> = n.children.iter().filter_map(|c| c.points.as_ref()).collect();
            if !given.is_empty() {
                let sum: Decimal = given.iter().map(|p| p.value).sum();
                let all = given.len() == n.children.len();
                let pv = parent_points.value;
                let label = &n.label.value;
                if (all && sum != pv) || (!all && sum > pv) {
                    let mut d = Diagnostic::error(
                        Code::PointsDoNotSum,
                        file,
                        parent_points.span,
                        msg!(
                            "the sub-categories of `{label}` add up to {sum} points, but it has {pv}",
                            "`{label}` 的二级指标分值合计 {sum} 分，与其分值 {pv} 不符"
                        ),
                    );
                    for p in given {
                        let v = p.value;
                        d = d.with_related(file, p.span, msg!("{v}", "{v}"));
                    }
                    self.push(d);
                }
            }
        }
        id
    }

    /// The scheme node a category label names (label before alias, level 1 before level 2).
    pub(super) fn find_node(scheme: &Scheme, label: &str) -> Option<NodeId> {
        // Each node's keys are its label and then its aliases, already in matching form.
        let key = normalized_label(label);
        let key = key.as_ref();
        let by_label = scheme.nodes.iter().position(|n| n.keys.first().is_some_and(|k| k == key));
        by_label.or_else(|| scheme.nodes.iter().position(|n| n.keys.iter().skip(1).any(|a| a == key)))
    }

    pub(super) fn category(&mut self, file: FileId, scheme: &Scheme, t: &ast::Text) -> Option<NodeId> {
        let found = Self::find_node(scheme, &t.value);
        if found.is_none() && !self.no_scheme {
            let name = &t.value;
            let mut d = Diagnostic::error(
                Code::UnknownName,
                file,
                t.span,
                msg!("unknown category `{name}`", "未知的指标类别 `{name}`"),
            );
            let labels = scheme
                .nodes
                .iter()
                .flat_map(|n| std::iter::once(n.label.as_str()).chain(n.aliases.iter().map(String::as_str)));
            if let Some(s) = did_you_mean(name, labels) {
                d = d.with_help(msg!("did you mean `\"{s}\"`?", "是否应为 `\"{s}\"`？"));
            }
            self.push(d);
        }
        found
    }
}
