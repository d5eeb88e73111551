//! A rules library: policies by name (`national/2020`), choosing a year's policy, and composing
//! a policy that `extends` another.
//!
//! The library holds texts, not files: the command line fills it from a rules folder, and
//! [`Library::embedded`] holds the rules bundled with jixiao. Composition applies each
//! `override` and `remove` down the `extends` chain and hands the result to the checker, so the
//! resolved policy is a plain policy.

use crate::codes::Code;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ast::{Item, ItemKind, PolicyFile, Span, Word};
use crate::check::{self, CheckError, Checked, SourcedItem};
use crate::decl::Decl;
use crate::diagnostic::{Diagnostic, FileId, Message, Sources};
use crate::msg;
use crate::words::{RoundTarget, did_you_mean};

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// A policy text and where it came from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Entry {
    /// Path shown to users (`rules/national/2020.policy`).
    pub path: String,
    /// The text.
    pub text: String,
}

/// Policies by name: `<jurisdiction>/<year>`.
#[derive(Clone, Debug, Default)]
pub struct Library {
    entries: BTreeMap<String, Entry>,
    parsed: ParseCache,
}

/// Policy texts already parsed, so a parent shared by many policies (or a policy resolved again)
/// is parsed once per library. Keyed by the text itself: a changed file is a new entry.
#[derive(Clone, Debug, Default)]
/// A parsed file is shared, not copied, between the cache and its users.
struct ParseCache(Arc<std::sync::Mutex<BTreeMap<String, Arc<PolicyFile>>>>);

impl ParseCache {
    fn parse(&self, text: &str) -> Result<Arc<PolicyFile>, Vec<crate::syntax::SyntaxError>> {
        if let Some(file) = self.0.lock().ok().and_then(|m| m.get(text).cloned()) {
            return Ok(file);
        }
        // The key is copied before parsing, next to the caller's copy of the text for its sources:
        // a large allocation after parsing's many small ones costs the allocator more.
        let key = text.to_string();
        let file = Arc::new(crate::syntax::parse(text)?);
        if let Ok(mut m) = self.0.lock() {
            m.insert(key, Arc::clone(&file));
        }
        Ok(file)
    }
}

/// The policy chosen for a jurisdiction and year.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Selected {
    /// Its name.
    pub name: String,
    /// The jurisdiction had no policy for the year; the national one was taken.
    pub fallback: bool,
}

/// No policy applies.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectError {
    /// The jurisdiction asked for.
    pub jurisdiction: String,
    /// The year asked for.
    pub year: u32,
    /// Policies the library does have.
    pub available: Vec<String>,
}

impl SelectError {
    /// What went wrong, in both languages.
    pub fn message(&self) -> Message {
        let (j, y) = (&self.jurisdiction, self.year);
        let list = if self.available.is_empty() { "—".to_string() } else { self.available.join(", ") };
        Message::new(
            format!("no policy for `{j}` (or `national`) is in effect in {y}; the rules hold: {list}"),
            format!("没有 {y} 年适用于 `{j}`（或 `national`）的政策；现有规则：{list}"),
        )
    }
}

/// The year a policy name carries (`hunan/2023` → 2023).
fn year_of(name: &str) -> Option<(&str, u32)> {
    let (jurisdiction, year) = name.rsplit_once('/')?;
    Some((jurisdiction, year.parse().ok()?))
}

impl Library {
    /// An empty library.
    pub fn new() -> Self {
        Self::default()
    }

    /// The rules bundled with jixiao.
    pub fn embedded() -> Self {
        let mut lib = Self::new();
        for (name, path, text) in EMBEDDED {
            lib.insert(*name, *path, *text);
        }
        lib
    }

    /// Add or replace a policy.
    pub fn insert(&mut self, name: impl Into<String>, path: impl Into<String>, text: impl Into<String>) {
        self.entries.insert(name.into(), Entry { path: path.into(), text: text.into() });
    }

