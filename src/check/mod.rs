//! Checking: items to a resolved [`Policy`], with every problem collected in one pass.
//!
//! The checker never stops at the first problem. Names become indices, literals stay exact
//! decimals, and every rule keeps its [`Location`] for explanations.

mod bands;
mod expr;

use indexmap::IndexMap;
use rust_decimal::Decimal;

use self::expr::{ExprChecker, Operand, Scope, ScopeKind, Type};
use crate::ast::{self, Item, ItemKind, Span, Word};
use crate::diagnostic::{Diagnostic, FileId, Message, Sources, line_col};
use crate::msg;
use crate::policy::*;
use crate::text::normalize_label;
use crate::words::{
    Direction, InapplicableMode, RoundMode, RoundTarget, Subject, TakeRule, Vocabulary, did_you_mean,
};

/// An item together with the file it came from.
#[derive(Clone, Copy, Debug)]
pub struct SourcedItem<'a> {
    /// The file.
    pub file: FileId,
    /// The item.
    pub item: &'a Item,
}

/// A policy that checked, with any warnings.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The resolved policy.
    pub policy: Policy,
    /// Problems that do not stop it from being used.
    pub warnings: Vec<Diagnostic>,
}

/// A policy that did not check: every problem found, errors and warnings.
#[derive(Clone, Debug)]
pub struct CheckError {
    /// All diagnostics, at least one an error.
    pub diagnostics: Vec<Diagnostic>,
}

/// Check the items of one parsed file.
pub fn check_file(file: &ast::PolicyFile, id: FileId, sources: &Sources) -> Result<Checked, CheckError> {
    let items: Vec<SourcedItem<'_>> = file.items.iter().map(|item| SourcedItem { file: id, item }).collect();
    check(&items, id, sources)
}

