//! Checking: items to a resolved [`Policy`], with every problem collected in one pass.
//!
//! The checker never stops at the first problem. Names become indices, literals stay exact
//! decimals, and every rule keeps its [`Location`] for explanations.

mod bands;
mod divisors;
mod expr;
mod flags;
mod methods;
mod scheme;
mod settings;
mod tiers;

use crate::codes::Code;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use self::expr::{ExprChecker, Operand, Scope, ScopeKind, Type};
use crate::ast::{self, Item, ItemKind, Span, Word};
use crate::diagnostic::{Diagnostic, FileId, Message, Sources};
use crate::msg;
use crate::policy::*;
use crate::text::normalize_label;
use crate::words::{
    AuditCheck, Direction, InapplicableMode, RoundMode, RoundTarget, Subject, TakeRule, Vocabulary,
    did_you_mean,
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
#[non_exhaustive]
pub struct Checked {
    /// The resolved policy.
    pub policy: Policy,
    /// Problems that do not stop it from being used.
    pub warnings: Vec<Diagnostic>,
}

/// A policy that did not check: every problem found, errors and warnings.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CheckError {
    /// All diagnostics, at least one an error.
    pub diagnostics: Vec<Diagnostic>,
}

/// Check the items of one parsed file alone: an `extends` in it is not resolved.
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
    let mut checker = Checker {
        sources,
        lines: Vec::new(),
        no_scheme: false,
        policy_span,
        files: vec![main],
        diags: Vec::new(),
        main,
    };
    let policy = checker.run(items, composed);
    let has_errors = checker.diags.iter().any(Diagnostic::is_error);
    match policy {
        Some(policy) if !has_errors => Ok(Checked { policy, warnings: checker.diags }),
        _ => Err(CheckError { diagnostics: checker.diags }),
    }
}

struct Checker<'a> {
    sources: &'a Sources,
    /// For each file rules are located in, the last offset located and its (1-based) line: the
    /// next is found by counting the line breaks between the two, rules being located mostly in
    /// the order they are written.
    lines: Vec<(FileId, usize, usize)>,
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
        let sources = self.sources;
        let text = sources.get(file).map_or(&[][..], |f| f.text.as_bytes());
        let i = match self.lines.iter().position(|(f, ..)| *f == file) {
            Some(i) => i,
            None => {
                self.lines.push((file, 0, 1));
                self.lines.len() - 1
            }
        };
        let (_, at, line) = &mut self.lines[i];
        // The line of an offset is one more than the line breaks before it.
        let offset = span.start.min(text.len());
        let breaks = |from: usize, to: usize| memchr::memchr_iter(b'\n', &text[from..to]).count();
        if offset >= *at {
            *line += breaks(*at, offset);
        } else {
            *line -= breaks(offset, *at);
        }
        *at = offset;
        let line = *line;
        Location {
            file: u16::try_from(index).unwrap_or(u16::MAX),
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }

    fn source_text(&self, file: FileId, span: Span) -> String {
        self.sources
            .get(file)
            .and_then(|f| f.text.get(span.range()))
            .map(|s| crate::text::single_spaced(String::with_capacity(s.len()), s))
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
                Code::DuplicateDefinition,
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
                    Code::UnknownName,
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
        let audit = self.audit(items);
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
        let policy = Policy {
            name,
            jurisdiction,
            year,
            basis,
            files,
            hash: Default::default(),
            scheme,
            methods,
            selection,
            tiers: tables,
            grades: grades.map(|(g, _)| g).unwrap_or_default(),
            rounding,
            units,
            inapplicable,
            flags,
            audit,
            plan: Default::default(),
        };
        Some(policy)
    }

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
                                Code::InvalidYear,
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
                        Code::DuplicateDefinition,
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
                    Code::MissingHeader,
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
                        Code::NothingToOverride,
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
                    Code::NothingToRemove,
                    *file,
                    item.span,
                    msg!(
                        "`remove` needs an inherited declaration, but this policy extends nothing",
                        "`删除` 需要继承来的声明，但本政策没有继承其他政策"
                    ),
                )),
                ItemKind::Extends(t) => self.push(
                    Diagnostic::error(
                        Code::UnresolvedExtends,
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
}

/// The first error and how many problems there are; renderers show them all.
impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        match self.diagnostics.iter().find(|d| d.is_error()).or(self.diagnostics.first()) {
            Some(first) if errors > 1 => write!(f, "{first} (and {} more errors)", errors - 1),
            Some(first) => write!(f, "{first}"),
            None => f.write_str("the policy did not check"),
        }
    }
}

impl std::error::Error for CheckError {}