    /// A policy text parsed through this library's cache; `None` if it does not parse.
    #[cfg(feature = "cli")]
    pub(crate) fn parse(&self, text: &str) -> Option<Arc<PolicyFile>> {
        self.parsed.parse(text).ok()
    }

    /// A policy by name.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.get(name)
    }

    /// All policy names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Whether the library holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The newest policy of `jurisdiction` in effect in `year`; failing that, the newest
    /// national one.
    pub fn select(&self, jurisdiction: &str, year: u32) -> Result<Selected, SelectError> {
        let newest = |j: &str| {
            self.names()
                .filter_map(|n| year_of(n).filter(|(nj, y)| *nj == j && *y <= year).map(|(_, y)| (y, n)))
                .max()
                .map(|(_, n)| n.to_string())
        };
        if let Some(name) = newest(jurisdiction) {
            return Ok(Selected { name, fallback: false });
        }
        if jurisdiction != "national"
            && let Some(name) = newest("national")
        {
            return Ok(Selected { name, fallback: true });
        }
        Err(SelectError {
            jurisdiction: jurisdiction.to_string(),
            year,
            available: self.names().map(str::to_string).collect(),
        })
    }

    /// Parse, compose and check the policy called `name`.
    pub fn resolve(&self, name: &str, sources: &mut Sources) -> Result<Checked, CheckError> {
        match self.get(name) {
            Some(entry) => self.resolve_text(&entry.path, &entry.text, Some(name), sources),
            None => {
                let id = sources.add(name, "");
                let mut d = Diagnostic::error(
                    Code::MissingParent,
                    id,
                    Span::new(0, 0),
                    Message::new(
                        format!("the rules have no policy `{name}`"),
                        format!("规则中没有政策 `{name}`"),
                    ),
                );
                if let Some(s) = did_you_mean(name, self.names()) {
                    d = d.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？"));
                }
                Err(CheckError { diagnostics: vec![d] })
            }
        }
    }

    /// Parse, compose and check a policy text; its `extends` are looked up in this library.
    pub fn resolve_text(
        &self,
        path: &str,
        text: &str,
        name: Option<&str>,
        sources: &mut Sources,
    ) -> Result<Checked, CheckError> {
        let chain = self.load_chain(path, text, name, sources)?;
        let main = chain[0].0;
        let items = compose(&chain)?;
        let sourced: Vec<SourcedItem<'_>> =
            items.iter().map(|(file, item)| SourcedItem { file: *file, item }).collect();
        let checked = if chain.len() == 1 {
            check::check(&sourced, main, sources)?
        } else {
            check::check_composed(&sourced, main, sources)?
        };
        // Years are chosen by file name (`hunan/2023`): the name and the header must agree.
        if let Some((jurisdiction, year)) = name.and_then(year_of) {
            let p = &checked.policy;
            if p.year != year || p.jurisdiction != jurisdiction {
                let (pj, py) = (&p.jurisdiction, p.year);
                let at = chain[0]
                    .1
                    .items
                    .iter()
                    .find_map(|i| match &i.kind {
                        ItemKind::Year(y) if y.value != year => Some(i.span),
                        ItemKind::Jurisdiction(j) if j.value != jurisdiction => Some(i.span),
                        _ => None,
                    })
                    .unwrap_or(Span::new(0, 0));
                let name = name.unwrap_or_default();
                let d = Diagnostic::error(
                    Code::NameMismatch,
                    main,
                    at,
                    Message::new(
                        format!("`{name}` declares jurisdiction `{pj}` and year {py}; its path says `{jurisdiction}` and {year}"),
                        format!("`{name}` 声明的地区为 `{pj}`、年度为 {py}，与其路径中的 `{jurisdiction}`、{year} 不符"),
                    ),
                )
                .with_help(Message::new(
                    format!("rules are chosen by path: rename the file to `{pj}/{py}.policy` or correct its header"),
                    format!("规则按路径选用：请将文件改名为 `{pj}/{py}.policy`，或更正文件开头的声明"),
                ));
                return Err(CheckError { diagnostics: vec![d] });
            }
        }
        Ok(checked)
    }

    /// The file and its ancestors, child first.
    fn load_chain(
        &self,
        path: &str,
        text: &str,
        name: Option<&str>,
        sources: &mut Sources,
    ) -> Result<Vec<(FileId, Arc<PolicyFile>, String)>, CheckError> {
        let mut chain: Vec<(FileId, Arc<PolicyFile>, String)> = Vec::new();
        // (file, span of its `extends`) for cycle reports.
        let mut links: Vec<(FileId, Span, String)> = Vec::new();
        // (path, text, name) of the file to load next; path and text are borrowed from the caller
        // or the library, and copied only into `sources`.
        let mut current: (&str, &str, String) =
            (path, text, name.map(str::to_string).unwrap_or_else(|| path.to_string()));
        loop {
            let id = sources.add(current.0, current.1);
            let file = self.parsed.parse(current.1).map_err(|errors| CheckError {
                diagnostics: errors.iter().map(|e| e.to_diagnostic(id)).collect(),
            })?;
            let extends: Vec<(&str, Span)> = file
                .items
                .iter()
                .filter_map(|i| match &i.kind {
                    ItemKind::Extends(t) => Some((t.value.as_str(), t.span)),
                    _ => None,
                })
                .collect();
            if extends.len() > 1 {
                let d = Diagnostic::error(
                    Code::DuplicateDefinition,
                    id,
                    extends[1].1,
                    msg!("a policy extends one other policy", "一个政策只能继承一个政策"),
                )
                .with_related(
                    id,
                    extends[0].1,
                    msg!("first `extends` here", "第一个 `继承` 在此"),
                );
                return Err(CheckError { diagnostics: vec![d] });
            }
            let parent = extends.first().map(|(n, s)| (n.trim().trim_end_matches(".policy").to_string(), *s));
            let own = current.2.clone();
            chain.push((id, file, own.clone()));
            let Some((parent, span)) = parent else { break };
            links.push((id, span, parent.clone()));
            if chain.iter().any(|(_, _, n)| *n == parent) {
                let mut d = Diagnostic::error(
                    Code::ExtendsCycle,
                    id,
                    span,
                    Message::new(
                        format!("`{own}` extends `{parent}`, which leads back to it"),
                        format!("`{own}` 继承 `{parent}`，继承关系形成循环"),
                    ),
                );
                for (f, s, n) in links.iter().take(links.len() - 1) {
                    d = d.with_related(*f, *s, Message::new(format!("extends `{n}`"), format!("继承 `{n}`")));
                }
                return Err(CheckError {
                    diagnostics: vec![d.with_help(msg!(
                        "one policy in the chain must stop extending",
                        "继承链中需有一个政策不再继承"
                    ))],
                });
            }
            if chain.len() > 16 {
                return Err(CheckError {
                    diagnostics: vec![Diagnostic::error(
                        Code::ExtendsTooDeep,
                        id,
                        span,
                        msg!("the chain of `extends` is longer than 16 policies", "继承链超过 16 层"),
                    )],
                });
            }
            match self.get(&parent) {
                Some(entry) => current = (&entry.path, &entry.text, parent),
                None => {
                    let mut d = Diagnostic::error(
                        Code::MissingParent,
                        id,
                        span,
                        Message::new(
                            format!("there is no policy `{parent}` to extend"),
                            format!("没有可继承的政策 `{parent}`"),
                        ),
                    );
                    match did_you_mean(&parent, self.names()) {
                        Some(s) => d = d.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？")),
                        None if !self.is_empty() => {
                            let all = self.names().collect::<Vec<_>>().join("`, `");
                            d = d.with_help(Message::new(
                                format!("the rules hold `{all}`"),
                                format!("现有规则：`{all}`"),
                            ));
                        }
                        None => {
                            d = d.with_help(msg!(
                                "point `--rules` at the rules folder that holds it",
                                "请用 `--rules` 指向包含它的规则目录"
                            ))
                        }
                    }
                    return Err(CheckError { diagnostics: vec![d] });
                }
            }
        }
        Ok(chain)
    }
}