/// Check the items of one file into a policy. `main` is the file the policy is named after.
pub fn check(items: &[SourcedItem<'_>], main: FileId, sources: &Sources) -> Result<Checked, CheckError> {
    check_items(items, main, sources, false)
}

/// Check items composed from a chain of `extends` (overrides and removals already applied).
pub fn check_composed(
    items: &[SourcedItem<'_>],
    main: FileId,
    sources: &Sources,
) -> Result<Checked, CheckError> {
    check_items(items, main, sources, true)
}

fn check_items(
    items: &[SourcedItem<'_>],
    main: FileId,
    sources: &Sources,
    composed: bool,
) -> Result<Checked, CheckError> {
    let policy_span = items.iter().find_map(|s| match &s.item.kind {
        ItemKind::PolicyName(_) if s.file == main => Some(s.item.span),
        _ => None,
    });
    let mut checker =
        Checker { sources, no_scheme: false, policy_span, files: vec![main], diags: Vec::new(), main };
    let policy = checker.run(items, composed);
    let has_errors = checker.diags.iter().any(Diagnostic::is_error);
    match policy {
        Some(policy) if !has_errors => Ok(Checked { policy, warnings: checker.diags }),
        _ => Err(CheckError { diagnostics: checker.diags }),
    }
}

struct Checker<'a> {
    sources: &'a Sources,
    no_scheme: bool,
    policy_span: Option<Span>,
    files: Vec<FileId>,
    diags: Vec<Diagnostic>,
    main: FileId,
}

/// How a tier table is used, to check what that use needs.
#[derive(Default, Clone)]
struct TableUse {
    qualitative: Vec<(FileId, Span)>,
    lookup: Vec<(FileId, Span)>,
}

/// A tier value that looks up a table: (table, table looked up, file, where).
type TableRef = (TiersId, TiersId, FileId, Span);

/// Checked grade bands with the declaration they came from.
type GradesDecl = (Vec<GradeBand>, (FileId, Vec<ast::Grade>));

/// Where each named declaration was first made, for "first defined here".
type Seen = IndexMap<String, (FileId, Span)>;

impl Checker<'_> {
    fn location(&mut self, file: FileId, span: Span) -> Location {
        let index = match self.files.iter().position(|f| *f == file) {
            Some(i) => i,
            None => {
                self.files.push(file);
                self.files.len() - 1
            }
        };
        let line = self.sources.get(file).map_or(0, |f| line_col(&f.text, span.start).0);
        Location {
            file: u16::try_from(index).unwrap_or(u16::MAX),
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }

    fn source_text(&self, file: FileId, span: Span) -> String {
        self.sources
            .get(file)
            .and_then(|f| f.text.get(span.range()))
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }

    /// Where to point for a problem with the policy as a whole: its `policy` line, if any.
    fn whole(&self) -> Span {
        self.policy_span.unwrap_or(Span::new(0, 0))
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn duplicate(&mut self, what: Message, name: &str, file: FileId, span: Span, first: (FileId, Span)) {
        self.push(
            Diagnostic::error(
                "duplicate-definition",
                file,
                span,
                Message::new(
                    format!("{} `{name}` is defined twice", what.en),
                    format!("{} `{name}` 重复定义", what.zh),
                ),
            )
            .with_label(msg!("defined again here", "此处再次定义"))
            .with_related(first.0, first.1, msg!("first defined here", "首次定义于此")),
        );
    }

    fn unknown_word<T: crate::words::Vocabulary>(
        &mut self,
        file: FileId,
        word: &Word<T>,
        what: Message,
    ) -> Option<T> {
        match word {
            Word::Known(t, _) => Some(*t),
            Word::Unknown(ident) => {
                let name = &ident.name;
                let mut d = Diagnostic::error(
                    "unknown-name",
                    file,
                    ident.span,
                    Message::new(
                        format!("unknown {} `{name}`", what.en),
                        format!("未知的{} `{name}`", what.zh),
                    ),
                );
                match did_you_mean(name, T::spellings()) {
                    Some(s) => d = d.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？")),
                    None => {
                        let en: Vec<&str> =
                            T::entries().iter().filter_map(|(_, s)| s.first().copied()).collect();
                        let zh: Vec<&str> = T::entries()
                            .iter()
                            .filter_map(|(_, s)| s.get(1).or(s.first()).copied())
                            .collect();
                        d = d.with_help(Message::new(
                            format!("expected one of `{}`", en.join("`, `")),
                            format!("可选：`{}`", zh.join("`、`")),
                        ));
                    }
                }
                self.push(d);
                None
            }
        }
    }

    fn run(&mut self, items: &[SourcedItem<'_>], composed: bool) -> Option<Policy> {
        let header = self.header(items);
        let (tables, table_names, refs) = self.tiers(items);
        let scheme = self.scheme(items);
        let mut uses: Vec<TableUse> = vec![TableUse::default(); tables.len()];
        for &(_, to, file, span) in &refs {
            uses[to].lookup.push((file, span));
        }
        self.lookup_cycles(&tables, &refs);
        // Without a scheme, methods and flags are still checked, against an empty one whose
        // category names are not reported unknown.
        let empty = Scheme {
            total: Decimal::ONE_HUNDRED,
            budget: None,
            nodes: Vec::new(),
            roots: Vec::new(),
            split: SplitRule::default(),
        };
        self.no_scheme = scheme.is_none();
        let (methods, selection) =
            self.methods(items, scheme.as_ref().unwrap_or(&empty), &table_names, &mut uses);
        let grades = self.grades(items);
        let rounding = self.rounding(items);
        let units = self.units(items);
        let inapplicable = self.inapplicable(items);
        let flags = self.flags(items, scheme.as_ref().unwrap_or(&empty), &table_names, &mut uses);
        let mut tables = tables;
        self.table_uses(items, &mut tables, &uses);
        if let (Some(grades), Some(scheme)) = (&grades, &scheme) {
            self.grade_coverage(grades, scheme.total, rounding.total);
        }
        if let Some(s) = &scheme {
            self.missing_methods(s, &selection);
        }
        if !composed {
            self.leftover_composition(items);
        }
        let (name, jurisdiction, year, basis) = header?;
        let scheme = scheme?;
        let files = self.files.iter().map(|f| self.sources.name(*f).to_string()).collect();
        let mut policy = Policy {
            name,
            jurisdiction,
            year,
            basis,
            files,
            hash: String::new(),
            scheme,
            methods,
            selection,
            tiers: tables,
            grades: grades.map(|(g, _)| g).unwrap_or_default(),
            rounding,
            units,
            inapplicable,
            flags,
        };
        policy.hash = policy.content_hash();
        Some(policy)
    }

    // ------------------------------------------------------------ header

    fn header(&mut self, items: &[SourcedItem<'_>]) -> Option<(String, String, u32, Option<String>)> {
        let mut seen: IndexMap<&'static str, (FileId, Span)> = IndexMap::new();
        let (mut name, mut jurisdiction, mut year, mut basis) = (None, None, None, None);
        for SourcedItem { file, item } in items {
            let (key, what) = match &item.kind {
                ItemKind::PolicyName(t) => {
                    name.get_or_insert(t.value.clone());
                    ("policy", msg!("the policy name", "政策名称"))
                }
                ItemKind::Jurisdiction(t) => {
                    jurisdiction.get_or_insert(t.value.clone());
                    ("jurisdiction", msg!("the jurisdiction", "地区"))
                }
                ItemKind::Year(y) => {
                    if !(1990..=2200).contains(&y.value) {
                        let v = y.value;
                        self.push(
                            Diagnostic::error(
                                "invalid-year",
                                *file,
                                y.span,
                                msg!("year `{v}` is out of range", "年度 `{v}` 超出范围"),
                            )
                            .with_help(msg!(
                                "write the first year the policy applies to, e.g. `year 2020`",
                                "填写政策开始适用的年度，如 `年度 2020`"
                            )),
                        );
                    }
                    year.get_or_insert(y.value);
                    ("year", msg!("the year", "年度"))
                }
                ItemKind::Basis(t) => {
                    basis.get_or_insert(t.value.clone());
                    ("basis", msg!("the basis", "依据"))
                }
                _ => continue,
            };
            if let Some(first) = seen.get(key) {
                let first = *first;
                self.push(
                    Diagnostic::error(
                        "duplicate-definition",
                        *file,
                        item.span,
                        Message::new(format!("{} is given twice", what.en), format!("{}重复给出", what.zh)),
                    )
                    .with_related(
                        first.0,
                        first.1,
                        msg!("first given here", "首次给出于此"),
                    ),
                );
            } else {
                seen.insert(key, (*file, item.span));
            }
        }
        let missing = |this: &mut Self, en: &str, zh: &str, example: &str| {
            this.push(
                Diagnostic::error(
                    "missing-header",
                    this.main,
                    this.whole(),
                    Message::new(format!("the policy has no `{en}`"), format!("政策缺少 `{zh}`")),
                )
                .with_help(Message::new(
                    format!("add a line such as `{example}`"),
                    format!("请添加一行，如 `{example}`"),
                )),
            );
        };
        if name.is_none() {
            missing(self, "policy", "政策", "policy \"项目支出绩效自评\"");
        }
        if jurisdiction.is_none() {
            missing(self, "jurisdiction", "地区", "jurisdiction \"national\"");
        }
        if year.is_none() {
            missing(self, "year", "年度", "year 2020");
        }
        Some((name?, jurisdiction?, year?, basis))
    }

    fn leftover_composition(&mut self, items: &[SourcedItem<'_>]) {
        for SourcedItem { file, item } in items {
            if item.overrides {
                self.push(
                    Diagnostic::error(
                        "nothing-to-override",
                        *file,
                        item.span,
                        msg!(
                            "`override` needs an inherited declaration, but this policy extends nothing",
                            "`覆盖` 需要继承来的声明，但本政策没有继承其他政策"
                        ),
                    )
                    .with_help(msg!(
                        "remove `override`, or add `extends \"…\"`",
                        "删除 `覆盖`，或添加 `继承 \"…\"`"
                    )),
                );
            }
            match &item.kind {
                ItemKind::Remove(_) => self.push(Diagnostic::error(
                    "nothing-to-remove",
                    *file,
                    item.span,
                    msg!(
                        "`remove` needs an inherited declaration, but this policy extends nothing",
                        "`删除` 需要继承来的声明，但本政策没有继承其他政策"
                    ),
                )),
                ItemKind::Extends(t) => self.push(
                    Diagnostic::error(
                        "unresolved-extends",
                        *file,
                        t.span,
                        msg!(
                            "`extends` can only be resolved inside a rules folder",
                            "`继承` 只能在规则目录中解析"
                        ),
                    )
                    .with_help(msg!(
                        "check the file as part of its rules folder: `jixiao check --rules DIR FILE`",
                        "请在规则目录中检查：`jixiao check --rules 目录 文件`"
                    )),
                ),
                _ => {}
            }
        }
    }

    // ------------------------------------------------------------ scheme

    fn scheme(&mut self, items: &[SourcedItem<'_>]) -> Option<Scheme> {
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
                    "missing-scheme",
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
                "invalid-points",
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
                        "missing-points",
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
                    "points-do-not-sum",
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

    fn non_negative(&mut self, file: FileId, n: &ast::Num) {
        if n.value < Decimal::ZERO {
            self.push(Diagnostic::error(
                "invalid-points",
                file,
                n.span,
                msg!("points cannot be negative", "分值不能为负数"),
            ));
        }
    }

    fn split_rule(&mut self, file: FileId, splits: &[ast::Split], inherited: SplitRule) -> SplitRule {
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
    fn siblings(&mut self, file: FileId, nodes: &[ast::Node]) {
        let mut seen: Seen = IndexMap::new();
        for n in nodes {
            for t in std::iter::once(&n.label).chain(n.aliases.iter()) {
                let key = normalize_label(&t.value);
                if let Some(first) = seen.get(&key) {
                    let first = *first;
                    self.duplicate(msg!("category", "指标类别"), &t.value, file, t.span, first);
                } else {
                    seen.insert(key, (file, t.span));
                }
            }
        }
    }

    fn node(
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
            points: n.points.as_ref().map(|p| p.value),
            parent,
            children: Vec::new(),
            split,
        });
        if parent.is_some() && !n.children.is_empty() {
            let label = &n.label.value;
            self.push(
                Diagnostic::error(
                    "scheme-too-deep",
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
                        "points-do-not-sum",
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
    fn find_node(scheme: &Scheme, label: &str) -> Option<NodeId> {
        let key = normalize_label(label);
        let by_label = scheme.nodes.iter().position(|n| normalize_label(&n.label) == key);
        by_label
            .or_else(|| scheme.nodes.iter().position(|n| n.aliases.iter().any(|a| normalize_label(a) == key)))
    }

    fn category(&mut self, file: FileId, scheme: &Scheme, t: &ast::Text) -> Option<NodeId> {
        let found = Self::find_node(scheme, &t.value);
        if found.is_none() && !self.no_scheme {
            let name = &t.value;
            let mut d = Diagnostic::error(
                "unknown-name",
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

    // ------------------------------------------------------------ tiers

    /// Tier tables, their names, and the lookups their values make (from, to, where).
    fn tiers(
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
            if seen.get(&t.name.name).is_some_and(|(f, s)| *f != *file || !s.same(t.name.span)) {
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
                        ast::TierWord::Text(t) => {
                            words.push(crate::text::fold_width(&t.value).trim().to_string())
                        }
                        ast::TierWord::Target(_) => matches_target = true,
                        ast::TierWord::Unknown(i) => {
                            let name = &i.name;
                            self.push(
                                Diagnostic::error("unknown-name", file, i.span, msg!("unknown word `{name}` in `words`", "`词语` 中的未知名称 `{name}`"))
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
                                "band-overlap",
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
                            "invalid-take",
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
    fn lookup_cycles(&mut self, tables: &[TierTable], refs: &[TableRef]) {
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
                        "lookup-cycle",
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

    fn band(&mut self, file: FileId, i: &ast::Interval) -> Band {
        let band = Band {
            low: i.low.as_ref().map(|b| (b.value.value, b.inclusive)),
            high: i.high.as_ref().map(|b| (b.value.value, b.inclusive)),
        };
        if bands::is_empty(&band) {
            self.push(
                Diagnostic::error(
                    "band-empty",
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
    fn table_uses(&mut self, items: &[SourcedItem<'_>], tables: &mut [TierTable], uses: &[TableUse]) {
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
                    "unused-declaration",
                    file,
                    decl.name.span,
                    msg!("tier table `{name}` is never used", "档次表 `{name}` 未被使用"),
                ));
                continue;
            }
            if !usage.qualitative.is_empty() {
                for (rule, tier) in table.tiers.iter().zip(&decl.tiers) {
                    if rule.name.is_none() && rule.label.is_none() {
                        self.push(
                            Diagnostic::error(
                                "unnamed-tier",
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
                            "band-out-of-range",
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
                            "band-gap",
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
                                "missing-tier-value",
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
                            "band-gap",
                            file,
                            decl.name.span,
                            msg!("no tier covers {text}", "没有档次覆盖 {text}"),
                        ));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ methods

    fn selectors(
        &mut self,
        file: FileId,
        scheme: &Scheme,
        sels: &[ast::Selector],
    ) -> Vec<(Option<NodeId>, Option<Subject>, Span)> {
        let mut out = Vec::new();
        for s in sels {
            let node = match &s.category {
                Some(t) => match self.category(file, scheme, t) {
                    Some(n) => Some(n),
                    None => continue,
                },
                None => None,
            };
            let subject = match &s.subject {
                Some(w) => match self.unknown_word(file, w, msg!("direction", "方向")) {
                    Some(sub) => Some(sub),
                    None => continue,
                },
                None => None,
            };
            out.push((node, subject, s.span));
        }
        out
    }

    fn methods(
        &mut self,
        items: &[SourcedItem<'_>],
        scheme: &Scheme,
        tables: &IndexMap<String, TiersId>,
        uses: &mut [TableUse],
    ) -> (Vec<Method>, Selection) {
        let mut methods = Vec::new();
        let mut seen: Seen = IndexMap::new();
        let mut explicit: IndexMap<(NodeId, usize), (MethodId, FileId, Span)> = IndexMap::new();
        let mut node_all: IndexMap<NodeId, (MethodId, FileId, Span)> = IndexMap::new();
        let mut any: IndexMap<usize, (MethodId, FileId, Span)> = IndexMap::new();
        let mut budget: Option<(MethodId, FileId, Span)> = None;
        for SourcedItem { file, item } in items {
            let ItemKind::Method(m) = &item.kind else { continue };
            let file = *file;
            if let Some(first) = seen.get(&m.name.name) {
                let first = *first;
                self.duplicate(msg!("method", "方法"), &m.name.name, file, m.name.span, first);
                continue;
            }
            seen.insert(m.name.name.clone(), (file, m.name.span));
            let id = methods.len();
            let sels = self.selectors(file, scheme, &m.selectors);
            // Which directions can reach this method, to type `actual` and `target`.
            let mut dirs: Vec<Direction> = Vec::new();
            let mut for_budget = false;
            let names: Vec<String> = methods.iter().map(|m: &Method| m.name.clone()).collect();
            let claim = |this: &mut Self,
                         slot: Option<(MethodId, FileId, Span)>,
                         span: Span|
             -> Option<(MethodId, FileId, Span)> {
                if let Some((other, f, s)) = slot {
                    let other = names.get(other).map_or("?", String::as_str);
                    this.push(
                        Diagnostic::error(
                            "ambiguous-method",
                            file,
                            span,
                            msg!("method `{other}` already applies here", "方法 `{other}` 已适用于此"),
                        )
                        .with_related(f, s, msg!("`{other}` applies here", "`{other}` 的适用范围"))
                        .with_help(msg!(
                            "give each category and direction one method",
                            "每个类别和方向只能有一个方法"
                        )),
                    );
                    slot
                } else {
                    Some((id, file, span))
                }
            };
            if m.selectors.is_empty() {
                let name = &m.name.name;
                self.push(
                    Diagnostic::warning(
                        "unused-declaration",
                        file,
                        m.name.span,
                        msg!("method `{name}` applies to nothing", "方法 `{name}` 未适用于任何指标"),
                    )
                    .with_help(msg!(
                        "say what it scores: `method {name} for ≥ {{ … }}`",
                        "说明适用范围：`方法 {name} 适用 ≥ {{ … }}`"
                    )),
                );
            }
            for (node, subject, span) in sels {
                match subject {
                    Some(Subject::Sheet) | Some(Subject::Group) => {
                        self.push(
                            Diagnostic::error(
                                "invalid-selector",
                                file,
                                span,
                                msg!(
                                    "methods score indicators or the budget, not sheets or groups",
                                    "方法只能用于指标或预算执行，不能用于全表或指标组"
                                ),
                            )
                            .with_help(msg!(
                                "use a `flag` to act on groups or the sheet",
                                "对指标组或全表请使用 `提示`"
                            )),
                        );
                    }
                    Some(Subject::Budget) => {
                        if node.is_some() {
                            self.push(Diagnostic::error(
                                "invalid-selector",
                                file,
                                span,
                                msg!(
                                    "`budget` cannot be combined with a category",
                                    "`预算执行` 不能与指标类别组合"
                                ),
                            ));
                            continue;
                        }
                        for_budget = true;
                        budget = claim(self, budget, span);
                    }
                    subject => {
                        let ds: Vec<Direction> = match subject.and_then(Subject::direction) {
                            Some(d) => vec![d],
                            None => Direction::ALL.to_vec(),
                        };
                        for d in &ds {
                            if !dirs.contains(d) {
                                dirs.push(*d);
                            }
                        }
                        match (node, subject) {
                            (Some(n), Some(_)) => {
                                for d in ds {
                                    let key = (n, direction_index(d));
                                    let slot = explicit.get(&key).copied();
                                    if let Some(v) = claim(self, slot, span) {
                                        explicit.insert(key, v);
                                    }
                                }
                            }
                            (Some(n), None) => {
                                let slot = node_all.get(&n).copied();
                                if let Some(v) = claim(self, slot, span) {
                                    node_all.insert(n, v);
                                }
                            }
                            (None, _) => {
                                for d in ds {
                                    let slot = any.get(&direction_index(d)).copied();
                                    if let Some(v) = claim(self, slot, span) {
                                        any.insert(direction_index(d), v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if for_budget && !dirs.is_empty() {
                self.push(
                    Diagnostic::error(
                        "invalid-selector",
                        file,
                        m.name.span,
                        msg!(
                            "a method cannot score both the budget and indicators",
                            "一个方法不能同时用于预算执行和指标"
                        ),
                    )
                    .with_help(msg!(
                        "write a separate method `for budget`",
                        "请另写一个 `适用 预算执行` 的方法"
                    )),
                );
            }
            let scope = method_scope(&dirs, for_budget);
            let mut default_actual = None;
            let mut default_lookups = Vec::new();
            for (i, d) in m.defaults.iter().enumerate() {
                if i > 0 {
                    self.push(Diagnostic::error(
                        "duplicate-definition",
                        file,
                        d.span,
                        msg!("`default actual` is given twice", "`缺省 实际` 重复给出"),
                    ));
                    continue;
                }
                if !matches!(&d.var, Word::Known(crate::words::Var::Actual, _)) {
                    self.push(
                        Diagnostic::error(
                            "invalid-default",
                            file,
                            d.var.span(),
                            msg!("only `actual` can have a default", "只有 `实际` 可以设缺省值"),
                        )
                        .with_help(msg!("write `default actual = …`", "请写作 `缺省 实际 = …`")),
                    );
                    continue;
                }
                let want = match &scope.operands {
                    Operand::Typed(t) => *t,
                    Operand::Unavailable(_) => Type::Number,
                };
                let default_scope = Scope {
                    operands: Operand::Unavailable(msg!(
                        "the default for `actual` cannot use `actual` or `target`",
                        "`实际` 的缺省值不能引用 `实际` 或 `目标`"
                    )),
                    kind: ScopeKind::Method,
                };
                let mut dc = ExprChecker {
                    scope: &default_scope,
                    tables,
                    file,
                    diags: &mut self.diags,
                    lookups: Vec::new(),
                    operands_reported: false,
                };
                default_actual = dc.expect(&d.value, want);
                default_lookups = dc.lookups;
            }
            let mut ec = ExprChecker {
                scope: &scope,
                tables,
                file,
                diags: &mut self.diags,
                lookups: default_lookups,
                operands_reported: false,
            };
            let mut clauses = Vec::new();
            let mut after_else: Option<Span> = None;
            let mut qualitative_uses = Vec::new();
            for c in &m.clauses {
                if let Some(else_span) = after_else {
                    ec.diags.push(
                        Diagnostic::warning(
                            "unreachable-clause",
                            file,
                            c.span,
                            msg!(
                                "this clause can never apply: an `else` comes before it",
                                "此条款永远不会生效：前面已有 `否则`"
                            ),
                        )
                        .with_related(
                            file,
                            else_span,
                            msg!("`else` is here", "`否则` 在此"),
                        ),
                    );
                }
                let condition = match &c.condition {
                    Some(e) => {
                        let lowered = ec.expect(e, Type::Bool);
                        if lowered.is_none() {
                            continue;
                        }
                        lowered
                    }
                    None => {
                        after_else.get_or_insert(c.span);
                        None
                    }
                };
                let outcome = match &c.outcome {
                    ast::Outcome::Expr(e) => match ec.expect(e, Type::Number) {
                        Some(x) => Outcome::Expr(x),
                        None => continue,
                    },
                    ast::Outcome::Tiers(ident) if for_budget => {
                        let name = &ident.name;
                        ec.diags.push(
                            Diagnostic::error(
                                "invalid-outcome",
                                file,
                                ident.span,
                                msg!(
                                    "the budget is scored by a number, not by qualitative tiers",
                                    "预算执行按数值计分，不能按定性档次计分"
                                ),
                            )
                            .with_help(msg!(
                                "look the rate up instead: `lookup({name}, rate)`",
                                "请改为查表：`查表({name}, 执行率)`"
                            )),
                        );
                        continue;
                    }
                    ast::Outcome::Tiers(ident) => match tables.get(&ident.name) {
                        Some(t) => {
                            qualitative_uses.push((*t, ident.span));
                            Outcome::Tiers(*t)
                        }
                        None => {
                            let name = &ident.name;
                            let mut d = Diagnostic::error(
                                "unknown-name",
                                file,
                                ident.span,
                                msg!("unknown tier table `{name}`", "未知的档次表 `{name}`"),
                            );
                            if let Some(s) = did_you_mean(name, tables.keys().map(String::as_str)) {
                                d = d.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？"));
                            }
                            ec.diags.push(d);
                            continue;
                        }
                    },
                };
                clauses.push((c, condition, outcome));
            }
            let lookups = std::mem::take(&mut ec.lookups);
            for (t, span) in lookups {
                uses[t].lookup.push((file, span));
            }
            for (t, span) in qualitative_uses {
                uses[t].qualitative.push((file, span));
            }
            if let Some(last) = m.clauses.last() {
                if m.clauses.iter().all(|c| c.condition.is_some()) {
                    let name = &m.name.name;
                    self.push(
                        Diagnostic::warning(
                            "no-fallback",
                            file,
                            last.span,
                            msg!(
                                "method `{name}` has no `else`: an indicator no clause fits cannot be scored",
                                "方法 `{name}` 没有 `否则`：不满足任何条款的指标将无法计分"
                            ),
                        )
                        .with_help(msg!("end with `else => …`", "以 `否则 => …` 结尾")),
                    );
                }
            } else {
                let name = &m.name.name;
                self.push(
                    Diagnostic::error(
                        "empty-method",
                        file,
                        m.name.span,
                        msg!("method `{name}` has no clauses", "方法 `{name}` 没有条款"),
                    )
                    .with_help(msg!("add at least `else => …`", "至少添加 `否则 => …`")),
                );
            }
            let mut rules = Vec::new();
            for (c, condition, outcome) in clauses {
                let location = self.location(file, c.span);
                rules.push(ClauseRule {
                    condition,
                    outcome,
                    doc: join_docs(&c.docs),
                    text: self.source_text(file, c.span),
                    location,
                });
            }
            let location = self.location(file, m.name.span);
            methods.push(Method {
                name: m.name.name.clone(),
                label: m.label.as_ref().map(|l| l.value.clone()),
                doc: join_docs(&item.docs),
                capped: !m.uncapped,
                default_actual,
                clauses: rules,
                location,
            });
        }
        let mut selection = Selection {
            by_node: vec![[None; 6]; scheme.nodes.len()],
            any: [None; 6],
            budget: budget.map(|b| b.0),
        };
        for (n, row) in selection.by_node.iter_mut().enumerate() {
            for (d, slot) in row.iter_mut().enumerate() {
                *slot = explicit.get(&(n, d)).or(node_all.get(&n)).map(|v| v.0);
            }
        }
        for (d, v) in any {
            selection.any[d] = Some(v.0);
        }
        (methods, selection)
    }

    fn missing_methods(&mut self, scheme: &Scheme, selection: &Selection) {
        let directions: &[Direction] = if scheme.roots.is_empty() {
            &[]
        } else {
            &[
                Direction::Higher,
                Direction::Lower,
                Direction::Equal,
                Direction::Qualitative,
                Direction::Deadline,
            ]
        };
        for &d in directions {
            if selection.any[direction_index(d)].is_none() {
                let (en, zh) = (d.spelling(crate::words::Lang::En), d.spelling(crate::words::Lang::Zh));
                self.push(
                    Diagnostic::warning(
                        "no-method",
                        self.main,
                        self.whole(),
                        Message::new(
                            format!("no method scores `{en}` indicators in every category"),
                            format!("并非所有类别的 `{zh}` 指标都有计分方法"),
                        ),
                    )
                    .with_help(Message::new(
                        format!("add `method … for {en} {{ … }}`"),
                        format!("请添加 `方法 … 适用 {zh} {{ … }}`"),
                    )),
                );
            }
        }
        if scheme.budget.is_some() && selection.budget.is_none() {
            self.push(
                Diagnostic::warning(
                    "no-method",
                    self.main,
                    self.whole(),
                    msg!(
                        "the scheme has a budget item but no method scores it",
                        "指标体系有预算执行项，但没有计分方法"
                    ),
                )
                .with_help(msg!(
                    "add `method … for budget {{ else => weight * rate }}`",
                    "请添加 `方法 … 适用 预算执行 {{ 否则 => 分值 * 执行率 }}`"
                )),
            );
        }
    }

    // ------------------------------------------------------------ grades, rounding, units

    fn grades(&mut self, items: &[SourcedItem<'_>]) -> Option<GradesDecl> {
        let mut found: Option<(FileId, &ast::Grades, Span)> = None;
        for SourcedItem { file, item } in items {
            if let ItemKind::Grades(g) = &item.kind {
                match found {
                    Some((f, _, span)) => {
                        self.duplicate(msg!("grade bands", "等级"), "grades", *file, item.span, (f, span))
                    }
                    None => found = Some((*file, g, item.span)),
                }
            }
        }
        let Some((file, g, _)) = found else {
            self.push(
                Diagnostic::warning(
                    "no-grades",
                    self.main,
                    self.whole(),
                    msg!(
                        "the policy has no `grades`: totals get no grade",
                        "政策没有 `等级`：总分不评定等级"
                    ),
                )
                .with_help(msg!(
                    "add `grades {{ 优 >= 90  良 >= 80  中 >= 60  差 }}`",
                    "请添加 `等级 {{ 优 >= 90  良 >= 80  中 >= 60  差 }}`"
                )),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut seen: Seen = IndexMap::new();
        for (i, grade) in g.grades.iter().enumerate() {
            if let Some(first) = seen.get(&grade.name.value) {
                let first = *first;
                self.duplicate(msg!("grade", "等级"), &grade.name.value, file, grade.name.span, first);
            } else {
                seen.insert(grade.name.value.clone(), (file, grade.name.span));
            }
            let band = grade.interval.as_ref().map(|iv| self.band(file, iv));
            if band.is_none() && i + 1 != g.grades.len() {
                let name = &grade.name.value;
                self.push(Diagnostic::error("catch-all-not-last", file, grade.span, msg!("grade `{name}` has no band, so it takes every total; only the last grade may do that", "等级 `{name}` 没有区间，会接收所有总分；只有最后一个等级可以这样写"))
                    .with_help(msg!("give it a band such as `>= 60`", "请为其给出区间，如 `>= 60`")));
            }
            out.push(GradeBand { name: grade.name.value.clone(), band });
        }
        Some((out, (file, g.grades.clone())))
    }

    fn grade_coverage(&mut self, grades: &GradesDecl, total: Decimal, total_round: Option<RoundSpec>) {
        let (bands_list, (file, decls)) = grades;
        let file = *file;
        // Two-sided bands must not overlap; half lines read first-match, best first.
        for i in 0..bands_list.len() {
            for j in i + 1..bands_list.len() {
                if let (Some(a), Some(b)) = (bands_list[i].band, bands_list[j].band) {
                    let two_sided = |x: &Band| x.low.is_some() && x.high.is_some();
                    if two_sided(&a) && two_sided(&b) && bands::overlap(&a, &b) {
                        let (da, db) = (&decls[i], &decls[j]);
                        let (na, nb) = (&da.name.value, &db.name.value);
                        if let (Some(ia), Some(ib)) = (&da.interval, &db.interval) {
                            self.push(
                                Diagnostic::error(
                                    "band-overlap",
                                    file,
                                    ib.span,
                                    msg!(
                                        "grade `{nb}` overlaps grade `{na}`",
                                        "等级 `{nb}` 与等级 `{na}` 重叠"
                                    ),
                                )
                                .with_related(file, ia.span, msg!("`{na}` is here", "`{na}` 在此"))
                                .with_help(msg!(
                                    "make one end exclusive, e.g. `[80, 90)`",
                                    "将一端改为开区间，如 `[80, 90)`"
                                )),
                            );
                        }
                    }
                }
            }
        }
        if bands_list.iter().any(|g| g.band.is_none()) {
            return;
        }
        let all: Vec<Band> = bands_list.iter().filter_map(|g| g.band).collect();
        let step = total_round.map(|r| Decimal::new(1, r.places));
        for gap in bands::gaps(&all, Decimal::ZERO, total, step) {
            let text = gap_text(&gap, false);
            // Point at the band that ends where the gap begins.
            let at = bands_list
                .iter()
                .zip(decls)
                .find(|(g, _)| g.band.and_then(|b| b.high).is_some_and(|(v, _)| v == gap.from.0))
                .or_else(|| bands_list.iter().zip(decls).next_back())
                .map_or(Span::new(0, 0), |(_, d)| d.interval.as_ref().map_or(d.span, |i| i.span));
            let mut d = Diagnostic::error(
                "band-gap",
                file,
                at,
                msg!("no grade covers totals {text}", "总分 {text} 没有对应等级"),
            )
            .with_label(msg!("a gap follows this band", "此区间之后出现空档"));
            if step.is_none() {
                d = d.with_help(msg!("close the gap, e.g. `[80, 90)`, or round the total to whole numbers with `round total 0`", "请补上空档，如 `[80, 90)`，或用 `舍入 总分 0` 将总分取整"));
            }
            self.push(d);
        }
    }

    fn rounding(&mut self, items: &[SourcedItem<'_>]) -> RoundingRules {
        let mut rules = RoundingRules::default();
        let mut seen: IndexMap<&'static str, (FileId, Span)> = IndexMap::new();
        for SourcedItem { file, item } in items {
            let ItemKind::Round(r) = &item.kind else { continue };
            let file = *file;
            if r.places.value > 10 {
                let p = r.places.value;
                self.push(
                    Diagnostic::error(
                        "invalid-rounding",
                        file,
                        r.places.span,
                        msg!("{p} decimal places is too many", "{p} 位小数过多"),
                    )
                    .with_help(msg!(
                        "use at most 10 places; tables print 0 to 2",
                        "最多 10 位；自评表一般保留 0 至 2 位"
                    )),
                );
                continue;
            }
            let mode = match &r.mode {
                Some(m) => match self.unknown_word(file, m, msg!("rounding mode", "舍入方式")) {
                    Some(m) => m,
                    None => continue,
                },
                None => RoundMode::HalfUp,
            };
            let spec = RoundSpec { places: r.places.value, mode };
            let targets: Vec<RoundTarget> = match &r.target {
                Some(t) => match self.unknown_word(file, t, msg!("rounding target", "舍入对象")) {
                    Some(t) => vec![t],
                    None => continue,
                },
                None => vec![RoundTarget::Score, RoundTarget::Total],
            };
            for t in targets {
                let key = match t {
                    RoundTarget::Score => "score",
                    RoundTarget::Total => "total",
                    RoundTarget::Rate => "rate",
                };
                if let Some(first) = seen.get(key) {
                    let first = *first;
                    let mut d = Diagnostic::error(
                        "duplicate-definition",
                        file,
                        r.span,
                        Message::new(
                            format!("the rounding of `{}` is given twice", t.english()),
                            format!("`{}` 的舍入规则重复给出", t.spelling(crate::words::Lang::Zh)),
                        ),
                    )
                    .with_label(msg!("given again here", "此处再次给出"))
                    .with_related(
                        first.0,
                        first.1,
                        msg!("first given here", "首次给出于此"),
                    );
                    if r.target.is_none() || t != RoundTarget::Rate {
                        d = d.with_note(msg!(
                            "`round N` without `score`, `total` or `rate` rounds both scores and the total",
                            "不写 `得分`、`总分` 或 `执行率` 的 `舍入 N` 同时作用于得分和总分"
                        ));
                    }
                    self.push(d);
                    continue;
                }
                seen.insert(key, (file, r.span));
                match t {
                    RoundTarget::Score => rules.score = Some(spec),
                    RoundTarget::Total => rules.total = Some(spec),
                    RoundTarget::Rate => rules.rate = Some(spec),
                }
            }
        }
        rules
    }

    fn units(&mut self, items: &[SourcedItem<'_>]) -> Vec<UnitRule> {
        let mut out: Vec<UnitRule> = Vec::new();
        let mut seen: Seen = IndexMap::new();
        for SourcedItem { file, item } in items {
            let ItemKind::Unit(u) = &item.kind else { continue };
            let file = *file;
            let name = crate::text::fold_width(&u.name.value).trim().to_string();
            let base = crate::text::fold_width(&u.base.value).trim().to_string();
            if let Some(first) = seen.get(&name) {
                let first = *first;
                self.duplicate(msg!("unit", "单位"), &name, file, u.name.span, first);
                continue;
            }
            seen.insert(name.clone(), (file, u.name.span));
            let factor = u.factor.as_ref().map_or(Decimal::ONE, |f| f.value);
            if factor <= Decimal::ZERO {
                self.push(Diagnostic::error(
                    "invalid-unit",
                    file,
                    u.span,
                    msg!("a unit's factor must be above zero", "单位换算系数必须大于零"),
                ));
                continue;
            }
            if name == base || name.is_empty() {
                self.push(Diagnostic::error(
                    "invalid-unit",
                    file,
                    u.span,
                    msg!("unit `{name}` is defined in terms of itself", "单位 `{name}` 以自身定义"),
                ));
                continue;
            }
            out.push(UnitRule { name, factor, base });
        }
        // Follow chains (亿元 = 10000 万元, 万元 = 10000 元) to a unit that is not defined further.
        let snapshot = out.clone();
        for rule in &mut out {
            let name = rule.name.clone();
            let (file, span) = seen.get(&name).copied().unwrap_or((self.main, Span::new(0, 0)));
            // First the chain of names, so a circle is found before any factor is multiplied.
            let mut visited = vec![rule.name.clone()];
            let mut chain: Vec<&UnitRule> = Vec::new();
            let mut base = rule.base.clone();
            let mut circle = false;
            while let Some(next) = snapshot.iter().find(|r| r.name == base) {
                if visited.contains(&next.name) {
                    circle = true;
                    break;
                }
                visited.push(next.name.clone());
                chain.push(next);
                base = next.base.clone();
            }
            if circle {
                self.push(Diagnostic::error(
                    "unit-cycle",
                    file,
                    span,
                    msg!("unit `{name}` is defined in a circle", "单位 `{name}` 循环定义"),
                ));
                continue;
            }
            let factor = chain
                .iter()
                .try_fold(rule.factor, |f, next| f.checked_mul(next.factor))
                .filter(|f| f.abs() < crate::value::LIMIT);
            match factor {
                Some(f) => {
                    rule.factor = f;
                    rule.base = base;
                }
                None => self.push(Diagnostic::error(
                    "invalid-unit",
                    file,
                    span,
                    msg!(
                        "unit `{name}` converts by a factor too large to keep exactly",
                        "单位 `{name}` 的换算系数过大"
                    ),
                )),
            }
        }
        out
    }

    fn inapplicable(&mut self, items: &[SourcedItem<'_>]) -> InapplicableMode {
        let mut mode = None;
        for SourcedItem { file, item } in items {
            if let ItemKind::Inapplicable(w) = &item.kind {
                if mode.is_some() {
                    self.push(Diagnostic::error(
                        "duplicate-definition",
                        *file,
                        item.span,
                        msg!("`inapplicable` is given twice", "`不适用` 重复给出"),
                    ));
                    continue;
                }
                mode = Some(
                    self.unknown_word(*file, w, msg!("inapplicable mode", "不适用处理方式"))
                        .unwrap_or(InapplicableMode::Rescale),
                );
            }
        }
        mode.unwrap_or(InapplicableMode::Rescale)
    }

    // ------------------------------------------------------------ flags

    fn flags(
        &mut self,
        items: &[SourcedItem<'_>],
        scheme: &Scheme,
        tables: &IndexMap<String, TiersId>,
        uses: &mut [TableUse],
    ) -> Vec<FlagRule> {
        let mut out = Vec::new();
        let mut seen: Seen = IndexMap::new();
        for SourcedItem { file, item } in items {
            let ItemKind::Flag(f) = &item.kind else { continue };
            let file = *file;
            if let Some(first) = seen.get(&f.name.name) {
                let first = *first;
                self.duplicate(msg!("flag", "提示"), &f.name.name, file, f.name.span, first);
                continue;
            }
            seen.insert(f.name.name.clone(), (file, f.name.span));
            let sels = self.selectors(file, scheme, &f.scope);
            let whole: Vec<&(Option<NodeId>, Option<Subject>, Span)> = sels
                .iter()
                .filter(|(_, s, _)| matches!(s, Some(Subject::Budget | Subject::Sheet | Subject::Group)))
                .collect();
            let scope = if let Some((node, subject, span)) = whole.first() {
                if sels.len() > 1 || node.is_some() {
                    self.push(Diagnostic::error(
                        "invalid-selector",
                        file,
                        *span,
                        msg!(
                            "`budget`, `sheet` and `group` stand alone in a flag's `for`",
                            "提示的 `适用` 中，`预算执行`、`全表`、`指标组` 只能单独使用"
                        ),
                    ));
                }
                match subject {
                    Some(Subject::Budget) => FlagScope::Budget,
                    Some(Subject::Sheet) => FlagScope::Sheet,
                    _ => FlagScope::Group,
                }
            } else {
                FlagScope::Indicators(
                    sels.iter()
                        .map(|(node, subject, _)| IndicatorSelector {
                            node: *node,
                            direction: subject.and_then(Subject::direction),
                        })
                        .collect(),
                )
            };
            let (kind, operands) = match &scope {
                FlagScope::Budget => (ScopeKind::BudgetFlag, Operand::Unavailable(msg!("", ""))),
                FlagScope::Sheet => (ScopeKind::SheetFlag, Operand::Unavailable(msg!("", ""))),
                FlagScope::Group => (ScopeKind::GroupFlag, Operand::Unavailable(msg!("", ""))),
                FlagScope::Indicators(sel) => {
                    let dirs: Vec<Direction> = sel.iter().filter_map(|s| s.direction).collect();
                    let all_dates = !dirs.is_empty() && dirs.iter().all(|d| *d == Direction::Deadline);
                    (
                        ScopeKind::IndicatorFlag,
                        Operand::Typed(if all_dates { Type::Date } else { Type::Number }),
                    )
                }
            };
            let expr_scope = Scope { operands, kind };
            let mut ec = ExprChecker {
                scope: &expr_scope,
                tables,
                file,
                diags: &mut self.diags,
                lookups: Vec::new(),
                operands_reported: false,
            };
            let single =
                |ec: &mut ExprChecker<'_>, list: &[ast::Expr], what: Message, want: Type| -> Option<Expr> {
                    for extra in list.iter().skip(1) {
                        ec.diags.push(Diagnostic::error(
                            "duplicate-definition",
                            file,
                            extra.span,
                            Message::new(
                                format!("a flag has one `{}`", what.en),
                                format!("一个提示只能有一个 `{}`", what.zh),
                            ),
                        ));
                    }
                    list.first().and_then(|e| ec.expect(e, want))
                };
            let condition = single(&mut ec, &f.conditions, msg!("when", "当"), Type::Bool);
            let deduct = single(&mut ec, &f.deductions, msg!("deduct", "扣分"), Type::Number);
            let cap = single(&mut ec, &f.caps, msg!("cap", "封顶"), Type::Number);
            for (t, span) in std::mem::take(&mut ec.lookups) {
                uses[t].lookup.push((file, span));
            }
            let (mut message, mut message_en) = (None, None);
            for m in &f.messages {
                self.placeholders(file, &m.text, kind);
                let slot = if m.english { &mut message_en } else { &mut message };
                if slot.is_some() {
                    self.push(Diagnostic::error(
                        "duplicate-definition",
                        file,
                        m.span,
                        msg!("a flag has one message in each language", "每种语言的提示语只能有一条"),
                    ));
                } else {
                    *slot = Some(m.text.value.clone());
                }
            }
            if message.is_none() && message_en.is_none() {
                let name = &f.name.name;
                self.push(
                    Diagnostic::warning(
                        "no-message",
                        file,
                        f.name.span,
                        msg!("flag `{name}` has no message", "提示 `{name}` 没有提示语"),
                    )
                    .with_help(msg!(
                        "add `message \"…\"` so readers know what to do",
                        "请添加 `提示语 \"…\"`，说明应如何处理"
                    )),
                );
            }
            let location = self.location(file, f.name.span);
            out.push(FlagRule {
                name: f.name.name.clone(),
                label: f.label.as_ref().map(|l| l.value.clone()),
                scope,
                condition,
                message,
                message_en,
                deduct,
                cap,
                location,
            });
        }
        out
    }

    /// `{name}` placeholders in a message must name values available in the flag's scope.
    fn placeholders(&mut self, file: FileId, text: &ast::Text, kind: ScopeKind) {
        // Placeholders are found in the literal as written (quotes and escapes included), so
        // spans are right whatever the quotes and escapes.
        let raw =
            self.sources.get(file).and_then(|f| f.text.get(text.span.range())).unwrap_or("").to_string();
        for (offset, name) in placeholder_names(&raw) {
            if name == "name" || name == "名称" {
                continue;
            }
            let start = text.span.start + offset;
            let span = Span::new(start, start + name.len() + 2);
            match crate::words::Var::from_word(name) {
                Some(v) if kind.allows(v) => {}
                Some(_) => {
                    let place = kind.describe();
                    self.push(Diagnostic::error(
                        "unavailable-value",
                        file,
                        span,
                        Message::new(
                            format!("`{{{name}}}` has no value in {}", place.en),
                            format!("`{{{name}}}` 在{}中没有取值", place.zh),
                        ),
                    ));
                }
                None => {
                    let mut d = Diagnostic::error(
                        "unknown-name",
                        file,
                        span,
                        msg!("unknown placeholder `{{{name}}}`", "未知的占位符 `{{{name}}}`"),
                    );
                    let candidates = crate::words::Var::entries()
                        .iter()
                        .filter(|(v, _)| kind.allows(*v))
                        .flat_map(|(_, s)| s.iter().copied())
                        .chain(["name", "名称"]);
                    if let Some(s) = did_you_mean(name, candidates) {
                        d = d.with_help(msg!("did you mean `{{{s}}}`?", "是否应为 `{{{s}}}`？"));
                    }
                    self.push(d);
                }
            }
        }
    }
}

/// Placeholder names in a message with their byte offsets (of the `{`).
pub(crate) fn placeholder_names(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut base = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push((base + open, &after[..close]));
                let consumed = open + 1 + close + 1;
                base += consumed;
                rest = &rest[consumed..];
            }
            None => break,
        }
    }
    out
}

/// What `actual` and `target` are in a method reached by `dirs`.
fn method_scope(dirs: &[Direction], budget: bool) -> Scope {
    if budget {
        return Scope {
            operands: Operand::Unavailable(msg!(
                "a budget method has no `actual` or `target`; use `rate`, `executed`, `annual` or `initial`",
                "预算执行方法没有 `实际` 或 `目标`；请使用 `执行率`、`执行数`、`预算数` 或 `年初预算数`"
            )),
            kind: ScopeKind::BudgetMethod,
        };
    }
    let numeric = dirs.iter().any(|d| matches!(d, Direction::Higher | Direction::Lower | Direction::Equal));
    let dated = dirs.contains(&Direction::Deadline);
    let words = dirs.iter().any(|d| matches!(d, Direction::Qualitative | Direction::Untargeted));
    let operands = if words {
        Operand::Unavailable(msg!(
            "this method also scores qualitative or untargeted indicators, which have no numeric `actual` and `target`; narrow its `for` (e.g. `\"成本指标\" ≤`) or score them with `tiers`",
            "此方法也适用于定性或无目标指标，它们没有数值型的 `实际` 和 `目标`；请缩小 `适用` 范围（如 `\"成本指标\" ≤`），或用 `档次` 计分"
        ))
    } else if numeric && dated {
        Operand::Unavailable(msg!(
            "this method scores both deadlines and numbers, so `actual` is sometimes a date and sometimes a number; write one method for each",
            "此方法同时适用于时限和数值指标，`实际` 有时是日期、有时是数值；请分别编写方法"
        ))
    } else if dated {
        Operand::Typed(Type::Date)
    } else {
        Operand::Typed(Type::Number)
    };
    Scope { operands, kind: ScopeKind::Method }
}

fn join_docs(docs: &[String]) -> Option<String> {
    if docs.is_empty() { None } else { Some(docs.join("\n")) }
}

fn gap_text(gap: &bands::Gap, percent: bool) -> String {
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

#[cfg(test)]
mod tests {
    use super::placeholder_names;

    #[test]
    fn placeholders_are_found_with_offsets() {
        assert_eq!(placeholder_names("实际 {actual} 目标 {目标}"), vec![(7, "actual"), (23, "目标")]);
        assert!(placeholder_names("no braces").is_empty());
    }
}
