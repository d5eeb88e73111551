//! Grade bands, rounding, units and the not-applicable rule.

use crate::codes::Code;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::tiers::gap_text;
use super::*;

impl Checker<'_> {
    pub(super) fn grades(&mut self, items: &[SourcedItem<'_>]) -> Option<GradesDecl> {
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
                    Code::NoGrades,
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
                self.push(Diagnostic::error(Code::CatchAllNotLast, file, grade.span, msg!("grade `{name}` has no band, so it takes every total; only the last grade may do that", "等级 `{name}` 没有区间，会接收所有总分；只有最后一个等级可以这样写"))
                    .with_help(msg!("give it a band such as `>= 60`", "请为其给出区间，如 `>= 60`")));
            }
            out.push(GradeBand { name: grade.name.value.clone(), band });
        }
        Some((out, (file, g.grades.clone())))
    }

    pub(super) fn grade_coverage(
        &mut self,
        grades: &GradesDecl,
        total: Decimal,
        total_round: Option<RoundSpec>,
    ) {
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
                                    Code::BandOverlap,
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
        let step = total_round.map(|r| Decimal::new(1, r.places));
        // Grades are read in order, first match wins: a band whose totals all go to earlier
        // grades (listed out of order, or beyond the total) would silently never apply.
        for (i, (g, decl)) in bands_list.iter().zip(decls).enumerate() {
            let (Some(band), Some(interval)) = (g.band, &decl.interval) else { continue };
            if total <= Decimal::ZERO {
                break;
            }
            let two_sided = |x: &Band| x.low.is_some() && x.high.is_some();
            // Empty bands and overlaps of two-sided bands have their own diagnostics.
            if bands::is_empty(&band)
                || (two_sided(&band)
                    && bands_list[..i]
                        .iter()
                        .any(|e| e.band.is_some_and(|b| two_sided(&b) && bands::overlap(&b, &band))))
            {
                continue;
            }
            let earlier: Vec<Band> = bands_list[..i].iter().filter_map(|e| e.band).collect();
            if !bands::unreachable(&band, &earlier, Decimal::ZERO, total, step) {
                continue;
            }
            let name = &g.name;
            let beyond = bands::unreachable(&band, &[], Decimal::ZERO, total, step);
            // Name the earlier grade that takes the band's lowest totals.
            let lowest = band.low.map_or(Decimal::ZERO, |(v, _)| v.max(Decimal::ZERO));
            let earlier_pairs = || bands_list[..i].iter().zip(decls);
            let by = earlier_pairs()
                .find(|(e, _)| !beyond && e.band.is_some_and(|b| b.contains(lowest)))
                .or_else(|| {
                    earlier_pairs()
                        .find(|(e, _)| !beyond && e.band.is_some_and(|b| bands::overlap(&b, &band)))
                });
            let max = total.normalize();
            let mut d = match by {
                Some(_) => Diagnostic::error(
                    Code::BandUnreachable,
                    file,
                    interval.span,
                    msg!(
                        "grade `{name}` can never be given: every total in its band already gets an earlier grade",
                        "等级 `{name}` 永远不会被评定：其区间内的总分都已归入前面的等级"
                    ),
                ),
                None => Diagnostic::error(
                    Code::BandUnreachable,
                    file,
                    interval.span,
                    msg!(
                        "grade `{name}` can never be given: no total between 0 and {max} falls in its band",
                        "等级 `{name}` 永远不会被评定：0 至 {max} 之间的总分都不在其区间内"
                    ),
                ),
            };
            if let Some((e, ed)) = by {
                let other = &e.name;
                d = d.with_related(
                    file,
                    ed.interval.as_ref().map_or(ed.span, |iv| iv.span),
                    msg!("`{other}` takes those totals first", "`{other}` 先取走了这些总分"),
                );
            }
            d = d.with_note(msg!(
                "grades are read in the order written and the first band that holds a total wins",
                "等级按书写顺序判定，总分归入第一个包含它的区间"
            ));
            d = d.with_help(msg!(
                "list the thresholds from the highest down (`优 >= 90  良 >= 80  中 >= 60  差`), or correct this one",
                "请按分数线从高到低书写（`优 >= 90  良 >= 80  中 >= 60  差`），或改正此分数线"
            ));
            self.push(d);
        }
        if bands_list.iter().any(|g| g.band.is_none()) {
            return;
        }
        let all: Vec<Band> = bands_list.iter().filter_map(|g| g.band).collect();
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
                Code::BandGap,
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

    pub(super) fn rounding(&mut self, items: &[SourcedItem<'_>]) -> RoundingRules {
        let mut rules = RoundingRules::default();
        let mut seen: IndexMap<&'static str, (FileId, Span)> = IndexMap::new();
        for SourcedItem { file, item } in items {
            let ItemKind::Round(r) = &item.kind else { continue };
            let file = *file;
            if r.places.value > 10 {
                let p = r.places.value;
                self.push(
                    Diagnostic::error(
                        Code::InvalidRounding,
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
                        Code::DuplicateDefinition,
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

    pub(super) fn units(&mut self, items: &[SourcedItem<'_>]) -> Vec<UnitRule> {
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
                    Code::InvalidUnit,
                    file,
                    u.span,
                    msg!("a unit's factor must be above zero", "单位换算系数必须大于零"),
                ));
                continue;
            }
            if name == base || name.is_empty() {
                self.push(Diagnostic::error(
                    Code::InvalidUnit,
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
                    Code::UnitCycle,
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
                    Code::InvalidUnit,
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

    pub(super) fn inapplicable(&mut self, items: &[SourcedItem<'_>]) -> InapplicableMode {
        let mut mode = None;
        for SourcedItem { file, item } in items {
            if let ItemKind::Inapplicable(w) = &item.kind {
                if mode.is_some() {
                    self.push(Diagnostic::error(
                        Code::DuplicateDefinition,
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

    /// `audit` lines: each check switched off or retitled once per file; a policy that extends
    /// another may change what it inherits (the later line wins).
    pub(super) fn audit(&mut self, items: &[SourcedItem<'_>]) -> Audit {
        let mut out = Audit::default();
        let mut seen: Vec<(AuditCheck, FileId, Span)> = Vec::new();
        for SourcedItem { file, item } in items {
            let ItemKind::Audit(a) = &item.kind else { continue };
            let file = *file;
            let Some(check) = self.unknown_word(file, &a.check, msg!("audit check", "审核项")) else {
                continue;
            };
            if let Some((_, _, first)) = seen.iter().find(|(c, f, _)| *c == check && *f == file) {
                let first = *first;
                let name = check.english();
                self.push(
                    Diagnostic::error(
                        Code::DuplicateDefinition,
                        file,
                        item.span,
                        msg!("audit check `{name}` is changed twice", "审核项 `{name}` 重复设置"),
                    )
                    .with_related(
                        file,
                        first,
                        msg!("first changed here", "首次设置于此"),
                    ),
                );
                continue;
            }
            seen.push((check, file, item.span));
            out.off.retain(|c| *c != check);
            out.titles.retain(|(c, _)| *c != check);
            match &a.action {
                ast::AuditAction::Switch(w) => {
                    if self.unknown_word(file, w, msg!("audit setting", "审核设置")).is_some() {
                        out.off.push(check);
                    }
                }
                ast::AuditAction::Rename(t) => {
                    if t.value.trim().is_empty() {
                        self.push(Diagnostic::error(
                            Code::InvalidAudit,
                            file,
                            t.span,
                            msg!("an audit check needs a title, not empty text", "审核项的名称不能为空"),
                        ));
                    } else {
                        out.titles.push((check, t.value.clone()));
                    }
                }
            }
        }
        out
    }
}
