//! Flags and the placeholders in their messages.

use crate::codes::Code;
use indexmap::IndexMap;

use super::*;

impl Checker<'_> {
    pub(super) fn flags(
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
                        Code::InvalidSelector,
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
                            Code::DuplicateDefinition,
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
                        Code::DuplicateDefinition,
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
                        Code::NoMessage,
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
    pub(super) fn placeholders(&mut self, file: FileId, text: &ast::Text, kind: ScopeKind) {
        // Placeholders are found in the literal as written (quotes and escapes included), so
        // spans are right whatever the quotes and escapes.
        let sources = self.sources;
        let raw = sources.get(file).and_then(|f| f.text.get(text.span.range())).unwrap_or("");
        for (offset, name) in placeholder_names(raw) {
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
                        Code::UnavailableValue,
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
                        Code::UnknownName,
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

#[cfg(test)]
mod tests {
    use super::placeholder_names;

    #[test]
    fn placeholders_are_found_with_offsets() {
        assert_eq!(placeholder_names("实际 {actual} 目标 {目标}"), vec![(7, "actual"), (23, "目标")]);
        assert!(placeholder_names("no braces").is_empty());
    }
}
