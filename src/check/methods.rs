//! Methods: selectors, the selection table, clauses and their types.

use crate::codes::Code;
use indexmap::IndexMap;

use super::*;

impl Checker<'_> {
    pub(super) fn selectors(
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

    pub(super) fn methods(
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
            let names: &[Method] = &methods;
            let claim = |this: &mut Self,
                         slot: Option<(MethodId, FileId, Span)>,
                         span: Span|
             -> Option<(MethodId, FileId, Span)> {
                if let Some((other, f, s)) = slot {
                    let other = names.get(other).map_or("?", |m| m.name.as_str());
                    this.push(
                        Diagnostic::error(
                            Code::AmbiguousMethod,
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
                        Code::UnusedDeclaration,
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
                                Code::InvalidSelector,
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
                                Code::InvalidSelector,
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
                                let ceiling = |n: NodeId| scheme.nodes.get(n).is_some_and(|x| x.ceiling);
                                let parent = scheme.nodes.get(n).and_then(|x| x.parent);
                                if ds == [Direction::Equal] && (ceiling(n) || parent.is_some_and(ceiling)) {
                                    let label = &scheme.nodes[n].label;
                                    self.push(
                                        Diagnostic::warning(
                                            Code::UnreachableSelector,
                                            file,
                                            span,
                                            Message::new(
                                                format!("`{label}` is a ceiling category: its `=` targets are scored as `≤`, so this never applies"),
                                                format!("`{label}` 为限额类别，其“=”指标按“≤”计分，此适用范围不会生效"),
                                            ),
                                        )
                                        .with_help(Message::new(
                                            format!("select `\"{label}\" ≤` instead"),
                                            format!("请改为 `\"{label}\" 反向`"),
                                        )),
                                    );
                                }
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
                        Code::InvalidSelector,
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
                        Code::DuplicateDefinition,
                        file,
                        d.span,
                        msg!("`default actual` is given twice", "`缺省 实际` 重复给出"),
                    ));
                    continue;
                }
                if !matches!(&d.var, Word::Known(crate::words::Var::Actual, _)) {
                    self.push(
                        Diagnostic::error(
                            Code::InvalidDefault,
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
                            Code::UnreachableClause,
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
                                Code::InvalidOutcome,
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
                                Code::UnknownName,
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
                            Code::NoFallback,
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
                        Code::EmptyMethod,
                        file,
                        m.name.span,
                        msg!("method `{name}` has no clauses", "方法 `{name}` 没有条款"),
                    )
                    .with_help(msg!("add at least `else => …`", "至少添加 `否则 => …`")),
                );
            }
            let mut rules = Vec::new();
            let shapes: Vec<(Option<&Expr>, Option<&Expr>)> = clauses
                .iter()
                .map(|(_, cond, outcome)| {
                    (
                        cond.as_ref(),
                        match outcome {
                            Outcome::Expr(e) => Some(e),
                            Outcome::Tiers(_) => None,
                        },
                    )
                })
                .collect();
            let unsettled: Vec<Option<crate::words::Var>> =
                (0..shapes.len()).map(|i| super::divisors::unsettled(&shapes, i)).collect();
            for ((c, condition, outcome), unsettled) in clauses.into_iter().zip(unsettled) {
                let location = self.location(file, c.span);
                if let Some(v) = unsettled {
                    let (en, zh) = (v.spelling(crate::words::Lang::En), v.spelling(crate::words::Lang::Zh));
                    self.push(
                        Diagnostic::warning(
                            Code::UnsettledDivisor,
                            file,
                            c.span,
                            Message::new(
                                format!("this clause divides by `{en}`, which the sheet may give as zero or a negative number, and no clause says what that scores"),
                                format!("此条款除以 `{zh}`，而自评表中的该值可能为 0 或负数，没有条款规定此时如何计分"),
                            ),
                        )
                        .with_help(Message::new(
                            format!("settle its sign first, e.g. `when {en} > 0 => …` here and a clause for `{en} <= 0` (such as `else => 0`); a row no clause settles is left unscored"),
                            format!("请先确定其正负，如本条写作 `当 {zh} > 0 => …`，并为 `{zh} <= 0` 另设条款（如 `否则 => 0`）；未确定的行不予计分"),
                        )),
                    );
                }
                rules.push(ClauseRule {
                    settled: unsettled.is_none(),
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
        // A method for a node and direction before one for the whole node: the claims are laid
        // down in that order of precedence, not looked up for every slot.
        for (n, v) in &node_all {
            if let Some(row) = selection.by_node.get_mut(*n) {
                *row = [Some(v.0); 6];
            }
        }
        for ((n, d), v) in &explicit {
            if let Some(slot) = selection.by_node.get_mut(*n).and_then(|row| row.get_mut(*d)) {
                *slot = Some(v.0);
            }
        }
        for (d, v) in any {
            selection.any[d] = Some(v.0);
        }
        (methods, selection)
    }

    pub(super) fn missing_methods(&mut self, scheme: &Scheme, selection: &Selection) {
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
                        Code::NoMethod,
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
                    Code::NoMethod,
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
}

/// What `actual` and `target` are in a method reached by `dirs`.
pub(super) fn method_scope(dirs: &[Direction], budget: bool) -> Scope {
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

pub(super) fn join_docs(docs: &[String]) -> Option<String> {
    if docs.is_empty() { None } else { Some(docs.join("\n")) }
}