/// Apply each file's items onto its parent's, root first.
/// Items are borrowed from the parsed files; only an item that composing changes is copied.
fn compose(chain: &[(FileId, Arc<PolicyFile>, String)]) -> Result<Vec<(FileId, Cow<'_, Item>)>, CheckError> {
    let mut merged: Vec<(FileId, Cow<'_, Item>)> = Vec::new();
    let mut diags = Vec::new();
    for (depth, (file, policy, _)) in chain.iter().enumerate().rev() {
        let parent_name = chain.get(depth + 1).map(|(_, _, n)| n.as_str());
        // Where to point in the parent: its `policy` line, else its first item.
        let parent_at = chain.get(depth + 1).and_then(|(f, p, _)| {
            p.items
                .iter()
                .find(|i| matches!(i.kind, ItemKind::PolicyName(_)))
                .or(p.items.first())
                .map(|i| (*f, i.span))
        });
        let is_root = depth + 1 == chain.len();
        // A child restates the policy name and year; it keeps the parent's jurisdiction and
        // basis unless it states its own.
        if !is_root {
            let states = |pred: fn(&ItemKind) -> bool| policy.items.iter().any(|i| pred(&i.kind));
            merged.retain(|(_, i)| match &i.kind {
                ItemKind::PolicyName(_) | ItemKind::Year(_) => false,
                ItemKind::Jurisdiction(_) => !states(|k| matches!(k, ItemKind::Jurisdiction(_))),
                ItemKind::Basis(_) => !states(|k| matches!(k, ItemKind::Basis(_))),
                _ => true,
            });
        }
        merged.reserve(policy.items.len());
        // Declarations this file makes, to catch one declared twice in the same file.
        let mut declared: Vec<(Decl, Span)> = Vec::new();
        for item in &policy.items {
            if !is_root && let Some(key) = Decl::of(item) {
                if let Some((_, first)) = declared.iter().find(|(k, _)| k.overlaps(&key)) {
                    let Message { en, zh } = key.describe();
                    diags.push(
                        Diagnostic::error(
                            Code::DuplicateDefinition,
                            *file,
                            name_span(item),
                            Message::new(
                                format!("{en} is declared twice in this file"),
                                format!("{zh} 在本文件中重复声明"),
                            ),
                        )
                        .with_related(
                            *file,
                            *first,
                            msg!("first declared here", "首次声明于此"),
                        ),
                    );
                    continue;
                }
                declared.push((key, name_span(item)));
            }
            match &item.kind {
                ItemKind::Extends(_) => continue,
                // The top of a chain has nothing to override or remove.
                kind if is_root
                    && chain.len() > 1
                    && (item.overrides || matches!(kind, ItemKind::Remove(_))) =>
                {
                    let own = &chain[depth].2;
                    diags.push(Diagnostic::error(
                        if item.overrides { Code::OverrideMissing } else { Code::RemoveMissing },
                        *file,
                        item.span,
                        Message::new(
                            format!("`{own}` extends nothing, so there is nothing to override or remove"),
                            format!("`{own}` 没有继承其他政策，无可覆盖或删除"),
                        ),
                    ));
                    continue;
                }
                ItemKind::Remove(r) if !is_root => {
                    let key = Decl::of_remove(r.kind, r.name.as_ref().map(|n| n.name.as_str()));
                    let before = merged.len();
                    merged.retain(|(_, i)| Decl::of(i).as_ref() != Some(&key));
                    if merged.len() == before {
                        diags.push(not_inherited(
                            *file,
                            r.name.as_ref().map_or(item.span, |n| n.span),
                            &key,
                            &merged,
                            (parent_name, parent_at),
                            Code::RemoveMissing,
                        ));
                    }
                    continue;
                }
                _ => {}
            }
            // The root's items are taken as they are: no declaration key (which copies a name) is
            // needed for them.
            if is_root {
                merged.push((*file, Cow::Borrowed(item)));
                continue;
            }
            let Some(key) = Decl::of(item) else {
                merged.push((*file, Cow::Borrowed(item)));
                continue;
            };
            let inherited: Vec<usize> = (0..merged.len())
                .filter(|&i| Decl::of(&merged[i].1).is_some_and(|k| k.overlaps(&key)))
                .collect();
            if item.overrides {
                if inherited.is_empty() {
                    diags.push(not_inherited(
                        *file,
                        name_span(item),
                        &key,
                        &merged,
                        (parent_name, parent_at),
                        Code::OverrideMissing,
                    ));
                    continue;
                }
                let at = inherited[0];
                // `override round total 0` over an inherited `round 2`: the inherited line
                // keeps rounding scores.
                for &i in inherited.iter().rev() {
                    if let (Decl::Round(Some(t)), ItemKind::Round(r)) = (&key, &merged[i].1.kind)
                        && r.target.is_none()
                    {
                        let other =
                            if *t == RoundTarget::Score { RoundTarget::Total } else { RoundTarget::Score };
                        if let ItemKind::Round(r) = &mut merged[i].1.to_mut().kind {
                            r.target = Some(Word::Known(other, r.span));
                        }
                        continue;
                    }
                    merged.remove(i);
                }
                let mut replacement = item.clone();
                replacement.overrides = false;
                merged.insert(at.min(merged.len()), (*file, Cow::Owned(replacement)));
            } else if let Some(&i) = inherited.first() {
                let Message { en, zh } = key.describe();
                let (pf, ps) = (merged[i].0, name_span(&merged[i].1));
                let keyword = override_keyword(item);
                diags.push(
                    Diagnostic::error(
                        Code::RedefinedWithoutOverride,
                        *file,
                        name_span(item),
                        Message::new(
                            format!("{en} is inherited; redefining it needs `override`"),
                            format!("{zh} 是继承来的，重新定义需写 `覆盖`"),
                        ),
                    )
                    .with_label(msg!("redefined here", "此处重新定义"))
                    .with_related(pf, ps, msg!("inherited from here", "继承自此"))
                    .with_help(Message::new(
                        format!("write `override {}`", keyword.0),
                        format!("请写作 `覆盖 {}`", keyword.1),
                    )),
                );
            } else {
                merged.push((*file, Cow::Borrowed(item)));
            }
        }
    }
    if diags.is_empty() { Ok(merged) } else { Err(CheckError { diagnostics: diags }) }
}

/// The span of a declaration's name (its whole span when it has none).
fn name_span(item: &Item) -> Span {
    match &item.kind {
        ItemKind::Method(m) => m.name.span,
        ItemKind::Tiers(t) => t.name.span,
        ItemKind::Flag(f) => f.name.span,
        ItemKind::Unit(u) => u.name.span,
        _ => item.span,
    }
}

fn override_keyword(item: &Item) -> (&'static str, &'static str) {
    match &item.kind {
        ItemKind::Scheme(_) => ("scheme …", "指标体系 …"),
        ItemKind::Grades(_) => ("grades { … }", "等级 { … }"),
        ItemKind::Inapplicable(_) => ("inapplicable …", "不适用 …"),
        ItemKind::Audit(_) => ("audit …", "审核 …"),
        ItemKind::Round(_) => ("round …", "舍入 …"),
        ItemKind::Method(_) => ("method …", "方法 …"),
        ItemKind::Tiers(_) => ("tiers …", "档次 …"),
        ItemKind::Flag(_) => ("flag …", "提示 …"),
        ItemKind::Unit(_) => ("unit …", "单位 …"),
        _ => ("…", "…"),
    }
}

fn not_inherited(
    file: FileId,
    span: Span,
    key: &Decl,
    merged: &[(FileId, Cow<'_, Item>)],
    (parent, parent_at): (Option<&str>, Option<(FileId, Span)>),
    code: Code,
) -> Diagnostic {
    let Message { en, zh } = key.describe();
    let parent = parent.unwrap_or("?");
    let verb = if code == Code::OverrideMissing { ("override", "覆盖") } else { ("remove", "删除") };
    let mut d = Diagnostic::error(
        code,
        file,
        span,
        Message::new(
            format!("cannot {} {en}: `{parent}` and the policies it extends do not define it", verb.0),
            format!("无法{}{zh}：`{parent}` 及其上级政策中没有该定义", verb.1),
        ),
    );
    // The nearest inherited declaration of the same kind, if there is a likely one.
    let candidates: Vec<(String, FileId, Span)> = merged
        .iter()
        .filter_map(|(f, i)| Decl::of(i).map(|k| (k, *f, name_span(i))))
        .filter(|(k, _, _)| k.same_kind(key))
        .filter_map(|(k, f, s)| k.name().map(|n| (n.to_string(), f, s)))
        .collect();
    let suggestion =
        key.name().and_then(|name| did_you_mean(name, candidates.iter().map(|(n, _, _)| n.as_str())));
    if let Some(s) = suggestion {
        if let Some((_, f, at)) = candidates.iter().find(|(n, _, _)| n == s) {
            d = d.with_related(*f, *at, msg!("`{s}` is inherited from here", "`{s}` 继承自此"));
        }
        return d.with_help(msg!("did you mean `{s}`?", "是否应为 `{s}`？"));
    }
    if let Some((f, at)) = parent_at {
        d = d.with_related(f, at, Message::new(format!("`{parent}` is here"), format!("`{parent}` 在此")));
    }
    if code == Code::OverrideMissing {
        d = d.with_help(msg!("to add something new, drop `override`", "若要新增，请去掉 `覆盖`"));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib() -> Library {
        let mut lib = Library::new();
        lib.insert("national/2013", "rules/national/2013.policy", "");
        lib.insert("national/2020", "rules/national/2020.policy", "");
        lib.insert("hunan/2021", "rules/hunan/2021.policy", "");
        lib.insert("hunan/2023", "rules/hunan/2023.policy", "");
        lib
    }

    #[test]
    fn each_text_is_parsed_once_per_library() {
        let lib = Library::embedded();
        let parsed = || lib.parsed.0.lock().map(|m| m.len()).unwrap_or(usize::MAX);
        assert_eq!(parsed(), 0);
        let first = lib.resolve("hunan/2023", &mut Sources::new()).expect("bundled rules check").policy;
        // hunan/2023 extends hunan/2021: two texts.
        assert_eq!(parsed(), 2);
        let again = lib.resolve("hunan/2021", &mut Sources::new()).expect("bundled rules check").policy;
        let twice = lib.resolve("hunan/2023", &mut Sources::new()).expect("bundled rules check").policy;
        assert_eq!(parsed(), 2, "hunan/2021 and hunan/2023 were parsed already");
        assert_eq!(first.hash(), twice.hash());
        assert_ne!(first.hash(), again.hash());
    }

    #[test]
    fn the_newest_policy_on_or_before_the_year() {
        let l = lib();
        assert_eq!(l.select("hunan", 2022), Ok(Selected { name: "hunan/2021".into(), fallback: false }));
        assert_eq!(l.select("hunan", 2023), Ok(Selected { name: "hunan/2023".into(), fallback: false }));
        assert_eq!(l.select("hunan", 2030), Ok(Selected { name: "hunan/2023".into(), fallback: false }));
        assert_eq!(
            l.select("national", 2019),
            Ok(Selected { name: "national/2013".into(), fallback: false })
        );
        assert_eq!(l.select("zhuzhou", 2022), Ok(Selected { name: "national/2020".into(), fallback: true }));
        assert_eq!(l.select("hunan", 2020), Ok(Selected { name: "national/2020".into(), fallback: true }));
        assert!(l.select("national", 2010).is_err());
    }

    #[test]
    fn the_embedded_rules_include_the_national_scheme() {
        let l = Library::embedded();
        assert!(l.get("national/2020").is_some_and(|e| e.text.contains("财预〔2020〕10号")));
    }
}
